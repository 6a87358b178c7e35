"""A single sign-on session ends like a local one: revoked from the command line while the app
serves the DuckDB file (the CLI hands the change to the app), the browser's next click needs a
fresh sign-in at the provider; Streamlit's own identity cookie does not quietly open a new session.

The provider, the users and the sign-in are those of tests/test_sso.py.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.app_estate import build_estate
from tests.browser_support import free_port, require_chromium
from tests.sso_support import CAROL, sign_in

ROOT = Path(__file__).resolve().parent.parent
pytest.importorskip("oidc_provider_mock")
pytestmark = pytest.mark.browser
require_chromium()  # skips the module without Chromium (fails under CI=true)


@pytest.fixture(scope="module")
def served(provider, tmp_path_factory):
    """(url, env) of an app with single sign-on on a DuckDB file it holds."""
    tmp = tmp_path_factory.mktemp("sso_sessions")
    env = {**os.environ, **build_estate(tmp)}
    port = free_port()
    url = f"http://localhost:{port}"
    (tmp / ".streamlit").mkdir()
    (tmp / ".streamlit" / "secrets.toml").write_text(
        f'[auth]\nredirect_uri = "{url}/oauth2callback"\ncookie_secret = "{"s3cr3t-" * 6}"\n'
        f'client_id = "itam-dashboard"\nclient_secret = "not-checked-by-the-mock"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n'
        '[sso]\nlabel = "Test IdP"\n[sso.scope]\ndepartment = "department"\n'
    )
    log = open(tmp / "server.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "app.py"),
         "--server.port", str(port), "--server.address", "localhost", "--server.headless", "true",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=tmp, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
            break
        except OSError:
            time.sleep(0.3)
    yield url, env
    proc.terminate()
    proc.wait(timeout=20)
    log.close()


def test_a_revoked_sso_session_needs_a_fresh_sign_in(served, browser):
    url, env = served
    page = sign_in(browser, url, CAROL.sub)
    page.get_by_role("button", name="Log out").wait_for(timeout=60_000)
    done = subprocess.run(
        [sys.executable, "-m", "dashboard", "users", "end-sessions", CAROL.sub],
        env=env, capture_output=True, text=True, timeout=120, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"ended 1 session(s) of {CAROL.sub}" in done.stdout
    assert "runs this command" in done.stderr  # handed to the app that holds the file
    page.reload()
    # Not signed in again from Streamlit's identity cookie: it is forgotten (the provider's
    # end-session page), and the app shows its login page.
    page.wait_for_url(re.compile(r".*/oauth2/end_session.*"), timeout=60_000)
    page.goto(url)
    page.get_by_role("button", name="Sign in with Test IdP").wait_for(timeout=60_000)
    assert page.get_by_role("button", name="Log out").count() == 0
    assert [c for c in page.context.cookies() if c["name"] == "itam_session"] == []
    page.close()
    # A fresh sign-in works at once.
    again = sign_in(browser, url, CAROL.sub)
    again.get_by_role("button", name="Log out").wait_for(timeout=60_000)
    again.close()
