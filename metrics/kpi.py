"""KPI rules, pure: goals, target kinds, default tolerances, status, the defaults.

A KPI is a metric with a target aligned to a goal (metrics.md, "KPIs"). Storage,
editing and evaluation against the data live in `dashboard/kpis.py`; this module
only knows numbers, so every rule can be tested by a table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

GOALS: tuple[str, ...] = ("optimize_spend", "manage_risk", "enhance_service")
GOAL_LABELS: dict[str, str] = {
    "optimize_spend": "Optimize spend",
    "manage_risk": "Manage risk",
    "enhance_service": "Enhance IT service",
}

TARGET_KINDS: tuple[str, ...] = (
    "at_most",
    "at_least",
    "equals",
    "change_at_most",
    "change_at_least",
    "within",  # |v| <= t: a variance kept within ±t (issue 15's budget KPI)
)
CHANGE_KINDS: frozenset[str] = frozenset({"change_at_most", "change_at_least"})
STATUSES: tuple[str, ...] = ("green", "amber", "red", "grey")

# "one year before" (metrics.md): A - 365 days.
DEFAULT_BASELINE_DAYS = 365

# Comparisons treat values within EPS of the bound as on it: a percentage
# computed as 29 / 100 * 100 is 28.999999999999996, and "exactly on target" is
# green. The spec's own `equals` rule uses the same 1e-9.
EPS = 1e-9

# Which kinds go against a metric's direction (validation refuses them).
_AGAINST_DIRECTION = {
    "up": frozenset({"at_most", "change_at_most"}),
    "down": frozenset({"at_least", "change_at_least"}),
}


def is_change(kind: str) -> bool:
    return kind in CHANGE_KINDS


def fits_direction(kind: str, direction: str | None) -> bool:
    """False when the kind rewards the opposite of the metric's direction."""
    return kind not in _AGAINST_DIRECTION.get(direction or "", frozenset())


def default_tolerance(kind: str, target: float, unit: str | None = None) -> float:
    """The amber tolerance where none is set (metrics.md, "Default tol")."""
    _check_kind(kind)
    if kind == "equals":
        return 0.0
    if kind in CHANGE_KINDS:
        return 5.0
    return 2.0 if unit == "%" else 0.1 * abs(target)


def change_pct(value: float | None, baseline: float | None) -> float | None:
    """(v - b) / |b| x 100; None when either is missing or b is 0."""
    if _missing(value) or _missing(baseline) or baseline == 0:
        return None
    return (value - baseline) / abs(baseline) * 100.0


def status(
    kind: str,
    value: float | None,
    target: float,
    tolerance: float | None = None,
    baseline: float | None = None,
    unit: str | None = None,
) -> str:
    """green (met), amber (missed by at most the tolerance), red, or grey (no data).

    For the change kinds `target` is a percent change (-10 means -10%) and
    `baseline` the metric's value at the baseline date.
    """
    _check_kind(kind)
    if _missing(value):
        return "grey"
    tol = default_tolerance(kind, target, unit) if tolerance is None else float(tolerance)
    if kind in CHANGE_KINDS:
        value = change_pct(value, baseline)
        if value is None:
            return "grey"
    if kind in ("at_most", "change_at_most"):
        miss = value - target
    elif kind in ("at_least", "change_at_least"):
        miss = target - value
    elif kind == "within":
        miss = abs(value) - target
    else:
        miss = abs(value - target)
    if miss <= EPS:
        return "green"
    return "amber" if miss <= tol + EPS else "red"


def _missing(x: float | None) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def _check_kind(kind: str) -> None:
    if kind not in TARGET_KINDS:
        raise ValueError(f"unknown target kind {kind!r} (one of {', '.join(TARGET_KINDS)})")


@dataclass(frozen=True)
class KpiDefault:
    goal: str
    metric: str
    target_kind: str
    target: float
    baseline_days: int | None = None


# The ten KPIs shipped with the product (metrics.md, "Defaults"), in its order.
DEFAULT_KPIS: tuple[KpiDefault, ...] = (
    KpiDefault(
        "optimize_spend", "top10_contract_spend", "change_at_most", -10.0, DEFAULT_BASELINE_DAYS
    ),
    KpiDefault(
        "optimize_spend", "pool_cost_avoidance_30d", "change_at_least", 30.0, DEFAULT_BASELINE_DAYS
    ),
    KpiDefault("optimize_spend", "spend_vs_budget_pct", "at_most", 100.0),
    KpiDefault("manage_risk", "security_incidents_undiscovered_12m", "equals", 0.0),
    KpiDefault("manage_risk", "deployed_not_discovered_30d_pct", "at_most", 1.0),
    KpiDefault("manage_risk", "disposed_without_certificate", "equals", 0.0),
    KpiDefault("enhance_service", "csat_avg_90d", "change_at_least", 0.0, DEFAULT_BASELINE_DAYS),
    KpiDefault("enhance_service", "standard_devices_pct", "at_least", 97.0),
    KpiDefault("enhance_service", "requests_beyond_target_pct_90d", "at_most", 5.0),
    # Issue 15: spend within ±5 % of the budget to date.
    KpiDefault("optimize_spend", "budget_variance_pct_ytd", "within", 5.0),
)
