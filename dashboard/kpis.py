"""KPIs against the data: storage, evaluation, breach trail, editing and audit.

The rules (kinds, tolerances, status) are in `metrics/kpi.py`; this module
reads the `kpis` table, computes values through `metrics.api`, reads baselines
through `dashboard.history`, and records every change in `audit_log`.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import asdict, dataclass

import pandas as pd
from sqlalchemy import Engine, text
from sqlmodel import select

from dashboard import history, store
from dashboard.database import session
from dashboard.models import AuditLog, Kpi
from metrics import api, dimensions
from metrics import kpi as rules
from metrics.catalog import METRICS

SCOPE_DIMS: tuple[str, ...] = dimensions.names(scopes_kpis=True)
# % metrics that are not a share of a whole and may exceed 100.
UNBOUNDED_PCT: frozenset[str] = frozenset(
    {"spend_vs_budget_pct", "breakage_rate_12m", "budget_variance_pct_ytd"}
)
SCORE_RANGE = (1.0, 5.0)
EDITABLE = (
    "metric",
    "goal",
    "target_kind",
    "target",
    "baseline_days",
    "baseline_date",
    "due",
    "tolerance",
    "scope_dim",
    "scope_value",
    "owner",
    "note",
    "retired",
)
SYSTEM_USER = "system"

Filters = dict[str, list[str]] | None


class KpiInvalid(ValueError):
    """A KPI that breaks the rules; `errors` lists every reason."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


class KpiNotFound(KeyError):
    pass


@dataclass
class KpiResult:
    id: str
    metric: str
    goal: str
    target_kind: str
    target: float
    tolerance: float
    baseline_date: dt.date | None
    baseline_value: float | None
    value: float | None
    change: float | None
    status: str
    due: dt.date | None
    scope: dict[str, str] | None
    owner: str | None
    note: str | None

    CLI_KEYS = (
        "id",
        "metric",
        "goal",
        "target_kind",
        "target",
        "baseline_date",
        "baseline_value",
        "value",
        "change",
        "status",
        "due",
        "scope",
    )

    def to_json(self) -> dict:
        """The `kpis --json` row (dates as ISO text)."""
        row = asdict(self)
        out = {k: row[k] for k in self.CLI_KEYS}
        for k in ("baseline_date", "due"):
            out[k] = out[k].isoformat() if out[k] else None
        return out


# ---------------------------------------------------------------- storage


def list_kpis(engine: Engine, include_retired: bool = False) -> list[Kpi]:
    with session(engine) as s:
        query = select(Kpi).order_by(Kpi.id)
        if not include_retired:
            query = query.where(Kpi.retired == False)  # noqa: E712 (SQL, not Python)
        return list(s.exec(query))


def get_kpi(engine: Engine, kpi_id: int | str) -> Kpi:
    with session(engine) as s:
        row = s.get(Kpi, _int_id(kpi_id))
    if row is None:
        raise KpiNotFound(f"no KPI with id {kpi_id}")
    return row


def _int_id(kpi_id: int | str) -> int:
    try:
        return int(kpi_id)
    except (TypeError, ValueError):
        raise KpiNotFound(f"no KPI with id {kpi_id!r}") from None


def ensure_default_kpis(engine: Engine, user: str = SYSTEM_USER) -> int:
    """Create the default KPIs a database lacks; returns how many were made.

    An empty table gets all of them. A table with KPIs gets a default only when no KPI,
    active or retired, measures its metric: a default added in a later version (issue 15's
    budget variance) reaches existing databases, while one an organisation retired stays
    retired (KPIs are retired, never deleted).
    """
    with session(engine) as s:
        measured = set(s.exec(select(Kpi.metric)).all())
    missing = [d for d in rules.DEFAULT_KPIS if d.metric not in measured]
    for d in missing:
        create_kpi(
            engine,
            user,
            metric=d.metric,
            goal=d.goal,
            target_kind=d.target_kind,
            target=d.target,
            baseline_days=d.baseline_days,
            note="default (metrics.md)",
        )
    return len(missing)


# ------------------------------------------------------------- evaluation


def kpi_scope(row: Kpi) -> dict[str, str] | None:
    return {row.scope_dim: row.scope_value} if row.scope_dim else None


def merge_filters(row: Kpi, scope: Filters) -> Filters | bool:
    """The KPI's own scope and the caller's together; False when they exclude each other."""
    out = {d: list(v) for d, v in (scope or {}).items() if v}
    if row.scope_dim:
        if row.scope_dim in out and row.scope_value not in out[row.scope_dim]:
            return False
        out[row.scope_dim] = [row.scope_value]
    return out or None


def baseline_day(row: Kpi, as_of: dt.date) -> dt.date | None:
    if not rules.is_change(row.target_kind):
        return None
    if row.baseline_date:
        return row.baseline_date
    days = row.baseline_days or rules.DEFAULT_BASELINE_DAYS
    return as_of - dt.timedelta(days=days)


def _supported(metric_id: str, filters: Filters) -> bool:
    return not filters or api.supports(metric_id, tuple(filters))


def evaluate(
    engine: Engine, as_of: dt.date, scope: Filters = None, rows: list[Kpi] | None = None
) -> list[KpiResult]:
    """Every active KPI's value, baseline, change and status as of `as_of`.

    `scope` (a filters dict) applies on top of each KPI's own scope; a KPI
    whose metric cannot be filtered that way, or whose scope the caller's
    excludes, is grey.
    """
    rows = list_kpis(engine) if rows is None else rows
    values = _current_values(engine, as_of, rows, scope)
    baselines = _baseline_values(engine, as_of, rows, scope)
    return [_result(row, as_of, values.get(row.id), baselines.get(row.id)) for row in rows]


def _by_filters(rows, scope) -> list[tuple[Filters, list[Kpi]]]:
    """The KPIs that can be computed under `scope`, grouped by their merged filters."""
    groups: dict[str, tuple[Filters, list[Kpi]]] = {}
    for row in rows:
        filters = merge_filters(row, scope)
        if filters is False or not _supported(row.metric, filters):
            continue
        key = json.dumps(filters, sort_keys=True)
        groups.setdefault(key, (filters, []))[1].append(row)
    return list(groups.values())


def _current_values(engine, as_of, rows, scope) -> dict[int, float | None]:
    """Values as of as_of, one `compute` call per distinct filter set."""
    out: dict[int, float | None] = {}
    for filters, members in _by_filters(rows, scope):
        got = api.compute(engine, as_of, sorted({r.metric for r in members}), filters=filters)
        out.update({r.id: _num(got.get(r.metric)) for r in members})
    return out


def _baseline_values(engine, as_of, rows, scope) -> dict[int, float | None]:
    """Change KPIs' values on their baseline days (stored snapshots where fresh), one history
    read per distinct filter set."""
    out: dict[int, float | None] = {}
    for filters, members in _by_filters(rows, scope):
        days = {r.id: baseline_day(r, as_of) for r in members}
        changing = [r for r in members if days[r.id] is not None]
        if not changing:
            continue
        got = history.values_on_days(
            engine,
            sorted({r.metric for r in changing}),
            sorted({days[r.id] for r in changing}),
            filters,
        )
        out.update({r.id: _num(got[days[r.id]][r.metric]) for r in changing})
    return out


def _result(row: Kpi, as_of, value, baseline) -> KpiResult:
    unit = METRICS[row.metric].unit if row.metric in METRICS else None
    tol = row.tolerance
    if tol is None:
        tol = rules.default_tolerance(row.target_kind, row.target, unit)
    bday = baseline_day(row, as_of)
    bvalue = change = None
    if bday is not None and value is not None:
        bvalue = baseline
        change = rules.change_pct(value, bvalue)
    return KpiResult(
        id=str(row.id),
        metric=row.metric,
        goal=row.goal,
        target_kind=row.target_kind,
        target=row.target,
        tolerance=tol,
        baseline_date=bday,
        baseline_value=bvalue,
        value=value,
        change=change,
        status=rules.status(row.target_kind, value, row.target, tol, bvalue, unit=unit),
        due=row.due,
        scope=kpi_scope(row),
        owner=row.owner,
        note=row.note,
    )


def _num(x) -> float | None:
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) else x


def breach_records(
    engine: Engine, kpi_id: int | str, as_of: dt.date, scope: Filters = None
) -> pd.DataFrame:
    """The metric's records under the KPI's scope (and the caller's): what a red or amber KPI lists.

    Empty when the scopes exclude each other or the metric cannot be filtered so.
    """
    row = get_kpi(engine, kpi_id)
    filters = merge_filters(row, scope)
    if filters is False or not _supported(row.metric, filters):
        return pd.DataFrame()
    return api.records(engine, row.metric, as_of, filters=filters)


# ---------------------------------------------------------------- editing


def validate(fields: dict) -> list[str]:
    """Every reason these KPI fields are not acceptable (empty when they are)."""
    errors: list[str] = []
    metric = METRICS.get(fields.get("metric") or "")
    kind = fields.get("target_kind")
    if metric is None:
        errors.append(f"unknown metric {fields.get('metric')!r}")
    if fields.get("goal") not in rules.GOALS:
        errors.append(f"goal must be one of {', '.join(rules.GOALS)}")
    if kind not in rules.TARGET_KINDS:
        errors.append(f"target kind must be one of {', '.join(rules.TARGET_KINDS)}")
    target = fields.get("target")
    if not _finite(target):
        errors.append("target must be a number")
    tol = fields.get("tolerance")
    if tol is not None and not (_finite(tol) and tol >= 0):
        errors.append("tolerance must be a number >= 0")
    errors += _baseline_errors(fields, kind)
    if metric is not None and kind in rules.TARGET_KINDS:
        if _finite(target):
            errors += _unit_errors(metric, kind, float(target))
        if not rules.fits_direction(kind, metric.direction):
            better = "lower" if metric.direction == "down" else "higher"
            errors.append(f"{kind} works against {metric.id}, where {better} is better")
    errors += _scope_errors(fields, metric)
    for name in ("due", "baseline_date"):
        value = fields.get(name)
        if value is not None and not isinstance(value, dt.date):
            errors.append(f"{name} must be a date")
    return errors


def _finite(x) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def _baseline_errors(fields: dict, kind) -> list[str]:
    days, day = fields.get("baseline_days"), fields.get("baseline_date")
    if kind not in rules.CHANGE_KINDS:
        if days is not None or day is not None:
            return ["only change targets take a baseline"]
        return []
    if days is None and day is None:
        return [
            "a change target needs a baseline (a number of days before the as-of date, or a date)"
        ]
    if days is not None and day is not None:
        return ["give the baseline as a number of days or as a date, not both"]
    if days is not None and not (
        isinstance(days, int) and not isinstance(days, bool) and days >= 1
    ):
        return ["baseline days must be a whole number >= 1"]
    return []


def _unit_errors(metric, kind: str, target: float) -> list[str]:
    if kind in rules.CHANGE_KINDS:
        return [] if target >= -100 else ["a change target cannot be below -100%"]
    if metric.unit == "%":
        if metric.id in UNBOUNDED_PCT:
            return [] if target >= 0 else ["a percentage target must be >= 0"]
        return [] if 0 <= target <= 100 else ["a percentage target must be between 0 and 100"]
    if metric.unit == "score":
        lo, hi = SCORE_RANGE
        return [] if lo <= target <= hi else [f"a score target must be between {lo:g} and {hi:g}"]
    return [] if target >= 0 else [f"a target in {metric.unit} must be >= 0"]


def _scope_errors(fields: dict, metric) -> list[str]:
    dim, value = fields.get("scope_dim"), fields.get("scope_value")
    if not dim and not value:
        return []
    if not dim or not value or not str(value).strip():
        return ["a scope needs both a dimension and a value"]
    if dim not in SCOPE_DIMS:
        return [f"scope must be one of {', '.join(SCOPE_DIMS)}"]
    if metric is not None and not api.supports(metric.id, (dim,)):
        return [f"{metric.id} cannot be broken down by {dim}"]
    return []


def _clean(fields: dict) -> dict:
    out = dict(fields)
    for name in ("target", "tolerance"):
        if _finite(out.get(name)):
            out[name] = float(out[name])
    for name in ("scope_dim", "scope_value", "owner", "note"):
        if isinstance(out.get(name), str):
            out[name] = out[name].strip() or None
    return out


def _snapshot(row: Kpi) -> dict:
    return {k: getattr(row, k) for k in EDITABLE}


def create_kpi(engine: Engine, user: str | None, **fields) -> Kpi:
    """A new KPI from EDITABLE fields, validated, with its audit entry."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise KpiInvalid([f"unknown field {name!r}" for name in sorted(unknown)])
    fields = _clean({k: fields.get(k) for k in EDITABLE if k != "retired"})
    errors = validate(fields)
    if errors:
        raise KpiInvalid(errors)
    row = Kpi(**fields)
    with session(engine) as s:
        s.add(row)
        s.flush()
        s.add(_audit(user, row.id, "create", None, _snapshot(row)))
        s.commit()
        s.refresh(row)
    return row


def update_kpi(engine: Engine, user: str | None, kpi_id: int | str, **changes) -> Kpi:
    """Change some fields of a KPI (validated as a whole); audit the fields that changed."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise KpiInvalid([f"unknown field {name!r}" for name in sorted(unknown)])
    with session(engine) as s:
        row = s.get(Kpi, _int_id(kpi_id))
        if row is None:
            raise KpiNotFound(f"no KPI with id {kpi_id}")
        old = _snapshot(row)
        new = {**old, **_clean(changes)}
        if not rules.is_change(new["target_kind"]) and not {"baseline_days", "baseline_date"} & set(
            changes
        ):
            # switching to a plain target drops the baseline the change kind needed
            new["baseline_days"] = new["baseline_date"] = None
        if (
            rules.is_change(new["target_kind"])
            and new["baseline_days"] is None
            and new["baseline_date"] is None
        ):
            # a change target with no baseline given: "one year before", as the defaults
            new["baseline_days"] = 365
        errors = validate(new)
        if errors:
            raise KpiInvalid(errors)
        diff = [k for k in EDITABLE if new[k] != old[k]]
        if not diff:
            return row
        for k in diff:
            setattr(row, k, new[k])
        s.add(row)
        s.add(
            _audit(
                user,
                row.id,
                _action(diff, new),
                {k: old[k] for k in diff},
                {k: new[k] for k in diff},
            )
        )
        s.commit()
        s.refresh(row)
    return row


def _action(diff: list[str], new: dict) -> str:
    if diff == ["retired"]:
        return "retire" if new["retired"] else "restore"
    return "update"


def retire_kpi(engine: Engine, user: str | None, kpi_id: int | str) -> Kpi:
    """Retire a KPI: kept, with its history and audit trail, but no longer evaluated."""
    return update_kpi(engine, user, kpi_id, retired=True)


def _audit(user, kpi_id, action, old, new) -> AuditLog:
    return AuditLog(
        created_at=dt.datetime.now(),
        user=user,
        entity="kpi",
        entity_id=str(kpi_id),
        action=action,
        old=None if old is None else json.dumps(old, default=str, sort_keys=True),
        new=None if new is None else json.dumps(new, default=str, sort_keys=True),
    )


def audit_entries(engine: Engine, kpi_id: int | str | None = None) -> pd.DataFrame:
    """KPI audit entries, newest first: created_at, user, kpi_id, action, old, new (dicts)."""
    sql = 'SELECT id, created_at, "user", entity_id, action, old, new FROM audit_log WHERE entity = :entity'
    params: dict = {"entity": "kpi"}
    if kpi_id is not None:
        sql += " AND entity_id = :kid"
        params["kid"] = str(kpi_id)
    with engine.connect() as conn:
        frame = pd.read_sql(text(sql + " ORDER BY created_at DESC, id DESC"), conn, params=params)
    frame = frame.rename(columns={"entity_id": "kpi_id"})
    for col in ("old", "new"):
        frame[col] = frame[col].map(lambda v: json.loads(v) if isinstance(v, str) else None)
    return frame.drop(columns="id")


# ------------------------------------------------------------ first start

DEMO_HISTORY_MONTHS = 24
# Above this many assets the demo skips the backfill: a snapshot recomputes all
# 66 metrics, and at a million assets 25 dates would take far longer than the
# build itself. The app still records each day it runs (history.ensure_today).
DEMO_HISTORY_MAX_ASSETS = 100_000


def on_demo_built(engine: Engine) -> None:
    """After `setup` or `demo`: the default KPIs and 24 month ends of history."""
    ensure_default_kpis(engine)
    with engine.connect() as conn:
        assets = conn.execute(text("SELECT count(*) FROM assets")).scalar_one()
    if assets > DEMO_HISTORY_MAX_ASSETS:
        return
    as_of = store.get_setting(engine, "demo_as_of")
    day = dt.date.fromisoformat(as_of) if as_of else dt.date.today()
    history.backfill(engine, day, DEMO_HISTORY_MONTHS)
