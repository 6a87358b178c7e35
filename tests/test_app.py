"""AppTest: every page under every role that may open it, the roles that may not,
scopes, the login form and its throttling, and the cookie-key refusal.

The estate is hand-made (four assets, two people, one contract) so that the
headline values below are computed by hand from metrics.md:
- active_devices: A1, A2 (deployed) and A3 (in stock) = 3; A4 is retired.
- hardware_spend_12m: A1 1,000 (100 days ago) + A2 1,500 (200 days) = 2,500;
  A3 was bought 400 days ago.
- in_stock: A3 = 1. devices_retired_12m: A4 = 1.
- Finance (person p1) sees A1 only: 1 active device, 1,000 spend.
- standard_devices_pct: A1, A2, A3 all meet the standard = 100 % (KPI at_least 97: green).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from dashboard import auth, database, navigation, sessions, store
from tests.app_estate import PASSWORD, USERS, build_estate
from tests.metric_fixtures import A, asset, load

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard" / "app.py")


@pytest.fixture(scope="module")
def estate(tmp_path_factory):
    """A hand-made database and users file; env pointing the app at them."""
    tmp = tmp_path_factory.mktemp("app")
    env = build_estate(tmp)
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    yield tmp
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def open_app(username: str | None, page: str | None = None, **params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    if username:
        at.session_state["authentication_status"] = True
        at.session_state["username"] = username
    at.query_params["as_of"] = A.isoformat()
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    if page:
        at.switch_page(f"../pages/{page}.py")
        at.run()
    return at


def qp(at: AppTest, key: str) -> list[str]:
    value = at.query_params.get(key)
    return value if isinstance(value, list) else [value]


def title(at: AppTest) -> str | None:
    return at.title[0].value if at.title else None


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


TITLES = {
    "scorecard": "Scorecard",
    "cio": "CIO",
    "cfo": "CFO",
    "asset_manager": "Asset manager",
    "technician": "Technician lookup",
    "explore": "Explore",
    "kpi": "KPI detail",
    "users": "Users",
}
MINE = tuple(TITLES)
ALLOWED = [
    (u, p)
    for u, (roles, _) in USERS.items()
    if u != "fin"
    for p in MINE
    if navigation.can_open(roles, p)
]
REFUSED = [
    (u, p)
    for u, (roles, _) in USERS.items()
    if u != "fin"
    for p in MINE
    if not navigation.can_open(roles, p)
]


@pytest.mark.parametrize(("user", "page"), ALLOWED)
def test_every_allowed_page_opens(estate, user, page):
    at = open_app(user, page)
    assert not at.exception, at.exception
    assert title(at) == TITLES[page]


@pytest.mark.parametrize(("user", "page"), REFUSED)
def test_refused_pages_are_not_reachable(estate, user, page):
    at = open_app(user)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(f"../pages/{page}.py")  # not registered for this user
    # Asking for its URL path anyway (what a typed address does) lands on the user's own page.
    at._page_hash = calc_hash(page)
    at.run()
    assert not at.exception
    assert title(at) == TITLES[navigation.landing_page(USERS[user][0])]


@pytest.mark.parametrize(
    ("user", "landing"),
    [
        ("cio1", "CIO"),
        ("cfo1", "CFO"),
        ("am1", "Asset manager"),
        ("tech1", "Technician lookup"),
        ("admin1", "Scorecard"),
        ("fin", "CIO"),
    ],
)
def test_landing_page_by_role(estate, user, landing):
    assert title(open_app(user)) == landing


def test_navigation_lists_only_allowed_pages(estate):
    at = open_app("tech1")
    # The sidebar navigation is built from the pages the role may open.
    pages = at.session_state["_pages_obj"]
    assert set(pages) == {"scorecard", "technician", "subscriptions"}


@pytest.mark.parametrize(
    ("user", "page", "label", "value"),
    [
        ("cio1", None, "Active devices", "3"),
        ("cio1", None, "Devices due for refresh", None),
        ("cfo1", None, "Hardware spend (12 months)", "€2,500"),
        ("am1", None, "In stock", "1"),
        ("admin1", "asset_manager", "Devices retired (12 months)", "1"),
        # scoped to Finance: only A1 (and retired A4)
        ("fin", None, "Active devices", "1"),
        ("fin", "cfo", "Hardware spend (12 months)", "€1,000"),
    ],
)
def test_headline_values(estate, user, page, label, value):
    at = open_app(user, page)
    assert not at.exception, at.exception
    shown = metrics(at)
    if value is None:
        assert label not in shown or shown[label]  # present or not, never an exception
        return
    matches = {k: v for k, v in shown.items() if k.lower() == label.lower()}
    assert matches, sorted(shown)
    assert list(matches.values())[0] == value


def test_scope_hides_metrics_without_the_dimension(estate):
    at = open_app("fin", "cio")
    # vendors_managed carries vendor and product only: a department scope cannot apply.
    shown = metrics(at)
    assert shown.get("Vendors managed") == "not available in your scope"


def test_scope_narrows_filter_options(estate):
    at = open_app("fin", "cfo")
    dept = next(m for m in at.multiselect if m.label == "Department")
    assert dept.options == ["Finance", "(none)"]


def test_filter_from_url_applies_and_is_written_back(estate):
    at = open_app("cio1", department=["Sales"])
    assert metrics(at)["Active devices"] == "2"
    assert qp(at, "department") == ["Sales"]
    assert qp(at, "as_of") == [A.isoformat()]


def test_filter_change_redraws_and_updates_url(estate):
    at = open_app("cio1")
    assert metrics(at)["Active devices"] == "3"
    next(m for m in at.multiselect if m.label == "Department").select("Finance").run()
    assert metrics(at)["Active devices"] == "1"
    assert qp(at, "department") == ["Finance"]


def test_filters_persist_across_pages(estate):
    at = open_app("admin1", "cio", department=["Sales"])
    at.switch_page("../pages/explore.py").run()
    assert qp(at, "department") == ["Sales"]
    assert metrics(at)["Active devices"] == "2"


def test_explore_view_from_url(estate):
    at = open_app("admin1", "explore", metric="hardware_spend_12m", by="department")
    assert not at.exception
    assert metrics(at)["Hardware spend (12 months)"] == "€2,500"
    table = at.dataframe[0].value
    got = dict(zip(table.iloc[:, 0], table.iloc[:, 1], strict=True))
    assert got == {"Sales": 1500.0, "Finance": 1000.0}
    assert qp(at, "metric") == ["hardware_spend_12m"]
    assert qp(at, "by") == ["department"]
    spec = at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    assert spec, "the breakdown chart is drawn"


def test_scorecard_tiles(estate):
    at = open_app("admin1")
    text = markdown(at)
    assert "Standard devices" in text
    assert "100.0 %" in text
    assert ":green[:material/check_circle:] **Standard devices" in text


def test_technician_lookup(estate):
    at = open_app("tech1", q="Pat")
    assert not at.exception, at.exception
    # Pat's one device reads as a card (issue 16), not a one-row table
    assert not at.dataframe
    card = next(m.value for m in at.markdown if m.value.startswith("**A1**"))
    assert card.split("  \n")[:3] == [
        "**A1** · laptop · Dell Latitude",
        ":green[:material/verified:] in warranty",
        "Assigned to: Pat Finance",
    ]


def test_kpi_page_edit_only_for_editors(estate):
    def has_save(at: AppTest) -> bool:
        return any(b.label == "Save" for b in at.button)

    assert has_save(open_app("am1", "kpi"))
    assert not has_save(open_app("cio1", "kpi"))


def test_kpi_change_log_reads_as_words(estate):
    at = open_app("am1", "kpi")
    next(t for t in at.text_input if t.label == "Note").input("agreed with the CFO")
    next(b for b in at.button if b.label == "Save").click()
    at.run()
    assert not at.exception, at.exception
    log = at.dataframe[-1].value
    assert list(log.columns) == ["When", "Who", "Change"]
    assert (log.iloc[0]["Who"], log.iloc[0]["Change"]) == (
        "am1",
        "note: “default (metrics.md)” → “agreed with the CFO”",
    )


# ------------------------------------------------------------------ login


def login(at: AppTest, username: str, password: str) -> AppTest:
    fields = {t.label: t for t in at.text_input}
    fields["Username"].input(username)
    fields["Password"].input(password)
    next(b for b in at.button if b.label == "Log in").click()
    return at.run()


def test_logged_out_sees_only_the_login_form(estate):
    at = open_app(None, metric="active_devices")
    assert title(at) == "Testco · IT asset dashboard"
    assert not at.metric
    assert "Demo mode" not in markdown(at)


def test_login_keeps_the_deep_link_parameters(estate):
    at = open_app(None, department=["Finance"])
    login(at, "CIO1", PASSWORD)  # usernames are case-insensitive
    assert not at.exception, at.exception
    assert title(at) == "CIO"
    assert metrics(at)["Active devices"] == "1"
    assert qp(at, "department") == ["Finance"]


def test_wrong_password_then_throttled(estate, monkeypatch):
    # 30 s after the third failure (not 1 s), so the slow test machine cannot outwait it.
    policy = sessions.Policy(free=3, cap_s=60, forget=dt.timedelta(hours=1), base_s=30)
    monkeypatch.setattr(sessions, "USER_POLICY", policy)
    at = open_app(None)
    for _ in range(policy.free):
        login(at, "cfo1", "wrong-password")
        assert any("Wrong username or password" in e.value for e in at.error)
    assert any("Next attempt possible in 30 s" in e.value for e in at.error)
    login(at, "cfo1", PASSWORD)  # right password, but too soon after the failures
    assert any("Too many failed attempts" in e.value for e in at.error)
    assert title(at) != "CFO"
    engine = database.get_engine()
    assert sessions.checks_made(engine, "cfo1") == 3  # the refused attempt checked nothing
    assert sessions.unlock(engine, "cfo1")
    sessions.unlock(engine, "", key=sessions.address_key(None))
    login(at, "cfo1", PASSWORD)
    assert title(at) == "CFO"


@pytest.mark.parametrize(
    ("key", "why"),
    [
        ("short-key", "bytes long"),
        ("replace-me-with-a-random-string-of-at-least-32-bytes", "example"),
    ],
)
def test_refuses_to_start_with_a_weak_cookie_key(estate, monkeypatch, key, why):
    monkeypatch.setenv("ITAM_COOKIE_KEY", key)
    at = open_app(None)
    assert at.error and "cannot start" in at.error[0].value and why in at.error[0].value
    assert not at.text_input  # no login form


def test_demo_mode_shows_demo_credentials_and_accepts_them(tmp_path, monkeypatch):
    db = tmp_path / "demo.duckdb"
    engine = database.get_engine(db)
    load(engine, assets=[asset("A1")])
    store.set_setting(engine, "demo_mode", "true")
    store.mark_data_changed(engine, dt.datetime(2026, 6, 30, 8, 0))
    database.dispose(db)
    monkeypatch.setenv("DATABASE_URL", f"duckdb:///{db}")
    monkeypatch.setenv("ITAM_AUTH_FILE", str(tmp_path / "auth.yaml"))
    monkeypatch.setenv("ITAM_COOKIE_KEY", "")
    monkeypatch.setenv("ITAM_DAILY_SNAPSHOT", "0")
    at = open_app(None)
    assert "Demo mode" in markdown(at) or any("Demo mode" in i.value for i in at.info)
    table = at.table[0].value
    assert list(table["Username"]) == [u for u, *_ in auth.DEMO_USERS]
    login(at, "tech", "demo-tech")
    assert title(at) == "Technician lookup"
    # A real user ends demo mode: the demo users are no longer accepted.
    config = auth.load_config()
    auth.add_user(config, "real", PASSWORD, ["admin"])
    auth.save_config(config)
    # Outside demo mode the app needs a real cookie key (see the refusal test).
    monkeypatch.setenv("ITAM_COOKIE_KEY", "a-real-key-Jx8Qm3Vz7Rk2Lw9Np4Tb6Hs1")
    at2 = open_app(None)
    assert not at2.table
    login(at2, "tech", "demo-tech")
    assert any("Wrong username or password" in e.value for e in at2.error)
