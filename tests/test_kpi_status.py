"""The pure KPI rules of metrics.md ("KPIs"), boundary by boundary."""

from __future__ import annotations

import math

import pytest

from metrics import kpi

# (kind, value, target, tolerance, baseline, unit, expected)
CASES = [
    # within t (issue 15): |v| <= t green, <= t + tol amber (tol 2 for %)
    ("within", -5.0, 5, None, None, "%", "green"),
    ("within", 4.99, 5, None, None, "%", "green"),
    ("within", 0.0, 5, None, None, "%", "green"),
    ("within", -6.5, 5, None, None, "%", "amber"),
    ("within", 7.0, 5, None, None, "%", "amber"),
    ("within", -7.01, 5, None, None, "%", "red"),
    ("within", None, 5, None, None, "%", "grey"),
    # no data
    ("at_most", None, 5, None, None, "%", "grey"),
    ("at_least", math.nan, 97, None, None, "%", "grey"),
    ("equals", None, 0, None, None, "count", "grey"),
    ("change_at_most", None, -10, None, 100, "money", "grey"),
    ("change_at_most", 90, -10, None, None, "money", "grey"),  # no baseline value
    ("change_at_least", 5, 30, None, 0, "money", "grey"),  # baseline 0
    # at_most, % metric: default tol 2
    ("at_most", 4.0, 5, None, None, "%", "green"),
    ("at_most", 5.0, 5, None, None, "%", "green"),  # exactly on target
    ("at_most", 6.5, 5, None, None, "%", "amber"),
    ("at_most", 7.0, 5, None, None, "%", "amber"),  # t + tol
    ("at_most", 7.01, 5, None, None, "%", "red"),
    ("at_most", 0.0, 1, None, None, "%", "green"),
    # at_most, not a % metric: default tol 10% of |t| = 10
    ("at_most", 100.0, 100, None, None, "money", "green"),
    ("at_most", 110.0, 100, None, None, "money", "amber"),
    ("at_most", 110.5, 100, None, None, "money", "red"),
    # at_most, explicit tolerance
    ("at_most", 5.5, 5, 0.5, None, "%", "amber"),
    ("at_most", 5.6, 5, 0.5, None, "%", "red"),
    ("at_most", 5.1, 5, 0, None, "%", "red"),
    # at_least, % metric: default tol 2
    ("at_least", 98.0, 97, None, None, "%", "green"),
    ("at_least", 97.0, 97, None, None, "%", "green"),
    ("at_least", 96.0, 97, None, None, "%", "amber"),
    ("at_least", 95.0, 97, None, None, "%", "amber"),
    ("at_least", 94.99, 97, None, None, "%", "red"),
    ("at_least", 29 / 100 * 100, 29, None, None, "%", "green"),  # 28.999999999999996
    # at_least, count: tol 10% of 50 = 5
    ("at_least", 45.0, 50, None, None, "count", "amber"),
    ("at_least", 44.0, 50, None, None, "count", "red"),
    # at_least with a negative target: tol uses |t|
    ("at_least", -11.0, -10, None, None, "money", "amber"),
    ("at_least", -11.5, -10, None, None, "money", "red"),
    # equals: default tol 0
    ("equals", 0.0, 0, None, None, "count", "green"),
    ("equals", 1.0, 0, None, None, "count", "red"),
    ("equals", 1e-12, 0, None, None, "count", "green"),
    ("equals", 2.0, 0, 2, None, "count", "amber"),
    ("equals", -2.0, 0, 2, None, "count", "amber"),
    ("equals", 3.0, 0, 2, None, "count", "red"),
    # change_at_most -10% (default tol 5 points); baseline 200
    ("change_at_most", 170.0, -10, None, 200, "money", "green"),  # -15%
    ("change_at_most", 180.0, -10, None, 200, "money", "green"),  # exactly -10%
    ("change_at_most", 190.0, -10, None, 200, "money", "amber"),  # -5% = p + tol
    ("change_at_most", 191.0, -10, None, 200, "money", "red"),  # -4.5%
    ("change_at_most", 220.0, -10, None, 200, "money", "red"),  # +10%
    # change_at_least +30%; baseline 100
    ("change_at_least", 130.0, 30, None, 100, "money", "green"),
    ("change_at_least", 150.0, 30, None, 100, "money", "green"),
    ("change_at_least", 125.0, 30, None, 100, "money", "amber"),  # 25% = p - tol
    ("change_at_least", 124.0, 30, None, 100, "money", "red"),
    # change_at_least 0% (csat): baseline 4.0
    ("change_at_least", 4.0, 0, None, 4.0, "score", "green"),
    ("change_at_least", 3.9, 0, None, 4.0, "score", "amber"),  # -2.5%
    ("change_at_least", 3.8, 0, None, 4.0, "score", "amber"),  # -5%
    ("change_at_least", 3.7, 0, None, 4.0, "score", "red"),  # -7.5%
    # negative baseline: change is over |b|; -50 -> -40 is +20%
    ("change_at_least", -40.0, 20, None, -50, "money", "green"),
    ("change_at_most", -60.0, -20, None, -50, "money", "green"),  # -20%
    # explicit tolerance on a change kind
    ("change_at_most", 185.0, -10, 1, 200, "money", "red"),  # -7.5% > -9
]


@pytest.mark.parametrize("kind,value,target,tol,baseline,unit,expected", CASES)
def test_status(kind, value, target, tol, baseline, unit, expected):
    assert kpi.status(kind, value, target, tol, baseline, unit=unit) == expected


@pytest.mark.parametrize(
    "kind,target,unit,expected",
    [
        ("at_most", 5, "%", 2.0),
        ("at_least", 97, "%", 2.0),
        ("at_most", 100, "money", 10.0),
        ("at_least", -30, "count", 3.0),
        ("at_most", 0, "count", 0.0),
        ("equals", 0, "count", 0.0),
        ("equals", 50, "%", 0.0),
        ("change_at_most", -10, "money", 5.0),
        ("change_at_least", 30, "%", 5.0),
    ],
)
def test_default_tolerance(kind, target, unit, expected):
    assert kpi.default_tolerance(kind, target, unit) == pytest.approx(expected)


@pytest.mark.parametrize(
    "value,baseline,expected",
    [
        (90, 100, -10.0),
        (130, 100, 30.0),
        (-40, -50, 20.0),
        (5, 0, None),
        (None, 5, None),
        (5, None, None),
    ],
)
def test_change_pct(value, baseline, expected):
    got = kpi.change_pct(value, baseline)
    assert got == (None if expected is None else pytest.approx(expected))


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown target kind"):
        kpi.status("below", 1, 2)


@pytest.mark.parametrize(
    "kind,direction,fits",
    [
        ("at_most", "down", True),
        ("at_most", "up", False),
        ("change_at_least", "down", False),
        ("change_at_least", "up", True),
        ("equals", "up", True),
        ("at_least", None, True),
    ],
)
def test_fits_direction(kind, direction, fits):
    assert kpi.fits_direction(kind, direction) is fits


def test_defaults_are_the_nine_of_the_spec():
    rows = [(d.goal, d.metric, d.target_kind, d.target, d.baseline_days) for d in kpi.DEFAULT_KPIS]
    assert rows == [
        ("optimize_spend", "top10_contract_spend", "change_at_most", -10.0, 365),
        ("optimize_spend", "pool_cost_avoidance_30d", "change_at_least", 30.0, 365),
        ("optimize_spend", "spend_vs_budget_pct", "at_most", 100.0, None),
        ("manage_risk", "security_incidents_undiscovered_12m", "equals", 0.0, None),
        ("manage_risk", "deployed_not_discovered_30d_pct", "at_most", 1.0, None),
        ("manage_risk", "disposed_without_certificate", "equals", 0.0, None),
        ("enhance_service", "csat_avg_90d", "change_at_least", 0.0, 365),
        ("enhance_service", "standard_devices_pct", "at_least", 97.0, None),
        ("enhance_service", "requests_beyond_target_pct_90d", "at_most", 5.0, None),
        ("optimize_spend", "budget_variance_pct_ytd", "within", 5.0, None),  # issue 15
    ]
    assert {d.goal for d in kpi.DEFAULT_KPIS} == set(kpi.GOALS)
