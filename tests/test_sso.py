"""Single sign-on end to end: a real OIDC provider in-process, the app, Chromium.

oidc-provider-mock serves discovery, authorize, token and userinfo on a free
port; the app is configured through .streamlit/secrets.toml exactly as the
README says. A user whose ID token lists the group itam-cfo lands on the CFO
page with the scope of their department claim, through a server-side session
like a local login; a user with no mapped group sees a clear refusal. The
claim mapping itself is a table test.
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

from dashboard import auth, oidc
from tests.app_estate import build_estate
from tests.browser_support import free_port, require_chromium, settle
from tests.sso_support import CAROL, DAVE, sign_in

ROOT = Path(__file__).resolve().parent.parent
pytest.importorskip("oidc_provider_mock")
pytestmark = pytest.mark.browser
require_chromium()  # skips the module without Chromium (fails under CI=true)


@pytest.fixture(scope="module")
def app(provider, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sso")
    env = {**os.environ, **build_estate(tmp)}
    port = free_port()
    url = f"http://localhost:{port}"
    (tmp / ".streamlit").mkdir()
    (tmp / ".streamlit" / "secrets.toml").write_text(
        f"""[auth]
redirect_uri = "{url}/oauth2callback"
cookie_secret = "{"s3cr3t-" * 6}"
client_id = "itam-dashboard"
client_secret = "not-checked-by-the-mock"
server_metadata_url = "{provider}/.well-known/openid-configuration"

[sso]
label = "Test IdP"
[sso.scope]
department = "department"
"""
    )
    log = open(tmp / "server.log", "w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "dashboard" / "app.py"),
            "--server.port",
            str(port),
            "--server.address",
            "localhost",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=tmp,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
            break
        except OSError:
            time.sleep(0.3)
    yield url
    proc.terminate()
    proc.wait(timeout=20)
    log.close()


def test_cfo_group_lands_on_the_cfo_page_with_the_department_scope(app, browser):
    page = sign_in(browser, app, CAROL.sub)
    page.get_by_role("button", name="Log out").wait_for(timeout=60_000)
    settle(page)
    assert page.locator("h1").first.inner_text().strip() == "CFO"
    sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
    assert "Carol Finance" in sidebar
    assert "department = Finance" in sidebar
    page.close()


def test_no_mapped_group_is_refused(app, browser):
    page = sign_in(browser, app, DAVE.sub)
    refusal = page.get_by_text("none of your groups (marketing) gives access to this dashboard")
    refusal.wait_for(timeout=60_000)
    assert page.get_by_role("button", name="Log out").count() == 0
    assert page.get_by_role("button", name="Sign out of single sign-on").is_visible()
    page.close()


SETTINGS = oidc.Settings(scope={"department": "department", "site": "location"})


@pytest.mark.parametrize(
    "claims, roles, scope",
    [
        ({"email": "A@x.org", "groups": ["itam-cfo"]}, ("cfo",), {}),
        ({"email": "a@x.org", "groups": "itam-admin, itam-cio"}, ("cio", "admin"), {}),
        (
            {
                "email": "a@x.org",
                "groups": ["ITAM-Technician"],
                "department": "Sales",
                "site": ["Oslo", "Paris"],
            },
            ("technician",),
            {"department": ["Sales"], "location": ["Oslo", "Paris"]},
        ),
        ({"sub": "u1", "groups": ["itam-asset-manager", "other"]}, ("asset_manager",), {}),
    ],
)
def test_claims_to_user(claims, roles, scope):
    user = oidc.user_from_claims(claims, SETTINGS)
    assert (user.roles, user.scope) == (roles, scope)
    assert user.username == (claims.get("email") or claims["sub"]).lower()


@pytest.mark.parametrize("groups", [None, [], ["itam-cfox"], "marketing sales"])
def test_unmapped_groups_are_refused(groups):
    with pytest.raises(oidc.Refused, match="gives access to this dashboard"):
        oidc.user_from_claims({"email": "z@x.org", "groups": groups}, SETTINGS)


def test_settings_need_the_whole_auth_table():
    full = {k: "x" for k in oidc.AUTH_KEYS}
    assert oidc.settings_from({"auth": full}) == oidc.Settings()
    assert oidc.settings_from({"auth": {**full, "client_secret": ""}}) is None
    assert oidc.settings_from({}) is None
    with pytest.raises(ValueError, match="unknown roles: boss"):
        oidc.settings_from({"auth": full, "sso": {"roles": {"g": "boss"}}})
    assert set(oidc.DEFAULT_ROLES.values()) == set(auth.ROLES)


def test_logout_ends_the_sso_session(app, browser):
    """Log out: the server-side session is revoked and the provider's identity forgotten here,
    so coming back shows the login page, not the CFO page."""
    page = sign_in(browser, app, CAROL.sub)
    page.get_by_role("button", name="Log out").click(timeout=60_000)
    # Streamlit forgets the identity and sends the browser to the provider's end-session page.
    page.wait_for_url(re.compile(r".*/oauth2/end_session.*"), timeout=60_000)
    page.goto(app)
    page.get_by_role("button", name="Sign in with Test IdP").wait_for(timeout=60_000)
    assert page.get_by_role("button", name="Log out").count() == 0
    page.close()
