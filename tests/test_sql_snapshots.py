"""Compiled metric SQL is kept as reviewed snapshots (tests/snapshots/<dialect>/).

A change to a metric's SQL shows up in review as a change to its snapshot.
Refresh them with `UPDATE_SNAPSHOTS=1 pytest tests/test_sql_snapshots.py`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from metrics import api
from metrics.catalog import METRICS

SNAPSHOTS = Path(__file__).parent / "snapshots"


@pytest.mark.parametrize("dialect", ["duckdb", "postgresql"])
@pytest.mark.parametrize("metric_id", list(METRICS))
def test_compiled_sql_matches_snapshot(metric_id, dialect):
    sql = api.compiled_sql(metric_id, dialect)
    path = SNAPSHOTS / dialect / f"{metric_id}.sql"
    if os.environ.get("UPDATE_SNAPSHOTS"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(sql)
    assert path.exists(), f"no snapshot for {metric_id}: run with UPDATE_SNAPSHOTS=1"
    assert sql == path.read_text()


def test_values_never_enter_the_sql_text():
    """Filters travel as bound parameters: the SQL mentions none of their values."""
    from metrics import compiler

    params: dict = {}
    clauses = compiler.where_dims({"department": ["Sales'; DROP TABLE assets; --"]}, None, params)
    assert "DROP" not in " ".join(clauses)
    assert list(params.values()) == ["Sales'; DROP TABLE assets; --"]
