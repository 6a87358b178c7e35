"""The strategy's scope switch: while on, every metric leaves out-of-scope rows out."""

from __future__ import annotations

from dashboard import strategy as S
from metrics import api
from tests.metric_fixtures import A, asset, load, ticket


def _estate(engine):
    load(
        engine,
        assets=[
            asset(
                "L1", "laptop", location="Paris", purchase_cost=1000.0, purchase_date="2026-06-01"
            ),
            asset("I1", "iot", location="Paris", purchase_cost=50.0, purchase_date="2026-06-01"),
            asset("I2", "iot", location="Lyon", purchase_cost=70.0, purchase_date="2026-06-01"),
        ],
        # A ticket on the IoT device and one with no asset (no category: always counted).
        tickets=[
            ticket("R1", "rma", "2026-06-01 10:00", asset_tag="I1"),
            ticket("R2", "rma", "2026-06-02 10:00"),
        ],
    )
    S.save_rows(
        engine,
        "scope",
        [
            {"kind": "category", "name": "laptop", "in_scope": True},
            {"kind": "category", "name": "iot", "in_scope": False},
        ],
        "eve",
    )


def test_off_by_default_then_every_metric_call_honours_it(engine):
    _estate(engine)
    ids = ["active_devices", "hardware_spend_12m", "rma_12m"]
    assert api.compute(engine, A, ids) == {
        "active_devices": 3,
        "hardware_spend_12m": 1120.0,
        "rma_12m": 2,
    }
    S.set_scope_switch(engine, True, "eve")
    assert api.active_scope(engine) == {"category": ["iot"]}
    # The IoT devices leave the counts, sums and the ticket that names one.
    assert api.compute(engine, A, ids) == {
        "active_devices": 1,
        "hardware_spend_12m": 1000.0,
        "rma_12m": 1,
    }
    assert api.breakdown(engine, "active_devices", "category", A) == {"laptop": 1}
    assert list(api.records(engine, "active_devices", A)["asset_tag"]) == ["L1"]
    # Asked for explicitly, the whole estate is still there.
    assert api.compute(engine, A, ["active_devices"], in_scope=False) == {"active_devices": 3}


def test_the_whole_estate_on_a_fresh_database(engine):
    # Asking first without the scope still builds what the engine derives from the data.
    _estate(engine)
    assert api.compute(engine, A, ["active_devices"], in_scope=False) == {"active_devices": 3}


def test_editing_the_scope_while_on_moves_the_metrics(engine):
    _estate(engine)
    S.set_scope_switch(engine, True, "eve")
    S.save_rows(engine, "scope", [{"kind": "location", "name": "Lyon", "in_scope": False}], "eve")
    assert api.compute(engine, A, ["active_devices"]) == {"active_devices": 2}  # I2 (Lyon) out
    S.set_scope_switch(engine, False, "eve")
    assert api.active_scope(engine) is None
    assert api.compute(engine, A, ["active_devices"]) == {"active_devices": 3}
