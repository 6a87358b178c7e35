"""A real browser (Debian's Chromium through Playwright) against a real server.

Logs in as each role on the hand-made estate of tests/app_estate.py and finds
the hand-computed values on the landing page; changes a filter; follows a
drill-down; checks that a technician cannot reach /cfo by URL and that a user
scoped to Finance sees Finance only; saves each landing page to
docs/screenshots/. Without Chromium the tests skip, except under CI=true. The
fixtures and helpers all browser tests share are in tests/browser_support.py.
"""

from __future__ import annotations

import re

import pytest

from tests.browser_support import SHOTS, heading, login, require_chromium, settle, tile
from tests.metric_fixtures import A

pytestmark = pytest.mark.browser
require_chromium()


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
    page = login(
        browser,
        server,
        "admin1",
        f"explore?metric=hardware_spend_12m&by=department&as_of={A.isoformat()}",
    )
    assert heading(page) == "Explore"
    assert tile(page, "Hardware spend (12 months)") == "€2,500"
    assert "metric=hardware_spend_12m" in page.url and "by=department" in page.url
    page.close()
