"""Metric history: snapshots of metric values by date, and series that read them.

A snapshot of a date holds the headline of every metric (dim = member = '')
and, for the additive metrics that carry them, the value of each member of
department, cost_center and vendor. Snapshots are written in bulk, one
transaction per date.

Freshness (metrics.md, "Trend"): a date's snapshot is used only when it was
taken after the last change to the data (`store.last_import_at`); an older one
is stale, is never read, and is replaced when that date is recorded again.
Recording a date that has a fresh snapshot changes nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, bindparam, insert, text

from dashboard import store
from dashboard.database import is_duckdb, raw_cursor
from dashboard.models import MetricSnapshot

log = logging.getLogger(__name__)

SNAPSHOT_DIMS: tuple[str, ...] = ("department", "cost_center", "vendor")

# Additive metrics whose breakdown is not the value under a filter:
# top10_contract_spend splits the same ten contracts among the members
# (metrics.md), while a filter picks the member's own ten largest.
BREAKDOWN_NOT_FILTER: frozenset[str] = frozenset({"top10_contract_spend"})

Filters = dict[str, list[str]] | None


@dataclass
class SnapshotResult:
    as_of: dt.date
    action: str  # written | replaced | unchanged
    rows: int
    seconds: float

    def to_json(self) -> dict:
        return {
            "as_of": self.as_of.isoformat(),
            "action": self.action,
            "rows": self.rows,
            "seconds": round(self.seconds, 3),
        }


# ------------------------------------------------------------------ dates


def month_points(as_of: dt.date, months: int = 12) -> list[dt.date]:
    """A monthly series' dates, oldest first: the month ends before as_of's month, then as_of."""
    from metrics.api import month_ends

    return month_ends(as_of, months) if months >= 1 else []


def backfill_dates(as_of: dt.date, months: int) -> list[dt.date]:
    """The last day of each of the `months` months before as_of's month, then as_of."""
    return month_points(as_of, months + 1)


# -------------------------------------------------------------- freshness


def _taken(engine: Engine, days: list[dt.date]) -> dict[dt.date, dt.datetime]:
    """When each stored date was taken (its oldest row), for the given dates."""
    if not days:
        return {}
    sql = text(
        "SELECT as_of, min(taken_at) FROM metric_snapshots WHERE as_of IN :days GROUP BY as_of"
    ).bindparams(bindparam("days", expanding=True))
    with engine.connect() as conn:
        return {row[0]: row[1] for row in conn.execute(sql, {"days": list(days)})}


def _is_fresh(taken_at: dt.datetime, changed: dt.datetime | None) -> bool:
    # both in whole seconds: a snapshot of the same second as the import is stale
    return changed is None or taken_at.replace(microsecond=0) > changed


def snapshot_state(engine: Engine, day: dt.date) -> str:
    """'none', 'fresh' (taken after the last data change) or 'stale'."""
    taken = _taken(engine, [day]).get(day)
    if taken is None:
        return "none"
    return "fresh" if _is_fresh(taken, store.last_import_at(engine)) else "stale"


def fresh_dates(engine: Engine, days: list[dt.date]) -> set[dt.date]:
    changed = store.last_import_at(engine)
    return {d for d, taken in _taken(engine, days).items() if _is_fresh(taken, changed)}


def stored_dates(engine: Engine) -> list[dt.date]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT DISTINCT as_of FROM metric_snapshots ORDER BY as_of"))
        return [r[0] for r in rows]


# ---------------------------------------------------------------- writing


def is_additive(metric) -> bool:
    # the catalogue's Metric resolves additivity in `is_additive` (contract: `additive`)
    return bool(getattr(metric, "is_additive", metric.additive))


def member_series() -> list[tuple[str, str]]:
    """(metric, dim) pairs a snapshot stores per member: additive metrics, SNAPSHOT_DIMS they carry."""
    from metrics import api
    from metrics.catalog import METRICS

    return [
        (mid, dim)
        for mid, metric in METRICS.items()
        if is_additive(metric)
        for dim in SNAPSHOT_DIMS
        if api.supports(mid, (dim,))
    ]


def member_values(engine: Engine, as_of: dt.date) -> list[tuple[str, str, str, float | None]]:
    """(metric, dim, member, value) for every pair of `member_series`.

    `api.breakdown` runs one query per metric and dimension (about 100 per
    date, each mostly planning the subject's SQL); a snapshot instead asks
    once per subject, every additive metric of it grouped by
    GROUPING SETS over the dimensions, with the compiler's own aggregates.
    A member with no rows of one of the metrics then gets 0 where
    `breakdown` leaves it out: the same value, as readers take a missing
    member of an additive metric as 0 (tests/test_history.py checks the two
    agree). Should the compiler's interface change, `breakdown` is used.
    """
    try:
        return _member_values_grouped(engine, as_of)
    except Exception as exc:  # noqa: BLE001 - the contract's path gives the same values, slower
        log.warning("grouped snapshot query failed (%s); using api.breakdown", exc)
        from metrics import api

        return [
            (mid, dim, member, value)
            for mid, dim in member_series()
            for member, value in api.breakdown(engine, mid, dim, as_of).items()
        ]


def _member_values_grouped(
    engine: Engine, as_of: dt.date
) -> list[tuple[str, str, str, float | None]]:
    from metrics import api
    from metrics.catalog import METRICS
    from metrics.params import as_of_params

    _derived_tables_fresh(engine)
    params = as_of_params(as_of)
    by_subject: dict[str, tuple[list, list[str]]] = {}
    out = []
    for mid, dim in member_series():
        metric = METRICS[mid]
        if metric.kind != "simple":
            out += [(mid, dim, k, v) for k, v in api.breakdown(engine, mid, dim, as_of).items()]
            continue
        measures, dims = by_subject.setdefault(metric.subject, ([], []))
        if metric not in measures:
            measures.append(metric)
        if dim not in dims:
            dims.append(dim)
    for measures, dims in by_subject.values():
        out += _grouping_sets(engine, measures, dims, params)
    return out


def _derived_tables_fresh(engine: Engine) -> None:
    """What `api.compute` does before it reads subjects: rebuild the engine's derived tables if stale."""
    try:
        from metrics import materialize
    except ImportError:  # an engine without derived tables
        return
    materialize.ensure_fresh(engine)


def _grouping_sets(engine, measures: list, dims: list[str], params: dict) -> list[tuple]:
    """One scan of a subject: every measure per member of every dim."""
    from metrics import api, compiler
    from metrics.dimensions import NONE_MEMBER, column
    from metrics.subjects import SUBJECTS

    cols = [column(d) for d in dims]
    aggs = ", ".join(compiler.aggregate(m) for m in measures)
    flags = ", ".join(f"GROUPING({c})" for c in cols)
    sql = f"SELECT {', '.join(cols)}, {flags}, {aggs} FROM ({SUBJECTS[measures[0].subject].sql}) s"
    own = [m.where for m in measures]
    if "true" not in own:
        sql += " WHERE " + " OR ".join(f"({w})" for w in own)
    sql += " GROUP BY GROUPING SETS (" + ", ".join(f"({c})" for c in cols) + ")"
    out = []
    n = len(dims)
    for row in api._execute(engine, sql, params):
        # GROUPING(col) is 0 for the column this row is grouped by
        i = [row[n + k] for k in range(n)].index(0)
        member = NONE_MEMBER if row[i] is None else str(row[i])
        for metric, value in zip(measures, row[2 * n :], strict=True):
            out.append((metric.id, dims[i], member, None if value is None else float(value)))
    return out


def snapshot_rows(engine: Engine, as_of: dt.date) -> pd.DataFrame:
    """Every value a snapshot of as_of holds (columns as in metric_snapshots, no taken_at)."""
    from metrics import api
    from metrics.catalog import METRICS

    headline = api.compute(engine, as_of)
    rows = [(mid, "", "", headline.get(mid)) for mid in METRICS]
    rows += member_values(engine, as_of)
    frame = pd.DataFrame(rows, columns=["metric", "dim", "member", "value"])
    frame.insert(0, "as_of", as_of)
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype("float64")
    return frame


def take_snapshot(engine: Engine, as_of: dt.date, *, force: bool = False) -> SnapshotResult:
    """Record as_of: nothing changes when a fresh snapshot exists (unless `force`)."""
    start = time.perf_counter()
    state = snapshot_state(engine, as_of)
    if state == "fresh" and not force:
        return SnapshotResult(as_of, "unchanged", 0, time.perf_counter() - start)
    taken_at = _stamp(engine)
    frame = snapshot_rows(engine, as_of)
    frame["taken_at"] = taken_at
    _replace_date(engine, as_of, frame)
    action = "written" if state == "none" else "replaced"
    return SnapshotResult(as_of, action, len(frame), time.perf_counter() - start)


def _stamp(engine: Engine) -> dt.datetime:
    """The snapshot's time, in whole seconds like `last_import_at`, and after it.

    Taken before computing, so data changed meanwhile makes the snapshot stale.
    Within the second of the last import we cannot tell before from after, so
    wait for the next second rather than write a snapshot that is stale at once.
    """
    now = dt.datetime.now().replace(microsecond=0)
    changed = store.last_import_at(engine)
    if changed is not None and now == changed:
        time.sleep(1.0 - dt.datetime.now().microsecond / 1e6 + 0.01)
        now = dt.datetime.now().replace(microsecond=0)
    return now


def _replace_date(engine: Engine, as_of: dt.date, frame: pd.DataFrame) -> None:
    """Swap the rows of one date in a single transaction."""
    cols = ["as_of", "metric", "dim", "member", "value", "taken_at"]
    frame = frame[cols]
    if not is_duckdb(engine):
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM metric_snapshots WHERE as_of = :d"), {"d": as_of})
            conn.execute(insert(MetricSnapshot.__table__), frame.to_dict("records"))
        return
    cur = raw_cursor(engine)
    cur.register("_snapshot", frame)
    try:
        cur.execute("BEGIN TRANSACTION")
        try:
            cur.execute("DELETE FROM metric_snapshots WHERE as_of = ?", [as_of])
            cur.execute(
                f"INSERT INTO metric_snapshots ({', '.join(cols)}) "
                "SELECT CAST(as_of AS DATE), metric, dim, member, CAST(value AS DOUBLE),"
                " CAST(taken_at AS TIMESTAMP) FROM _snapshot"
            )
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise
    finally:
        cur.unregister("_snapshot")
        cur.close()


def backfill(
    engine: Engine, as_of: dt.date, months: int, *, progress=None, workers: int = 2
) -> list[SnapshotResult]:
    """Record as_of and the last day of each of the `months` months before its month.

    Dates with a fresh snapshot are left alone. The others are computed by
    `workers` threads (each query on its own cursor; a query spends most of
    its time planning the subject's SQL, so two cores nearly halve the time)
    and written one date at a time, in order, from this thread.
    """
    days = backfill_dates(as_of, months)
    changed = store.last_import_at(engine)
    taken = _taken(engine, days)
    todo = [d for d in days if d not in taken or not _is_fresh(taken[d], changed)]
    results = {d: SnapshotResult(d, "unchanged", 0, 0.0) for d in days if d not in todo}
    stamp = _stamp(engine) if todo else None

    def compute(day: dt.date) -> tuple[pd.DataFrame, float]:
        start = time.perf_counter()
        return snapshot_rows(engine, day), time.perf_counter() - start

    with ThreadPoolExecutor(max(1, workers)) as pool:
        for i, (day, (frame, seconds)) in enumerate(
            zip(todo, pool.map(compute, todo), strict=True)
        ):
            frame["taken_at"] = stamp
            _replace_date(engine, day, frame)
            action = "written" if day not in taken else "replaced"
            results[day] = SnapshotResult(day, action, len(frame), seconds)
            if progress:
                progress(i + 1, len(todo), day)
    return [results[d] for d in days]


_today_lock = threading.Lock()
_today_done: dict[str, tuple[dt.date, dt.datetime | None]] = {}
_today_running: set[str] = set()


def ensure_today(
    engine: Engine, today: dt.date | None = None, *, background: bool = False
) -> SnapshotResult | None:
    """The app's first request of the day: record today unless a fresh snapshot exists.

    Cheap to call on every request: once today is recorded for the current
    data, later calls only read the last import time. With `background` the
    snapshot is taken in a thread (one at a time) and None is returned.
    """
    today = today or dt.date.today()
    key = str(engine.url) + str(getattr(engine, "info", {}).get("url", ""))
    changed = store.last_import_at(engine)
    with _today_lock:
        if _today_done.get(key) == (today, changed) or key in _today_running:
            return None
        _today_running.add(key)
    if background:
        threading.Thread(
            target=_ensure_today, args=(engine, today, key, changed), daemon=True
        ).start()
        return None
    return _ensure_today(engine, today, key, changed)


def _ensure_today(engine, today, key, changed) -> SnapshotResult | None:
    try:
        result = None
        if snapshot_state(engine, today) != "fresh":
            result = take_snapshot(engine, today)
        with _today_lock:
            _today_done[key] = (today, changed)
        return result
    finally:
        with _today_lock:
            _today_running.discard(key)


# ---------------------------------------------------------------- reading


def _stored_key(metric_id: str, filters: Filters) -> tuple[str, str] | None:
    """The (dim, member) a snapshot stores for these filters, or None (recompute)."""
    from metrics import api
    from metrics.catalog import METRICS

    active = {d: v for d, v in (filters or {}).items() if v}
    if not active:
        return ("", "")
    if len(active) != 1:
        return None
    ((dim, values),) = active.items()
    metric = METRICS.get(metric_id)
    if (
        metric is None
        or len(values) != 1
        or dim not in SNAPSHOT_DIMS
        or not is_additive(metric)
        or not api.supports(metric_id, (dim,))
        or metric_id in BREAKDOWN_NOT_FILTER
    ):
        return None
    return (dim, values[0])


def _read_stored(
    engine: Engine, metric_ids: list[str], key: tuple[str, str], days: list[dt.date]
) -> dict[tuple[str, dt.date], float | None]:
    """Stored values of fresh dates by (metric, day); a member missing from a fresh date had
    no rows (0)."""
    fresh = fresh_dates(engine, days)
    if not fresh or not metric_ids:
        return {}
    sql = text(
        "SELECT metric, as_of, value FROM metric_snapshots"
        " WHERE metric IN :ms AND dim = :dim AND member = :member AND as_of IN :days"
    ).bindparams(bindparam("ms", expanding=True), bindparam("days", expanding=True))
    params = {"ms": sorted(metric_ids), "dim": key[0], "member": key[1], "days": sorted(fresh)}
    with engine.connect() as conn:
        found = {(r[0], r[1]): r[2] for r in conn.execute(sql, params)}
    if key[0]:
        # additive metrics are counts and sums: a member with no rows is 0
        return {(m, d): found.get((m, d), 0.0) for m in metric_ids for d in fresh}
    return found


def values_on_days(
    engine: Engine, metric_ids: Sequence[str], days: Sequence[dt.date], filters: Filters = None
) -> dict[dt.date, dict[str, float | None]]:
    """Each metric as of each day: from fresh snapshots where they hold it, the rest
    recomputed in one engine call (`api.compute_days`)."""
    from metrics import api

    by_key: dict[tuple[str, str], list[str]] = {}
    for m in metric_ids:
        key = _stored_key(m, filters)
        if key:
            by_key.setdefault(key, []).append(m)
    stored: dict[tuple[str, dt.date], float | None] = {}
    for key, ids in by_key.items():
        stored.update(_read_stored(engine, ids, key, list(days)))
    missing = [d for d in days if any((m, d) not in stored for m in metric_ids)]
    ids = [m for m in metric_ids if any((m, d) not in stored for d in days)]
    got = api.compute_days(engine, missing, ids, filters=filters or None) if missing else {}
    return {
        d: {m: stored[(m, d)] if (m, d) in stored else got[d][m] for m in metric_ids}
        for d in days
    }


def series(
    engine: Engine,
    metric_id: str,
    as_of: dt.date,
    months: int = 12,
    filters: Filters = None,
) -> list[tuple[dt.date, float | None]]:
    """Value as of each month end (then as_of), oldest first: stored when fresh, else recomputed."""
    days = month_points(as_of, months)
    got = values_on_days(engine, [metric_id], days, filters)
    return [(day, got[day][metric_id]) for day in days]


def value_on(engine: Engine, metric_id: str, day: dt.date, filters: Filters = None) -> float | None:
    """The metric as of `day`: from a fresh snapshot when one holds it, else recomputed."""
    return series(engine, metric_id, day, 1, filters)[0][1]


def yoy_change(
    engine: Engine, metric_id: str, as_of: dt.date, filters: Filters = None
) -> float | None:
    """Percent change against the value 365 days before (null when that is null or 0)."""
    from metrics.kpi import DEFAULT_BASELINE_DAYS, change_pct

    before = as_of - dt.timedelta(days=DEFAULT_BASELINE_DAYS)
    got = values_on_days(engine, [metric_id], [as_of, before], filters)
    return change_pct(got[as_of][metric_id], got[before][metric_id])
