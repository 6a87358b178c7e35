"""Vendor names (issue 11, item 6): one vendor however it is written; the text as written kept."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from dashboard import importer, vendors

ASSETS = (
    "asset_tag,category,status,manufacturer\n"
    "A1,laptop,deployed,Dell Inc.\n"
    "A2,laptop,deployed,DELL\n"
    "A3,server,deployed,Dell Technologies\n"
    "A4,laptop,deployed,Lenovo\n"
    "A5,laptop,deployed,Acme Widgets\n"
)


def manufacturers(engine) -> list[tuple]:
    with engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(text("SELECT asset_tag, manufacturer FROM assets ORDER BY 1"))
        ]


def originals(engine) -> list[tuple]:
    with engine.connect() as conn:
        sql = "SELECT table_name, row_key, column_name, original, vendor FROM vendor_originals ORDER BY 2"
        return [tuple(r) for r in conn.execute(text(sql))]


@pytest.mark.parametrize(
    ("written", "key", "vendor"),
    [
        ("Dell Inc.", "dell", "Dell"),
        ("DELL", "dell", "Dell"),
        ("Dell Technologies", "dell technologies", "Dell"),
        ("  microsoft corp ", "microsoft", "Microsoft"),
        ("Microsoft Corporation", "microsoft", "Microsoft"),
        ("Hewlett-Packard Company", "hewlett packard", "HP"),
        ("Acme Widgets GmbH", "acme widgets", None),
    ],
)
def test_names_match_by_key(written, key, vendor):
    assert vendors.key(written) == key
    assert vendors.mapping(None).get(key) == vendor


def test_import_normalises_and_keeps_the_text_as_written(engine):
    result = importer.import_package(engine, ASSETS.encode(), filename="assets.csv")
    assert result.ok, result.errors
    assert manufacturers(engine) == [
        ("A1", "Dell"), ("A2", "Dell"), ("A3", "Dell"), ("A4", "Lenovo"), ("A5", "Acme Widgets"),
    ]  # fmt: skip
    assert originals(engine) == [
        ("assets", "A1", "manufacturer", "Dell Inc.", "Dell"),
        ("assets", "A2", "manufacturer", "DELL", "Dell"),
        ("assets", "A3", "manufacturer", "Dell Technologies", "Dell"),
    ]
    assert (
        "assets: manufacturer normalised by the vendor table: 'Dell Inc.' → Dell (1), 'DELL' → Dell (1), "
        "'Dell Technologies' → Dell (1) (the text as written is kept)"
    ) in result.warnings
    # the same file again: the originals are replaced, not repeated
    assert importer.import_package(engine, ASSETS.encode(), filename="assets.csv").ok
    assert len(originals(engine)) == 3


def test_the_table_is_edited(engine):
    rows = vendors.table(engine).to_dict("records")
    assert {"alias": "Dell Inc.", "vendor": "Dell", "from": "built-in"} in rows
    # the organisation adds its own name and switches one seeded entry off (by leaving it out)
    edited = [r for r in rows if r["alias"] != "Dell Technologies"] + [
        {"alias": "Acme Widgets", "vendor": "Acme"}
    ]
    assert vendors.save(engine, edited) == 2
    assert importer.import_package(engine, ASSETS.encode(), filename="assets.csv").ok
    assert manufacturers(engine) == [
        ("A1", "Dell"), ("A2", "Dell"), ("A3", "Dell Technologies"), ("A4", "Lenovo"), ("A5", "Acme"),
    ]  # fmt: skip
    table = vendors.table(engine)
    assert table[table["alias"] == "Acme Widgets"].to_dict("records") == [
        {"alias": "Acme Widgets", "vendor": "Acme", "from": "yours"}
    ]
    summary = vendors.originals_summary(engine)
    assert summary[summary["vendor"] == "Acme"].to_dict("records") == [
        {
            "table": "assets",
            "column": "manufacturer",
            "as written": "Acme Widgets",
            "vendor": "Acme",
            "rows": 1,
        }
    ]


def test_a_dry_run_keeps_nothing(engine):
    assert importer.import_package(engine, ASSETS.encode(), filename="assets.csv", dry_run=True).ok
    assert originals(engine) == []
