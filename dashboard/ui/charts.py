"""Altair charts with one look: status and category colours, money and dates
formatted, target lines, tooltips. Pure (returns charts; pages draw them)."""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd

from dashboard.ui import fmt

STATUS_COLORS = {"green": "#2e7d32", "amber": "#f9a825", "red": "#c62828", "grey": "#9e9e9e"}
STATUS_SCALE = alt.Scale(domain=list(STATUS_COLORS), range=list(STATUS_COLORS.values()))
SPEND_TYPES = ["hardware", "software", "cloud"]
SPEND_COLORS = ["#1565c0", "#6a1b9a", "#00838f"]
SPEND_SCALE = alt.Scale(domain=SPEND_TYPES, range=SPEND_COLORS)
PRIMARY = "#1565c0"
TARGET = "#c62828"
# Bars are a band this tall each, so every category keeps its label (Vega drops every other
# label when they would touch; issue 16: "11 bars, 6 labels").
STEP = 26


def band_axis(field: str, title: str | None, sort="-x") -> alt.Y:
    """A category axis that labels every bar, with long names cut only past 240 px."""
    return alt.Y(
        field,
        title=title,
        sort=sort,
        axis=alt.Axis(labelOverlap=False, labelLimit=240, labelPadding=4),
    )


def described(chart, title: str, description: str):
    """A chart with a title and a text alternative (Vega-Lite's `description`, read out by
    screen readers as the chart's label)."""
    return chart.properties(
        title=alt.TitleParams(title, anchor="start", fontSize=13), description=description
    )


def element_height(chart, legend_below: bool = False) -> int | None:
    """The height to give `st.altair_chart`: Streamlit draws a chart at its own default height
    whatever the spec says (11 bars in 170 px hid every other label), so pages pass the
    spec's plot height plus room for the title, the axis and a legend below."""
    plot = chart.height if isinstance(chart.height, int | float) else None
    if plot is None:
        return None
    return (
        int(plot)
        + 80
        + (25 if chart.title is not alt.Undefined else 0)
        + (45 if legend_below else 0)
    )


def listing(frame: pd.DataFrame, name: str, value: str, fmt_value, limit: int = 10) -> str:
    """ "laptop 48, phone 20, ... and 3 more": the values a chart draws, as words."""
    items = [f"{row[name]} {fmt_value(row[value])}" for _, row in frame.head(limit).iterrows()]
    more = f" and {len(frame) - limit} more" if len(frame) > limit else ""
    return ", ".join(items) + more


def _y(field: str, unit: str, currency: str, title: str | None = None) -> alt.Y:
    return alt.Y(
        f"{field}:Q",
        title=title,
        axis=alt.Axis(format=fmt.vega_format(unit, currency)),
    )


# How a trend marks where each point comes from (dashboard/history.py): a record is a
# filled dot, a recomputed value a hollow one, and a month without a record is a gap in
# the line with a grey cross on the axis.
SOURCE_LABELS = {"recorded": "recorded", "recomputed": "recomputed", "none": "no record"}
GAP = "#9e9e9e"


def with_segments(frame: pd.DataFrame) -> pd.DataFrame:
    """The series with `source` (default recomputed) and `segment`: a new one after each gap,
    so the line breaks where a value is missing instead of joining across it."""
    data = frame.copy()
    data["date"] = pd.to_datetime(data["date"])  # dates as timestamps: any renderer takes them
    if "source" not in data:
        data["source"] = "recomputed"
    data["source"] = data["source"].where(data["value"].notna(), "none")
    data["segment"] = (data["value"].isna()).cumsum()
    data["point"] = data["source"].map(SOURCE_LABELS)
    return data


def _source_fill(color: str) -> alt.Fill:
    return alt.Fill(
        "point:N",
        scale=alt.Scale(domain=["recorded", "recomputed"], range=[color, "white"]),
        legend=None,
    )


def sparkline(frame: pd.DataFrame, status: str = "grey", height: int = 40) -> alt.LayerChart:
    """A tiny monthly line in the KPI's status colour; recorded points filled, recomputed
    hollow, gaps left open."""
    color = STATUS_COLORS.get(status, PRIMARY)
    data = with_segments(frame)
    known = data.dropna(subset=["value"])
    base = alt.Chart(known).encode(
        x=alt.X("date:T", axis=None, scale=alt.Scale(domain=_domain(data))),
        y=alt.Y("value:Q", axis=None, scale=alt.Scale(zero=False)),
        tooltip=[
            alt.Tooltip("date:T", format="%Y-%m"),
            alt.Tooltip("value:Q", format=",.2f"),
            alt.Tooltip("point:N", title="Value"),
        ],
    )
    line = base.mark_line(color=color, strokeWidth=2).encode(detail="segment:N")
    dots = base.mark_point(size=14, color=color, opacity=1, filled=False).encode(
        fill=_source_fill(color)
    )
    return alt.layer(line, dots).properties(height=height)


def _domain(data: pd.DataFrame) -> list[str]:
    """The x range of the whole series, gaps included (so a gap at either end shows)."""
    days = pd.to_datetime(data["date"])
    return [days.min().isoformat(), days.max().isoformat()]


def trend(
    frame: pd.DataFrame,
    *,
    label: str,
    unit: str,
    currency: str = fmt.DEFAULT_CURRENCY,
    target: float | None = None,
    target_label: str = "target",
) -> alt.LayerChart:
    """The monthly series: recorded points filled, recomputed ones hollow, months without a
    record left as gaps (a grey cross on the axis); the target as a dashed red rule."""
    data = with_segments(frame)
    # A month-end value belongs to its month: drawn at the month's first day, where the axis
    # labels it (31 Jan under "Jan", not just left of "Feb").
    data["month"] = data["date"].dt.to_period("M").dt.to_timestamp()
    known = data.dropna(subset=["value"])
    months = pd.date_range(data["month"].min(), data["month"].max(), freq="MS")
    x = alt.X(
        "month:T",
        title="Month end",
        axis=alt.Axis(format="%b %Y", values=[d.isoformat() for d in months], labelAngle=-40),
        scale=alt.Scale(domain=[months[0].isoformat(), months[-1].isoformat()], padding=12),
    )
    tooltip = [
        alt.Tooltip("date:T", title="As of", format="%Y-%m-%d"),
        alt.Tooltip("value:Q", title=label, format=fmt.vega_format(unit, currency)),
        alt.Tooltip("point:N", title="Value"),
    ]
    y = _y("value", unit, currency, fmt.axis_title(label, unit, currency))
    line = alt.Chart(known).mark_line(color=PRIMARY).encode(x=x, y=y, detail="segment:N")
    dots = (
        alt.Chart(known)
        .mark_point(size=60, color=PRIMARY, opacity=1, filled=False, strokeWidth=2)
        .encode(
            x=x,
            y=y,
            tooltip=tooltip,
            fill=alt.Fill(
                "point:N",
                title="Point",
                scale=alt.Scale(domain=["recorded", "recomputed"], range=[PRIMARY, "white"]),
                legend=alt.Legend(orient="bottom", symbolStrokeColor=PRIMARY),
            ),
        )
    )
    layers = [line, dots]
    gaps = data[data["value"].isna()]
    if not gaps.empty:
        layers.append(
            alt.Chart(gaps)
            .mark_point(shape="cross", color=GAP, size=50, filled=True)
            .encode(
                x=x,
                y=alt.value(270),
                tooltip=[
                    alt.Tooltip("date:T", title="As of", format="%Y-%m-%d"),
                    alt.Tooltip("point:N", title="Value"),
                ],
            )
        )
    if target is not None:
        layers.append(
            alt.Chart(pd.DataFrame({"target": [target], "what": [target_label]}))
            .mark_rule(color=TARGET, strokeDash=[6, 4], size=2)
            .encode(
                y="target:Q",
                tooltip=[alt.Tooltip("what:N", title=""), alt.Tooltip("target:Q", title="Target")],
            )
        )
    desc = listing(
        known.assign(m=known["date"].dt.strftime("%b %Y")),
        "m",
        "value",
        lambda v: fmt.metric_value(v, unit, currency, compact=False),
        limit=24,
    )
    return described(
        alt.layer(*layers), f"{label}, monthly", f"Line of {label} at each month end: {desc}."
    ).properties(height=280)


def bars(
    frame: pd.DataFrame,
    *,
    label: str,
    unit: str,
    dim_label: str,
    currency: str = fmt.DEFAULT_CURRENCY,
    target: float | None = None,
    top: int = 25,
    color: str = PRIMARY,
) -> alt.LayerChart | alt.Chart:
    """A breakdown as horizontal bars, largest first, with an optional target rule."""
    data = frame.head(top).copy()
    chart = (
        alt.Chart(data)
        .mark_bar(color=color)
        .encode(
            y=band_axis("member:N", dim_label),
            x=alt.X(
                "value:Q",
                title=fmt.axis_title(label, unit, currency),
                axis=alt.Axis(format=fmt.vega_format(unit, currency)),
            ),
            tooltip=[
                alt.Tooltip("member:N", title=dim_label),
                alt.Tooltip("value:Q", title=label, format=fmt.vega_format(unit, currency)),
            ],
        )
    )
    height = max(120, STEP * len(data))
    chart = described(
        chart,
        f"{label} by {dim_label.lower()}",
        f"Horizontal bars of {label} by {dim_label.lower()}, largest first: "
        + listing(
            data, "member", "value", lambda v: fmt.metric_value(v, unit, currency, compact=False)
        )
        + ".",
    )
    if target is None:
        return chart.properties(height=height)
    rule = (
        alt.Chart(pd.DataFrame({"target": [target]}))
        .mark_rule(color=TARGET, strokeDash=[6, 4], size=2)
        .encode(x="target:Q", tooltip=[alt.Tooltip("target:Q", title="Target")])
    )
    return alt.layer(chart, rule).properties(height=height)


def month_coverage(months: pd.Series, as_of: dt.date, days: int = 365) -> pd.DataFrame:
    """For each month of the `days` ending on `as_of` (as_of - days < d <= as_of): its axis
    label and the days it covers. As of 30 Jun 2026 every month is whole; as of 15 Jun 2026
    the window starts 16 Jun 2025, so the first month reads "Jun 2025 (16-30)" and the last
    "Jun 2026 (1-15)"."""
    first = as_of - dt.timedelta(days=days - 1)
    out = []
    for month in pd.to_datetime(months).drop_duplicates():
        start = max(month.date(), first)
        end = min((month + pd.offsets.MonthEnd(0)).date(), as_of)
        whole = start.day == 1 and end == (month + pd.offsets.MonthEnd(0)).date()
        label = (
            month.strftime("%b %Y")
            if whole
            else f"{month.strftime('%b %Y')} ({start.day}-{end.day})"
        )
        out.append(
            {
                "month": month,
                "period": label,
                "part": "whole month" if whole else "part of the month",
                "covers": f"{start:%d %b %Y} to {end:%d %b %Y}",
            }
        )
    return pd.DataFrame(out)


def spend_by_month(
    frame: pd.DataFrame,
    *,
    currency: str,
    monthly_budget: float | None = None,
    as_of: dt.date | None = None,
) -> alt.LayerChart | alt.Chart:
    """Stacked monthly spend by type (hardware, software, cloud) against the monthly budget.
    Given `as_of`, the window's partial first and last months are labelled with their days
    and drawn lighter."""
    data = frame.copy()
    data["month"] = pd.to_datetime(data["month"])
    if as_of is not None and not data.empty:
        data = data.merge(month_coverage(data["month"], as_of), on="month", how="left")
    else:
        data["period"] = data["month"].dt.strftime("%b %Y")
        data["part"] = "whole month"
        data["covers"] = data["period"]
    order = list(data.sort_values("month")["period"].drop_duplicates())
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X(
                "period:O",
                title="Month",
                sort=order,
                axis=alt.Axis(labelAngle=-40, labelOverlap=False, labelLimit=160),
            ),
            y=alt.Y(
                "amount:Q",
                title=f"Spend ({currency})",
                stack="zero",
                axis=alt.Axis(format=fmt.vega_format("money", currency)),
            ),
            color=alt.Color("spend_type:N", title="Type", scale=SPEND_SCALE),
            opacity=alt.Opacity(
                "part:N",
                title="Month",
                scale=alt.Scale(domain=["whole month", "part of the month"], range=[1.0, 0.45]),
                legend=alt.Legend(orient="right"),
            ),
            tooltip=[
                alt.Tooltip("covers:N", title="Covers"),
                alt.Tooltip("spend_type:N", title="Type"),
                alt.Tooltip("amount:Q", title=f"Spend ({currency})", format=",.0f"),
            ],
        )
    )
    totals = data.groupby("period", sort=False)["amount"].sum().reindex(order).reset_index()
    chart = described(
        chart,
        f"Spend by month ({currency})",
        "Stacked bars of hardware, software and cloud spend by month: "
        + listing(totals, "period", "amount", lambda v: fmt.money(v, currency, False), 13)
        + (
            f"; monthly budget {fmt.money(monthly_budget, currency, False)}"
            if monthly_budget
            else ""
        )
        + ".",
    )
    if not monthly_budget:
        return chart.properties(height=300)
    rule = (
        alt.Chart(
            pd.DataFrame(
                {"budget": [monthly_budget], "what": ["monthly budget (1/12 of the year)"]}
            )
        )
        .mark_rule(color=TARGET, strokeDash=[6, 4], size=2)
        .encode(
            y="budget:Q",
            tooltip=[
                alt.Tooltip("what:N", title=""),
                alt.Tooltip("budget:Q", title=f"Budget ({currency})", format=",.0f"),
            ],
        )
    )
    return alt.layer(chart, rule).properties(height=300)


def by_period(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    x_title: str,
    y_title: str,
    unit: str,
    currency: str = fmt.DEFAULT_CURRENCY,
    color: str = PRIMARY,
    tooltip_extra: list | None = None,
) -> alt.Chart:
    """Vertical bars over ordered periods (quarters, sources, ...)."""
    return (
        alt.Chart(frame)
        .mark_bar(color=color)
        .encode(
            x=alt.X(
                f"{x}:N",
                title=x_title,
                sort=None,
                axis=alt.Axis(labelOverlap=False, labelAngle=-40, labelLimit=160),
            ),
            y=alt.Y(f"{y}:Q", title=y_title, axis=alt.Axis(format=fmt.vega_format(unit, currency))),
            tooltip=[
                alt.Tooltip(f"{x}:N", title=x_title),
                alt.Tooltip(f"{y}:Q", title=y_title, format=fmt.vega_format(unit, currency)),
            ]
            + (tooltip_extra or []),
        )
        .properties(
            height=280,
            description=f"Bars of {y_title} by {x_title.lower()}: "
            + listing(frame, x, y, lambda v: fmt.metric_value(v, unit, currency, compact=False), 16)
            + ".",
        )
    )


def timeline(
    frame: pd.DataFrame,
    *,
    date: str,
    value: str,
    label: str,
    color_field: str | None,
    currency: str,
    start=None,
    end=None,
) -> alt.Chart:
    """Points on a date axis sized by value (renewals in the next 90 days)."""
    enc = dict(
        x=alt.X(
            f"{date}:T",
            title="End date",
            axis=alt.Axis(format="%d %b %Y", labelOverlap=True, tickCount=3),
            scale=alt.Scale(domain=[str(start), str(end)]) if start and end else alt.Undefined,
        ),
        y=band_axis(f"{label}:N", None, sort=alt.EncodingSortField(date, order="ascending")),
        size=alt.Size(
            f"{value}:Q",
            title=f"Annual value ({currency})",
            legend=alt.Legend(
                format=",.0f", orient="bottom", symbolFillColor="#9e9e9e", tickCount=3
            ),
        ),
        tooltip=[
            alt.Tooltip(f"{label}:N", title="Contract"),
            alt.Tooltip(f"{date}:T", title="Ends", format="%Y-%m-%d"),
            alt.Tooltip(f"{value}:Q", title=f"Annual value ({currency})", format=",.0f"),
        ],
    )
    if color_field:
        # the legends sit below: on a phone the dates need the chart's whole width
        enc["color"] = alt.Color(
            f"{color_field}:N",
            title=color_field.replace("_", " ").capitalize(),
            legend=alt.Legend(orient="bottom", direction="vertical"),
        )
        enc["tooltip"].append(alt.Tooltip(f"{color_field}:N"))
    chart = alt.Chart(frame).mark_circle(opacity=0.8).encode(**enc)
    ends = frame.assign(_e=pd.to_datetime(frame[date]).dt.strftime("%d %b %Y"))
    words = ", ".join(
        f"{r[label]} on {r['_e']} ({fmt.money(r[value], currency, False)})"
        for _, r in ends.head(15).iterrows()
    )
    return described(
        chart, "Contracts ending", f"Contracts by end date, dot size the annual value: {words}."
    ).properties(height=max(140, STEP * len(frame)))


def paired_bars(
    frame: pd.DataFrame,
    *,
    category: str,
    series: str,
    value: str,
    title: str,
    colors: dict[str, str],
) -> alt.Chart:
    """Two measures side by side per category (licence demand against entitlements)."""
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=band_axis(f"{category}:N", None, sort=None),
            yOffset=alt.YOffset(f"{series}:N"),
            x=alt.X(f"{value}:Q", title=title, axis=alt.Axis(format=",.0f")),
            color=alt.Color(
                f"{series}:N",
                title=None,
                scale=alt.Scale(domain=list(colors), range=list(colors.values())),
            ),
            tooltip=[
                alt.Tooltip(f"{category}:N", title="Title"),
                alt.Tooltip(f"{series}:N", title=""),
                alt.Tooltip(f"{value}:Q", format=",.0f"),
            ],
        )
        .properties(
            height=max(160, 34 * frame[category].nunique()),
            description=f"{title} per {category}, "
            + " and ".join(colors)
            + " side by side: "
            + "; ".join(
                f"{k}: "
                + ", ".join(f"{s} {v:,.0f}" for s, v in zip(g[series], g[value], strict=False))
                for k, g in list(frame.groupby(category, sort=False))[:12]
            )
            + ".",
        )
    )


def status_by_goal(frame: pd.DataFrame, goals: list[str]) -> alt.Chart:
    """How many KPIs of each goal are green, amber, red or grey."""
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("goal:N", title=None, sort=goals),
            x=alt.X("count():Q", title="KPIs", axis=alt.Axis(format="d", tickMinStep=1)),
            color=alt.Color("status:N", title="Status", scale=STATUS_SCALE),
            tooltip=[
                alt.Tooltip("goal:N", title="Goal"),
                alt.Tooltip("status:N", title="Status"),
                alt.Tooltip("count():Q", title="KPIs"),
            ],
        )
        .properties(height=140)
    )


def stacked_counts(
    frame: pd.DataFrame, *, y: str, color: str, y_title: str, color_title: str, value: str = "count"
) -> alt.Chart:
    """Counts per category split by a second field (discrepancies by source and kind)."""
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=band_axis(f"{y}:N", y_title),
            x=alt.X(f"sum({value}):Q", title="Records", axis=alt.Axis(format="d")),
            color=alt.Color(
                f"{color}:N",
                title=color_title,
                legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=320),
            ),
            tooltip=[
                alt.Tooltip(f"{y}:N", title=y_title),
                alt.Tooltip(f"{color}:N", title=color_title),
                alt.Tooltip(f"sum({value}):Q", title="Records"),
            ],
        )
        .properties(
            height=max(120, STEP * frame[y].nunique()),
            description=f"Stacked bars of records by {y_title.lower()} and {color_title.lower()}: "
            + listing(
                frame.groupby(y, as_index=False)[value].sum().sort_values(value, ascending=False),
                y,
                value,
                lambda v: f"{int(v):,}",
            )
            + ".",
        )
    )
