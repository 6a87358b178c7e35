"""A real browser (Debian's Chromium through Playwright) against a real server.

Logs in as each role on the hand-made estate of tests/app_estate.py and finds
the hand-computed values on the landing page; changes a filter; follows a
drill-down; checks that a technician cannot reach /cfo by URL and that a user
scoped to Finance sees Finance only; saves each landing page to
docs/screenshots/. Without Chromium the tests skip, except under CI=true.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.app_estate import PASSWORD, build_estate
from tests.metric_fixtures import A

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/lib/chromium/chromium"
# The test estate is tiny; the README pictures of the demo come from `make screenshots`.
SHOTS = ROOT / "docs" / "screenshots" / "browser-test"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

if not Path(CHROMIUM).exists():
    reason = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium; .ci/run does)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true and {reason}", pytrace=False)
    pytest.skip(reason, allow_module_level=True)

playwright = pytest.importorskip("playwright.sync_api")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser")
    env = {**os.environ, **build_estate(tmp)}
    port = free_port()
    log = open(tmp / "server.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "app.py"),
         "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false"],
        cwd=tmp, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).status == 200:
                break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("the server did not start: " + (tmp / "server.log").read_text()[-2000:])
    yield url
    proc.terminate()
    proc.wait(timeout=20)
    log.close()


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


IDLE = (
    "() => !document.querySelector('[data-testid=\"stSkeleton\"]')"
    " && !document.querySelector('[data-testid=\"stStatusWidget\"]')"
)


def settle(page, timeout: float = 120_000) -> None:
    """Wait until script runs are over (twice: the cookie component reruns once after load)."""
    for _ in range(2):
        page.wait_for_function(IDLE, timeout=timeout)
        time.sleep(0.8)


def login(browser, server: str, username: str, path: str = ""):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/{path}")
    page.get_by_role("button", name="Log in").wait_for(timeout=60_000)
    settle(page)
    for attempt in range(3):
        # A rerun that lands while typing can clear the form: then type again.
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password", exact=True).first.fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        try:
            page.get_by_role("button", name="Log out").wait_for(timeout=20_000)
            break
        except playwright.TimeoutError:
            settle(page)
            if attempt == 2 or page.get_by_role("button", name="Log out").count():
                break
    settle(page)
    return page


def heading(page) -> str:
    return page.locator("h1").first.inner_text().strip()


def tile(page, label: str) -> str:
    """The value of the st.metric labelled `label`."""
    box = page.locator('[data-testid="stMetric"]').filter(
        has=page.locator('[data-testid="stMetricLabel"]', has_text=re.compile(f"^{re.escape(label)}$"))
    )
    return box.locator('[data-testid="stMetricValue"]').first.inner_text().strip()


LANDINGS = [
    # user, landing heading, (tile label, hand-computed value) or text to find
    ("cio1", "CIO", ("Active devices", "3")),
    ("cfo1", "CFO", ("Hardware spend (12 months)", "€2,500")),
    ("am1", "Asset manager", ("In stock", "1")),
    ("tech1", "Technician lookup", None),
    ("admin1", "Scorecard", "100.0 %"),
]


@pytest.mark.parametrize(("user", "landing", "expect"), LANDINGS)
def test_landing_page_per_role(server, browser, user, landing, expect):
    page = login(browser, server, user, f"?as_of={A.isoformat()}")
    assert heading(page) == landing
    if isinstance(expect, tuple):
        assert tile(page, expect[0]) == expect[1]
    elif expect:
        assert page.get_by_text(expect).first.is_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{landing.lower().replace(' ', '_')}.png"), full_page=True)
    page.close()


def test_filter_change_and_drill_down(server, browser):
    page = login(browser, server, "cio1", f"?as_of={A.isoformat()}")
    assert tile(page, "Active devices") == "3"
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.locator('[data-testid="stMultiSelect"]').filter(has_text="Department").click()
    page.get_by_role("option", name="Finance", exact=True).click()
    page.keyboard.press("Escape")
    page.locator("h1").first.click()  # closes the drop-down
    settle(page)
    assert tile(page, "Active devices") == "1"
    assert "department=Finance" in page.url
    # Drill down: the Scorecard's tile links to the KPI detail with its records.
    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name="Scorecard").click()
    settle(page)
    assert "department=Finance" in page.url  # the filter survives the page switch
    page.get_by_role("link", name="Details").first.click()
    settle(page)
    assert heading(page) == "KPI detail"
    assert re.search(r"[?&]kpi=\d+", page.url)
    page.close()


def test_technician_cannot_reach_cfo_by_url(server, browser):
    page = login(browser, server, "tech1")
    page.goto(f"{server}/cfo?as_of={A.isoformat()}")
    page.get_by_role("button", name="Log out").wait_for(timeout=60_000)
    settle(page)
    assert heading(page) == "Technician lookup"
    assert page.get_by_text("Hardware spend").count() == 0
    page.close()


def test_scoped_user_sees_only_their_department(server, browser):
    page = login(browser, server, "fin", f"cfo?as_of={A.isoformat()}")
    assert heading(page) == "CFO"  # the deep link survived the login
    assert tile(page, "Hardware spend (12 months)") == "€1,000"
    page.close()


def test_explore_deep_link_survives_login(server, browser):
    page = login(browser, server, "admin1",
                 f"explore?metric=hardware_spend_12m&by=department&as_of={A.isoformat()}")
    assert heading(page) == "Explore"
    assert tile(page, "Hardware spend (12 months)") == "€2,500"
    assert "metric=hardware_spend_12m" in page.url and "by=department" in page.url
    page.close()
