"""Charts for PDFs and mails: the pages' own Altair specs (dashboard/ui/charts.py), fed
the same summaries the pages draw, rendered to PNG by vl-convert (no browser).

Headless: the summaries come straight from `metrics.api` (the pages read the same
through their caches), so `notify` and the CLI need no running app.
"""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd
import streamlit.logger
from sqlalchemy import Engine
from streamlit import runtime

from metrics import api, dimensions

# dashboard.ui (the chart builders) imports streamlit, whose caches warn on import outside
# a running app ("No runtime found"): quiet in the CLI, left alone inside the app.
if not runtime.exists():
    streamlit.logger.set_log_level("error")

Filters = dict[str, list[str]] | None
# The dimensions budget rows carry (monthly_budget has no answer under any other filter).
BUDGET_DIMS = dimensions.names(budgets=True)

# Print resolution: the chart's CSS pixels times SCALE (2 = crisp at A4 width).
SCALE = 2
# The page-chart width in CSS pixels a PDF column shows (about 26 cm on A4 landscape).
WIDTH = 900


def png(chart: alt.TopLevelMixin, width: int = WIDTH, scale: int = SCALE) -> bytes:
    """The chart as PNG bytes, `width` CSS pixels wide (its own height), with a white background."""
    import vl_convert as vlc  # an 84 MB native renderer: loaded when a chart is drawn

    spec = chart.properties(width=width).to_dict()
    spec.setdefault("background", "white")
    return vlc.vegalite_to_png(spec, scale=scale)


def _usable(metric_id: str, filters: Filters) -> bool:
    return api.supports(metric_id, tuple(filters or ()))


def _rows(
    engine: Engine, metric_id: str, as_of: dt.date, filters: Filters, columns
) -> pd.DataFrame | None:
    if not _usable(metric_id, filters):
        return None
    return api.records(engine, metric_id, as_of, filters or None, columns=columns)


def monthly_spend(
    engine: Engine, as_of: dt.date, filters: Filters
) -> tuple[pd.DataFrame, list[str]]:
    """Spend by month and type, as the CFO page draws it, and the types the scope leaves out."""
    # the UI layer above (its package loads every widget): only the page charts need it
    from dashboard.ui.widgets import SPEND_SOURCES, amount_by_month

    parts, skipped = [], []
    for kind, metric_id, date_col, amount_cols in SPEND_SOURCES:
        rows = _rows(engine, metric_id, as_of, filters, (date_col, *amount_cols))
        if rows is None:
            skipped.append(f"{kind}: not available in this scope")
            continue
        months = amount_by_month(rows, as_of)
        if not months.empty:
            parts.append(months.assign(spend_type=kind))
    if not parts:
        return pd.DataFrame(columns=["month", "spend_type", "amount"]), skipped
    frame = pd.concat(parts, ignore_index=True)[["month", "spend_type", "amount"]]
    return frame.sort_values(["month", "spend_type"], ignore_index=True), skipped


def refresh_quarters(engine: Engine, as_of: dt.date, filters: Filters) -> pd.DataFrame:
    """Refresh cost by the quarter it falls due, as the CIO page draws it."""
    # the UI layer above (its package loads every widget): only the page charts need it
    from dashboard.ui.widgets import quarters_of_refresh

    rows = _rows(engine, "refresh_forecast_12m", as_of, filters, ("refresh_date", "purchase_cost"))
    if rows is None:
        return pd.DataFrame(columns=["quarter", "cost", "devices"])
    return quarters_of_refresh(rows, as_of)


def monthly_budget(engine: Engine, year: int, filters: Filters) -> float | None:
    """The year's budget / 12 under the filters; None where budgets cannot be filtered so."""
    flt = filters or {}
    if any(d not in BUDGET_DIMS for d in flt):
        return None
    # the budget rows of the year through the metric engine (as ui.data.budget): no SQL here
    rows = api.records(
        engine, "budget_to_date", dt.date(year, 12, 31), filters=flt or None, columns=("amount",)
    )
    total = float(rows["amount"].sum()) if not rows.empty else 0.0
    return total / 12 if total else None


def breakdown(
    engine: Engine, metric_id: str, by: str, as_of: dt.date, filters: Filters
) -> pd.DataFrame:
    """Members and values, largest first (empty when the metric cannot be broken down so)."""
    if not _usable(metric_id, list(filters or {}) + [by]):
        return pd.DataFrame(columns=["member", "value"])
    got = api.breakdown(engine, metric_id, by, as_of, filters or None)
    frame = pd.DataFrame({"member": list(got), "value": list(got.values())})
    return frame.sort_values("value", ascending=False, na_position="last", ignore_index=True)
