"""The CFO's year on the pages (issue 15): budget against actual by month with
the projection, book value by category, the 12-month horizon, a display currency.

Data come from `metrics.cfo_year` and `metrics.api` (cached per as-of date,
filters and data version); the pages call the `show_*` functions.
"""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import database, fmt
from dashboard.ui import data, widgets
from dashboard.ui.charts import PRIMARY
from metrics import api, cfo_year, fiscal
from metrics.params import fiscal_year_start

SERIES = ["Budget", "Actual", "Projection"]
SERIES_COLORS = ["#9e9e9e", PRIMARY, "#ef6c00"]
HORIZON_KINDS = ["Warranties", "Contracts", "Refreshes"]
HORIZON_COLORS = ["#6a1b9a", "#00838f", PRIMARY]


# ----------------------------------------------------------------- data


@st.cache_data(show_spinner=False, max_entries=200)
def _budget_by_month(as_of: dt.date, filters: data.FKey, ver: str) -> pd.DataFrame:
    return cfo_year.budget_by_month(data.engine(), as_of, data.fdict(filters))


@st.cache_data(show_spinner=False, max_entries=200)
def _horizon(as_of: dt.date, filters: data.FKey, ver: str) -> tuple[pd.DataFrame, list[str]]:
    return cfo_year.horizon(data.engine(), as_of, data.fdict(filters))


@st.cache_data(show_spinner=False, max_entries=200)
def _by_category(as_of: dt.date, filters: data.FKey, ver: str) -> pd.DataFrame:
    eng, flt = data.engine(), data.fdict(filters)
    book = api.breakdown(eng, "net_book_value", "category", as_of, flt)
    dep = api.breakdown(eng, "depreciation_12m", "category", as_of, flt)
    rows = [(k, "Book value", v) for k, v in book.items()]
    rows += [(k, "Next 12 months' depreciation", v) for k, v in dep.items()]
    return pd.DataFrame(rows, columns=["category", "measure", "amount"])


@st.cache_data(show_spinner=False, ttl=60)
def _currencies(ver: str) -> list[str]:
    return cfo_year.currencies(data.engine())


@st.cache_data(show_spinner=False, max_entries=200)
def _rate(code: str, as_of: dt.date, ver: str) -> float | None:
    return cfo_year.rate(data.engine(), code, as_of)


def _filters() -> data.FKey | None:
    """The user's filters within their scope, or None when nothing is left to show."""
    flt = widgets.effective_filters()
    return None if flt is None else data.fkey(flt)


def _filters_or_say_why() -> data.FKey | None:
    """`_filters()`; when None, the page is told the filters lie outside the user's scope."""
    key = _filters()
    if key is None:
        widgets.empty("These filters are outside your scope.")
    return key


@st.cache_data(ttl=5, show_spinner=False)
def _start_month_of(url: str) -> int:
    return fiscal.start_month(data.engine())


def _start_month() -> int:
    """The fiscal year's first month (the setting, re-read every few seconds like the others)."""
    return _start_month_of(database.database_url())


def fiscal_year(as_of: dt.date) -> int:
    """The fiscal year holding `as_of`, named by the calendar year it starts in (budget.year)."""
    return fiscal_year_start(as_of, _start_month()).year


def _fiscal_note(as_of: dt.date) -> str:
    ends = cfo_year.fiscal_month_ends(as_of, _start_month())
    first = ends[0].replace(day=1)
    return f"Fiscal year {first:%b %Y} – {ends[-1]:%b %Y}"


# --------------------------------------------------------------- charts


def budget_chart(frame: pd.DataFrame, currency: str) -> alt.LayerChart:
    """Cumulative budget (grey), actual (blue) and projection (dashed orange) by month end."""
    # Ticks at the month ends, labelled with their month (a point is the month's total so far).
    ends = sorted({d for d in frame["month_end"] if (d + dt.timedelta(days=1)).day == 1})
    ticks = [alt.DateTime(year=d.year, month=d.month, date=d.day) for d in ends]
    x = alt.X("month_end:T", title=None, axis=alt.Axis(format="%b %y", values=ticks))
    y = alt.Y("amount:Q", title=f"Cumulative spend ({currency})",
              axis=alt.Axis(format=fmt.vega_format("money", currency)))  # fmt: skip
    color = alt.Color("series:N", title=None, legend=alt.Legend(orient="bottom"),
                      scale=alt.Scale(domain=SERIES, range=SERIES_COLORS))  # fmt: skip
    tips = [alt.Tooltip("series:N", title=""), alt.Tooltip("month_end:T", title="As of",
            format="%Y-%m-%d"), alt.Tooltip("amount:Q", title=currency, format=",.0f")]  # fmt: skip
    base = alt.Chart(frame).encode(x=x, y=y, color=color, tooltip=tips)
    solid = base.transform_filter("datum.series != 'Projection'").mark_line(point=True)
    dashed = base.transform_filter("datum.series == 'Projection'").mark_line(
        point=True, strokeDash=[6, 4]
    )
    return alt.layer(solid, dashed).properties(height=300)


def category_chart(frame: pd.DataFrame, currency: str) -> alt.Chart:
    """Book value and next year's depreciation per category, side by side."""
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("category:N", title=None, sort="-x"),
            yOffset="measure:N",
            x=alt.X("amount:Q", title=currency,
                    axis=alt.Axis(format=fmt.vega_format("money", currency))),
            color=alt.Color("measure:N", title=None,
                            legend=alt.Legend(orient="bottom", labelLimit=0),
                            scale=alt.Scale(range=[PRIMARY, "#ef6c00"])),
            tooltip=[alt.Tooltip("category:N"), alt.Tooltip("measure:N", title=""),
                     alt.Tooltip("amount:Q", title=currency, format=",.0f")],
        )
        .properties(height=alt.Step(14))
    )  # fmt: skip


def horizon_chart(frame: pd.DataFrame, currency: str) -> alt.Chart:
    """Counts per month of the next 12, one bar per kind."""
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("month:T", title=None, timeUnit="yearmonth",
                    axis=alt.Axis(format="%b %y", labelAngle=0)),
            xOffset=alt.XOffset("kind:N", sort=HORIZON_KINDS),
            y=alt.Y("count:Q", title="How many"),
            color=alt.Color("kind:N", title=None, legend=alt.Legend(orient="bottom"),
                            scale=alt.Scale(domain=HORIZON_KINDS, range=HORIZON_COLORS)),
            tooltip=[alt.Tooltip("month:T", title="Month", timeUnit="yearmonth", format="%B %Y"),
                     alt.Tooltip("kind:N", title=""), alt.Tooltip("count:Q", title="How many"),
                     alt.Tooltip("value:Q", title=f"Value ({currency})", format=",.0f")],
        )
        .properties(height=260)
    )  # fmt: skip


# ---------------------------------------------------------------- pages


def show_budget_against_actual(as_of: dt.date) -> None:
    """The CFO's chart: budget against actual by month, projected to the year's end."""
    cur = data.currency()
    key = _filters_or_say_why()
    if key is None:
        return
    frame = _budget_by_month(as_of, key, data.version())
    if frame["amount"].fillna(0).eq(0).all():
        widgets.empty("No spend or budget in this fiscal year for these filters. Import purchases, "
                      "cloud bills and the budget on the Data page.")  # fmt: skip
        return
    st.altair_chart(budget_chart(frame, cur), width="stretch")
    st.caption(f"{_fiscal_note(as_of)}. Cumulative: the budget pro rata by day, actual spend to "
               "the as-of date, then the projection (spend so far, the cloud run rate, refreshes "
               "and renewals due, the year's pace continued) to the year's end.")  # fmt: skip


def show_book_value(as_of: dt.date) -> None:
    cur = data.currency()
    key = _filters_or_say_why()
    if key is None:
        return
    frame = _by_category(as_of, key, data.version())
    if frame.empty or frame["amount"].fillna(0).eq(0).all():
        widgets.empty("No owned asset with a purchase date and cost under these filters: book "
                      "value needs purchase_date and purchase_cost on the assets.")  # fmt: skip
        return
    st.altair_chart(category_chart(frame, cur), width="stretch")


def show_horizon(as_of: dt.date) -> None:
    """Warranty ends, contract ends and refreshes due in each of the next 12 months."""
    cur = data.currency()
    key = _filters_or_say_why()
    if key is None:
        return
    frame, skipped = _horizon(as_of, key, data.version())
    if frame.empty:
        widgets.empty("Nothing ends or falls due in the next 12 months for these filters.")
    else:
        st.altair_chart(horizon_chart(frame, cur), width="stretch")
    if skipped:
        st.caption(f"Left out under these filters (their rows do not carry them): "
                   f"{', '.join(skipped).lower()}.")  # fmt: skip


def show_in_currency(metric, value: float | None, as_of: dt.date, *, key: str) -> None:
    """A money metric's value in a currency chosen among those with rates (nothing if none)."""
    own = data.currency()
    options = _currencies(data.version())
    if len(options) <= 1:
        return
    code = st.selectbox("Show in currency", options, key=key,
                        help="Converted at the rate of the as-of month (fx_rates).")  # fmt: skip
    if code == own:
        return
    converted, why = in_currency(value, code, as_of)
    if why:
        st.caption(f"Cannot show it in {code}: {why}.")
        return
    rate = _rate(code, as_of, data.version())
    st.metric(f"{metric.label} in {code}", fmt.money(converted, code))
    st.caption(f"At {rate:,.4f} {own} per {code}, the rate of {as_of:%B %Y} or the latest "
               "before it.")  # fmt: skip


def in_currency(value: float | None, code: str, as_of: dt.date) -> tuple[float | None, str | None]:
    """(value in `code`, None) or (None, why not) — value is in the organisation's currency."""
    if value is None:
        return None, None
    rate = _rate(code, as_of, data.version())
    if not rate:
        return None, f"no rate for {code} on or before {as_of:%B %Y}"
    return value / rate, None
