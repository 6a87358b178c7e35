"""Data access for the pages: metrics, KPIs, history, look-ups, all cached.

Pages never touch the database: they call these functions. Results are
cached with `st.cache_data` keyed by (metric, as-of, filters, breakdown,
scope) and by the data version (the time of the last import), so an import
shows at once and a filter change on a page that was seen before is instant.
Filters travel as `FKey` tuples (hashable); scoping happens before the call.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
from dataclasses import dataclass

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from dashboard import auth, database, fmt, history, kpis, store, strategy
from dashboard.kpis import KpiInvalid
from metrics import api, dimensions, materialize
from metrics.catalog import METRICS
from metrics.kpi import change_pct

# The dimensions budget rows carry: a budget view under any other filter has no answer.
BUDGET_DIMS = dimensions.names(budgets=True)

FKey = tuple[tuple[str, tuple[str, ...]], ...]


def fkey(filters: dict[str, list[str]] | None) -> FKey:
    return tuple(sorted((k, tuple(v)) for k, v in (filters or {}).items() if v))


def fdict(key: FKey) -> dict[str, list[str]] | None:
    return {k: list(v) for k, v in key} or None


def engine() -> Engine:
    """The process-wide engine (DATABASE_URL, else data/itam.duckdb)."""
    return _engine(database.database_url())


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    eng = database.get_engine(url)
    try:
        kpis.ensure_default_kpis(eng)
    except Exception:  # noqa: BLE001 - KPIs are optional until the catalogue is there
        pass
    return eng


def _settings() -> dict[str, str | None]:
    return _settings_of(database.database_url())


@st.cache_data(ttl=5, show_spinner=False)
def _settings_of(url: str) -> dict[str, str | None]:
    eng = _engine(url)
    keys = (
        "last_import_at",
        "demo_mode",
        "demo_as_of",
        "organisation",
        "currency",
        "data_version",
        "metric_exclusions",
        "fiscal_year_start_month",
    )
    return {k: store.get_setting(eng, k) for k in keys}


def version() -> str:
    """Changes whenever the data does: part of every cache key."""
    got = _settings()
    return (
        f"{database.database_url()}|{got.get('last_import_at') or ''}"
        f"|{got.get('data_version') or ''}|{got.get('metric_exclusions') or ''}"
        # Issue 15: the fiscal year and the own currency change metric values too.
        f"|{got.get('fiscal_year_start_month') or ''}|{got.get('currency') or ''}"
    )


@st.cache_data(ttl=5, show_spinner=False)
def _goal_order(url: str) -> list[str]:
    return strategy.goal_order(_engine(url))


def goal_order() -> list[str]:
    """The goals, heaviest first by the strategy's priorities (the default order without)."""
    return _goal_order(database.database_url())


def scope_switch_note() -> str | None:
    """What the strategy's scope switch leaves out of every metric, when it is on."""
    raw = setting("metric_exclusions")
    if not raw:
        return None
    parts = [
        f"{dim.replace('_', ' ')} {', '.join(values)}" for dim, values in json.loads(raw).items()
    ]
    return "Scope switch on: out of scope and left out of the metrics: " + "; ".join(parts)


def setting(key: str, default: str | None = None) -> str | None:
    value = _settings().get(key)
    return default if value in (None, "") else value


def demo_mode() -> bool:
    return setting("demo_mode") == "true"


def organisation() -> str:
    return setting("organisation", "Your organisation") or "Your organisation"


def currency() -> str:
    return (setting("currency") or "EUR").upper()


def default_as_of() -> dt.date:
    """Today; in demo mode the date the demo was built for (its data stays consistent)."""
    if demo_mode() and setting("demo_as_of"):
        try:
            return dt.date.fromisoformat(setting("demo_as_of"))
        except ValueError:
            pass
    return dt.date.today()


def last_import() -> dt.datetime | None:
    value = _settings().get("last_import_at")
    return dt.datetime.fromisoformat(value) if value else None


def prepare_metrics() -> None:
    """Build the metric engine's derived tables for the current data now (after an import),
    rather than in the first page that asks for a metric."""
    materialize.ensure_fresh(engine())


def clear_settings() -> None:
    _settings_of.clear()


# --------------------------------------------------------------- metrics


@dataclass(frozen=True)
class MetricView:
    """A metric ready for a page: its filters after scope, or why it cannot be shown."""

    metric_id: str
    filters: FKey
    reason: str | None = None  # "not available in your scope", ...


def catalog() -> dict:
    return METRICS


def metric(metric_id: str):
    return catalog()[metric_id]


def supports(metric_id: str, dims) -> bool:
    return api.supports(metric_id, tuple(dims))


def view(
    metric_id: str, filters: dict[str, list[str]] | None, scope: dict[str, list[str]] | None
) -> MetricView:
    """Narrow `filters` to `scope` and check the metric carries every dimension involved."""
    if scope and not supports(metric_id, tuple(scope)):
        return MetricView(metric_id, (), "not available in your scope")
    effective = auth.scoped_filters(filters, scope)
    if effective is None:
        return MetricView(metric_id, (), "your filters select nothing in your scope")
    missing = [d for d in effective if d not in (scope or {}) and not supports(metric_id, (d,))]
    if missing:
        names = ", ".join(m.replace("_", " ") for m in missing)
        return MetricView(metric_id, (), f"not available by {names}")
    return MetricView(metric_id, fkey(effective))


@st.cache_data(show_spinner=False, max_entries=2000)
def _compute(metric_ids: tuple[str, ...], as_of: dt.date, filters: FKey, ver: str) -> dict:
    return api.compute(engine(), as_of, list(metric_ids), filters=fdict(filters))


def values(views: list[MetricView], as_of: dt.date) -> dict[str, float | None]:
    """Headline values, one engine call per distinct filter set."""
    out: dict[str, float | None] = {}
    for key, ids in _by_filters(views).items():
        out.update(_compute(ids, as_of, key, version()))
    return out


def _by_filters(views: list[MetricView]) -> dict[FKey, tuple[str, ...]]:
    """The metric ids of the views that can be shown, by their filters."""
    groups: dict[FKey, set[str]] = {}
    for v in views:
        if v.reason is None:
            groups.setdefault(v.filters, set()).add(v.metric_id)
    return {key: tuple(sorted(ids)) for key, ids in groups.items()}


def value(v: MetricView, as_of: dt.date) -> float | None:
    return None if v.reason else values([v], as_of).get(v.metric_id)


@st.cache_data(show_spinner=False, max_entries=2000)
def _breakdown(metric_id: str, by: str, as_of: dt.date, filters: FKey, ver: str) -> dict:
    return api.breakdown(engine(), metric_id, by, as_of, filters=fdict(filters))


def breakdown(v: MetricView, by: str, as_of: dt.date) -> pd.DataFrame:
    """Members and values, largest first (empty when the metric cannot be broken down so)."""
    if v.reason or not supports(v.metric_id, (by,)):
        return pd.DataFrame(columns=["member", "value"])
    got = _breakdown(v.metric_id, by, as_of, v.filters, version())
    frame = pd.DataFrame({"member": list(got.keys()), "value": list(got.values())})
    return frame.sort_values("value", ascending=False, na_position="last", ignore_index=True)


def trend(v: MetricView, as_of: dt.date, months: int = 12) -> pd.DataFrame:
    """Date, value and source (recorded | recomputed | none: a gap) at each month end, as_of last."""
    if v.reason:
        return pd.DataFrame(columns=["date", "value", "source"])
    return trends([v], as_of, months)[v.metric_id]


@st.cache_data(show_spinner=False, max_entries=200)
def _records(metric_id: str, as_of: dt.date, filters: FKey, limit: int | None, ver: str):
    return api.records(engine(), metric_id, as_of, filters=fdict(filters), limit=limit)


def records(v: MetricView, as_of: dt.date, limit: int | None = None) -> pd.DataFrame:
    if v.reason:
        return pd.DataFrame()
    return _records(v.metric_id, as_of, v.filters, limit, version())


# --------------------------------------------------------------- KPIs


@st.cache_data(show_spinner=False, max_entries=200)
def _kpis(as_of: dt.date, scope: FKey, ver: str, kver: int) -> list:
    return kpis.evaluate(engine(), as_of, scope=fdict(scope))


def kpi_results(as_of: dt.date, scope_filters: dict[str, list[str]] | None) -> list:
    """Every active KPI evaluated under the user's scope (and filters)."""
    return _kpis(as_of, fkey(scope_filters), version(), st.session_state.get("_kver", 0))


def kpis_changed() -> None:
    """After an edit: every session recomputes KPI results (the cache is shared)."""
    _kpis.clear()


def kpi_rows():
    return kpis.list_kpis(engine())


def breach_records(kpi_id: str, as_of: dt.date, scope_filters) -> pd.DataFrame:
    return kpis.breach_records(engine(), kpi_id, as_of, scope=scope_filters)


def audit_entries(kpi_id: str | None = None) -> pd.DataFrame:
    return kpis.audit_entries(engine(), kpi_id)


# --------------------------------------------------------------- dimension members


@st.cache_data(show_spinner=False)
def members(dim: str, ver: str = "") -> list[str]:
    """The values a filter on `dim` can take (from every table that carries it)."""
    return api.members(engine(), dim)


def data_counts() -> dict[str, int]:
    return _data_counts(version())


@st.cache_data(show_spinner=False)
def _data_counts(ver: str) -> dict[str, int]:
    return store.table_counts(engine())


# --------------------------------------------------------------- budget (CFO)


@st.cache_data(show_spinner=False)
def _budget(year: int, filters: FKey, ver: str) -> pd.DataFrame:
    # The budget rows of the year, through the metric engine (filters as bound parameters,
    # the strategy's scope switch honoured): the same rows as the budget_to_date measure.
    rows = api.records(
        engine(),
        "budget_to_date",
        dt.date(year, 12, 31),
        filters=fdict(filters),
        columns=("spend_type", "amount"),
    )
    if rows.empty:
        return pd.DataFrame(columns=["spend_type", "amount"])
    return rows.groupby("spend_type", as_index=False)["amount"].sum()


def budget(year: int, filters: dict[str, list[str]] | None) -> pd.DataFrame | None:
    """Budget by spend type for `year` within `filters` (the user's filters already narrowed
    to their scope: never call it with None for "outside the scope"); None when a filter is
    on a dimension budgets lack."""
    flt = filters or {}
    if any(d not in BUDGET_DIMS for d in flt):
        return None
    return _budget(year, fkey(flt), version())


def yoy(v: MetricView, as_of: dt.date) -> float | None:
    """Percent change against one year before (None: no data or a zero baseline)."""
    return None if v.reason else yoys([v], as_of).get(v.metric_id)


# --------------------------------------------------------------- rows of a metric's subject


@st.cache_data(show_spinner=False, max_entries=500)
def _shaped(
    shape_name: str,
    _shape,
    metric_id: str,
    as_of: dt.date,
    filters: FKey,
    columns: tuple[str, ...] | None,
    ver: str,
) -> pd.DataFrame:
    rows = api.records(engine(), metric_id, as_of, fdict(filters), columns=columns)
    return _shape(rows, as_of)


def shaped(
    v: MetricView, as_of: dt.date, shape, columns: tuple[str, ...] | None = None
) -> pd.DataFrame:
    """`shape(rows, as_of)` of a metric's rows (all of them, or `columns` of them), cached.

    For charts that summarise many rows (a million-asset estate has 300,000 devices due for
    refresh): the cache keeps the small summary, not the rows, so a rerun costs nothing.
    `shape` is a module-level function; its qualified name is the cache key.
    """
    name = f"{shape.__module__}.{shape.__qualname__}"
    return _shaped(name, shape, v.metric_id, as_of, v.filters, columns, version())


def dimensions(metric_id: str) -> tuple[str, ...]:
    return api.dimensions(metric_id)


# --------------------------------------------------------------- many metrics over time (tiles)


@st.cache_data(show_spinner=False, max_entries=500)
def _trends(
    metric_ids: tuple[str, ...], as_of: dt.date, filters: FKey, months: int, ver: str
) -> dict:
    """{day: {metric: (value, source)}} for the month ends, as_of and one year before as_of
    (the change), each past value recorded, recomputed or a gap (dashboard/history.py)."""
    days = history.month_points(as_of, months) + [history.year_before(as_of)]
    return history.points_on_days(engine(), metric_ids, days, as_of, fdict(filters))


def _trend_groups(views: list[MetricView], as_of: dt.date, months: int):
    """(metric ids, {day: {metric: (value, source)}}) per distinct filter set of the views."""
    for key, ids in _by_filters(views).items():
        yield ids, _trends(ids, as_of, key, months, version())


def clear_trends() -> None:
    """After past values were imported: trends, changes and KPI baselines read them again."""
    _trends.clear()
    kpis_changed()


def trends(views: list[MetricView], as_of: dt.date, months: int = 12) -> dict[str, pd.DataFrame]:
    """Each metric's date, value and source at the last `months` month ends (as_of last)."""
    days = history.month_points(as_of, months)
    out = {}
    for ids, got in _trend_groups(views, as_of, months):
        for m in ids:
            rows = [(d, *got[d][m]) for d in days]
            out[m] = pd.DataFrame(rows, columns=["date", "value", "source"])
    return out


def _changes(views: list[MetricView], as_of: dt.date, trend_months: int) -> dict[str, tuple]:
    """{metric: (change in %, source of the value a year before)}."""
    before = history.year_before(as_of)
    out = {}
    for ids, got in _trend_groups(views, as_of, trend_months):
        for m in ids:
            then, source = got[before][m]
            out[m] = (change_pct(got[as_of][m][0], then), source)
    return out


def yoys(views: list[MetricView], as_of: dt.date, trend_months: int = 1) -> dict[str, float | None]:
    """Percent change against 365 days before (None: no record then, no data or a zero
    baseline). With `trend_months` as in a `trends` call on the same views, the values
    come from that call's (cached) result."""
    return {m: change for m, (change, _s) in _changes(views, as_of, trend_months).items()}


NO_RECORD = "no record a year ago"


def change_texts(views: list[MetricView], as_of: dt.date, trend_months: int = 1) -> dict[str, str]:
    """What a tile says about the change against a year before: the change, or that a state
    metric has no record of a year ago (never +0.0 % from today's rows)."""
    return {
        m: NO_RECORD if source == "none" else fmt.change_text(change)
        for m, (change, source) in _changes(views, as_of, trend_months).items()
    }


def change_text(v: MetricView, as_of: dt.date) -> str | None:
    """`change_texts` of one view (None when the view cannot be shown)."""
    return None if v.reason else change_texts([v], as_of).get(v.metric_id)


_SNAPSHOT_DAYS: set[tuple[str, dt.date]] = set()


def snapshot_today_in_background() -> None:
    """The day's first request records today's metric values (history), off the request thread."""
    key = (database.database_url(), dt.date.today())
    if os.environ.get("ITAM_DAILY_SNAPSHOT", "1") == "0" or key in _SNAPSHOT_DAYS:
        return
    _SNAPSHOT_DAYS.add(key)

    def work() -> None:
        try:
            history.ensure_today(engine())
        except Exception:  # noqa: BLE001 - history is a convenience; the pages recompute
            pass

    threading.Thread(target=work, name="itam-daily-snapshot", daemon=True).start()


# --------------------------------------------------------------- KPI editing (asset manager, admin)


def create_kpi(user: str, **fields):
    row = kpis.create_kpi(engine(), user, **fields)
    kpis_changed()
    return row


def update_kpi(user: str, kpi_id: str, **changes):
    row = kpis.update_kpi(engine(), user, kpi_id, **changes)
    kpis_changed()
    return row


def kpi_invalid():
    return KpiInvalid


def end_demo_mode() -> None:
    """A real user was added: demo mode ends (the demo users go with it)."""
    store.set_setting(engine(), "demo_mode", "false")
    clear_settings()
