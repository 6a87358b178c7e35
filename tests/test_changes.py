"""An audited change in words (dashboard/changes.py), as the KPI and strategy change logs show it."""

from __future__ import annotations

import pytest

from dashboard.changes import describe, parse, short


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (None, "Run IT like a business", "set to “Run IT like a business”"),
        ("Run IT", "Run IT well", "“Run IT” → “Run IT well”"),
        ("Run IT", None, "removed (was “Run IT”)"),
        (False, True, "off → on"),
        (90.0, 95.5, "90 → 95.5"),
        (1200, 1500000, "1,200 → 1,500,000"),
        ({"name": "Spend", "target": 90, "note": ""}, {"name": "Spend", "target": 95, "note": ""},
         "target: 90 → 95"),
        ({"target": 90, "note": None}, {"target": 90, "note": "agreed"},
         "note: (empty) → “agreed”"),
        (None, {"name": "Spend", "metric": "hardware_spend_12m", "target": 5.0, "note": ""},
         "created: name: “Spend”; metric: “hardware_spend_12m”; target: 5"),
        ({"name": "Spend"}, None, "deleted"),
        # a keyed table (the roadmap): the rows that changed, came or went
        ({"R1": {"task": "Deploy", "status": "open"}},
         {"R1": {"task": "Deploy", "status": "done"}, "R2": {"task": "Tag all laptops"}},
         "R1 (status: “open” → “done”); R2 added (“Tag all laptops”)"),
        # a list of rows (a strategy section), named by their first text
        ([{"title": "Cut cost", "owner": "Ann"}, {"title": "Audit"}],
         [{"title": "Cut cost", "owner": "Bob"}, {"title": "FinOps"}, {"title": "Cloud"}],
         "2 → 3 rows: added “FinOps”, “Cloud”; removed “Audit”; changed “Cut cost”"),
        ([{"a": "x"}, {"a": "y"}], [{"a": "y"}, {"a": "x"}], "2 rows: reordered"),
        ([{"a": "x"}], [{"a": "x"}], "no change"),
        ([], [{"a": str(i)} for i in range(5)],
         "0 → 5 rows: added “0”, “1”, “2” and 2 more"),
    ],
)  # fmt: skip
def test_describe(old, new, expected):
    assert describe(old, new) == expected


def test_long_text_is_cut_and_json_is_read():
    assert short("x" * 80) == "“" + "x" * 59 + "…”"
    assert parse('{"target": 95}') == {"target": 95}
    assert parse("not json") == "not json"
    assert parse(None) is None
