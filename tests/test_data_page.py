"""AppTest: the Data and Estimates pages (upload, preview, confirm, errors, replace
confirmation, mapping profiles, history) and the Scorecard's executive-pack button.

Each test gets its own copy (fixture `estate` of tests/conftest.py) of the hand-made
estate of tests/app_estate.py (four assets A1-A4, two people), built once per module,
so imports in one test do not change another's data.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from dashboard import database, estimates
from dashboard.ui.widgets import plain
from metrics import materialize
from tests.metric_fixtures import A

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard" / "app.py")
PRESETS = Path(__file__).parent / "data" / "presets"


def open_page(username: str, page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = username
    at.query_params["as_of"] = A.isoformat()
    at.run()
    at.switch_page(f"../pages/{page}.py")
    at.run()
    return at


def count(db: Path, sql: str):
    engine = database.get_engine(db)
    with engine.connect() as conn:
        return conn.execute(text(sql)).scalar_one()


def frames(at: AppTest) -> list[pd.DataFrame]:
    return [d.value for d in at.dataframe]


def upload(at: AppTest, name: str, data: bytes, fmt: str = "package") -> AppTest:
    at.selectbox(key="data_format").set_value(fmt)
    at.run()
    at.file_uploader(key="data_upload").set_value((name, data, "text/csv"))
    at.run()
    return at


@pytest.mark.parametrize(
    ("user", "opens"),
    [("am1", True), ("admin1", True), ("cio1", False), ("cfo1", False), ("tech1", False)],
)
def test_who_may_open_the_data_page(estate, user, opens):
    if opens:
        at = open_page(user, "data")
        assert not at.exception and at.title[0].value == "Data"
    else:
        at = AppTest.from_file(APP, default_timeout=120)
        at.session_state["authentication_status"] = True
        at.session_state["username"] = user
        at.run()
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page("../pages/data.py")


def test_snipeit_preview_then_confirm(estate):
    at = upload(
        open_page("am1", "data"),
        "snipeit_assets.csv",
        (PRESETS / "snipeit_assets.csv").read_bytes(),
        "snipeit",
    )
    assert not at.exception, at.exception
    preview = frames(at)[0]
    assert preview.to_dict("records") == [
        {"table": "assets", "to insert": 10, "to update": 0, "unchanged": 0},
        {"table": "people", "to insert": 2, "to update": 0, "unchanged": 0},
    ]
    assert count(estate, "SELECT count(*) FROM assets") == 4  # a preview writes nothing
    at.button(key="data_confirm").click()
    at.run()
    assert not at.exception, at.exception
    shown = f"Imported {plain('snipeit_assets.csv')}: 12 row(s)"  # the file name as text
    assert any(shown in s.value for s in at.success)
    assert count(estate, "SELECT count(*) FROM assets") == 14
    assert count(estate, "SELECT count(*) FROM people") == 4
    # the import prepared the engine's derived tables for the new data (not the first page)
    with database.get_engine(estate).connect() as conn:
        now, built = materialize._state(conn)
    assert now == built
    # the history tab lists it, by whom
    # the History tab's table (worded headers: widgets.table, issue 16)
    history = next(f for f in frames(at) if "File" in f.columns)
    assert list(history["File"]) == ["snipeit_assets.csv"] and list(history["Who"]) == ["am1"]
    assert list(history["Inserted"]) == [12]


def test_errors_are_a_table_and_nothing_can_be_confirmed(estate):
    bad = b"asset_tag,category,status,purchase_date\nB1,laptop,shiny,2026-01-01\nB2,laptop,deployed,30/06/2026\n"
    at = upload(open_page("admin1", "data"), "assets.csv", bad)
    assert not at.exception, at.exception
    errors = frames(at)[0]
    assert errors[["Sheet", "Row", "Column", "Value"]].values.tolist() == [
        ["assets", 2, "status", "shiny"],
        ["assets", 3, "purchase_date", "30/06/2026"],
    ]
    assert list(errors.columns) == ["Sheet", "Row", "Column", "Value", "Reason"]
    assert not [b for b in at.button if b.key == "data_confirm"]
    assert count(estate, "SELECT count(*) FROM assets") == 4


def test_intune_shows_in_the_metrics(estate):
    at = upload(
        open_page("am1", "data"),
        "intune_devices.csv",
        (PRESETS / "intune_devices.csv").read_bytes(),
        "intune",
    )
    at.button(key="data_confirm").click()
    at.run()
    assert not at.exception, at.exception
    assert count(estate, "SELECT count(*) FROM discovery WHERE source = 'intune'") == 5
    at.switch_page("../pages/asset_manager.py")
    at.run()
    # None of the five Intune devices matches the estate's serials or hostnames: all five are
    # "discovered, not in ITAM" as of A, plus the two deployed assets no tool has seen (A1, A2).
    shown = {m.label: m.value for m in at.metric}
    assert shown["Discovery discrepancies"] == "7"


def test_replace_needs_its_confirmation(estate):
    package = b"asset_tag,category,status\nN1,laptop,in_stock\n"
    at = open_page("am1", "data")
    at.checkbox(key="data_replace").check()
    at.run()
    at = upload(at, "assets.csv", package)
    assert any("needs the confirmation" in w.value for w in at.warning)
    assert at.button(key="data_confirm").label.startswith(
        "Confirm: insert and update"
    )  # not a replace yet
    at.checkbox(key="data_replace_sure").check()
    at.run()
    # the replace preview says what it deletes: the four stored assets A1-A4 (issue 16)
    assert frames(at)[0].to_dict("records") == [
        {
            "table": "assets",
            "to insert": 1,
            "to update": 0,
            "unchanged": 0,
            "existing rows to delete": 4,
        }
    ]
    assert at.button(key="data_confirm").label.startswith("Confirm: replace")
    at.button(key="data_confirm").click()
    at.run()
    assert count(estate, "SELECT count(*) FROM assets") == 1  # replaced: A1-A4 are gone


def test_mapping_step_saves_a_profile(estate):
    data = b"Computer Name,Last Seen,Serial\nPC-1,2026-06-01,S1\n"
    at = upload(open_page("am1", "data"), "sccm.csv", data, "mapping")
    assert not at.exception, at.exception
    at.selectbox(key="map_discovery_0").set_value("hostname")
    at.selectbox(key="map_discovery_1").set_value("seen_date")
    at.text_input(key="map_constants").input("source=sccm")
    at.text_input(key="map_name").input("sccm")
    at.run()
    assert frames(at)[0].to_dict("records") == [
        {"table": "discovery", "to insert": 1, "to update": 0, "unchanged": 0}
    ]
    at.button(key="map_save").click()
    at.run()
    assert any("Saved the mapping profile" in s.value for s in at.success)
    from dashboard import presets

    saved = presets.get_profile(database.get_engine(estate), "sccm")
    assert saved == presets.Profile(
        "sccm",
        "discovery",
        {"Computer Name": "hostname", "Last Seen": "seen_date", "Serial": "serial"},
        {"source": "sccm"},
    )


# ------------------------------------------------------------------ estimates page


EST = (
    b"line_item,count_metric,filter,estimated_count,count_margin_pct,confidence\n"
    b"Laptops,active_devices,category=laptop,2,0,high\n"
    b"Desktops,active_devices,category=desktop,3,10,low\n"
)


@pytest.mark.parametrize(
    ("user", "edits"), [("am1", True), ("admin1", True), ("cio1", False), ("cfo1", False)]
)
def test_estimates_page_roles(estate, user, edits):
    estimates.import_estimates(
        database.get_engine(estate), EST, "Baseline", date=A, filename="estimates.csv"
    )
    at = open_page(user, "estimates")
    assert not at.exception, at.exception
    assert at.title[0].value == "Estimates"
    assert bool([f for f in at.get("file_uploader")]) is edits
    # A1, A2 are active laptops (2, band 2-2: within); A3 the one active desktop (band 2.7-3.3: outside)
    table = frames(at)[0]
    assert table[["line_item", "actual", "result"]].values.tolist() == [
        ["Laptops", 2.0, "within"],
        ["Desktops", 1.0, "outside"],
    ]


def test_estimates_upload_in_the_page(estate):
    at = open_page("am1", "estimates")
    at.file_uploader(key="est_upload").set_value(("estimates.csv", EST, "text/csv"))
    at.text_input(key="est_name").input("Q3 [draft](http://a.b)")
    at.button[[b.label for b in at.button].index("Check and keep")].click()
    at.run()
    assert not at.exception, at.exception
    # the name is drawn as written, never a link
    assert any(f"Snapshot “{plain('Q3 [draft](http://a.b)')}”" in s.value for s in at.success)
    assert [s["name"] for s in estimates.list_snapshots(database.get_engine(estate))] == [
        "Q3 [draft](http://a.b)"
    ]


def test_estimates_scope(estate):
    estimates.import_estimates(
        database.get_engine(estate), EST, "Baseline", date=A, filename="estimates.csv"
    )
    at = open_page("fin", "estimates")  # scoped to Finance: A1 is its only active laptop
    table = frames(at)[0]
    assert table[["line_item", "actual", "result"]].values.tolist() == [
        ["Laptops", 1.0, "outside"],
        ["Desktops", 0.0, "outside"],
    ]


def test_scorecard_offers_the_executive_pack(estate):
    at = open_page("admin1", "scorecard")
    assert not at.exception, at.exception
    labels = [d.proto.label for d in at.get("download_button")]
    assert "Download the executive pack (.xlsx)" in labels
