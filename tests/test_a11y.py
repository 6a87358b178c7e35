"""Accessibility basics (issue 16, item 7): axe-core in headless Chromium on every page an
administrator can open, and on the technician's page, with no serious or critical violation.

Streamlit's own sidebar navigation is left out of the check: its markup (a `ul` holding `div`
section headers) breaks axe's `list`/`listitem` rules and is not ours to change; the browser
tests click links inside it, so it stays (docs/decisions.md, issue 16).
"""

from __future__ import annotations

import os
import shutil

import pytest

from dashboard import navigation
from tests.app_estate import build_estate
from tests.browser_support import ROOT, app_server, login, require_chromium, settle
from tests.metric_fixtures import A

axe_playwright = pytest.importorskip("axe_playwright_python.sync_playwright")

pytestmark = pytest.mark.browser
require_chromium()  # skips the module without Chromium (fails under CI=true)

SERIOUS = {"serious", "critical"}
# Streamlit's navigation list; everything else on the page is checked.
CONTEXT = {"exclude": [['[data-testid="stSidebarNav"]']]}
ADMIN_PAGES = [p.key for p in navigation.PAGES if "admin" in p.roles]


def serious_violations(page) -> list[str]:
    """One line per serious or critical axe violation: rule, impact and the first targets."""
    results = axe_playwright.Axe().run(
        page, context=CONTEXT, options={"resultTypes": ["violations"]}
    )
    lines = []
    for v in results.response["violations"]:
        if v["impact"] in SERIOUS:
            targets = [", ".join(map(str, n["target"])) for n in v["nodes"][:3]]
            why = v["nodes"][0].get("failureSummary", "").replace("\n", " ")
            lines.append(
                f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes): {v['help']} at {targets}: {why}"
            )
    return lines


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app on the hand-made estate, run with the repository's .streamlit/config.toml (the
    theme's text colour is what makes captions readable, so it must be the one checked)."""
    tmp = tmp_path_factory.mktemp("a11y")
    (tmp / ".streamlit").mkdir()
    shutil.copy(ROOT / ".streamlit" / "config.toml", tmp / ".streamlit" / "config.toml")
    env = {**os.environ, **build_estate(tmp)}
    with app_server(tmp, env) as url:
        yield url


@pytest.fixture(scope="module")
def admin_page(server, browser):
    page = login(browser, server, "admin1", f"?as_of={A.isoformat()}")
    yield page
    page.close()


def test_admin_pages_listed():
    """Every page of the registry an administrator opens is checked (the list is not empty)."""
    assert {"scorecard", "cio", "cfo", "explore", "data", "users"} <= set(ADMIN_PAGES)


@pytest.mark.parametrize("key", ADMIN_PAGES)
def test_page_has_no_serious_violation(server, admin_page, key):
    admin_page.goto(f"{server}/{key}?as_of={A.isoformat()}")
    settle(admin_page)
    assert admin_page.locator("h1").first.inner_text().strip()  # the page drew, not an error
    assert not admin_page.locator('[data-testid="stException"]').count()
    assert serious_violations(admin_page) == []


def test_technician_page_has_no_serious_violation(server, browser):
    page = login(browser, server, "tech1", f"technician?as_of={A.isoformat()}&q=A1")
    try:
        page.get_by_text("Equipment — ").first.wait_for(timeout=60_000)  # a search with its table
        assert serious_violations(page) == []
    finally:
        page.close()
