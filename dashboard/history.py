"""Metric history: recorded values by date, and series that say where each point comes from.

A snapshot of a date holds headlines (dim = member = '') and, for the metrics
that carry them, the value of each member of SNAPSHOT_SETS (one dimension, or
category and location together), all computed without the strategy's scope
switch; when the switch is on, the headlines under it too (dim SCOPE_DIM,
member: the switch as JSON). The per-member values let an additive metric's
record honour a switch turned on later (issue 12).

Where a past value comes from (metrics.md, "Trend"; docs/decisions.md):
- `recorded`: a stored value. A *dated* metric's is used when it was taken after
  the last change to the data (`store.last_import_at`); a *state* metric's when
  it was taken on or before its date (the daily snapshot, the demo's past, an
  import), since only a record made at the time knows a state metric's past.
- `recomputed`: a dated metric computed for that day, or any metric on the
  as-of date being viewed (computed as loaded).
- `none`: a state metric with no record: a gap, never a recomputation.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, bindparam, insert, text

from dashboard import schedule, store
from dashboard.database import is_duckdb, raw_cursor
from dashboard.models import MetricSnapshot
from metrics import api, dimensions
from metrics.api import month_ends
from metrics.catalog import METRICS
from metrics.kpi import DEFAULT_BASELINE_DAYS, change_pct
from metrics.subjects import SUBJECTS

log = logging.getLogger(__name__)

SNAPSHOT_DIMS: tuple[str, ...] = dimensions.names(snapshotted=True)
# The sets a snapshot stores members of: each dimension, and category with location
# together (the strategy's scope switch leaves out categories and locations).
SNAPSHOT_SETS: tuple[tuple[str, ...], ...] = tuple((d,) for d in SNAPSHOT_DIMS) + (
    ("category", "location"),
)
SCOPE_DIM = "(scope)"
RECORDED, RECOMPUTED, NONE = "recorded", "recomputed", "none"

# Additive metrics whose breakdown is not the value under a filter:
# top10_contract_spend splits the same ten contracts among the members
# (metrics.md), while a filter picks the member's own ten largest.
BREAKDOWN_NOT_FILTER: frozenset[str] = frozenset({"top10_contract_spend"})

Filters = Mapping[str, Sequence[str]] | None
Point = tuple[float | None, str]  # (value, source)


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


# ------------------------------------------------------------------ keys


def set_key(dims: Sequence[str]) -> str:
    """The `dim` column of a member set: 'department', or 'category+location'."""
    return "+".join(dims)


def member_key(members: Sequence[str]) -> str:
    """The `member` column: the member itself, or a JSON list for a set of two or more."""
    return members[0] if len(members) == 1 else json.dumps(list(members))


def scope_key(scope: Filters) -> str:
    """The switch as stored with the headlines recorded under it."""
    return json.dumps({d: sorted(v) for d, v in sorted((scope or {}).items())})


# ------------------------------------------------------------------ dates


def month_points(as_of: dt.date, months: int = 12) -> list[dt.date]:
    """A monthly series' dates, oldest first: the month ends before as_of's month, then as_of."""
    return month_ends(as_of, months) if months >= 1 else []


def backfill_dates(as_of: dt.date, months: int) -> list[dt.date]:
    """The last day of each of the `months` months before as_of's month, then as_of."""
    return month_points(as_of, months + 1)


def time_basis(metric_id: str) -> str:
    return METRICS[metric_id].time_basis or "state"


def at_the_time(taken_at: dt.datetime, day: dt.date) -> bool:
    """A record made on (or, for an import, declared for) its day, not later."""
    return taken_at.date() <= day


# -------------------------------------------------------------- freshness


def _taken(
    engine: Engine, days: list[dt.date], metrics: Sequence[str] | None = None
) -> dict[dt.date, dt.datetime]:
    """When each stored date was taken (its oldest row of `metrics`, or of all)."""
    if not days:
        return {}
    sql = "SELECT as_of, min(taken_at) FROM metric_snapshots WHERE as_of IN :days"
    params: dict = {"days": list(days)}
    binds = [bindparam("days", expanding=True)]
    if metrics is not None:
        sql += " AND metric IN :ms"
        params["ms"] = list(metrics)
        binds.append(bindparam("ms", expanding=True))
    stmt = text(sql + " GROUP BY as_of").bindparams(*binds)
    with engine.connect() as conn:
        return {row[0]: row[1] for row in conn.execute(stmt, params)}


def _is_fresh(taken_at: dt.datetime, changed: dt.datetime | None) -> bool:
    # both in whole seconds: a snapshot of the same second as the import is stale
    return changed is None or taken_at.replace(microsecond=0) > changed


def snapshot_state(engine: Engine, day: dt.date) -> str:
    """'none', 'fresh' (taken after the last data change) or 'stale'."""
    taken = _taken(engine, [day], written_metrics(day, dt.date.today())).get(day)
    if taken is None:
        return "none"
    return "fresh" if _is_fresh(taken, store.last_import_at(engine)) else "stale"


def stored_dates(engine: Engine) -> list[dt.date]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT DISTINCT as_of FROM metric_snapshots ORDER BY as_of"))
        return [r[0] for r in rows]


# ---------------------------------------------------------------- writing


def is_additive(metric) -> bool:
    # the catalogue's Metric resolves additivity in `is_additive` (contract: `additive`)
    return bool(getattr(metric, "is_additive", metric.additive))


def written_metrics(day: dt.date, today: dt.date) -> list[str]:
    """The metrics a snapshot of `day` taken on `today` records.

    A state metric recomputed after its day is today's state, not a record: a
    snapshot of a past day holds the dated metrics only (and leaves the state
    metrics' records of that day, taken at the time, alone).
    """
    if day >= today:
        return list(METRICS)
    return [m for m in METRICS if time_basis(m) == "dated"]


def member_series(metric_ids: Sequence[str] | None = None) -> list[tuple[str, tuple[str, ...]]]:
    """(metric, dims) pairs a snapshot stores per member: SNAPSHOT_SETS the metric carries.

    Every metric that can be broken down (not only the additive ones): the member
    value of a ratio is its value under that one filter.
    """
    ids = METRICS if metric_ids is None else metric_ids
    return [
        (mid, dset)
        for mid in ids
        if METRICS[mid].kind != "sum"
        for dset in SNAPSHOT_SETS
        if api.supports(mid, dset)
    ]


def member_values(
    engine: Engine, as_of: dt.date, metric_ids: Sequence[str] | None = None
) -> list[tuple[str, str, str, float | None]]:
    """(metric, dim, member, value) for every pair of `member_series`, without the scope switch.

    One GROUPING SETS scan per subject through `metrics.api.breakdown_sets`. A
    member with no rows of a metric is not listed: readers take a missing member
    of an additive metric as 0 (sum over no rows).
    """
    return members_on_days(engine, [as_of], metric_ids)[as_of]


def members_on_days(
    engine: Engine, days: Sequence[dt.date], metric_ids: Sequence[str] | None = None
) -> dict[dt.date, list[tuple[str, str, str, float | None]]]:
    """`member_values` of several days in one engine call per subject."""
    pairs = member_series(metric_ids)
    ids = list(dict.fromkeys(m for m, _ in pairs))
    got = api.breakdown_sets_days(engine, ids, SNAPSHOT_SETS, days, in_scope=False)
    return {
        day: [
            (mid, set_key(dset), member_key(members), value)
            for (mid, dset), values in by_day.items()
            for members, value in values.items()
        ]
        for day, by_day in got.items()
    }


def snapshots_on_days(
    engine: Engine, days: Sequence[dt.date], metric_ids: Sequence[str]
) -> pd.DataFrame:
    """`snapshot_rows` of several days (without the scope switch's headlines), batched."""
    heads = api.compute_days(engine, days, list(metric_ids), in_scope=False)
    members = members_on_days(engine, days, metric_ids)
    frames = [
        _frame(day, [(m, "", "", heads[day].get(m)) for m in metric_ids] + members[day])
        for day in days
    ]
    return pd.concat(frames, ignore_index=True)


def snapshot_rows(
    engine: Engine, as_of: dt.date, metric_ids: Sequence[str] | None = None
) -> pd.DataFrame:
    """Every value a snapshot of as_of holds (columns as in metric_snapshots, no taken_at)."""
    ids = list(METRICS) if metric_ids is None else list(metric_ids)
    headline = api.compute(engine, as_of, ids, in_scope=False)
    rows = [(mid, "", "", headline.get(mid)) for mid in ids]
    scope = api.active_scope(engine)
    if scope:
        under = api.compute(engine, as_of, ids)
        rows += [(mid, SCOPE_DIM, scope_key(scope), under.get(mid)) for mid in ids]
    rows += member_values(engine, as_of, ids)
    return _frame(as_of, rows)


def _frame(as_of: dt.date, rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["metric", "dim", "member", "value"])
    frame.insert(0, "as_of", as_of)
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype("float64")
    return frame


def take_snapshot(
    engine: Engine,
    as_of: dt.date,
    *,
    force: bool = False,
    taken_at: dt.datetime | None = None,
) -> SnapshotResult:
    """Record as_of: nothing changes when a fresh snapshot exists (unless `force`).

    `taken_at` (default: now) stamps the rows; a snapshot stamped on or before its
    date records the state metrics too (`written_metrics`).
    """
    start = time.perf_counter()
    state = snapshot_state(engine, as_of)
    if state == "fresh" and not force:
        return SnapshotResult(as_of, "unchanged", 0, time.perf_counter() - start)
    taken_at = taken_at or _stamp(engine)
    frame = snapshot_rows(engine, as_of, written_metrics(as_of, taken_at.date()))
    frame["taken_at"] = taken_at
    write_rows(engine, frame)
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


_COLS = ["as_of", "metric", "dim", "member", "value", "taken_at"]


def write_rows(engine: Engine, frame: pd.DataFrame, *, whole_metrics: bool = True) -> None:
    """Store rows in one transaction: each (date, metric) in `frame` replaces its stored rows
    (with `whole_metrics=False` only the same (date, metric, dim, member) rows)."""
    frame = frame[_COLS]
    keys = ["as_of", "metric"] if whole_metrics else ["as_of", "metric", "dim", "member"]
    if not is_duckdb(engine):
        _write_rows_sql(engine, frame, keys)
        return
    cur = raw_cursor(engine)
    cur.register("_snapshot", frame)
    match = " AND ".join(f"t.{k} = n.{k}" for k in keys).replace("n.as_of", "CAST(n.as_of AS DATE)")
    try:
        cur.execute("BEGIN TRANSACTION")
        try:
            cur.execute(
                "DELETE FROM metric_snapshots t WHERE EXISTS"
                f" (SELECT 1 FROM _snapshot n WHERE {match})"
            )
            cur.execute(
                f"INSERT INTO metric_snapshots ({', '.join(_COLS)}) "
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


def _write_rows_sql(engine: Engine, frame: pd.DataFrame, keys: list[str]) -> None:

    records = frame.astype(object).where(frame.notna(), None).to_dict("records")
    done = {tuple(r[k] for k in keys) for r in records}
    cond = " AND ".join(f"{k} = :{k}" for k in keys)
    with engine.begin() as conn:
        for key in done:
            conn.execute(
                text(f"DELETE FROM metric_snapshots WHERE {cond}"),
                dict(zip(keys, key, strict=True)),
            )
        conn.execute(insert(MetricSnapshot.__table__), records)


def backfill(
    engine: Engine, as_of: dt.date, months: int, *, progress=None, workers: int = 2
) -> list[SnapshotResult]:
    """Record as_of and the last day of each of the `months` months before its month.

    Dates with a fresh snapshot are left alone; a past date gets its dated metrics
    only (`written_metrics`). The others are computed by `workers` threads (each
    query on its own cursor) and written one date at a time, in order.
    """
    days = backfill_dates(as_of, months)
    changed = store.last_import_at(engine)
    today = dt.date.today()
    todo = []
    for d in days:
        taken = _taken(engine, [d], written_metrics(d, today)).get(d)
        if taken is None or not _is_fresh(taken, changed):
            todo.append((d, taken is not None))
    results = {d: SnapshotResult(d, "unchanged", 0, 0.0) for d in days}
    stamp = _stamp(engine) if todo else None

    def compute(day: dt.date) -> tuple[pd.DataFrame, float]:
        start = time.perf_counter()
        return snapshot_rows(engine, day, written_metrics(day, stamp.date())), (
            time.perf_counter() - start
        )

    with ThreadPoolExecutor(max(1, workers)) as pool:
        frames = pool.map(compute, [d for d, _ in todo])
        for i, ((day, had), (frame, seconds)) in enumerate(zip(todo, frames, strict=True)):
            frame["taken_at"] = stamp
            write_rows(engine, frame)
            results[day] = SnapshotResult(
                day, "replaced" if had else "written", len(frame), seconds
            )
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
        with schedule.exclusive(engine, "daily_snapshot") as mine:
            if mine and snapshot_state(engine, today) != "fresh":
                with schedule.timed(engine, "snapshot", str(today)):
                    result = take_snapshot(engine, today)
        with _today_lock:
            _today_done[key] = (today, changed)
        return result
    finally:
        with _today_lock:
            _today_running.discard(key)


# ---------------------------------------------------------------- reading


def _active(filters: Filters) -> dict[str, list[str]]:
    return {d: list(v) for d, v in (filters or {}).items() if v}


def _carried(metric_id: str) -> set[str]:
    """The dimensions any subject of the metric carries (the switch reaches those rows)."""
    parts = api._simple_measures([metric_id]).values()
    return {d for m in parts for d in SUBJECTS[m.subject].dimensions}


def _stored_plan(metric_id: str, filters: Filters, scope: Filters):
    """How stored rows answer (metric, filters, scope), or None (they cannot).

    Either (dim, member): one stored row (the headline, or the headline recorded
    under this very switch); or a dict naming the member set to read: the value
    is one member's row, or (additive metrics) the sum of the members that pass
    the filters and the switch, a missing member being 0.
    """
    flt = _active(filters)
    carried = _carried(metric_id)
    excl = {d: v for d, v in _active(scope).items() if d in carried}
    if not flt and not excl:
        return ("", "")
    exact = (SCOPE_DIM, scope_key(scope)) if not flt else None
    dims = set(flt) | set(excl)
    dset = next((s for s in SNAPSHOT_SETS if set(s) == dims and len(s) == len(dims)), None)
    single = not excl and len(flt) == 1 and len(next(iter(flt.values()))) == 1
    additive = is_additive(METRICS[metric_id]) and metric_id not in BREAKDOWN_NOT_FILTER
    if dset is None or not (additive or single):
        return exact
    return {
        "exact": exact,
        "dim": set_key(dset),
        "dset": dset,
        "flt": flt,
        "excl": excl,
        "single": single,
        "additive": additive,
    }


def _passes(plan: dict, members: tuple[str, ...]) -> bool:
    for d, m in zip(plan["dset"], members, strict=True):
        if d in plan["flt"] and m not in plan["flt"][d]:
            return False
        if d in plan["excl"] and m in plan["excl"][d]:
            return False
    return True


def _read_rows(
    engine: Engine, metric_ids: Sequence[str], dims: set[str], days: Sequence[dt.date]
) -> pd.DataFrame:
    sql = text(
        "SELECT metric, as_of, dim, member, value, taken_at FROM metric_snapshots"
        " WHERE metric IN :ms AND dim IN :dims AND as_of IN :days"
    ).bindparams(
        bindparam("ms", expanding=True),
        bindparam("dims", expanding=True),
        bindparam("days", expanding=True),
    )
    params = {"ms": sorted(metric_ids), "dims": sorted(dims), "days": sorted(set(days))}
    with engine.connect() as conn:
        rows = conn.execute(sql, params).all()
    return pd.DataFrame(rows, columns=["metric", "as_of", "dim", "member", "value", "taken_at"])


def _usable(frame: pd.DataFrame, changed: dt.datetime | None) -> pd.DataFrame:
    """The stored rows that count as records (see the module's docstring)."""
    if frame.empty:
        return frame
    bases = {m: time_basis(m) for m in frame["metric"].unique()}
    state = frame["metric"].map(bases) == "state"
    taken = pd.to_datetime(frame["taken_at"])
    # a state metric's record was taken on or before its day (at_the_time)
    on_time = taken.dt.normalize() <= pd.to_datetime(frame["as_of"])
    fresh = taken.dt.floor("s") > pd.Timestamp(changed) if changed is not None else True
    return frame[(state & on_time) | (~state & fresh)]


def _recorded(
    engine: Engine,
    metric_ids: Sequence[str],
    days: Sequence[dt.date],
    filters: Filters,
    scope: Filters,
) -> dict[tuple[str, dt.date], float | None]:
    """Recorded values by (metric, day), for the metrics and days a record answers."""
    plans = {m: _stored_plan(m, filters, scope) for m in metric_ids}
    dims: set[str] = set()
    for plan in plans.values():
        if isinstance(plan, tuple):
            dims.add(plan[0])
        elif plan:
            dims.update({"", plan["dim"]} | ({SCOPE_DIM} if plan["exact"] else set()))
    wanted = [m for m, plan in plans.items() if plan]
    if not wanted or not days:
        return {}
    rows = _usable(_read_rows(engine, wanted, dims, days), store.last_import_at(engine))
    out: dict[tuple[str, dt.date], float | None] = {}
    for (m, day), group in rows.groupby(["metric", "as_of"], sort=False):
        got = _answer(plans[m], group)
        if got is not False:
            out[(m, day)] = got
    return out


def _value(v) -> float | None:
    return None if v is None or pd.isna(v) else float(v)


def _answer(plan, group: pd.DataFrame):
    """The value a plan reads from one (metric, day)'s rows, or False (not recorded)."""
    by = {(d, k): v for d, k, v in zip(group["dim"], group["member"], group["value"], strict=True)}
    if isinstance(plan, tuple):  # one stored row
        return _value(by[plan]) if plan in by else False
    if plan["exact"] and plan["exact"] in by:
        return _value(by[plan["exact"]])
    n = len(plan["dset"])
    hits = [v for (d, k), v in by.items() if d == plan["dim"] and _passes(plan, _members(k, n))]
    if plan["single"] and len(hits) == 1:
        return _value(hits[0])
    if not plan["additive"] or ("", "") not in by:  # members are complete beside a headline
        return False
    return float(sum(_value(v) or 0.0 for v in hits))


def _members(key: str, n: int) -> tuple[str, ...]:
    return (key,) if n == 1 else tuple(json.loads(key))


def points_on_days(
    engine: Engine,
    metric_ids: Sequence[str],
    days: Sequence[dt.date],
    as_of: dt.date | None,
    filters: Filters = None,
) -> dict[dt.date, dict[str, Point]]:
    """Each metric on each day as (value, source), under the scope switch now in force.

    On `as_of` every metric is computed as loaded (source `recomputed`: the value
    the headline shows). Before it: a usable record (`recorded`), else a dated
    metric recomputed for that day, else a gap (None, `none`). All recomputation
    in one engine call (`api.compute_days`).
    """
    days = list(dict.fromkeys(days))
    scope = api.active_scope(engine)
    past = [d for d in days if d != as_of]
    stored = _recorded(engine, metric_ids, past, filters, scope)
    need = {
        d: [m for m in metric_ids if (m, d) not in stored and time_basis(m) == "dated"]
        for d in past
    }
    need[as_of] = list(metric_ids) if as_of in days else []
    ids = sorted({m for ms in need.values() for m in ms})
    todo = [d for d, ms in need.items() if ms]
    got = api.compute_days(engine, todo, ids, filters=filters or None) if todo and ids else {}
    out: dict[dt.date, dict[str, Point]] = {}
    for d in days:
        row = {}
        for m in metric_ids:
            if d != as_of and (m, d) in stored:
                row[m] = (stored[(m, d)], RECORDED)
            elif d in got and m in need[d]:
                row[m] = (got[d][m], RECOMPUTED)
            else:
                row[m] = (None, NONE)
        out[d] = row
    return out


def values_on_days(
    engine: Engine,
    metric_ids: Sequence[str],
    days: Sequence[dt.date],
    filters: Filters = None,
    as_of: dt.date | None = None,
) -> dict[dt.date, dict[str, float | None]]:
    """`points_on_days` without the sources ({day: {metric: value}}).

    Without `as_of` every day is a past day (a KPI's baseline): records, dated
    recomputation, or None.
    """
    got = points_on_days(engine, metric_ids, days, as_of, filters)
    return {d: {m: v for m, (v, _s) in row.items()} for d, row in got.items()}


def series_with_source(
    engine: Engine,
    metric_id: str,
    as_of: dt.date,
    months: int = 12,
    filters: Filters = None,
) -> list[tuple[dt.date, float | None, str]]:
    """(day, value, source) at each month end before as_of's month, then as_of, oldest first."""
    days = month_points(as_of, months)
    got = points_on_days(engine, [metric_id], days, as_of, filters)
    return [(d, *got[d][metric_id]) for d in days]


def series(
    engine: Engine,
    metric_id: str,
    as_of: dt.date,
    months: int = 12,
    filters: Filters = None,
) -> list[tuple[dt.date, float | None]]:
    """Value at each month end (then as_of), oldest first; gaps are None."""
    return [(d, v) for d, v, _s in series_with_source(engine, metric_id, as_of, months, filters)]


def trend_points(
    engine: Engine, metric_id: str, as_of: dt.date, months: int, filters: Filters = None
) -> list[dict]:
    """The CLI's `--trend N`: one point per month end for the N months before as_of, then as_of."""
    return [
        {"as_of": d.isoformat(), "value": v, "source": s}
        for d, v, s in series_with_source(engine, metric_id, as_of, months + 1, filters)
    ]


def value_on(
    engine: Engine,
    metric_id: str,
    day: dt.date,
    filters: Filters = None,
    as_of: dt.date | None = None,
) -> float | None:
    """The metric as of `day` seen from `as_of` (default: `day` itself, computed as loaded)."""
    as_of = as_of or day
    return points_on_days(engine, [metric_id], [day], as_of, filters)[day][metric_id][0]


def year_before(as_of: dt.date) -> dt.date:
    return as_of - dt.timedelta(days=DEFAULT_BASELINE_DAYS)


def yoy_change(
    engine: Engine, metric_id: str, as_of: dt.date, filters: Filters = None
) -> float | None:
    """Percent change against the value 365 days before (None when that is unknown, null or 0)."""
    before = year_before(as_of)
    got = points_on_days(engine, [metric_id], [before, as_of], as_of, filters)
    return change_pct(got[as_of][metric_id][0], got[before][metric_id][0])
