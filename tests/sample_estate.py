"""The sample estate's expected values (tests/data/sample-estate) and how to compare with them.

Numbers compare within 1e-6 relative; null equals only null (the examples' README).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from metrics import api

SAMPLE = Path(__file__).parent / "data" / "sample-estate"
AS_OF = dt.date(2026, 6, 30)


def close(got, expected) -> bool:
    if got is None or expected is None:
        return got is None and expected is None
    return abs(got - expected) <= 1e-6 * max(1.0, abs(expected))


def expected(name: str) -> dict:
    return json.loads((SAMPLE / name).read_text())


def headline_mismatches(engine) -> dict:
    """{metric: (got, expected)} for every headline value that differs."""
    want = expected("sample-estate.expected.json")["values"]
    assert len(want) == 66
    got = api.compute(engine, AS_OF)
    return {m: (got.get(m), v) for m, v in want.items() if m not in got or not close(got[m], v)}


def breakdown_mismatches(engine, dim: str) -> dict:
    """{metric: (got, expected)} for every breakdown by `dim` that differs."""
    wrong = {}
    for metric_id, members in expected(f"sample-estate.by_{dim}.expected.json")["values"].items():
        got = api.breakdown(engine, metric_id, dim, AS_OF)
        if set(got) != set(members) or not all(close(got[k], v) for k, v in members.items()):
            wrong[metric_id] = (got, members)
    return wrong
