"""Shared fixtures: a fresh database per test."""

from __future__ import annotations

import pytest

from dashboard import database


@pytest.fixture
def engine(tmp_path):
    """An empty DuckDB file with every table created."""
    path = tmp_path / "test.duckdb"
    eng = database.get_engine(path)
    yield eng
    database.dispose(path)
