"""The records behind a metric: the rows it counts, filtered, in the columns asked for."""

from __future__ import annotations

import pytest

from metrics import api
from tests.metric_fixtures import (
    A,
    asset,
    day,
    db_fixture,  # noqa: F401  (the `db` fixture)
    load,
    metrics_db_fixture,  # noqa: F401
    person,
    seen,
)


@pytest.fixture
def estate(db):
    load(
        db,
        people=[person("ann", department="Finance", active=False), person("bob", department="IT")],
        assets=[
            # L1 lost 10 days ago (Finance through ann); L2 stolen 400 days ago: outside.
            asset(
                "L1",
                status="lost",
                assigned_to="ann",
                lost_stolen_date=day(-10),
                notes="left on a train",
            ),
            asset("L2", status="stolen", assigned_to="bob", lost_stolen_date=day(-400)),
            # D1 deployed, never seen; D2 deployed, seen yesterday by serial.
            asset("D1", category="desktop", serial="S1", assigned_to="bob"),
            asset(
                "D2",
                category="desktop",
                serial="S2",
                assigned_to="bob",
                purchase_cost=900.0,
                purchase_date=day(-20),
            ),
        ],
        discovery=[seen(day(-1), serial="s2", user="BOB"), seen(day(-2), hostname="ghost")],
    )
    return db


def test_records_list_the_counted_rows_with_the_columns_to_act_on(estate):
    frame = api.records(estate, "lost_stolen_12m", A)
    assert list(frame["asset_tag"]) == ["L1"]
    row = frame.iloc[0]
    assert (row["person_name"], row["department"], row["notes"]) == (
        None,
        "Finance",
        "left on a train",
    )
    assert str(row["lost_stolen_date"])[:10] == day(-10)


def test_records_follow_the_filters(estate):
    assert list(api.records(estate, "active_devices", A, {"department": ["IT"]})["asset_tag"]) == [
        "D1",
        "D2",
    ]
    assert api.records(estate, "active_devices", A, {"department": ["Finance"]}).empty


def test_records_can_return_other_columns_of_the_same_rows(estate):
    frame = api.records(estate, "hardware_spend_12m", A, columns=("purchase_date", "purchase_cost"))
    assert list(frame.columns) == ["purchase_date", "purchase_cost"]
    assert frame["purchase_cost"].tolist() == [900.0]


def test_a_composite_metric_lists_each_part(estate):
    # D1 unseen for 30 days (D2 was seen), one unknown device ("ghost"), no mismatch
    # (BOB is bob, case-insensitively).
    frame = api.records(estate, "discovery_discrepancies", A)
    assert sorted(
        zip(frame["part"], frame["asset_tag"].fillna(frame.get("device")), strict=True)
    ) == [("deployed_unseen_30d", "D1"), ("discovered_not_in_itam", "ghost")]
    assert api.compute(estate, A, ["discovery_discrepancies"]) == {"discovery_discrepancies": 2.0}


def test_records_refuse_a_dimension_the_rows_do_not_carry(estate):
    with pytest.raises(api.UnsupportedDimension, match="carry no dimension"):
        api.records(estate, "discovery_discrepancies", A, {"department": ["IT"]})
