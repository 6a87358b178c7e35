"""How a metric is declared: data, not code (see STYLE.md, MetricFlow)."""

from __future__ import annotations

from dataclasses import dataclass

CATEGORIES = ("compliance", "quality", "quantity", "cost", "time", "progress")
UNITS = ("count", "%", "money", "score", "days", "hours", "years")
# The roles of the app (one definition: dashboard/auth.py imports it; the page registry,
# users and scopes use these names).
ROLES: tuple[str, ...] = ("cio", "cfo", "asset_manager", "technician", "admin")
AGGREGATES = ("count", "sum", "avg", "max", "count_distinct")
# How a metric's past is known (metrics.md, "Trend"): "dated" when every input is a
# dated event or window (purchases, tickets, licence events, cloud months), so a past
# value is recomputed exactly; "state" when it reads the current state of rows
# (status, assignment, last patch, latest discovery), so only a record taken at the
# time knows its past.
TIME_BASES = ("dated", "state")

# Flags of derived_asset_facts (materialize.py): status IN ('in_stock', 'deployed',
# 'in_repair') and category IN ('laptop', 'desktop', 'tablet', 'phone'), computed once.
ACTIVE = "is_active"
END_USER = "is_end_user"
DISCOVERABLE = "category <> 'monitor'"


def last(days: int, column: str) -> str:
    """`column` in the last `days` days: A - days < d <= A."""
    return f"{column} > :a_m{days} AND {column} <= :a"


@dataclass(frozen=True)
class Metric:
    """A metric (or, with hidden=True, a measure other metrics refer to).

    Simple: `agg`(`expr`) over the rows of `subject` that satisfy `where`,
    times `factor`. Ratio: sum of the `numerator` measures over the
    `denominator` measure, times `scale`. Sum: the `numerator` measures added.
    """

    id: str
    label: str
    category: str
    unit: str
    direction: str | None
    description: str
    subject: str | None = None
    agg: str = "count"
    expr: str = "*"
    where: str = "true"
    factor: float = 1.0
    numerator: tuple[str, ...] = ()
    denominator: str | None = None
    scale: float = 1.0
    additive: bool | None = None  # None: counts and money sums are additive
    roles: tuple[str, ...] = ()
    hidden: bool = False
    # The records behind the metric, where they are not the counted rows
    # (a ratio's: its numerator's, unless set here).
    records_subject: str | None = None
    records_where: str | None = None
    records_columns: tuple[str, ...] = ()
    # Breakdowns beyond the subject's dimensions (device_age_years_avg: age buckets).
    extra_dimensions: tuple[str, ...] = ()
    # "dated" or "state" (TIME_BASES); every metric of the catalogue declares one.
    time_basis: str | None = None

    @property
    def kind(self) -> str:
        if self.subject:
            return "simple"
        return "ratio" if self.denominator else "sum"

    @property
    def inputs(self) -> tuple[str, ...]:
        """The measures a ratio or sum is made of."""
        if self.kind == "ratio":
            return self.numerator + (self.denominator,)
        return self.numerator

    @property
    def is_additive(self) -> bool:
        if self.additive is not None:
            return self.additive
        return (
            self.kind == "simple"
            and self.unit in ("count", "money")
            and self.agg in ("count", "sum")
        )


def measure(id: str, subject: str, where: str, agg: str = "count", expr: str = "*", **kw) -> Metric:
    """A hidden building block of ratios and sums."""
    return Metric(
        id=id,
        label=id,
        category="quantity",
        unit="count",
        direction=None,
        description="",
        subject=subject,
        agg=agg,
        expr=expr,
        where=where,
        hidden=True,
        **kw,
    )
