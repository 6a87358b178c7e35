"""Bulk writes: upsert by key with honest counts, replace, dry run, all or nothing."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pytest

from dashboard.database import raw_cursor
from dashboard.store import Counts, table_counts, write_tables


def _installs(*rows):
    return pd.DataFrame(rows, columns=["title_id", "asset_tag", "hostname", "discovered_date"])


def _rows(engine, sql):
    return raw_cursor(engine).execute(sql).fetchall()


def test_upsert_counts_inserted_updated_unchanged(engine):
    first = _installs(("T1", "A1", "h1", dt.date(2026, 1, 1)), ("T1", None, "HostX", None))
    assert write_tables(engine, {"installs": first}) == {"installs": Counts(2, 0, 0)}
    # Same keys (hostnames compare lower-case): a changed date, a changed hostname case
    # (both updates), and one new row.
    second = _installs(
        ("T1", "A1", "h1", dt.date(2026, 2, 1)),
        ("T1", None, "hostx", None),
        ("T2", "A1", None, None),
    )
    assert write_tables(engine, {"installs": second}) == {"installs": Counts(1, 2, 0)}
    assert write_tables(engine, {"installs": second}) == {"installs": Counts(0, 0, 3)}
    assert _rows(
        engine,
        "SELECT hostname, discovered_date FROM installs WHERE asset_tag = 'A1' AND title_id = 'T1'",
    ) == [("h1", dt.date(2026, 2, 1))]
    # The row whose key existed is replaced entirely: its hostname is now 'hostx'.
    assert _rows(engine, "SELECT hostname FROM installs WHERE asset_tag IS NULL") == [("hostx",)]


def test_replace_empties_the_table_first(engine):
    write_tables(
        engine, {"installs": _installs(("T1", "A1", None, None), ("T2", "A2", None, None))}
    )
    assert write_tables(
        engine, {"installs": _installs(("T3", "A3", None, None))}, replace=True
    ) == {"installs": Counts(1, 0, 0)}
    assert _rows(engine, "SELECT title_id FROM installs") == [("T3",)]


def test_dry_run_writes_nothing(engine):
    counts = write_tables(engine, {"installs": _installs(("T1", "A1", None, None))}, dry_run=True)
    assert counts == {"installs": Counts(1, 0, 0)}
    assert table_counts(engine)["installs"] == 0


def test_a_failing_table_leaves_every_table_unchanged(engine):
    write_tables(engine, {"installs": _installs(("T1", "A1", None, None))})
    people = pd.DataFrame({"person_id": ["p1"], "active": [True]})
    broken = pd.DataFrame({"person_id": ["p2"], "active": ["not a boolean"]})
    with pytest.raises(duckdb.Error, match="(?i)constraint|NOT NULL|conversion"):
        write_tables(
            engine,
            {"people": people, "installs": _installs(("T9", "A9", None, None)), "budget": broken},
        )
    assert table_counts(engine)["people"] == 0
    assert _rows(engine, "SELECT title_id FROM installs") == [("T1",)]
