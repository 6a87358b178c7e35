"""The Data page in an organisation's first hour (issue 11): leaving the demo with an admin
account of one's own, values to map, the date-order question, the organisation's settings."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import auth, database, demo, store, valuemaps
from dashboard.ui.widgets import plain
from tests.app_estate import KEY
from tests.test_data_page import APP, count, frames, open_page, upload

AS_OF = dt.date(2026, 6, 30)
OWN = (
    b"Asset Tag,Category,Status,Purchase Date\n"
    b"X1,Laptops,Active,10/1/22\n"
    b"X2,Laptops,Spare,12/15/22\n"
    b"X3,Phones,Active,1/23/23\n"
)


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory):
    """The small demo and its demo users, built once per module (seconds: the generator and
    bcrypt); each test gets a copy (`demo_db`)."""
    folder = tmp_path_factory.mktemp("demo")
    db = folder / "demo.duckdb"
    engine = database.get_engine(db)
    demo.small_demo(engine, AS_OF)
    database.dispose(db)
    auth.sync_demo_users(True, folder / "auth.yaml")
    return folder


@pytest.fixture
def demo_db(demo_template, tmp_path, monkeypatch):
    shutil.copytree(demo_template, tmp_path, dirs_exist_ok=True)
    db = tmp_path / "demo.duckdb"
    monkeypatch.setenv("DATABASE_URL", f"duckdb:///{db}")
    monkeypatch.setenv("ITAM_AUTH_FILE", str(tmp_path / "auth.yaml"))
    monkeypatch.setenv("ITAM_COOKIE_KEY", KEY)
    monkeypatch.setenv("ITAM_DAILY_SNAPSHOT", "0")
    return db


def _open_as_demo_admin() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = "admin"
    at.run()
    at.switch_page("../pages/data.py")
    at.run()
    return at


def test_leaving_the_demo_with_an_admin_account_of_ones_own(demo_db):
    assert count(demo_db, "SELECT count(*) FROM assets") > 100
    at = _open_as_demo_admin()
    assert any("You are looking at the demo" in i.value for i in at.info)
    # The demo is generated, not imported: the header and the empty history say so.
    assert any("demo data built" in c.value for c in at.caption)
    assert not any("data imported" in c.value for c in at.caption)
    assert any("what you see is the generated demo estate" in i.value for i in at.info)
    data = b"asset_tag,category,status\nZ1,laptop,in_stock\nZ2,server,deployed\nZ3,phone,deployed\n"
    at.file_uploader(key="data_upload").set_value(("assets.csv", data, "text/csv"))
    at.run()
    assert not at.exception, at.exception
    assert any("this import replaces all of it" in w.value for w in at.warning)
    confirm = at.button(key="data_confirm")
    assert confirm.label == "Confirm: replace the demo with this data" and confirm.disabled
    for key, value in {
        "first_admin_name": "Robin Owner", "first_admin_email": "robin@example.org",
        "first_admin_username": "robin", "first_admin_password": "a-long-secret",
        "first_admin_repeat": "a-long-secret", "first_org": "Example Ltd", "first_currency": "gbp",
    }.items():  # fmt: skip
        at.text_input(key=key).set_value(value)
    at.run()
    assert not at.button(key="data_confirm").disabled
    at.button(key="data_confirm").click()
    at.run()
    assert not at.exception, at.exception
    assert count(demo_db, "SELECT count(*) FROM assets") == 3
    assert count(demo_db, "SELECT count(*) FROM people") == 0
    engine = database.get_engine(demo_db)
    assert store.get_setting(engine, "organisation") == "Example Ltd"
    assert store.get_setting(engine, "currency") == "GBP"
    assert store.get_setting(engine, "demo_mode") == "false"
    users = auth.load_config()["credentials"]["usernames"]
    assert list(users) == ["robin"] and users["robin"]["roles"] == ["admin"]
    assert auth.check_password("a-long-secret", users["robin"]["password"])
    assert at.session_state["_user"].username == "robin"  # logged in as the new admin
    assert any("Welcome, Robin Owner" in s.value for s in at.success)
    assert any("data imported" in c.value for c in at.caption)  # now a real import


def test_values_to_map_and_the_date_question(demo_db):
    # leave the demo first (a real estate), then upload a file in the organisation's own words
    engine = database.get_engine(demo_db)
    store.set_setting(engine, "demo_mode", "false")
    config = auth.load_config()
    auth.add_user(config, "am", "a-long-secret", ["asset_manager"])
    auth.save_config(config)
    at = upload(open_page("am", "data"), "assets.csv", OWN)
    assert not at.exception, at.exception
    labels = [s.label for s in at.selectbox if s.key and s.key.startswith("data_pick_")]
    assert labels == ["Laptops (2 rows)", "Phones (1 row)", "Active (2 rows)", "Spare (1 row)"]
    at.selectbox(key="data_pick_Category_Laptops").set_value("laptop")
    at.selectbox(key="data_pick_Category_Phones").set_value("phone")
    at.selectbox(key="data_pick_Status_Active").set_value("deployed")
    at.selectbox(key="data_pick_Status_Spare").set_value("in_stock")
    at.button[[b.label for b in at.button].index("Use these values")].click()
    at.run()
    assert not at.exception, at.exception
    assert frames(at)[0].to_dict("records") == [
        {"table": "assets", "to insert": 3, "to update": 0, "unchanged": 0}
    ]
    assert any(
        plain("dates read month-first (a value like 12/15/22 settles it)") in w.value
        for w in at.info  # notes from the data are drawn as plain text (escaped markdown)
    )
    at.button(key="data_confirm").click()
    at.run()
    assert (
        count(
            demo_db, "SELECT count(*) FROM assets WHERE asset_tag LIKE 'X%' AND category = 'laptop'"
        )
        == 2
    )
    # the choices are kept for this format and used again next time
    assert valuemaps.saved(engine, "package")["category"] == {
        "laptops": "laptop",
        "phones": "phone",
    }


def test_the_date_question_is_answered_in_the_page(demo_db):
    engine = database.get_engine(demo_db)
    store.set_setting(engine, "demo_mode", "false")
    config = auth.load_config()
    auth.add_user(config, "am", "a-long-secret", ["asset_manager"])
    auth.save_config(config)
    data = b"asset_tag,category,status,purchase_date\nQ1,laptop,deployed,01/02/2026\n"
    at = upload(open_page("am", "data"), "assets.csv", data)
    assert any("is 01/02/2026 month-first or day-first?" in i.value for i in at.info)
    at.radio(key="data_date_order_pick").set_value("dmy")
    at.run()
    at.run()
    assert not at.exception, at.exception
    at.button(key="data_confirm").click()
    at.run()
    assert count(
        demo_db, "SELECT CAST(purchase_date AS VARCHAR) FROM assets WHERE asset_tag = 'Q1'"
    ) == ("2026-02-01")


def test_organisation_settings_in_the_page(demo_db):
    engine = database.get_engine(demo_db)
    store.set_setting(engine, "demo_mode", "false")
    config = auth.load_config()
    auth.add_user(config, "boss", "a-long-secret", ["admin"])
    auth.save_config(config)
    at = open_page("boss", "data")
    at.text_input(key="setting_organisation").set_value("Acme Ltd")
    at.text_input(key="setting_currency").set_value("dollars")
    at.button[[b.label for b in at.button].index("Save settings")].click()
    at.run()
    assert any("not a currency code" in e.value for e in at.error)
    assert store.get_setting(engine, "organisation") != "Acme Ltd"  # nothing saved from a bad form
    at.text_input(key="setting_currency").set_value("usd")
    at.button[[b.label for b in at.button].index("Save settings")].click()
    at.run()
    assert (store.get_setting(engine, "organisation"), store.get_setting(engine, "currency")) == (
        "Acme Ltd",
        "USD",
    )
    # The fiscal month is a list of months (stored as its number), not a text field.
    month = at.selectbox(key="setting_fiscal_year_start_month")
    assert month.value == "1" and month.format_func("4") == "April" and len(month.options) == 12
    month.set_value("4")
    at.button[[b.label for b in at.button].index("Save settings")].click()
    at.run()
    assert store.get_setting(engine, "fiscal_year_start_month") == "4"
    assert at.selectbox(key="setting_fiscal_year_start_month").value == "4"


def test_vendor_table_in_the_page(demo_db):
    engine = database.get_engine(demo_db)
    store.set_setting(engine, "demo_mode", "false")
    config = auth.load_config()
    auth.add_user(config, "boss", "a-long-secret", ["admin"])
    auth.save_config(config)
    at = open_page("boss", "data")
    assert not at.exception, at.exception
    at.button(key="vendor_save").click()
    at.run()
    assert any("Saved: 0 of your own entries" in s.value for s in at.success)
    data = b"asset_tag,category,status,manufacturer\nV1,laptop,deployed,DELL INC\n"
    at = upload(at, "assets.csv", data)
    assert any(plain("'DELL INC' → Dell (1)") in w.value for w in at.info)
    at.button(key="data_confirm").click()
    at.run()
    assert count(demo_db, "SELECT manufacturer FROM assets WHERE asset_tag = 'V1'") == "Dell"
    at.run()
    table = frames(at)[-1]
    assert table.to_dict("records") == [  # worded headers (widgets.table, issue 16)
        {
            "Table": "assets",
            "Column": "manufacturer",
            "As written": "DELL INC",
            "Vendor": "Dell",
            "Rows": 1,
        }
    ]
