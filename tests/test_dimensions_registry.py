"""Issue 16, item 8: one registry of dimensions (metrics/dimensions.py).

1. Every list of dimension names the app uses is derived from the registry and
   equals, order included, what was written by hand before (the expected tuples
   are written out here, so a change to the registry shows up in this file).
2. Adding a dimension takes a registry entry and the subjects that carry it (the
   schema column exists already): a fresh interpreter loads metrics/dimensions.py
   with one more entry, `supplier` of assets, adds it to the assets subject, and
   the sidebar, the filter members and a metric's breakdown all offer it.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard import auth, database, report
from metrics import api, dimensions
from metrics.store.schema import table
from metrics.subjects import SUBJECTS
from tests.metric_fixtures import A, asset, load, person

ROOT = Path(__file__).resolve().parent.parent

# (module, attribute, the value written by hand before the registry)
DERIVED = [
    (
        "metrics.dimensions",
        "DIMENSIONS",
        ("vendor", "department", "cost_center", "location", "product", "category"),
    ),
    (
        "metrics.dimensions",
        "ALL_DIMENSIONS",
        ("vendor", "department", "cost_center", "location", "product", "category", "age_bucket"),
    ),
    ("metrics.dimensions", "AGE_BUCKET", "age_bucket"),
    ("metrics.dimensions", "NONE_MEMBER", "(none)"),
    (
        "dashboard.ui.state",
        "FILTER_DIMS",
        ("vendor", "department", "cost_center", "location", "product"),
    ),
    ("dashboard.kpis", "SCOPE_DIMS", ("department", "cost_center", "vendor", "location")),
    ("dashboard.lookup", "_SCOPE_DIMS", ("department", "cost_center", "location")),
    (
        "dashboard.history",
        "SNAPSHOT_DIMS",
        ("department", "cost_center", "vendor", "category", "location"),
    ),
    (
        "dashboard.history",
        "SNAPSHOT_SETS",
        (
            ("department",),
            ("cost_center",),
            ("vendor",),
            ("category",),
            ("location",),
            ("category", "location"),
        ),
    ),
    (
        "dashboard.report",
        "BREAKDOWNS",
        (
            ("department", "By department"),
            ("vendor", "By vendor"),
            ("cost_center", "By cost center"),
        ),
    ),
    (
        "dashboard.pdf",
        "BREAKDOWN_BY",
        (("department", "By department"), ("cost_center", "By cost center")),
    ),
    ("dashboard.ui.data", "BUDGET_DIMS", ("department", "cost_center")),
    ("dashboard.pdf_charts", "BUDGET_DIMS", ("department", "cost_center")),
    ("metrics.subjects", "_RESOLVED", ("department", "cost_center", "location")),
    ("metrics.materialize", "_OWN", ("department", "cost_center", "location")),
    (
        "dashboard.permissions",
        "PACK_KINDS",
        (
            "pack:scorecard",
            "pack:cio",
            "pack:cfo",
            "pack:asset_manager",
            "pack:by_department",
            "pack:by_vendor",
            "pack:by_cost_center",
            "pack:spend",
        ),
    ),
]


@pytest.mark.parametrize(("module", "name", "expected"), DERIVED, ids=[d[1] for d in DERIVED])
def test_each_list_is_what_it_was(module, name, expected):
    assert getattr(importlib.import_module(module), name) == expected


def test_the_users_scope_dimensions():
    """Who can be limited to what (the users file, the Users page, `users --scope`)."""
    assert auth.SCOPE_DIMS == ("department", "cost_center", "location")


def test_labels_and_section_names():
    assert dimensions.LABELS == {
        "vendor": "Vendor",
        "department": "Department",
        "cost_center": "Cost center",
        "location": "Location",
        "product": "Product",
        "category": "Category",
        "age_bucket": "Age (years)",
    }
    assert {k: v for k, v in report.SECTION_NAMES.items() if "by_" in k} == {
        "pack:by_department": "By department",
        "pack:by_vendor": "By vendor",
        "pack:by_cost_center": "By cost center",
    }


def test_member_sources_are_what_they_were():
    people_to_budget = ("people", "assets", "entitlements", "contracts", "cloud_spend", "budget")
    assert api.MEMBER_SOURCES == {
        "vendor": (
            ("assets", "manufacturer"),
            ("software", "publisher"),
            ("contracts", "vendor"),
            ("cloud_spend", "provider"),
        ),
        "product": (("assets", "model"), ("software", "title")),
        "location": (("people", "location"), ("assets", "location")),
        "department": tuple((t, "department") for t in people_to_budget),
        "cost_center": tuple((t, "cost_center") for t in people_to_budget),
    }


def test_every_member_source_is_a_package_column():
    for dim in dimensions.REGISTRY:
        for name, col in dim.members:
            assert col in table(name).names, f"{dim.name}: {name}.{col}"


def test_every_dimension_but_the_extra_is_carried_by_some_subject():
    carried = {d for s in SUBJECTS.values() for d in s.dimensions}
    assert set(dimensions.DIMENSIONS) <= carried


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ({"filters": False}, ("category", "age_bucket")),
        ({"filters": True, "scopes_users": True}, ("department", "cost_center", "location")),
        ({"in_pack": True}, ("department", "vendor", "cost_center")),
        ({"in_pack": False, "extra": False}, ("location", "product", "category")),
        ({"extra": True}, ("age_bucket",)),
    ],
)
def test_names_selects_and_orders(flags, expected):
    assert dimensions.names(**flags) == expected


def test_names_refuses_an_unknown_flag():
    with pytest.raises(TypeError, match="no dimension flag colour"):
        dimensions.names(colour=True)


def test_get_and_column():
    assert dimensions.get("cost_center").label == "Cost center"
    assert dimensions.column("location") == '"location"'
    with pytest.raises(ValueError, match="unknown dimension 'supplier'"):
        dimensions.get("supplier")
    with pytest.raises(ValueError, match="unknown dimension 'x\"y'"):
        dimensions.column('x"y')


# ------------------------------------------------------------ adding a dimension

# What a developer adds to REGISTRY for a new dimension on a column assets have already.
NEW_ENTRY = 'Dimension("supplier", "Supplier", members=(("assets", "supplier"),))'

# Runs in a fresh interpreter: metrics/dimensions.py is loaded from its source with
# NEW_ENTRY appended to REGISTRY (as if the file said so) before anything imports it,
# so every list derived at import time sees it; then the assets subject carries it.
ADDED = r"""
import datetime as dt, importlib.util, json, sys
from dataclasses import replace
from pathlib import Path

path = Path(sys.argv[1]) / "metrics" / "dimensions.py"
head, start, rest = path.read_text().partition("REGISTRY: tuple[Dimension, ...] = (")
body, end, tail = rest.partition("\n)\n")
assert start and end, "REGISTRY is not written as expected"
source = head + start + body + "\n    " + sys.argv[2] + ",\n)\n" + tail
spec = importlib.util.spec_from_loader("metrics.dimensions", loader=None, origin=str(path))
module = importlib.util.module_from_spec(spec)
sys.modules["metrics.dimensions"] = module
exec(compile(source, str(path), "exec"), module.__dict__)
import metrics
metrics.dimensions = module

from metrics.subjects import SUBJECTS  # the third place: the subjects that carry it
SUBJECTS["assets"] = replace(
    SUBJECTS["assets"], dimensions=SUBJECTS["assets"].dimensions + ("supplier",)
)

from streamlit.testing.v1 import AppTest
from dashboard import database
from dashboard.ui import state
from metrics import api


# the app's own sidebar, run in this interpreter (the registry above is the one it sees)
sidebar = "from dashboard.ui import widgets\nwidgets.filter_bar()\n"
at = AppTest.from_string(sidebar, default_timeout=60).run()
engine = database.get_engine(sys.argv[3])
as_of = dt.date.fromisoformat(sys.argv[4])
print(json.dumps({
    "filter_dims": list(state.FILTER_DIMS),
    "sidebar": {m.label: list(m.options) for m in at.sidebar.multiselect},
    "errors": [e.value for e in at.exception],
    "members": api.members(engine, "supplier"),
    "dimensions": list(api.dimensions("active_devices")),
    "breakdown": api.breakdown(engine, "active_devices", "supplier", as_of),
    "cdw": api.compute(engine, as_of, ["active_devices"], {"supplier": ["CDW"]}),
    "blank": api.compute(engine, as_of, ["active_devices"], {"supplier": ["(none)"]}),
}))
database.dispose(sys.argv[3])
"""


@pytest.fixture
def supplied(engine, tmp_path):
    """Five assets bought from three suppliers (one retired) and one with none."""
    load(
        engine,
        people=[person("p1", name="Pat", department="Finance")],
        assets=[
            asset("A1", supplier="CDW", assigned_to="p1"),
            asset("A2", status="in_stock", supplier="CDW"),
            asset("A3", supplier="Insight"),
            asset("A4", status="retired", supplier="Bechtle", retired_date="2026-01-31"),
            asset("A5"),
        ],
    )
    path = tmp_path / "test.duckdb"  # the `engine` fixture's file
    database.dispose(path)  # the child process opens the file
    return path


def test_a_new_dimension_is_one_entry_and_its_subjects(supplied, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"duckdb:///{supplied}")
    done = subprocess.run(
        [sys.executable, "-c", ADDED, str(ROOT), NEW_ENTRY, str(supplied), A.isoformat()],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    got = json.loads(done.stdout.strip().splitlines()[-1])
    assert got["errors"] == []
    # the sidebar: a "Supplier" filter after the others, its members, then the blank member
    assert got["filter_dims"] == [
        "vendor", "department", "cost_center", "location", "product", "supplier"
    ]  # fmt: skip
    assert got["sidebar"]["Supplier"] == ["Bechtle", "CDW", "Insight", "(none)"]
    assert list(got["sidebar"]) == [
        "Vendor", "Department", "Cost center", "Location", "Product", "Supplier"
    ]  # fmt: skip
    # the member query: every supplier of the assets table, retired ones too, A to Z
    assert got["members"] == ["Bechtle", "CDW", "Insight"]
    # a metric on the assets subject: active devices (A4 is retired) by supplier
    assert "supplier" in got["dimensions"]
    assert got["breakdown"] == {"CDW": 2.0, "Insight": 1.0, "(none)": 1.0}
    # and a filter on it
    assert (got["cdw"], got["blank"]) == ({"active_devices": 2.0}, {"active_devices": 1.0})


def test_without_the_entry_the_dimension_is_refused(supplied):
    """The same estate today: `supplier` is no dimension, so the three answers above are new."""
    engine = database.get_engine(supplied)
    try:
        with pytest.raises(api.UnsupportedDimension):
            api.members(engine, "supplier")
        assert "supplier" not in api.dimensions("active_devices")
        with pytest.raises((api.UnsupportedDimension, ValueError)):
            api.breakdown(engine, "active_devices", "supplier", A)
    finally:
        database.dispose(supplied)
