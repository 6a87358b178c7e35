"""Import of the data package: values, rules, upsert and replace, atomicity, CLI.

Files are built in the tests (openpyxl, bytes); the helpers here are shared
with test_hostile.py and test_export.py.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import openpyxl
import pandas as pd
import pytest

from dashboard import import_log, importer, schema, store
from dashboard.cli import main
from dashboard.database import raw_cursor
from dashboard.readers import RawSheet, read_package

# ------------------------------------------------------------------ helpers


def xlsx_bytes(sheets: dict[str, list[list]]) -> bytes:
    """A workbook with one sheet per entry (rows as lists; row 1 = header)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def patch_zip(data: bytes, member: str, old: bytes, new: bytes) -> bytes:
    """The same zip with one member's bytes edited (cached formula values, ...)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info)
            if info.filename == member:
                assert old in content
                content = content.replace(old, new)
            dst.writestr(info.filename, content)
    return out.getvalue()


def zip_bytes(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in files.items():
            zf.writestr(name, content)
    return out.getvalue()


def run_import(engine, data: bytes, filename: str, **kw) -> importer.ImportResult:
    return importer.import_package(engine, data, filename=filename, **kw)


def dump(engine) -> dict[str, list[tuple]]:
    """Every package table, rows in key order (compares whole databases)."""
    cur = raw_cursor(engine)
    try:
        out = {}
        for t in schema.TABLES:
            cols = ", ".join(f'"{c}"' for c in t.names)
            out[t.name] = cur.execute(f'SELECT {cols} FROM "{t.name}" ORDER BY "{t.pk}"').fetchall()
        return out
    finally:
        cur.close()


PEOPLE = "person_id,name,department,active\nann@x.org,Ann,IT,yes\nbob@x.org,Bob,Finance,\n"
ASSETS = (
    "asset_tag,category,status,serial,purchase_date,purchase_cost,assigned_to\n"
    "A1,laptop,deployed,S1,2024-01-15,1200.50,ann@x.org\n"
    "A2,monitor,in_stock,,2023-06-30,200,\n"
)


def seed(engine) -> dict:
    """A small valid package in the database; returns its dump."""
    result = run_import(
        engine,
        zip_bytes({"people.csv": PEOPLE.encode(), "assets.csv": ASSETS.encode()}),
        "seed.zip",
    )
    assert result.ok, result.errors
    return dump(engine)


def only_error(result: importer.ImportResult) -> dict:
    assert not result.ok
    assert len(result.errors) == 1, result.errors
    return result.errors[0]


# --------------------------------------------------------------- good files


def test_csv_values_are_normalised(engine):
    data = (
        b"Asset Tag , CATEGORY,Status,Serial,purchase-date,Purchase Cost,Meets Standard,Is Capital,Ownership,notes\n"
        b" A1 ,Laptop,In Stock,,2024-01-15,1e3,Y,TRUE,,'=SUM(A1)\n"
        b"A2,MONITOR,in_repair,S2,,  12.5 ,no,0,Leased,plain\n"
        b",,,,,,,,,\n"
        b"A3,iot,deployed,,,,,,,\n"
    )
    result = run_import(engine, data, "assets.csv")
    assert result.ok, result.errors
    assert result.tables["assets"] == store.Counts(3, 0, 0)
    rows = dump(engine)["assets"]
    a = schema.table("assets").names
    got = [dict(zip(a, r, strict=True)) for r in rows]
    assert [g["asset_tag"] for g in got] == ["A1", "A2", "A3"]
    assert [g["category"] for g in got] == ["laptop", "monitor", "iot"]
    assert [g["status"] for g in got] == ["in_stock", "in_repair", "deployed"]
    assert [g["serial"] for g in got] == [None, "S2", None]
    assert got[0]["purchase_date"] == dt.date(2024, 1, 15)
    assert [g["purchase_cost"] for g in got] == [1000.0, 12.5, None]
    assert [g["meets_standard"] for g in got] == [True, False, True]  # blank = default true
    assert [g["is_capital"] for g in got] == [True, False, False]
    assert [g["ownership"] for g in got] == ["owned", "leased", "owned"]
    assert [g["expected_life_years"] for g in got] == [4.0, 6.0, 5.0]  # by category
    assert got[0]["notes"] == "=SUM(A1)"  # the export's neutralising quote removed


def test_xlsx_typed_cells(engine):
    data = xlsx_bytes(
        {
            "Tickets": [
                ["Ticket ID", "Kind", "Opened", "Resolved", "CSAT", "In Warranty", "Target Hours"],
                [
                    "T1",
                    "Incident",
                    dt.datetime(2025, 4, 7, 10, 48),
                    dt.datetime(2025, 4, 8, 8, 11),
                    5,
                    True,
                    24,
                ],
                ["T2", "rma", "2025-04-07 09:00", None, 3.0, False],
            ],
            "contracts": [
                [
                    "contract_id",
                    "vendor",
                    "kind",
                    "start_date",
                    "end_date",
                    "annual_value",
                    "notice_days",
                ],
                [
                    "C1",
                    "Acme",
                    "SaaS",
                    dt.datetime(2025, 1, 1, 13, 30),
                    dt.date(2025, 12, 31),
                    1000,
                    30,
                ],
            ],
            "cloud_spend": [
                ["month", "provider", "cost"],
                [dt.datetime(2024, 7, 1), "AWS", 10.5],
                ["2024-08", "AWS", 11],
            ],
            "Notes": [["anything"], ["at all"]],
        }
    )
    result = run_import(engine, data, "pkg.xlsx")
    assert result.ok, result.errors
    assert result.warnings == ["unknown sheet or file 'Notes' ignored"]
    db = dump(engine)
    assert db["tickets"][0][:4] == (
        "T1",
        "incident",
        dt.datetime(2025, 4, 7, 10, 48),
        dt.datetime(2025, 4, 8, 8, 11),
    )
    assert db["tickets"][0][8:] == (5, True)
    assert db["tickets"][1][2] == dt.datetime(2025, 4, 7, 9, 0)
    assert db["tickets"][1][8] == 3
    # a datetime cell in a date column gives its date
    assert db["contracts"][0][3:5] == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert [r[0] for r in db["cloud_spend"]] == [dt.date(2024, 7, 1), dt.date(2024, 8, 1)]


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16", b""), ("cp1252", b"")],
)
def test_csv_encodings(engine, encoding, prefix):
    text = "person_id,name,location\np1,Zoë Ørsted,Zürich\n"
    result = run_import(engine, prefix + text.encode(encoding), "people.csv")
    assert result.ok, result.errors
    assert dump(engine)["people"] == [("p1", "Zoë Ørsted", None, None, "Zürich", True)]


def test_semicolon_csv_reads_decimal_comma(engine):
    data = b"asset_tag;category;status;purchase_cost\nA1;laptop;deployed;1200,50\nA2;laptop;deployed;7\n"
    result = run_import(engine, data, "assets.csv")
    assert result.ok, result.errors
    assert [r[15] for r in dump(engine)["assets"]] == [1200.5, 7.0]


def test_quoted_newlines_and_record_numbers(engine):
    data = (
        b'asset_tag,category,status,notes\nA1,laptop,deployed,"two\nlines"\nA2,laptop,brand_new,x\n'
    )
    result = run_import(engine, data, "assets.csv")
    # the record with the newline is row 2; the bad one is record 3, not line 4
    assert result.errors == [
        {
            "sheet": "assets",
            "row": 3,
            "column": "status",
            "value": "brand_new",
            "reason": "not one of: " + ", ".join(schema.STATUSES),
        }
    ]


def test_blank_rows_keep_spreadsheet_numbers(engine):
    data = xlsx_bytes(
        {
            "assets": [
                ["asset_tag", "category", "status"],
                ["A1", "laptop", "deployed"],
                [],
                [None, "  ", None],
                ["A2", "laptop", "nope"],
            ]
        }
    )
    result = run_import(engine, data, "pkg.xlsx")
    assert [(e["row"], e["column"], e["value"]) for e in result.errors] == [(5, "status", "nope")]


@pytest.mark.parametrize(
    "data",
    [
        b"asset_tag,category,status\nA1,laptop,deployed\n\n,,\nA2,laptop,nope\n",  # blank line: careful parser
        b"asset_tag,category,status\nA1,laptop,deployed\n , , \n,,\nA2,laptop,nope\n",  # blank cells: fast parser
        b"asset_tag,category,status\nA1,laptop,deployed\nA9\n,,\nA2,laptop,nope\n",  # a short row is padded
    ],
)
def test_csv_blank_rows_keep_record_numbers(engine, data):
    result = run_import(engine, data, "assets.csv")
    errors = [(e["row"], e["column"], e["value"]) for e in result.errors]
    if b"A9" in data:
        assert errors == [(3, "category", None), (3, "status", None), (5, "status", "nope")]
    else:
        assert errors == [(5, "status", "nope")]


def test_xlsx_short_rows_are_padded(engine):
    data = xlsx_bytes(
        {"people": [["person_id", "name", "department", "active"], ["p1"], ["p2", "Bo"]]}
    )
    result = run_import(engine, data, "pkg.xlsx")
    assert result.ok, result.errors
    assert dump(engine)["people"] == [
        ("p1", None, None, None, None, True),
        ("p2", "Bo", None, None, None, True),
    ]


# ------------------------------------------------------------ upsert/replace


def test_upsert_replaces_whole_rows_and_counts(engine):
    seed(engine)
    data = (
        b"asset_tag,category,status\n"
        b"A2,monitor,retired\n"  # updated: its other cells go back to defaults/null
        b"A3,phone,deployed\n"  # inserted
    )
    result = run_import(engine, data, "assets.csv")
    assert result.tables == {"assets": store.Counts(inserted=1, updated=1, unchanged=0)}
    rows = {r[0]: r for r in dump(engine)["assets"]}
    assert sorted(rows) == ["A1", "A2", "A3"]
    assert rows["A2"][2] == "retired" and rows["A2"][14] is None and rows["A2"][15] is None
    again = run_import(engine, data, "assets.csv")
    assert again.tables == {"assets": store.Counts(inserted=0, updated=0, unchanged=2)}


def test_replace_empties_only_the_tables_in_the_upload(engine):
    before = seed(engine)
    result = run_import(
        engine, b"asset_tag,category,status\nA9,phone,deployed\n", "assets.csv", replace=True
    )
    assert result.ok
    after = dump(engine)
    assert [r[0] for r in after["assets"]] == ["A9"]
    assert after["people"] == before["people"]


def test_dry_run_counts_and_writes_nothing(engine):
    before = seed(engine)
    result = run_import(
        engine,
        b"asset_tag,category,status\nA1,laptop,retired\nA7,phone,deployed\n",
        "assets.csv",
        dry_run=True,
    )
    assert result.ok and result.tables["assets"] == store.Counts(1, 1, 0)
    assert dump(engine) == before


@pytest.mark.parametrize("replace", [False, True])
def test_one_bad_sheet_writes_nothing(engine, replace):
    before = seed(engine)
    data = xlsx_bytes(
        {
            "assets": [["asset_tag", "category", "status"], ["A5", "laptop", "deployed"]],
            "people": [["person_id"], ["new@x.org"]],
            "tickets": [["ticket_id", "kind", "opened"], ["T1", "incident", "yesterday"]],
        }
    )
    result = run_import(engine, data, "pkg.xlsx", replace=replace)
    assert result.errors == [
        {
            "sheet": "tickets",
            "row": 2,
            "column": "opened",
            "value": "yesterday",
            "reason": "not a date (YYYY-MM-DD)",
        }
    ]
    assert dump(engine) == before


def test_import_logs_and_ends_demo_mode(engine):
    # Into a demo database the first import replaces the demo (tests/test_leave_demo.py).
    store.set_setting(engine, "demo_mode", "true")
    result = run_import(engine, PEOPLE.encode(), "people.csv", user="ann")
    assert result.ok and result.leaves_demo
    assert store.get_setting(engine, "demo_mode") == "false"
    assert store.last_import_at(engine) is not None
    with engine.connect() as conn:
        from sqlalchemy import text

        log = conn.execute(text("SELECT user, file_name, mode, counts FROM import_log")).fetchall()
    assert [(u, f, m, json.loads(c)) for u, f, m, c in log] == [
        ("ann", "people.csv", "replace", {"people": {"inserted": 2, "updated": 0, "unchanged": 0}})
    ]
    second = run_import(engine, PEOPLE.encode(), "people.csv", user="ann")
    assert not second.leaves_demo and second.tables["people"].unchanged == 2


def test_import_history_lists_written_imports_newest_first(engine):
    """The Data page's history (dashboard/import_log.py): dry runs and rejected files are not in it."""
    seed(engine)
    data = b"asset_tag,category,status\nA2,monitor,retired\nA3,phone,deployed\n"
    assert run_import(engine, data, "assets.csv", user="bob").ok
    assert run_import(engine, data, "assets.csv", user="carl", dry_run=True).ok
    assert not run_import(engine, b"asset_tag,category\nA4,toaster\n", "assets.csv", user="dan").ok
    history = import_log.import_history(engine)
    assert list(history.columns) == [
        "when", "who", "file", "mode", "inserted", "updated", "unchanged", "tables"
    ]  # fmt: skip
    rows = history.drop(columns="when").fillna({"who": "(nobody)"}).to_dict("records")
    assert rows == [
        {"who": "bob", "file": "assets.csv", "mode": "upsert", "inserted": 1, "updated": 1,
         "unchanged": 0, "tables": "assets +1/~1"},
        {"who": "(nobody)", "file": "seed.zip", "mode": "upsert", "inserted": 4, "updated": 0,
         "unchanged": 0, "tables": "assets +2/~0, people +2/~0"},
    ]  # fmt: skip
    assert history["when"].notna().all()
    assert import_log.import_history(engine, limit=1)["file"].tolist() == ["assets.csv"]


def test_import_history_of_a_new_database_is_empty_with_its_columns(engine):
    history = import_log.import_history(engine)
    assert history.empty and list(history.columns) == import_log.HISTORY_COLUMNS


def test_references_to_unknown_rows_are_warnings(engine):
    seed(engine)  # people ann, bob; assets A1, A2 are in the database
    data = xlsx_bytes(
        {
            "installs": [
                ["title_id", "asset_tag", "hostname"],
                ["T1", "A1", None],
                ["T2", "A404", None],
                ["T1", None, "pc-9"],
            ],
            "software": [["title_id", "title", "publisher"], ["T1", "Office", "Microsoft"]],
        }
    )
    result = run_import(engine, data, "pkg.xlsx")
    assert result.ok, result.errors
    assert result.warnings == [
        "installs: 1 row(s) name a title_id not in software (first: 'T2' in row 3)",
        "installs: 1 row(s) name a asset_tag not in assets (first: 'A404' in row 3)",
    ]


def test_raw_sheets_from_a_preset_use_the_same_rules(engine):
    import numpy as np

    sheet = RawSheet(
        "assets",
        ["Asset Tag", "Category", "Status"],
        pd.DataFrame(
            {0: ["X1", "X2"], 1: ["Laptop", "spaceship"], 2: ["deployed", "deployed"]}, dtype="str"
        ),
        np.array([2, 3]),
    )
    result = importer.import_package(engine, [sheet], filename="snipe-it.csv")
    assert result.errors == [
        {
            "sheet": "assets",
            "row": 3,
            "column": "Category",
            "value": "spaceship",
            "reason": "not one of: " + ", ".join(schema.CATEGORIES),
        }
    ]


def test_read_package_gives_raw_cells():
    sheets, warnings = read_package(
        zip_bytes({"pkg/assets.csv": b"A,B\n1,2\n", "__MACOSX/._assets.csv": b"x"}),
        filename="p.zip",
    )
    assert [(s.name, s.headers, s.rows.tolist()) for s in sheets] == [("assets", ["A", "B"], [2])]
    assert warnings == ["p.zip: entry '__MACOSX/._assets.csv' ignored (not a <table>.csv file)"]


# ----------------------------------------------------------------- parsers


@pytest.mark.parametrize(
    ("cells", "values", "reasons"),
    [
        (["1", "3.0", "-2", "", None], [1, 3, -2, None, None], [None] * 5),
        (["2.5"], [None], ["not a whole number"]),
        (["1,000"], [None], ["a thousands separator: write a plain number (1234.5)"]),
        (["99999999999999999999"], [None], ["out of range for a whole number"]),
    ],
)
def test_parse_integers(cells, values, reasons):
    parsed = importer.parse_number(pd.Series(cells, dtype="str"), integer=True)
    assert [None if pd.isna(v) else v for v in parsed.values] == values
    assert [None if pd.isna(r) else r for r in parsed.reasons] == reasons


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("2024-07", dt.datetime(2024, 7, 1)),
        ("2024-07-01", dt.datetime(2024, 7, 1)),
        (dt.datetime(2024, 7, 1), dt.datetime(2024, 7, 1)),
        ("2024-07-02", None),
        (dt.date(2024, 7, 3), None),
    ],
)
def test_parse_month(cell, value):
    parsed = importer.parse_month(pd.Series([cell], dtype=object))
    got = parsed.values.iloc[0]
    assert (None if pd.isna(got) else got.to_pydatetime()) == value
    assert parsed.bad.iloc[0] == (value is None)


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("Yes", True),
        ("n", False),
        ("TRUE", True),
        ("0", False),
        (True, True),
        (0, False),
        (1.0, True),
        ("maybe", None),
        (2, None),
    ],
)
def test_parse_bool(cell, value):
    parsed = importer.parse_bool(pd.Series([cell], dtype=object))
    got = parsed.values.iloc[0]
    assert (None if pd.isna(got) else bool(got)) == value


# --------------------------------------------------------------------- CLI


def test_cli_reports_every_problem_capped(tmp_path, capsys):
    rows = "".join(f"A{i},laptop,deployed,{i}.06.2026\n" for i in range(60))
    path = tmp_path / "assets.csv"
    path.write_text("asset_tag,category,status,Purchase Date\n" + rows)
    code = main(["import", str(path), "--db", str(tmp_path / "x.duckdb")])
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    assert out[0] == "Import rejected: 60 problem(s); nothing was written."
    assert out[1] == (
        "sheet 'assets', row 2, column 'Purchase Date': '0.06.2026' — "
        "a day-first or month-first date is ambiguous: write YYYY-MM-DD"
    )
    assert len(out) == 1 + 50 + 1
    assert out[-1] == "... and 10 more (use --json for all of them)"


def test_cli_json_shape_and_summary(tmp_path, capsys):
    path = tmp_path / "people.csv"
    path.write_text(PEOPLE + "bob@x.org,Bob again,,\n")
    db = str(tmp_path / "x.duckdb")
    assert main(["import", str(path), "--db", db, "--json"]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload == {
        "ok": False,
        "errors": [
            {
                "sheet": "people",
                "row": 4,
                "column": "person_id",
                "value": "bob@x.org",
                "reason": "duplicate key: the same as row 3",
            }
        ],
        "warnings": [],
        "unmapped": {},
        "questions": [],
        "leaves_demo": False,
        "tables": {},
    }
    path.write_text(PEOPLE)
    assert main(["import", str(path), "--db", db]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Import done."
    assert out[2].split() == ["people", "2", "0", "0"]


def test_cli_limit_can_be_raised_for_one_run(tmp_path, capsys):
    path = tmp_path / "people.csv"
    path.write_text(PEOPLE + "".join(f"p{i}@x.org,P,IT,yes\n" for i in range(40_000)))
    db = str(tmp_path / "x.duckdb")
    assert main(["import", str(path), "--db", db, "--max-upload-mb", "0.5", "--json"]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert "over the upload limit of 0.5 MB" in payload["errors"][0]["reason"]
    assert main(["import", str(path), "--db", db, "--max-upload-mb", "5", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["tables"]["people"]["inserted"] == 40_002


def test_cli_uses_database_url(tmp_path, capsys, monkeypatch):
    from dashboard import database

    db = tmp_path / "env.duckdb"
    monkeypatch.setenv("DATABASE_URL", f"duckdb:///{db}")
    path = tmp_path / "people.csv"
    path.write_text(PEOPLE)
    assert main(["import", str(path), "--dry-run"]) == 0
    assert "Dry run: nothing was written." in capsys.readouterr().out
    engine = database.get_engine(None)
    try:
        assert dump(engine)["people"] == []
    finally:
        database.dispose(None)


def test_limits_come_from_settings(engine):
    from dashboard.upload_checks import Limits

    store.set_setting(engine, "max_upload_mb", "0.00001")
    store.set_setting(engine, "max_ratio", "not a number")
    limits = Limits.from_settings(engine)
    assert (limits.max_upload_mb, limits.max_unpacked_mb, limits.max_ratio) == (0.00001, 300, 100)
    result = run_import(engine, PEOPLE.encode(), "people.csv", limits=limits)
    assert "over the upload limit of 1e-05 MB" in only_error(result)["reason"]


def _parity_workbooks() -> dict[str, bytes]:
    from tests import test_hostile as h

    typed = xlsx_bytes(
        {
            "tickets": [
                ["ticket_id", "kind", "opened", "csat", "in_warranty", "notes & more"],
                ["T1", "incident", dt.datetime(2025, 4, 7, 10, 48, 13), 5, True, "a < b & c"],
                ["T2", None, dt.date(2024, 2, 29), 2.5, False, ""],
                [],
                ["T3", "rma", dt.time(10, 30), -1e-7, None, "Zoë 東京"],
            ],
            "Other": [["x"], [1]],
        }
    )
    return {
        "typed": typed,
        "formula-no-cache": h._xlsx_with_formula(b""),
        "formula-cached": patch_zip(
            h._xlsx_with_formula(b"<v>deployed</v>"), h.SHEET1, b'<c r="C2">', b'<c r="C2" t="str">'
        ),
        "cached-error": h._xlsx_cached_error(),
        "error-cell": h._xlsx_error_cell(),
        "forged-dimension": h._forged_dimension(),
        "beyond-header": xlsx_bytes({"assets": [["a", "b"], ["1", "2", None, "x"]]}),
        "header-in-row-2": xlsx_bytes({"assets": [[], ["a"], ["1"]]}),
    }


PARITY = ["typed", "formula-no-cache", "formula-cached", "cached-error", "error-cell", "forged-dimension",
          "beyond-header", "header-in-row-2"]  # fmt: skip


@pytest.mark.parametrize("name", PARITY)
def test_fast_xlsx_reader_matches_openpyxl(name):
    from dashboard import readers

    data = _parity_workbooks()[name]
    zf = zipfile.ZipFile(io.BytesIO(data))
    fast = readers.read_xlsx_fast(zf)  # must not fall back on what openpyxl writes
    slow, _ = readers.read_xlsx_openpyxl(data, zf, "x.xlsx")
    assert [(s.name, s.headers, s.rows.tolist()) for s in fast] == [
        (s.name, s.headers, s.rows.tolist()) for s in slow
    ]
    for a, b in zip(fast, slow, strict=True):
        cells_a = [[(type(v), v) for v in row] for row in a.data.itertuples(index=False)]
        cells_b = [[(type(v), v) for v in row] for row in b.data.itertuples(index=False)]
        assert cells_a == cells_b
        key = lambda e: (e["row"], str(e["column"]))  # noqa: E731
        assert sorted(a.errors, key=key) == sorted(b.errors, key=key)


def test_unusual_workbooks_fall_back_to_openpyxl():
    from dashboard import readers

    data = patch_zip(
        xlsx_bytes({"assets": [["asset_tag"], ["A1"]]}),
        "xl/worksheets/sheet1.xml",
        b"<sheetData>",
        b"<!-- <x:row> --><sheetData>",
    )
    with pytest.raises(readers._Unusual):
        readers.read_xlsx_fast(zipfile.ZipFile(io.BytesIO(data)))
    sheets, _ = readers.read_package(data, filename="pkg.xlsx")
    assert sheets[0].data.iat[0, 0] == "A1"
