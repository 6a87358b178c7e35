"""Altair charts with one look: status and category colours, money and dates
formatted, target lines, tooltips. Pure (returns charts; pages draw them)."""

from __future__ import annotations

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
        tooltip=[alt.Tooltip("date:T", format="%Y-%m"), alt.Tooltip("value:Q", format=",.2f"),
                 alt.Tooltip("point:N", title="Value")],
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
    known = data.dropna(subset=["value"])
    x = alt.X("date:T", title="Month end", axis=alt.Axis(format="%b %Y"),
              scale=alt.Scale(domain=_domain(data)))
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
            x=x, y=y, tooltip=tooltip,
            fill=alt.Fill("point:N", title="Point",
                          scale=alt.Scale(domain=["recorded", "recomputed"],
                                          range=[PRIMARY, "white"]),
                          legend=alt.Legend(orient="bottom", symbolStrokeColor=PRIMARY)),
        )
    )
    layers = [line, dots]
    gaps = data[data["value"].isna()]
    if not gaps.empty:
        layers.append(
            alt.Chart(gaps)
            .mark_point(shape="cross", color=GAP, size=50, filled=True)
            .encode(x=x, y=alt.value(270),
                    tooltip=[alt.Tooltip("date:T", title="As of", format="%Y-%m-%d"),
                             alt.Tooltip("point:N", title="Value")])
        )
    if target is not None:
        layers.append(
            alt.Chart(pd.DataFrame({"target": [target], "what": [target_label]}))
            .mark_rule(color=TARGET, strokeDash=[6, 4], size=2)
            .encode(y="target:Q", tooltip=[alt.Tooltip("what:N", title=""),
                                           alt.Tooltip("target:Q", title="Target")])
        )
    return alt.layer(*layers).properties(height=280)


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
            y=alt.Y("member:N", sort="-x", title=dim_label),
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
    height = max(120, 22 * len(data))
    if target is None:
        return chart.properties(height=height)
    rule = (
        alt.Chart(pd.DataFrame({"target": [target]}))
        .mark_rule(color=TARGET, strokeDash=[6, 4], size=2)
        .encode(x="target:Q", tooltip=[alt.Tooltip("target:Q", title="Target")])
    )
    return alt.layer(chart, rule).properties(height=height)


def spend_by_month(
    frame: pd.DataFrame, *, currency: str, monthly_budget: float | None = None
) -> alt.LayerChart | alt.Chart:
    """Stacked monthly spend by type (hardware, software, cloud) against the monthly budget."""
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("yearmonth(month):O", title="Month", axis=alt.Axis(format="%b %Y", labelAngle=-40)),
            y=alt.Y("amount:Q", title=f"Spend ({currency})", stack="zero",
                    axis=alt.Axis(format=fmt.vega_format("money", currency))),
            color=alt.Color("spend_type:N", title="Type", scale=SPEND_SCALE),
            tooltip=[
                alt.Tooltip("month:T", title="Month", format="%b %Y"),
                alt.Tooltip("spend_type:N", title="Type"),
                alt.Tooltip("amount:Q", title=f"Spend ({currency})", format=",.0f"),
            ],
        )
    )
    if not monthly_budget:
        return chart.properties(height=300)
    rule = (
        alt.Chart(pd.DataFrame({"budget": [monthly_budget], "what": ["monthly budget (1/12 of the year)"]}))
        .mark_rule(color=TARGET, strokeDash=[6, 4], size=2)
        .encode(y="budget:Q", tooltip=[alt.Tooltip("what:N", title=""),
                                       alt.Tooltip("budget:Q", title=f"Budget ({currency})", format=",.0f")])
    )
    return alt.layer(chart, rule).properties(height=300)


def by_period(
    frame: pd.DataFrame, *, x: str, y: str, x_title: str, y_title: str, unit: str,
    currency: str = fmt.DEFAULT_CURRENCY, color: str = PRIMARY, tooltip_extra: list | None = None,
) -> alt.Chart:
    """Vertical bars over ordered periods (quarters, sources, ...)."""
    return (
        alt.Chart(frame)
        .mark_bar(color=color)
        .encode(
            x=alt.X(f"{x}:N", title=x_title, sort=None),
            y=alt.Y(f"{y}:Q", title=y_title, axis=alt.Axis(format=fmt.vega_format(unit, currency))),
            tooltip=[alt.Tooltip(f"{x}:N", title=x_title),
                     alt.Tooltip(f"{y}:Q", title=y_title, format=fmt.vega_format(unit, currency))]
            + (tooltip_extra or []),
        )
        .properties(height=280)
    )


def timeline(
    frame: pd.DataFrame, *, date: str, value: str, label: str, color_field: str | None,
    currency: str, start=None, end=None,
) -> alt.Chart:
    """Points on a date axis sized by value (renewals in the next 90 days)."""
    enc = dict(
        x=alt.X(f"{date}:T", title="End date", axis=alt.Axis(format="%d %b"),
                scale=alt.Scale(domain=[str(start), str(end)]) if start and end else alt.Undefined),
        y=alt.Y(f"{label}:N", title=None, sort=alt.EncodingSortField(date, order="ascending")),
        size=alt.Size(f"{value}:Q", title=f"Annual value ({currency})", legend=None),
        tooltip=[alt.Tooltip(f"{label}:N", title="Contract"), alt.Tooltip(f"{date}:T", title="Ends", format="%Y-%m-%d"),
                 alt.Tooltip(f"{value}:Q", title=f"Annual value ({currency})", format=",.0f")],
    )
    if color_field:
        enc["color"] = alt.Color(f"{color_field}:N", title=color_field.replace("_", " ").capitalize())
        enc["tooltip"].append(alt.Tooltip(f"{color_field}:N"))
    return alt.Chart(frame).mark_circle(opacity=0.8).encode(**enc).properties(
        height=max(140, 22 * len(frame))
    )


def paired_bars(frame: pd.DataFrame, *, category: str, series: str, value: str, title: str,
                colors: dict[str, str]) -> alt.Chart:
    """Two measures side by side per category (licence demand against entitlements)."""
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y(f"{category}:N", title=None, sort=None),
            yOffset=alt.YOffset(f"{series}:N"),
            x=alt.X(f"{value}:Q", title=title, axis=alt.Axis(format=",.0f")),
            color=alt.Color(f"{series}:N", title=None,
                            scale=alt.Scale(domain=list(colors), range=list(colors.values()))),
            tooltip=[alt.Tooltip(f"{category}:N", title="Title"), alt.Tooltip(f"{series}:N", title=""),
                     alt.Tooltip(f"{value}:Q", format=",.0f")],
        )
        .properties(height=max(160, 34 * frame[category].nunique()))
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
            tooltip=[alt.Tooltip("goal:N", title="Goal"), alt.Tooltip("status:N", title="Status"),
                     alt.Tooltip("count():Q", title="KPIs")],
        )
        .properties(height=140)
    )


def stacked_counts(frame: pd.DataFrame, *, y: str, color: str, y_title: str, color_title: str,
                   value: str = "count") -> alt.Chart:
    """Counts per category split by a second field (discrepancies by source and kind)."""
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y(f"{y}:N", title=y_title, sort="-x"),
            x=alt.X(f"sum({value}):Q", title="Records", axis=alt.Axis(format="d")),
            color=alt.Color(f"{color}:N", title=color_title),
            tooltip=[alt.Tooltip(f"{y}:N", title=y_title), alt.Tooltip(f"{color}:N", title=color_title),
                     alt.Tooltip(f"sum({value}):Q", title="Records")],
        )
        .properties(height=max(140, 30 * frame[y].nunique()))
    )
