"""What the strategy document shows: the strategy as plain data and the KPIs, read once.

The deck (strategy_deck.py) and the workbook (strategy_workbook.py) are built
from the same `Content`: `strategy.snapshot` plus the KPIs as
`dashboard.kpis.evaluate` gives them (ordered by the priorities) with twelve
months of history each, within the reader's scope. Nothing here writes to the
database (but `gather` seeds the strategy on a first use, as the page does).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Engine

from dashboard import fmt, history, kpis, permissions, store, strategy
from dashboard.permissions import Access
from dashboard.strategy_rows import SECTIONS
from metrics import api
from metrics.catalog import METRICS

# The colour (hex) of a KPI status in both documents.
STATUS_RGB = {"green": "2E7D32", "amber": "F9A825", "red": "C62828", "grey": "9E9E9E"}


@dataclass
class KpiLine:
    id: str
    goal: str
    metric: str
    label: str
    unit: str
    target: str
    value: float | None
    value_text: str
    status: str
    trend: list[tuple[dt.date, float | None]] = field(default_factory=list)
    # issue 12 (helper C): where each trend point comes from (recorded | recomputed | none)
    sources: list[str] = field(default_factory=list)


@dataclass
class Content:
    as_of: dt.date
    organisation: str
    strategy: dict
    kpis: list[KpiLine]
    kpi_note: str = ""
    scope_line: str = "the whole estate"  # whose figures: the reader's scope, on the cover


# The same words and numbers as the pages (dashboard/fmt.py is pure: no streamlit).


def gather(
    engine: Engine,
    as_of: dt.date | None = None,
    trend_months: int = 12,
    access: Access | None = None,
) -> Content:
    """Everything both documents show, read once; the KPIs within `access`'s scope.

    Raises permissions.Refused when the user may not have the strategy document.
    """
    access = access or permissions.operator()
    access.require("strategy_export")
    scope = access.scoped(None) or None
    as_of = as_of or dt.date.today()
    strategy.ensure_seeded(engine)
    snap = strategy.snapshot(engine)
    kpis, note = kpi_lines(engine, as_of, snap["goal_order"], trend_months, scope)
    org = store.get_setting(engine, "organisation") or "Our organisation"
    return Content(as_of, org, snap, kpis, note, access.scope_line())


def _trend_filters(metric_id: str, kpi_scope: dict | None, scope: dict | None):
    """The KPI's own scope within the reader's; False when they exclude each other or the
    metric cannot be filtered so (its trend is then left empty, never the whole estate)."""
    out = {d: list(v) for d, v in (scope or {}).items()}
    for dim, values in (kpi_scope or {}).items():
        values = [values] if isinstance(values, str) else list(values)
        if dim in out and not set(values) & set(out[dim]):
            return False
        out[dim] = list(values)
    if out and not api.supports(metric_id, tuple(out)):
        return False
    return out or None


def kpi_lines(engine, as_of, goal_order, months, scope=None) -> tuple[list[KpiLine], str]:
    """The KPIs with value, status and a monthly trend, and a note for the documents (blank)."""
    currency = store.get_setting(engine, "currency") or fmt.DEFAULT_CURRENCY
    lines = []
    for r in kpis.evaluate(engine, as_of, scope):
        m = METRICS.get(r.metric)
        unit = m.unit if m else "count"
        filters = _trend_filters(r.metric, r.scope, scope)
        if filters is False:  # no figures in this scope: the months, each without a value
            trend = [(d, None) for d in history.month_points(as_of, months)]
            sources = ["none"] * len(trend)
        else:
            marked = history.series_with_source(engine, r.metric, as_of, months, filters)
            trend, sources = [(d, v) for d, v, _s in marked], [src for _d, _v, src in marked]
        lines.append(
            KpiLine(
                str(r.id),
                r.goal,
                r.metric,
                m.label if m else r.metric,
                unit,
                fmt.target_text(r.target_kind, r.target, unit, currency),
                r.value,
                fmt.metric_value(r.value, unit, currency),
                r.status,
                trend,
                sources,
            )
        )
    rank = {g: i for i, g in enumerate(goal_order)}
    lines.sort(key=lambda k: (rank.get(k.goal, 9), k.id))
    return lines, ""


def label(value: str, table: dict | None = None) -> str:
    if table and value in table:
        return table[value]
    return (value or "").replace("_", " ").capitalize()


def kpi_names(content: Content) -> dict[str, str]:
    return {k.id: f"#{k.id} {k.label}" for k in content.kpis}


def level_name(key: str | None) -> str:
    return strategy.LEVEL_NAMES.get(key or "", "not assessed")


def date_text(v) -> str:
    """A date as YYYY-MM-DD; blank for None, NaT or NaN."""
    if v is None or v != v:  # NaT / NaN are not equal to themselves
        return ""
    return v.isoformat()[:10] if hasattr(v, "isoformat") else str(v)


def section_table(s: dict, section: str) -> tuple[list[str], list[list]]:
    """A section of the snapshot `s` as both documents show it: its columns' labels (as
    declared in strategy_rows.SECTIONS) and its rows, stored codes in words."""
    cols = SECTIONS[section].columns
    rows = [[label(r[c.name]) if c.kind == "enum" else r[c.name] for c in cols] for r in s[section]]
    return [c.label for c in cols], rows
