"""The whole pipeline on the sample estate: import the workbook, then every metric.

tests/data/sample-estate/ holds a package of about 5,000 assets and every
metric's value as of 2026-06-30 computed by an independent implementation of
metrics.md (headline values, and the additive metrics by department and by
vendor). Numbers compare within 1e-6 relative; null equals only null.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from dashboard import database
from metrics import api

SAMPLE = Path(__file__).parent / "data" / "sample-estate"
AS_OF = dt.date(2026, 6, 30)


def _close(got, expected) -> bool:
    if got is None or expected is None:
        return got is None and expected is None
    return abs(got - expected) <= 1e-6 * max(1.0, abs(expected))


@pytest.fixture(scope="module")
def sample_engine(tmp_path_factory):
    from dashboard.importer import import_package

    path = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    engine = database.get_engine(path)
    result = import_package(engine, SAMPLE / "sample-estate.xlsx")
    assert result.ok, result.errors[:5]
    yield engine
    database.dispose(path)


def _expected(name: str) -> dict:
    return json.loads((SAMPLE / name).read_text())


def test_every_headline_value_matches(sample_engine):
    expected = _expected("sample-estate.expected.json")["values"]
    got = api.compute(sample_engine, AS_OF)
    wrong = {m: (got[m], v) for m, v in expected.items() if not _close(got[m], v)}
    assert wrong == {}
    assert len(expected) == 66


@pytest.mark.parametrize("dim", ["department", "vendor"])
def test_every_breakdown_matches(sample_engine, dim):
    expected = _expected(f"sample-estate.by_{dim}.expected.json")["values"]
    wrong = {}
    for metric_id, members in expected.items():
        got = api.breakdown(sample_engine, metric_id, dim, AS_OF)
        if set(got) != set(members) or not all(_close(got[k], v) for k, v in members.items()):
            wrong[metric_id] = (got, members)
    assert wrong == {}


def test_the_cli_prints_the_same_json(sample_engine, capsys):
    from dashboard.cli import main

    url = sample_engine.info["url"]
    assert main(["metrics", "--db", url, "--as-of", "2026-06-30", "--by", "vendor", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    expected = _expected("sample-estate.by_vendor.expected.json")
    assert out["as_of"] == "2026-06-30" and out["by"] == "vendor"
    assert set(out["values"]) == set(expected["values"])
    for metric_id, members in expected["values"].items():
        assert all(_close(out["values"][metric_id][k], v) for k, v in members.items())
