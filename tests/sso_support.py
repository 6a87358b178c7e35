"""What the single sign-on tests share: an OIDC provider in-process and its users.

oidc-provider-mock serves discovery, authorize, token and userinfo on a free port
(fixture `provider`, through tests/conftest.py); `sign_in` clicks through it in
Chromium. Without the package the tests that use the provider skip.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.browser_support import free_port, settle

try:
    import oidc_provider_mock as mock
except ImportError:  # the tests that need it skip (fixture `provider`)
    mock = None


def _user(sub: str, claims: dict):
    return mock.User(sub=sub, claims=claims) if mock else SimpleNamespace(sub=sub, claims=claims)


CAROL = _user(
    "carol@corp.example",
    {
        "email": "carol@corp.example",
        "name": "Carol Finance",
        "groups": ["staff", "itam-cfo"],
        "department": "Finance",
    },
)
DAVE = _user(
    "dave@corp.example", {"email": "dave@corp.example", "name": "Dave", "groups": ["marketing"]}
)


@pytest.fixture(scope="module")
def provider():
    """The URL of an OIDC provider that knows CAROL and DAVE (one click signs in)."""
    if mock is None:
        pytest.skip("oidc-provider-mock is not installed (pip install -r requirements-dev.txt)")
    with mock.run_server_in_thread(port=free_port(), user_claims=[CAROL, DAVE]) as server:
        yield f"http://localhost:{server.server_port}"


def sign_in(browser, app: str, sub: str):
    """A new page of `app`, signed in at the provider as `sub`."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(app)
    page.get_by_role("button", name="Sign in with Test IdP").click(timeout=60_000)
    page.get_by_role("button", name=sub).click(timeout=30_000)  # the provider's one-click user
    page.wait_for_url(f"{app}/**", timeout=30_000)
    settle(page)
    return page
