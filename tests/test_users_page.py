"""The admin's Users page: sessions and login delays per user, unlock, ending sessions on
changes, and the audit log (AppTest on the hand-made estate of tests/app_estate.py)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import audit, auth, database, sessions, store
from tests.app_estate import PASSWORD
from tests.metric_fixtures import A

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")


@pytest.fixture
def estate(estate):
    """conftest's copy of the hand-made estate (built once per module); its folder."""
    return (
        estate.parent
    )  # left open, like test_app's: the app's background threads may still read it


def users_page(token: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["_session_token"] = token
    at.query_params["as_of"] = A.isoformat()
    at.run()
    at.switch_page("../pages/users.py").run()
    assert not at.exception, at.exception
    return at


def table(at: AppTest, index: int):
    return at.dataframe[index].value


def test_sessions_delays_unlock_and_the_audit_log(estate):
    engine = database.get_engine()
    config = auth.load_config()
    for _ in range(3):
        assert "Wrong" in login_message(engine, config, "cfo1", "not-it")
    cio_token = sessions.create_session(engine, "cio1")
    admin = sessions.create_session(engine, "admin1")
    at = users_page(admin)
    users = table(at, 0).set_index("username")
    assert users.loc["cio1", "sessions"] == 1 and users.loc["admin1", "sessions"] == 1
    assert users.loc["cfo1", "login delay"].startswith("3 failed")  # the 1 s wait may be over
    addresses = table(at, 1)  # the attempts came without an address: "local"
    assert addresses.to_dict("records")[0]["address"] == "local"
    assert addresses.to_dict("records")[0]["failed logins"] == 3
    log = table(at, 2)
    assert list(log["What"])[:4] == [
        "locked out (delay)",
        "failed login",
        "failed login",
        "failed login",
    ]
    # Unlock cfo1.
    at.selectbox(key="users_pick").select("cfo1").run()
    next(b for b in at.button if b.label == "Unlock cfo1").click().run()
    assert sessions.locked_users(engine) == {}
    assert (
        audit.recent(engine)[0]["action"] == "unlocked"
        and audit.recent(engine)[0]["by"] == "admin1"
    )
    # Unlock the address.
    assert at.selectbox(key="unlock_address_pick").value == "local"
    at.button(key="unlock_address").click().run()
    assert not at.exception, at.exception
    assert sessions.locked_addresses(engine) == {}
    top = audit.recent(engine)[0]
    assert (top["action"], top["by"]) == ("unlocked", "admin1") and "ip: local" in top["detail"]
    assert not [s for s in at.subheader if s.value == "Addresses with a login delay"]
    # New roles for cio1: their session ends.
    at.selectbox(key="users_pick").select("cio1").run()
    edit_roles = [m for m in at.multiselect if m.label == "Roles"][-1]  # the edit form's, not "Add"
    assert edit_roles.value == ["cio"]
    edit_roles.set_value(["cfo"])
    next(b for b in at.button if b.label == "Save changes").click().run()
    assert not at.exception, at.exception
    assert sessions.resolve_session(engine, cio_token) is None
    top = audit.recent(engine)[0]
    assert (top["action"], top["user"], top["by"]) == ("roles changed", "cio1", "admin1")
    assert "roles: cfo" in top["detail"] and "sessions_ended: 1" in top["detail"]


def login_message(engine, config, username: str, password: str) -> str:
    from dashboard import login

    return login.attempt(engine, config, username, password).message or ""


def test_empty_audit_log_says_what_will_appear(estate):
    engine = database.get_engine()
    at = users_page(sessions.create_session(engine, "admin1"))
    assert any("Nothing recorded yet" in i.value for i in at.info)


def test_a_timed_out_session_shows_the_login_form(estate):
    engine = database.get_engine()
    store.set_setting(engine, "session_idle_hours", "1")
    token = sessions.create_session(
        engine, "admin1", now=sessions.now_utc() - dt.timedelta(hours=2)
    )
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["_session_token"] = token
    at.run()
    assert any(b.label == "Log in" for b in at.button)
    assert not any(b.label == "Log out" for b in at.button)


def test_logout_ends_the_session_in_the_database(estate):
    engine = database.get_engine()
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["as_of"] = A.isoformat()
    at.run()
    fields = {t.label: t for t in at.text_input}
    fields["Username"].input("cio1")
    fields["Password"].input(PASSWORD)
    next(b for b in at.button if b.label == "Log in").click().run()
    token = at.session_state["_session_token"]
    assert sessions.resolve_session(engine, token) == "cio1"
    next(b for b in at.button if b.label == "Log out").click().run()
    assert sessions.resolve_session(engine, token) is None
    assert any(b.label == "Log in" for b in at.button)
    assert [r["action"] for r in audit.recent(engine)][:2] == ["logged out", "logged in"]
    assert os.environ["ITAM_AUTH_FILE"].startswith(str(estate))
