"""The Subscriptions page (AppTest): every role opens it, offers what the role may have,
subscribes and unsubscribes; an administrator may act for anyone.

The estate and users are tests/app_estate.py's (users without an email address).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import database, subscriptions
from tests.app_estate import USERS, build_estate
from tests.metric_fixtures import A

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard" / "app.py")


@pytest.fixture(scope="module")
def estate(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("subs_app")
    env = build_estate(tmp)
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    yield env
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def open_page(username: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = username
    at.query_params["as_of"] = A.isoformat()
    at.run()
    at.switch_page("../pages/subscriptions.py")
    at.run()
    return at


def rows(env) -> list[tuple[str, str, str | None, int | None, str | None]]:
    """The subscriptions in the app's database (read through the app's own engine)."""
    engine = database.get_engine(env["DATABASE_URL"])
    return [(s.username, s.what, s.every, s.day, s.at_time) for s in subscriptions.list_all(engine)]


@pytest.mark.parametrize(
    ("user", "offered"),
    [("cio1", ["pack", "digest", "alerts"]), ("cfo1", ["pack", "digest", "alerts"]),
     ("am1", ["pack", "digest", "alerts"]), ("tech1", ["digest"]), ("admin1", ["pack", "digest", "alerts"])],
)  # fmt: skip
def test_every_role_opens_it(estate, user, offered):
    at = open_page(user)
    assert not at.exception, at.exception
    assert at.title[0].value == "Subscriptions"
    assert at.radio(key="subs_what").options == [
        {"pack": "Executive pack (PDF: scorecard, your role pages, breakdowns)",
         "digest": "Page digest (PDF: your landing page's tiles and charts)",
         "alerts": "KPI alerts (a mail when a KPI turns amber or red, or comes back to green)"}[w]
        for w in offered
    ]  # fmt: skip
    # Only an administrator picks the user; the users here have no address: said so.
    assert [s.key for s in at.selectbox if s.key == "subs_user"] == (
        ["subs_user"] if user == "admin1" else []
    )
    assert "has no email address in the users file" in at.warning[0].value


def test_subscribe_and_unsubscribe(estate):
    assert USERS["cfo1"][0] == ["cfo"]
    at = open_page("cfo1")
    assert "No subscriptions yet" in "\n".join(i.value for i in at.info)
    at.radio(key="subs_what").set_value("pack").run()
    at.selectbox(key="subs_every").set_value("monthly").run()
    at.selectbox(key="subs_monthday").set_value(15).run()
    at.button(key="subs_add").click().run()
    assert not at.exception, at.exception
    assert at.success[0].value == "Subscribed to the executive pack, monthly on day 15 at 07:00."
    assert rows(estate) == [("cfo1", "pack", "monthly", 15, "07:00")]
    table = at.dataframe[0].value
    assert list(table[["What", "When", "Last mail"]].itertuples(index=False, name=None)) == [
        ("Executive pack", "monthly on day 15 at 07:00", "nothing sent yet")
    ]
    # The same again is refused with the reason.
    at.button(key="subs_add").click().run()
    assert "cfo1 already has this subscription" in at.error[0].value
    at.radio(key="subs_what").set_value("alerts").run()
    at.button(key="subs_add").click().run()
    assert rows(estate)[-1] == ("cfo1", "alerts", None, None, None)
    engine = database.get_engine(estate["DATABASE_URL"])
    pack = next(s.id for s in subscriptions.list_all(engine, "cfo1") if s.what == "pack")
    assert list(table.columns) == ["What", "When", "Last mail", "Since"]  # worded, no ids
    at.selectbox(key="subs_remove_pick").set_value(pack)
    at.button[[b.label for b in at.button].index("Unsubscribe")].click().run()
    assert (
        at.success[0].value == "Unsubscribed from the executive pack (monthly on day 15 at 07:00)."
    )
    assert rows(estate) == [("cfo1", "alerts", None, None, None)]


def test_admin_subscribes_someone_else(estate):
    at = open_page("admin1")
    at.selectbox(key="subs_user").set_value("tech1").run()
    assert at.radio(key="subs_what").options == [
        "Page digest (PDF: your landing page's tiles and charts)"
    ]
    at.selectbox(key="subs_every").set_value("weekly").run()
    at.selectbox(key="subs_weekday").set_value("Friday").run()
    at.button(key="subs_add").click().run()
    assert not at.exception, at.exception
    assert ("tech1", "digest", "weekly", 4, "07:00") in rows(estate)
    # The administrator's overview lists everyone's, with the user.
    everyone = [d.value for d in at.dataframe if "User" in d.value.columns][0]
    assert ("tech1", "Page digest", "weekly on Friday at 07:00") in list(
        everyone[["User", "What", "When"]].itertuples(index=False, name=None)
    )


def open_at(username: str, page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = username
    at.query_params["as_of"] = A.isoformat()
    at.run()
    at.switch_page(f"../pages/{page}.py")
    at.run()
    return at


@pytest.mark.parametrize(
    ("user", "page", "buttons"),
    [
        ("cfo1", "scorecard", ["Download the executive pack (.xlsx)", "Download PDF"]),
        ("fin", "scorecard", ["Download the executive pack (.xlsx)", "Download PDF"]),
        ("tech1", "scorecard", []),  # a technician gets no pack
        ("cfo1", "cfo", ["Download PDF"]),
        ("cio1", "cfo", ["Download PDF"]),
    ],
)
def test_download_pdf_buttons(estate, user, page, buttons):
    at = open_at(user, page)
    assert not at.exception, at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert [
        lab for lab in labels if lab in ("Download the executive pack (.xlsx)", "Download PDF")
    ] == buttons
