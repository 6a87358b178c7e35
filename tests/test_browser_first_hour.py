"""An organisation's first hour in a real browser (issue 11): on a fresh demo database, the demo
admin uploads the public sample estate, creates their own admin account in the same step, and
ends with exactly the sample's 5,000 assets, their organisation's name and a login of their own.

Debian's Chromium through Playwright (tests/test_browser.py); skips without it, except under CI=true.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import text

from dashboard import auth, database, demo, store
from tests.app_estate import KEY
from tests.browser_support import ROOT, SHOTS, free_port, playwright, require_chromium, settle

pytestmark = pytest.mark.browser
require_chromium()  # skips the module without Chromium (fails under CI=true)

SAMPLE = Path(__file__).parent / "data" / "sample-estate" / "sample-estate.xlsx"
ADMIN = {"username": "robin", "password": "robin-owns-this-1", "name": "Robin Owner"}


@pytest.fixture
def demo_server(tmp_path):
    """A fresh demo database (what `make run` starts with: demo estate, demo users)."""
    db = tmp_path / "itam.duckdb"
    engine = database.get_engine(db)
    demo.small_demo(engine, dt.date(2026, 6, 30))
    database.dispose(db)
    env = {**os.environ, "DATABASE_URL": f"duckdb:///{db}", "ITAM_AUTH_FILE": str(tmp_path / "auth.yaml"),
           "ITAM_COOKIE_KEY": KEY, "ITAM_DAILY_SNAPSHOT": "0"}  # fmt: skip
    os.environ["ITAM_AUTH_FILE"] = env["ITAM_AUTH_FILE"]
    auth.sync_demo_users(True)
    port = free_port()
    log = open(tmp_path / "server.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "app.py"),
         "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false", "--server.maxUploadSize", "50"],
        cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
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
        pytest.fail("the server did not start: " + (tmp_path / "server.log").read_text()[-2000:])
    yield url, db, proc
    if proc.poll() is None:
        proc.terminate()
        proc.wait(timeout=20)
    log.close()
    os.environ.pop("ITAM_AUTH_FILE", None)


def _log_in(page, url: str, username: str, password: str) -> None:
    page.goto(url)
    page.get_by_role("button", name="Log in").wait_for(timeout=60_000)
    settle(page, 400_000)
    for _ in range(
        3
    ):  # a loaded machine: the login may land after the wait, or a rerun clear the form
        if page.get_by_role("button", name="Log out").count():
            break
        if not page.get_by_label("Username").count():
            settle(page, 400_000)
            continue
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password", exact=True).first.fill(password)
        page.get_by_role("button", name="Log in").click()
        try:
            page.get_by_role("button", name="Log out").wait_for(timeout=60_000)
            break
        except playwright.TimeoutError:
            settle(page, 400_000)
    settle(page, 400_000)


def test_first_import_leaves_the_demo_with_an_admin_of_ones_own(demo_server, browser):
    url, db, proc = demo_server
    page = browser.new_page(viewport={"width": 1440, "height": 1100})
    _log_in(page, url, "admin", "demo-admin")
    page.goto(f"{url}/data")
    page.get_by_text("You are looking at the demo").first.wait_for(timeout=60_000)
    settle(page, 400_000)
    page.locator('input[type="file"]').first.set_input_files(str(SAMPLE))
    page.get_by_text("this import replaces all of it").first.wait_for(timeout=480_000)
    settle(page, 400_000)
    for label, value in (("Your name", ADMIN["name"]), ("Your e-mail", "robin@example.org"),
                         ("Username", ADMIN["username"]),
                         ("Password (8 characters or more)", ADMIN["password"]),
                         ("Repeat the password", ADMIN["password"]),
                         ("Your organisation's name", "Example Ltd")):  # fmt: skip
        field = page.get_by_label(label, exact=True)
        field.fill(value)
        field.press("Enter")
        settle(page, 400_000)
    confirm = page.get_by_role("button", name="Confirm: replace the demo with this data")
    confirm.wait_for(timeout=60_000)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "data-leave-demo.png"), full_page=True)
    assert confirm.is_enabled()
    page.set_viewport_size({"width": 390, "height": 1100})  # the same step on a phone
    settle(page, 400_000)
    page.screenshot(path=str(SHOTS / "data-leave-demo-390.png"), full_page=True)
    page.set_viewport_size({"width": 1440, "height": 1100})
    settle(page, 400_000)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "data-leave-demo.png"), full_page=True)
    confirm.click()
    page.get_by_text("Welcome, Robin Owner").wait_for(timeout=300_000)
    settle(page, 400_000)
    assert page.get_by_text(
        ADMIN["name"]
    ).first.is_visible()  # the sidebar's user box: logged in as them
    page.screenshot(path=str(SHOTS / "data-after-leaving-demo.png"), full_page=True)
    # The new admin's session has its HttpOnly cookie at once: a reload asks for no password.
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies["itam_session"]["httpOnly"] is True
    page.reload()
    page.get_by_role("button", name="Log out").wait_for(timeout=120_000)
    assert not page.get_by_role("button", name="Log in").count()
    assert not page.get_by_text("Welcome, Robin Owner").count()  # said once, not on every visit
    # a working login of their own, under their organisation's name
    page.get_by_role("button", name="Log out").click()
    page.get_by_role("button", name="Log in").wait_for(timeout=60_000)
    assert page.get_by_text("Example Ltd · IT asset dashboard").first.is_visible()
    assert not page.get_by_text("Demo mode").count()
    _log_in(page, url, ADMIN["username"], ADMIN["password"])
    assert page.get_by_role("button", name="Log out").is_visible()
    page.close()
    proc.terminate()
    proc.wait(timeout=20)
    engine = database.get_engine(db)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM assets")).scalar_one() == 5000
    assert store.get_setting(engine, "organisation") == "Example Ltd"
    assert store.get_setting(engine, "demo_mode") == "false"
    database.dispose(db)
    assert list(auth.load_config()["credentials"]["usernames"]) == ["robin"]
