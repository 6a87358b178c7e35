"""Several as-of dates in one engine call (`api.compute_days`) and the history reads on top.

The hand-made KPI estate gives values by hand on two dates; the demo estate
checks every metric, day and filter against one `compute` per day.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from dashboard import database, history
from metrics import api
from tests import kpi_estate

A, BASELINE = kpi_estate.AS_OF, kpi_estate.BASELINE
D = dt.date


@pytest.fixture
def estate(engine):
    kpi_estate.load(engine)
    return engine


def test_hand_values_on_two_days(estate):
    got = api.compute_days(
        estate, [A, BASELINE], ["top10_contract_spend", "pool_cost_avoidance_30d", "csat_avg_90d"]
    )
    # kpi_estate's docstring: K1 + K2 = 1200 now, K1 + K3 = 1300 a year before; pool 100
    # against 80; csat 4.5 on both dates.
    assert got == {
        A: {"top10_contract_spend": 1200.0, "pool_cost_avoidance_30d": 100.0, "csat_avg_90d": 4.5},
        BASELINE: {
            "top10_contract_spend": 1300.0,
            "pool_cost_avoidance_30d": 80.0,
            "csat_avg_90d": 4.5,
        },
    }


def test_filters_apply_to_every_day(estate):
    got = api.compute_days(estate, [A, BASELINE], ["top10_contract_spend"], {"department": ["IT"]})
    # IT: K1 (1000) now; K1 + K3 (1000 + 300) a year before
    assert got == {A: {"top10_contract_spend": 1000.0}, BASELINE: {"top10_contract_spend": 1300.0}}


def test_repeated_and_missing_days(estate):
    got = api.compute_days(estate, [A, A], ["top10_contract_spend"])
    assert got == {A: {"top10_contract_spend": 1200.0}}
    assert api.compute_days(estate, [], ["top10_contract_spend"]) == {}
    with pytest.raises(api.UnknownMetric):
        api.compute_days(estate, [], ["no_such_metric"])


def test_trend_is_one_value_per_month_end(estate):
    got = api.trend(estate, "top10_contract_spend", A, months=13)
    assert got[0] == (D(2025, 6, 30), 1300.0)
    assert got[-1] == (A, 1200.0)
    # K3 ends on 2025-12-31 and K2 starts on 2025-07-01: 1500 from July to December
    assert dict(got)[D(2025, 12, 31)] == 1500.0
    assert dict(got)[D(2026, 1, 31)] == 1200.0


def _set_stored(engine, metric, value, day, dim="", member=""):
    with engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE metric_snapshots SET value = :v"
                " WHERE as_of = :d AND metric = :m AND dim = :dim AND member = :mem"
            ),
            {"v": value, "d": day, "m": metric, "dim": dim, "mem": member},
        )


def test_values_on_days_mix_snapshots_and_recomputed_days(estate):
    history.take_snapshot(estate, A)
    # a value only the snapshot knows: proves the fresh day is read, the other computed
    _set_stored(estate, "top10_contract_spend", 999.0, A)
    got = history.values_on_days(estate, ["top10_contract_spend", "csat_avg_90d"], [A, BASELINE])
    assert got == {
        A: {"top10_contract_spend": 999.0, "csat_avg_90d": 4.5},
        BASELINE: {"top10_contract_spend": 1300.0, "csat_avg_90d": 4.5},
    }
    # one department of an additive metric reads the stored member, a missing one is 0
    _set_stored(estate, "pool_cost_avoidance_30d", 7.0, A, dim="vendor", member="Acme")
    acme = history.values_on_days(estate, ["pool_cost_avoidance_30d"], [A], {"vendor": ["Acme"]})
    assert acme == {A: {"pool_cost_avoidance_30d": 7.0}}
    none = history.values_on_days(estate, ["pool_cost_avoidance_30d"], [A], {"vendor": ["Nowhere"]})
    assert none == {A: {"pool_cost_avoidance_30d": 0.0}}


# ------------------------------------------------------------ every metric on the demo estate

DEMO_AS_OF = D(2026, 6, 30)
DAYS = history.month_points(DEMO_AS_OF, 13) + [D(2024, 2, 29), D(2026, 12, 31)]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from dashboard.demo import small_demo

    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    engine = database.get_engine(path)
    small_demo(engine, DEMO_AS_OF)
    yield engine
    database.dispose(path)


def _close(a, b) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and a == pytest.approx(b))


@pytest.mark.parametrize(
    "filters",
    [
        None,
        {"department": ["Finance", "(none)"]},
        {"vendor": ["Dell", "Microsoft"], "location": ["London"]},
    ],
    ids=["all", "department", "vendor-location"],
)
def test_every_metric_and_day_equals_one_compute_per_day(demo, filters):
    ids = [m for m in api.METRICS if api.supports(m, tuple(filters or ()))]
    got = api.compute_days(demo, DAYS, ids, filters)
    assert list(got) == DAYS
    wrong = {}
    for day in DAYS:
        expected = api.compute(demo, day, ids, filters)
        wrong.update(
            {(day, m): (got[day][m], v) for m, v in expected.items() if not _close(got[day][m], v)}
        )
    assert wrong == {}
    # not a trivial comparison: the values move over the year
    moving = [m for m in ids if len({got[d][m] for d in DAYS}) > 1]
    assert len(moving) >= len(ids) // 3
