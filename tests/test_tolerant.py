"""Tolerant readers (issue 11, item 4): each rule on a small hand-made file, with its note or question."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from dashboard import importer
from dashboard.valuemaps import ImportOptions
from tests.test_import import xlsx_bytes

HEAD = "asset_tag,category,status,purchase_date,purchase_cost"


def run(engine, data: bytes, filename: str = "assets.csv", **options) -> importer.ImportResult:
    return importer.import_package(
        engine, data, filename=filename, options=ImportOptions(**options)
    )


def stored(engine, column: str) -> list:
    with engine.connect() as conn:
        return [r[0] for r in conn.execute(text(f"SELECT {column} FROM assets ORDER BY asset_tag"))]


# ------------------------------------------------------------------ (a) title block


@pytest.mark.parametrize(
    ("data", "filename", "header_row"),
    [
        # a report title and a blank line above the header of a CSV
        (
            b"Asset register, exported 2026-06-30\n\n"
            + HEAD.encode()
            + b"\nA1,laptop,deployed,,\n",
            "assets.csv",
            None,  # the title holds a comma: two filled cells, so it is taken as the header
        ),
        (b"Asset register 2026\n\n" + HEAD.encode() + b"\nA1,laptop,deployed,,\n", "assets.csv", 3),
        (b"\n" + HEAD.encode() + b"\nA1,laptop,deployed,,\n", "assets.csv", 2),
        (
            xlsx_bytes(
                {"assets": [["Asset register"], [], HEAD.split(","), ["A1", "laptop", "deployed"]]}
            ),
            "pkg.xlsx",
            3,
        ),
    ],
)
def test_title_block_is_skipped_and_said(engine, data, filename, header_row):
    result = run(engine, data, filename)
    if header_row is None:
        assert not result.ok
        return
    assert result.ok, result.errors
    assert any(f"the headers are taken from row {header_row}" in w for w in result.warnings)
    assert stored(engine, "asset_tag") == ["A1"]


def test_title_block_rows_keep_their_numbers(engine):
    data = (
        b"Asset register\n\n" + HEAD.encode() + b"\nA1,laptop,deployed,,\nA2,spaceship,deployed,,\n"
    )
    result = run(engine, data)
    assert [(e["row"], e["column"], e["value"]) for e in result.errors] == [
        (5, "category", "spaceship")
    ]


# ------------------------------------------------------------------ (b) decimals


@pytest.mark.parametrize(
    ("costs", "values", "note"),
    [
        (["1250.0", "7"], [1250.0, 7.0], "decimal point (no comma anywhere in it)"),
        (["1.250,00", "99,5"], [1250.0, 99.5], "decimal comma (1.250,00 = 1250)"),
        (["1200,50", "7"], [1200.5, 7.0], "decimal comma"),
    ],
)
def test_semicolon_decimals_per_column(engine, costs, values, note):
    lines = [f"A{i};laptop;deployed;{c}" for i, c in enumerate(costs, start=1)]
    data = ("asset_tag;category;status;purchase_cost\n" + "\n".join(lines) + "\n").encode()
    result = run(engine, data)
    assert result.ok, result.errors
    assert stored(engine, "purchase_cost") == values
    assert any("'purchase_cost'" in w and note in w for w in result.warnings)


def test_semicolon_column_mixing_conventions_is_refused_with_rows(engine):
    data = b"asset_tag;category;status;purchase_cost\nA1;laptop;deployed;99,5\nA2;laptop;deployed;1250.5\nA3;laptop;deployed;3.5\n"
    result = run(engine, data)
    assert [(e["row"], e["value"], e["reason"]) for e in result.errors] == [
        (3, "1250.5", "a decimal point, but this column also has decimal commas (row 2): write every number of the column one way"),
        (4, "3.5", "a decimal point, but this column also has decimal commas (row 2): write every number of the column one way"),
    ]  # fmt: skip


# ------------------------------------------------------------------ (c) slashed dates


@pytest.mark.parametrize(
    ("dates", "order", "expected", "note"),
    [
        # Snipe-IT's sample: US dates, 12/15/22 settles month-first; two-digit years are 20xx
        (["10/1/22", "12/15/22", "1/23/23"], None,
         [dt.date(2022, 10, 1), dt.date(2022, 12, 15), dt.date(2023, 1, 23)],
         "dates read month-first (a value like 12/15/22 settles it); two-digit years as 20xx"),
        (["30/06/2026", "01/07/2026"], None, [dt.date(2026, 6, 30), dt.date(2026, 7, 1)],
         "dates read day-first (a value like 30/06/2026 settles it)"),
        (["01/02/2026", "03/04/2026"], "dmy", [dt.date(2026, 2, 1), dt.date(2026, 4, 3)],
         "dates read day-first (as chosen (--date-order dmy))"),
        (["01/02/2026", "03/04/2026"], "mdy", [dt.date(2026, 1, 2), dt.date(2026, 3, 4)],
         "dates read month-first (as chosen (--date-order mdy))"),
    ],
)  # fmt: skip
def test_slashed_dates_read_by_the_columns_evidence(engine, dates, order, expected, note):
    lines = [f"A{i},laptop,deployed,{d}," for i, d in enumerate(dates, start=1)]
    result = run(engine, (HEAD + "\n" + "\n".join(lines) + "\n").encode(), date_order=order)
    assert result.ok, result.errors
    assert stored(engine, "purchase_date") == expected
    assert f"assets: column 'purchase_date': {note}" in result.warnings


def test_slashed_dates_without_evidence_ask_a_question(engine):
    data = (HEAD + "\nA1,laptop,deployed,01/02/2026,\nA2,laptop,deployed,03/04/2026,\n").encode()
    result = run(engine, data)
    assert not result.ok
    assert result.questions == [
        "assets: column 'purchase_date': is 01/02/2026 month-first or day-first? No value settles "
        "it (answer with --date-order mdy or dmy, or in the preview)"
    ]
    assert [e["row"] for e in result.errors] == [2, 3]
    assert result.errors[0]["reason"].startswith("month-first or day-first?")


@pytest.mark.parametrize(
    ("dates", "reason"),
    [
        (["2026-06-30", "03/04/2025"], "a day-first or month-first date is ambiguous: write YYYY-MM-DD"),
        (["13/01/2026", "01/13/2026"], "this column has day-first (13/01/2026) and month-first (01/13/2026) dates: write YYYY-MM-DD"),
    ],
)  # fmt: skip
def test_slashed_dates_mixed_are_refused(engine, dates, reason):
    lines = [f"A{i},laptop,deployed,{d}," for i, d in enumerate(dates, start=1)]
    result = run(engine, (HEAD + "\n" + "\n".join(lines) + "\n").encode())
    assert reason in [e["reason"] for e in result.errors]


# ------------------------------------------------------------------ (d) encodings


def test_text_neither_utf8_nor_1252_offers_latin1_and_mac_roman(engine):
    # 0x81 is no character in Windows-1252; in Latin-1 it is a control, in Mac Roman 'Å'.
    data = "person_id,name\np1,Zoë\n".encode("cp1252") + b"p2,\x81sa\n"
    result = run(engine, data, "people.csv")
    assert result.errors[0]["reason"] == (
        "people.csv: neither UTF-8 nor Windows-1252 text (byte 0x81 at offset 25 is not a "
        "character in either); save it as UTF-8, or choose how to read it: Latin-1 or Mac Roman "
        "(--encoding latin-1 or --encoding mac-roman)"
    )
    result = run(engine, data, "people.csv", encoding="mac-roman")
    assert result.ok, result.errors
    assert "people.csv: read as Mac Roman text (it is not UTF-8)" in result.warnings
    with engine.connect() as conn:
        names = [r[0] for r in conn.execute(text("SELECT name FROM people ORDER BY person_id"))]
    assert names == ["ZoÎ", "Åsa"]  # Mac Roman reads 0xEB (ë in 1252) as Î: the user chose it


def test_windows_1252_is_read_with_a_note(engine):
    result = run(engine, "person_id,name\np1,Zoë\n".encode("cp1252"), "people.csv")
    assert result.ok
    assert "people.csv: read as Windows-1252 text (it is not UTF-8)" in result.warnings
