"""Value maps, defaults, one pass, leaving the demo and settings (issue 11, items 1-3)."""

from __future__ import annotations

import datetime as dt
import io
import json

import pandas as pd
import pytest
from sqlalchemy import text

from dashboard import auth, database, demo, importer, sessions, settings, store, valuemaps
from dashboard.cli import main
from dashboard.valuemaps import ImportOptions

# An organisation's own words: three category names, one status label, no cost column.
OWN_WORDS = (
    "Asset Tag,Category,Status,Purchase Date\n"
    "A1,Laptops,Active,2026-01-10\n"
    "A2,Laptops,Active,2026-02-11\n"
    "A3,Misc Software,Spare,2026-03-12\n"
    "A4,Mobile Phones,Active,2026-04-13\n"
    "A5,laptop,deployed,2026-05-14\n"
)
VALUES = (
    "column,from,to\n"
    "Category,Laptops,laptop\n"
    "Category,misc software,other\n"
    "Category,Mobile Phones,phone\n"
    "Status,Active,deployed\n"
    "Status,Spare,in_stock\n"
)


def counts(engine, sql: str) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


def test_unmapped_values_are_listed_once_per_column_with_rows(engine):
    result = importer.import_package(
        engine, OWN_WORDS.encode(), filename="assets.csv", dry_run=True
    )
    assert not result.ok
    assert result.unmapped == {
        "Category": {"Laptops": 2, "Misc Software": 1, "Mobile Phones": 1},
        "Status": {"Active": 3, "Spare": 1},
    }
    assert len(result.errors) == 8  # every row's value (4 categories, 4 statuses), one pass


def test_a_value_map_places_them(engine):
    vmap = valuemaps.values_from_frame(pd.read_csv(io.StringIO(VALUES)))
    result = importer.import_package(
        engine, OWN_WORDS.encode(), filename="assets.csv", options=ImportOptions(values=vmap)
    )
    assert result.ok, result.errors
    assert counts(
        engine, "SELECT category, status, count(*) FROM assets GROUP BY ALL ORDER BY ALL"
    ) == [
        ("laptop", "deployed", 3),
        ("other", "in_stock", 1),
        ("phone", "deployed", 1),
    ]


@pytest.mark.parametrize(
    ("csv", "defaults", "expected"),
    [
        # a missing column, named by the package's column
        ("asset_tag,category\nA1,laptop\nA2,server\n", {"status": "in_stock"},
         [("A1", "in_stock"), ("A2", "in_stock")]),
        # a blank cell, named by the file's own header
        ("Asset Tag,category,State\nA1,laptop,\nA2,server,retired\n", {"State": "in_stock"},
         None),  # 'State' is no column of assets: the default names nothing, status is missing
        ("asset_tag,category,Status\nA1,laptop,\nA2,server,retired\n", {"STATUS": "in_stock"},
         [("A1", "in_stock"), ("A2", "retired")]),
    ],
)  # fmt: skip
def test_defaults_fill_missing_or_blank_columns(engine, csv, defaults, expected):
    result = importer.import_package(
        engine, csv.encode(), filename="assets.csv", options=ImportOptions(defaults=defaults)
    )
    if expected is None:
        assert [e["reason"] for e in result.errors] == ["a required column is missing"]
        return
    assert result.ok, result.errors
    assert counts(engine, "SELECT asset_tag, status FROM assets ORDER BY 1") == expected


def test_one_pass_reports_values_keys_duplicates_and_references(engine):
    data = (
        b"asset_tag,category,status,purchase_date,assigned_to\n"
        b"A1,laptop,deployed,2026-13-01,nobody@x.org\n"
        b"A2,spaceship,deployed,,\n"
        b"A1,laptop,deployed,,\n"
        b",laptop,deployed,,\n"
    )
    result = importer.import_package(engine, data, filename="assets.csv")
    assert [(e["row"], e["column"], e["reason"]) for e in result.errors] == [
        (2, "purchase_date", "not a real date"),
        (3, "category", result.errors[1]["reason"]),
        (4, "asset_tag", "duplicate key: the same as row 2"),
        (5, "asset_tag", "a required value is blank"),
    ]
    assert result.errors[1]["reason"].startswith("not one of: laptop")
    assert any("name a assigned_to not in people" in w for w in result.warnings)


def test_values_file_rows_are_checked():
    with pytest.raises(valuemaps.ValueMapError, match=r"values.csv, row 3, column 'from': blank"):
        valuemaps.read_values_file(
            b"column,from,to\nCategory,A,laptop\nCategory,,other\n", "values.csv"
        )
    with pytest.raises(valuemaps.ValueMapError, match="mapped twice"):
        valuemaps.read_values_file(
            b"column,from,to\nStatus,A,deployed\nstatus, a ,retired\n", "v.csv"
        )


# ------------------------------------------------------------------ the CLI


def test_cli_json_lists_every_unmapped_value_and_nothing_else(tmp_path, capsys):
    path = tmp_path / "assets.csv"
    path.write_text(OWN_WORDS)
    db = str(tmp_path / "x.duckdb")
    assert main(["import", str(path), "--db", db, "--dry-run", "--json"]) == 1
    payload = json.loads(capsys.readouterr().out)  # the whole of stdout is one JSON document
    assert payload["unmapped"]["Category"] == {"Laptops": 2, "Misc Software": 1, "Mobile Phones": 1}
    values = tmp_path / "values.csv"
    values.write_text(VALUES)
    assert main(["import", str(path), "--db", db, "--values", str(values), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["ok"] and payload["unmapped"] == {}
    assert payload["tables"]["assets"]["inserted"] == 5


def test_cli_date_order_answers_the_question(tmp_path, capsys):
    path = tmp_path / "assets.csv"
    path.write_text("asset_tag,category,status,purchase_date\nA1,laptop,deployed,01/02/2026\n")
    db = str(tmp_path / "x.duckdb")
    assert main(["import", str(path), "--db", db]) == 1
    assert (
        "question: assets: column 'purchase_date': is 01/02/2026 month-first"
        in capsys.readouterr().out
    )
    assert main(["import", str(path), "--db", db, "--date-order", "dmy"]) == 0
    engine = database.get_engine(db)
    assert counts(engine, "SELECT purchase_date FROM assets") == [(dt.date(2026, 2, 1),)]
    database.dispose(db)


def test_plain_import_into_a_demo_database_replaces_the_demo(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("ITAM_AUTH_FILE", str(tmp_path / "auth.yaml"))
    db = str(tmp_path / "demo.duckdb")
    engine = database.get_engine(db)
    demo.small_demo(engine, dt.date(2026, 6, 30))
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO metric_snapshots VALUES ('2026-05-31', 'asset_count', '', '', 180, now())"
            )
        )
    auth.sync_demo_users(True)
    assert len(auth.load_config()["credentials"]["usernames"]) == 5
    sessions.create_session(engine, "admin")  # the demo admin is logged in somewhere
    before = store.table_counts(engine)
    assert before["assets"] > 100 and before["people"] > 100
    database.dispose(db)
    path = tmp_path / "assets.csv"
    path.write_text("asset_tag,category,status\nX1,laptop,in_stock\nX2,server,deployed\n")
    assert main(["import", str(path), "--db", db, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "Leaving the demo: this database holds the demo estate; importing replaces all of it"
    )
    assert main(["import", str(path), "--db", db]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-3:] == [
        "The demo is replaced by your data; demo users removed (cio, cfo, assets, tech, admin).",
        "No one can log in yet: create your admin account with",
        "  python -m dashboard users add USERNAME --role admin --name 'YOUR NAME' --email "
        f"YOU@EXAMPLE.ORG --db {db}",
    ]
    engine = database.get_engine(db)
    after = store.table_counts(engine)
    assert after["assets"] == 2 and sum(after.values()) == 2  # every other table emptied
    assert counts(engine, "SELECT count(*) FROM metric_snapshots") == [(0,)]
    assert store.get_setting(engine, "demo_mode") == "false"
    assert store.get_setting(engine, "organisation") is None
    assert auth.load_config()["credentials"]["usernames"] == {}
    assert counts(engine, "SELECT username, revoked_at IS NOT NULL FROM login_sessions") == [
        ("admin", True)
    ]
    database.dispose(db)


def test_settings_command(tmp_path, capsys):
    db = str(tmp_path / "x.duckdb")
    assert main(["settings", "list", "--json", "--db", db]) == 0
    listed = json.loads(capsys.readouterr().out)  # the registry's other entries are other helpers'
    assert (listed["organisation"], listed["currency"]) == ("Your organisation", "EUR")
    assert main(["settings", "set", "organisation=  Acme   Ltd ", "currency=usd", "--db", db]) == 0
    lines = [line.split(None, 1) for line in capsys.readouterr().out.splitlines()]
    assert ["organisation", "Acme Ltd"] in lines and ["currency", "USD"] in lines
    assert main(["settings", "set", "currency=dollars", "organisation=B", "--db", db]) == 2
    assert "not a currency code" in capsys.readouterr().err
    engine = database.get_engine(db)
    assert settings.get(engine, "organisation") == "Acme Ltd"  # nothing stored from the refused run
    database.dispose(db)


def test_cli_reuses_the_value_map_saved_for_the_format(tmp_path, capsys):
    path = tmp_path / "assets.csv"
    path.write_text(OWN_WORDS)
    db = str(tmp_path / "x.duckdb")
    engine = database.get_engine(db)
    # what the Data page keeps after an upload whose values were chosen in the preview
    valuemaps.save(engine, "package", valuemaps.values_from_frame(pd.read_csv(io.StringIO(VALUES))))
    database.dispose(db)
    assert main(["import", str(path), "--db", db, "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["tables"]["assets"]["inserted"] == 5
    assert "using the value map saved for package (5 value(s); --values wins)" in captured.err
