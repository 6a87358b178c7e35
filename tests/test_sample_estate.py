"""The whole pipeline on the sample estate: import the workbook, then every metric.

tests/data/sample-estate/ holds a package of about 5,000 assets and every
metric's value as of 2026-06-30 computed by an independent implementation of
metrics.md (headline values, and the additive metrics by department and by
vendor). Numbers compare within 1e-6 relative; null equals only null.
"""

from __future__ import annotations

import json

import pytest

from dashboard import database
from tests.sample_estate import (
    SAMPLE,
    breakdown_mismatches,
    close,
    expected,
    headline_mismatches,
)


@pytest.fixture(scope="module")
def sample_engine(tmp_path_factory):
    from dashboard.importer import import_package

    path = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    engine = database.get_engine(path)
    result = import_package(engine, SAMPLE / "sample-estate.xlsx")
    assert result.ok, result.errors[:5]
    yield engine
    database.dispose(path)


def test_every_headline_value_matches(sample_engine):
    assert headline_mismatches(sample_engine) == {}


@pytest.mark.parametrize("dim", ["department", "vendor"])
def test_every_breakdown_matches(sample_engine, dim):
    assert breakdown_mismatches(sample_engine, dim) == {}


def test_the_cli_prints_the_same_json(sample_engine, capsys):
    from dashboard.cli import main

    url = sample_engine.info["url"]
    assert main(["metrics", "--db", url, "--as-of", "2026-06-30", "--by", "vendor", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    want = expected("sample-estate.by_vendor.expected.json")
    assert out["as_of"] == "2026-06-30" and out["by"] == "vendor"
    # The expected file covers the 66 metrics of the first catalogue (issue 15's
    # metrics, hand-computed in test_metrics_finance.py, come on top).
    assert set(out["values"]) >= set(want["values"])
    for metric_id, members in want["values"].items():
        assert all(close(out["values"][metric_id][k], v) for k, v in members.items())
