"""Login sessions in a real browser (Debian's Chromium) against a real server on PostgreSQL.

PostgreSQL (tests/pg.py) so that this process can read the sessions, throttle
and audit tables while the server runs: what the browser did is checked in the
database. The users are those of tests/app_estate.py; the database has no
estate (pages show their empty states), which is all a login needs.
"""

from __future__ import annotations

import base64
import json
import math
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import jwt
import pytest
from sqlalchemy import text

from dashboard import auth, database, sessions, store
from tests.app_estate import KEY, PASSWORD, USERS, write_users
from tests.browser_support import ARGS, CHROMIUM, app_server, require_chromium, settle
from tests.pg import new_database

pytestmark = pytest.mark.browser
require_chromium()  # skips the module without Chromium (fails under CI=true)
playwright = pytest.importorskip("playwright.sync_api")
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def site(pg_url, tmp_path_factory):
    """(url, engine, env): a server on a fresh PostgreSQL database with the estate's users."""
    tmp = tmp_path_factory.mktemp("browser_sessions")
    db_url = new_database(pg_url, "browser_sessions")
    engine = database.get_engine(db_url)
    store.set_setting(engine, "demo_mode", "false")
    store.set_setting(engine, "organisation", "Testco")
    write_users(tmp / "auth.yaml", USERS, PASSWORD)  # hashed once per process
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "ITAM_AUTH_FILE": str(tmp / "auth.yaml"),
        "ITAM_COOKIE_KEY": KEY,
        "ITAM_DAILY_SNAPSHOT": "0",
    }
    with app_server(tmp, env, cwd=ROOT) as url:
        yield url, engine, env


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(autouse=True)
def no_delays(site):
    """Each test starts with no login delays (they share the server and its address)."""
    yield
    with site[1].begin() as conn:
        conn.execute(text("DELETE FROM login_throttle"))


def open_page(browser, url: str, cookies: list[dict] | None = None):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    if cookies:
        context.add_cookies(cookies)
    page = context.new_page()
    page.goto(url)
    # the login form's button, or the sidebar's "Log out" when the cookie logs in
    page.wait_for_selector("button:has-text('Log in'), button:has-text('Log out')", timeout=60_000)
    settle(page)
    return context, page


def logged_in(page) -> bool:
    return page.get_by_role("button", name="Log out").count() > 0


def submit(page, username: str, password: str) -> None:
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).first.fill(password)
    page.get_by_role("button", name="Log in").click()


def log_in(browser, url: str, username: str, path: str = ""):
    context, page = open_page(browser, f"{url}/{path}")
    submit(page, username, PASSWORD)
    page.get_by_role("button", name="Log out").wait_for(timeout=60_000)
    settle(page)
    return context, page


def session_cookie(context) -> dict:
    (cookie,) = [c for c in context.cookies() if c["name"] == "itam_session"]
    return cookie


def test_the_cookie_is_httponly_strict_and_a_logged_out_cookie_opens_nothing(site, browser):
    url, engine, _ = site
    context, page = log_in(browser, url, "cfo1", "cfo?department=Finance")
    assert page.url == f"{url}/cfo?department=Finance"  # the deep link survived the cookie route
    assert page.locator("h1").first.inner_text().strip() == "CFO"
    cookie = session_cookie(context)
    assert (cookie["httpOnly"], cookie["sameSite"], cookie["secure"]) == (True, "Strict", False)
    assert page.evaluate("document.cookie").find("itam_session") == -1  # invisible to scripts
    # The cookie opens the account in another browser while the session lives ...
    other, again = open_page(browser, url, [cookie])
    assert logged_in(again)
    other.close()
    # ... and no longer once its owner logged out (the row is revoked, not just the cookie gone).
    page.get_by_role("button", name="Log out").click()
    page.get_by_role("button", name="Log in").wait_for(timeout=60_000)
    assert [c["name"] for c in context.cookies() if c["name"] == "itam_session"] == []
    replay, stale = open_page(browser, url, [cookie])
    assert not logged_in(stale) and stale.get_by_label("Username").count() == 1
    with engine.connect() as conn:
        revoked = conn.execute(
            text(
                "SELECT COUNT(*) FROM login_sessions WHERE username = 'cfo1'"
                " AND revoked_at IS NOT NULL"
            )
        ).scalar()
        actions = [
            r[0]
            for r in conn.execute(
                text("SELECT action FROM audit_log WHERE entity_id = 'cfo1' ORDER BY id")
            )
        ]
    assert revoked == 1 and actions == ["login", "logout"]
    replay.close()
    context.close()


def test_ten_parallel_sessions_get_no_more_password_checks_than_one(site, browser):
    url, engine, _ = site
    pages = [open_page(browser, url) for _ in range(10)]
    for _, page in pages:  # ten wrong passwords sent at (nearly) the same moment
        page.get_by_label("Username").fill("am1")
        page.get_by_label("Password", exact=True).first.fill("wrong-password")
    started = time.monotonic()
    for _, page in pages:
        page.get_by_role("button", name="Log in").click()
    for _, page in pages:
        page.wait_for_selector("[data-testid='stAlertContentError']", timeout=60_000)
    elapsed = time.monotonic() - started
    messages = [
        p.locator("[data-testid='stAlertContentError']").first.inner_text() for _, p in pages
    ]
    checks = sessions.checks_made(engine, "am1")
    with engine.connect() as conn:
        failed = conn.execute(
            text(
                "SELECT COUNT(*) FROM audit_log WHERE entity_id = 'am1' AND action = 'login_failed'"
            )
        ).scalar()
    # One session sending passwords as fast as it can gets three checks, then one after 1 s,
    # one more after 2 s more, 4 s ...: in `elapsed` seconds at most 3 + log2(elapsed + 1).
    one_session = 3 + int(math.log2(elapsed + 1))
    assert 3 <= checks <= min(one_session, 9), (checks, elapsed)
    assert failed == checks
    assert sum("Too many failed attempts" in m for m in messages) == 10 - checks
    assert sum(m.startswith("Wrong username or password") for m in messages) == checks
    for context, _ in pages:
        context.close()


@pytest.mark.parametrize("command", ["set-password", "remove"])
def test_set_password_and_remove_end_sessions(site, browser, command):
    url, engine, env = site
    username = f"temp-{command}"
    config = auth.load_config(Path(env["ITAM_AUTH_FILE"]))
    auth.add_user(config, username, PASSWORD, ["cio"])
    auth.save_config(config, Path(env["ITAM_AUTH_FILE"]))
    context, page = log_in(browser, url, username)
    cookie = session_cookie(context)
    args = [command, username] + (["--password-stdin"] if command == "set-password" else [])
    done = subprocess.run(
        [sys.executable, "-m", "dashboard", "users", *args],
        input="a-new-password-1\n",
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert f"ended 1 session(s) of {username}" in done.stdout
    page.reload()
    page.get_by_role("button", name="Log in").wait_for(timeout=60_000)
    settle(page)
    assert not logged_in(page)
    fresh, replay = open_page(browser, url, [cookie])
    assert not logged_in(replay)
    fresh.close()
    context.close()


@pytest.mark.parametrize(
    ("setting", "hours"), [("session_idle_hours", "0.002"), ("session_absolute_hours", "0.002")]
)
def test_idle_and_absolute_timeouts(site, browser, setting, hours):
    """0.002 h = 7.2 s: the session dies on its own; its cookie replayed then shows the form."""
    url, engine, _ = site
    store.set_setting(engine, setting, hours)
    try:
        context, page = log_in(browser, url, "admin1")
        cookie = session_cookie(context)
        assert logged_in(page)
        time.sleep(8)
        fresh, replay = open_page(browser, url, [{**cookie, "expires": -1}])
        assert not logged_in(replay) and replay.get_by_label("Username").count() == 1
        fresh.close()
        context.close()
    finally:
        store.set_setting(engine, setting, None)


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


MALFORMED = {
    "alg-none": _b64({"alg": "none", "typ": "JWT"}) + "." + _b64({"username": "admin1"}) + ".",
    "hs512": jwt.encode({"username": "admin1", "exp_date": 4e9}, KEY * 2, algorithm="HS512"),
    "old-jwt": jwt.encode({"username": "admin1", "exp_date": 4e9}, KEY, algorithm="HS256"),
    "garbage": "%25%00not-a-cookie",
    "forged": "A" * 43 + "." + "B" * 43,
}


@pytest.mark.parametrize("name", ["itam_session", "itam_dashboard_auth"])
@pytest.mark.parametrize("value", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_cookies_show_the_login_form_and_it_works(site, browser, name, value):
    url, *_ = site
    cookie = {"name": name, "value": value, "domain": "127.0.0.1", "path": "/"}
    context, page = open_page(browser, url, [cookie])
    assert not logged_in(page)
    assert page.locator("[data-testid='stException']").count() == 0
    submit(page, "tech1", PASSWORD)
    page.get_by_role("button", name="Log out").wait_for(timeout=60_000)
    context.close()


def test_security_headers_on_the_page(site):
    url, *_ = site
    with urllib.request.urlopen(url + "/") as response:
        headers = {k.lower(): v for k, v in response.headers.items()}
    assert headers["x-frame-options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
