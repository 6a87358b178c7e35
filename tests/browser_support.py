"""What the browser tests share: Chromium, the app server, logging in, waiting.

A real browser (Debian's Chromium through Playwright) against a real server. The
fixtures `server` (the app on the hand-made estate of tests/app_estate.py, one per
module) and `browser` (one per module) reach every test module through
tests/conftest.py; the helpers (`login`, `settle`, `tile`, `free_port`) are imported
from here. Without Chromium or Playwright the tests that use them skip, except under
CI=true, where they fail: call `require_chromium()` at the top of a module that
drives Chromium by itself.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.app_estate import PASSWORD, build_estate

try:
    from playwright import sync_api as playwright
except ImportError:  # the tests that need it skip (require_chromium)
    playwright = None

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/lib/chromium/chromium"
# The test estate is tiny; the README pictures of the demo come from `make screenshots`.
SHOTS = ROOT / "docs" / "screenshots" / "browser-test"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Idle (no script run, no skeleton, no status widget), and for how long. Streamlit writes
# its script run state on the stApp element ("notRunning" once a run is over; "rerunRequested"
# or "running" as soon as one starts, where the status widget shows only half a second into a
# run). The quiet window restarts whenever the app is busy again, so a rerun that follows a
# run (the cookie component's after load, a widget's debounced change: seen up to 0.4 s
# later on a loaded machine) is waited for too.
QUIET = """([ms, call]) => {
  const app = document.querySelector('[data-testid="stApp"]');
  const idle = app !== null && app.getAttribute('data-test-script-state') === 'notRunning'
    && !document.querySelector('[data-testid="stSkeleton"]')
    && !document.querySelector('[data-testid="stStatusWidget"]');
  const now = performance.now();
  const quiet = window.__itamQuiet;
  if (!idle) { window.__itamQuiet = null; return false; }
  if (!quiet || quiet.call !== call) { window.__itamQuiet = {call, since: now}; return false; }
  return now - quiet.since >= ms;
}"""
QUIET_MS = 600
_SETTLE_CALLS = itertools.count()


def missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not Path(CHROMIUM).exists():
        return f"Chromium is not installed at {CHROMIUM} (apt-get install chromium; .ci/run does)"
    if playwright is None:
        return "Playwright is not installed (pip install -r requirements-dev.txt)"
    return None


def require_chromium() -> None:
    """Skip the calling module (or fixture) without a browser; fail instead under CI=true."""
    reason = missing()
    if reason is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true and {reason}", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def app_server(tmp: Path, env: dict, *, cwd: Path | None = None) -> Iterator[str]:
    """The app served by streamlit on a free port with `env` (its log in tmp/server.log),
    once /_stcore/health answers; its URL. `cwd` (default tmp) decides which
    .streamlit/config.toml it reads."""
    port = free_port()
    with open(tmp / "server.log", "w") as log:
        proc = subprocess.Popen(
            [
                sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "app.py"),
                "--server.port", str(port), "--server.address", "127.0.0.1",
                "--server.headless", "true", "--browser.gatherUsageStats", "false",
                # No watcher: it costs CPU, and a "File change" status (an edit in the tree
                # while the tests run) would keep every page busy for `settle`.
                "--server.fileWatcherType", "none",
            ],
            cwd=cwd or tmp, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).status == 200:
                break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("the server did not start: " + (tmp / "server.log").read_text()[-2000:])
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app served by streamlit on a free port, on the hand-made estate."""
    require_chromium()  # a server is only wanted by tests that drive a browser
    tmp = tmp_path_factory.mktemp("browser")
    env = {**os.environ, **build_estate(tmp)}
    with app_server(tmp, env) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium, one per module."""
    require_chromium()
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def settle(page, timeout: float = 120_000) -> None:
    """Wait until the app has been idle for QUIET_MS without a break (a fixed sleep of
    twice 0.8 s before; the run state is a condition, not a guess)."""
    # `call` starts a fresh window (an idle stretch seen by an earlier settle does not count).
    call = next(_SETTLE_CALLS)
    page.wait_for_function(QUIET, arg=[QUIET_MS, call], timeout=timeout, polling=50)


def login(browser, server: str, username: str, path: str = ""):
    """A new page at `server/path`, logged in as `username` (the estate's password)."""
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
        has=page.locator(
            '[data-testid="stMetricLabel"]', has_text=re.compile(f"^{re.escape(label)}$")
        )
    )
    return box.locator('[data-testid="stMetricValue"]').first.inner_text().strip()
