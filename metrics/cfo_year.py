"""The CFO's year as series for charts (issue 15): budget against actual by
month with the projection, forward horizons by month, rates for display.

Built on the metric engine (`api`), with the same filters, exclusions and
scope switch as every metric; the horizon's SQL is aggregated here, in
metrics/, over the engine's subjects.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping, Sequence

import pandas as pd
from sqlalchemy import Engine

from metrics import api, compiler, fiscal, fx, materialize
from metrics.catalog.finance import SPENT_YTD
from metrics.params import fiscal_year_start
from metrics.subjects import SUBJECTS

Filters = Mapping[str, Sequence[str]]


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def fiscal_month_ends(as_of: dt.date, start_month: int) -> list[dt.date]:
    """The last day of each of the fiscal year's twelve months."""
    start = fiscal_year_start(as_of, start_month)
    out = []
    for i in range(12):
        index = start.year * 12 + start.month - 1 + i
        out.append(_month_end(index // 12, index % 12 + 1))
    return out


def budget_by_month(
    engine: Engine, as_of: dt.date, filters: Filters | None = None, in_scope: bool = True
) -> pd.DataFrame:
    """Cumulative budget, actual and projected spend at each fiscal month end.

    Columns: month_end, series ("Budget", "Actual", "Projection"), amount.
    Actual runs to A (A itself the last point): spend_ytd's lines summed by
    month; the budget is the fiscal year's, pro rata by day (budget_ytd at
    each month end); the projection a straight line from A's spend to the
    year's projected total at its last day (metrics.md, "Fiscal year").
    One headline call and one grouped scan, whatever the number of months.
    """
    params = fiscal.params(engine, as_of)
    ends = fiscal_month_ends(as_of, params["fy_start_month"])
    got = api.compute(engine, as_of, ["spend_ytd", "budget_ytd", "spend_projection_fy"],
                      filters, in_scope=in_scope)  # fmt: skip
    monthly = _spend_by_month(engine, params, filters, in_scope)
    start, days_in_fy = params["year_start"], (ends[-1] - params["year_start"]).days + 1
    year_budget = (got["budget_ytd"] or 0.0) / params["year_fraction"]
    rows = [(d, "Budget", year_budget * ((d - start).days + 1) / days_in_fy) for d in ends]
    total = 0.0
    for d in [e for e in ends if e < as_of] + [as_of]:
        total += sum(v for m, v in monthly.items() if (m.year, m.month) == (d.year, d.month))
        rows.append((d, "Actual", total))
    spent, projected, last = got["spend_ytd"], got["spend_projection_fy"], ends[-1]
    if as_of < last and spent is not None and projected is not None:
        span = (last - as_of).days
        rows += [(as_of, "Projection", spent)]
        rows += [(d, "Projection", spent + (projected - spent) * (d - as_of).days / span)
                 for d in ends if d > as_of]  # fmt: skip
    return pd.DataFrame(rows, columns=["month_end", "series", "amount"])


def _spend_by_month(engine, params, filters, in_scope) -> dict[dt.date, float]:
    """spend_ytd's rows summed by calendar month, with the metrics' filters and scope."""
    scope = materialize.ensure_fresh(engine) if in_scope else None
    fparams: dict = {}
    excl = api._with_scope(None, scope, "fiscal_lines")
    clauses = compiler.where_dims(filters, excl, fparams)
    where = " AND ".join([f"({SPENT_YTD})", *clauses])
    sql = (f"SELECT {fx.month_of('day')} AS month, coalesce(sum(amount), 0) AS amount\n"
           f"FROM ({SUBJECTS['fiscal_lines'].sql}) s\nWHERE {where}\n"
           f"GROUP BY {fx.month_of('day')}")  # fmt: skip
    rows = api._execute(engine, sql, {**params, **fparams})
    return {(m if isinstance(m, dt.date) else m.date()): float(v) for m, v in rows}


# What the horizon counts: (label, subject, condition, date column, value column).
HORIZON_KINDS = (
    ("Warranties", "assets", "is_active", "warranty_end", "purchase_cost"),
    ("Contracts", "contracts", "true", "end_date", "annual_value"),
    ("Refreshes", "assets", "is_active AND ownership = 'owned' AND purchase_date IS NOT NULL",
     "refresh_date", "purchase_cost"),
)  # fmt: skip


def horizon(
    engine: Engine, as_of: dt.date, filters: Filters | None = None, in_scope: bool = True
) -> tuple[pd.DataFrame, list[str]]:
    """Warranty ends, contract ends and refreshes due by month over the next 12 months.

    The window is that of the 12-month metrics, A < d <= A + 365, grouped by
    calendar month (the first and last partly). Returns
    (frame of month, kind, count, value; kinds left out because their rows
    cannot take a filter). Money is in the organisation's currency.
    """
    scope = materialize.ensure_fresh(engine)
    scope = scope if in_scope else None
    params = fiscal.params(engine, as_of)
    frames, skipped = [], []
    for label, subject, cond, col, value in HORIZON_KINDS:
        dims = SUBJECTS[subject].dimensions
        if any(d not in dims for d in filters or {}):
            skipped.append(label)
            continue
        fparams: dict = {}
        clauses = compiler.where_dims(filters, api._with_scope(None, scope, subject), fparams)
        where = " AND ".join([f"({cond})", f"{col} > :a", f"{col} <= :a_p365", *clauses])
        sql = (
            f"SELECT {fx.month_of(col)} AS month, count(*) AS count, "
            f"coalesce(sum({value}), 0) AS value\n"
            f"FROM ({SUBJECTS[subject].sql}) s\nWHERE {where}\nGROUP BY {fx.month_of(col)}"
        )
        frame = api._frame(engine, sql, {**params, **fparams})
        frame.insert(1, "kind", label)
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["month", "kind", "count", "value"])  # fmt: skip
    out["month"] = pd.to_datetime(out["month"]).dt.date
    out["count"] = out["count"].astype("int64")
    out["value"] = out["value"].astype("float64")
    return out.sort_values(["month", "kind"], ignore_index=True), skipped


def rate(engine: Engine, currency: str, as_of: dt.date) -> float | None:
    """Units of the organisation's currency per `currency` for A's month (else the latest before).

    1.0 for the organisation's own currency; None when no rate is known.
    """
    code = currency.strip().upper()
    sql = (f"SELECT CASE WHEN :code = {fx.ORG_CURRENCY} THEN 1.0 ELSE (\n"
           "  SELECT r.rate FROM fx_rates r WHERE r.currency = :code AND r.month <= :a\n"
           "  ORDER BY r.month DESC LIMIT 1) END AS rate")  # fmt: skip
    rows = api._execute(engine, sql, {"code": code, "a": as_of})
    value = rows[0][0] if rows else None
    return None if value is None else float(value)


def currencies(engine: Engine) -> list[str]:
    """The organisation's currency first, then every currency with a rate, A to Z."""
    rows = api._execute(engine, f"SELECT {fx.ORG_CURRENCY} AS own", {})
    own = rows[0][0]
    others = [r[0] for r in api._execute(
        engine, "SELECT DISTINCT currency FROM fx_rates ORDER BY currency", {})]  # fmt: skip
    return [own] + [c for c in others if c != own]
