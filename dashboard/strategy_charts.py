"""Altair charts of the Strategy page: the goals triangle and the roadmap timeline (pure)."""

from __future__ import annotations

import datetime as dt
import itertools
import math

import altair as alt
import pandas as pd

from dashboard import strategy
from dashboard import strategy_seeds as seeds

ROADMAP_COLORS = {
    "planned": "#90a4ae",
    "in_progress": "#1e88e5",
    "done": "#2e7d32",
    "cancelled": "#bdbdbd",
}
_CORNERS = {
    "optimize_spend": (0.0, 0.0),
    "manage_risk": (1.0, 0.0),
    "enhance_service": (0.5, math.sqrt(3) / 2),
}


def _outline() -> pd.DataFrame:
    order = ["optimize_spend", "manage_risk", "enhance_service", "optimize_spend"]
    return pd.DataFrame(
        [{"x": _CORNERS[g][0], "y": _CORNERS[g][1], "i": i} for i, g in enumerate(order)]
    )


def centre_zone() -> pd.DataFrame:
    """The hexagon where no weight is above 40: the centre the blueprint rules out."""
    limit, rest = strategy.CENTRE_LIMIT, 100 - 2 * strategy.CENTRE_LIMIT
    pts = []
    for perm in dict.fromkeys(itertools.permutations((limit, limit, rest))):
        x, y = strategy.triangle_point(dict(zip(strategy.GOALS, perm, strict=True)))
        pts.append((math.atan2(y - 0.2887, x - 0.5), x, y))
    pts.sort()
    pts.append(pts[0])
    return pd.DataFrame([{"x": x, "y": y, "i": i} for i, (_, x, y) in enumerate(pts)])


def triangle(
    weights: dict[str, int] | None, *, valid: bool = True, size: int = 380
) -> alt.LayerChart:
    """The three goals at the corners, the off-limits centre dashed, the organisation's point."""
    axis = dict(axis=None, scale=alt.Scale(domain=[-0.15, 1.15]))
    yaxis = dict(axis=None, scale=alt.Scale(domain=[-0.12, 1.0]))
    base = (
        alt.Chart(_outline())
        .mark_line(color="#1f3a5f", strokeWidth=2)
        .encode(x=alt.X("x:Q", **axis), y=alt.Y("y:Q", **yaxis), order="i:O")
    )
    zone = (
        alt.Chart(centre_zone())
        .mark_line(color="#9e9e9e", strokeDash=[4, 4])
        .encode(x=alt.X("x:Q", **axis), y=alt.Y("y:Q", **yaxis), order="i:O")
    )
    labels = pd.DataFrame(
        [
            {"x": 0.0, "y": -0.07, "label": seeds.GOAL_LABELS["optimize_spend"]},
            {"x": 1.0, "y": -0.07, "label": seeds.GOAL_LABELS["manage_risk"]},
            {"x": 0.5, "y": math.sqrt(3) / 2 + 0.06, "label": seeds.GOAL_LABELS["enhance_service"]},
            {"x": 0.5, "y": 0.29, "label": "centre: off limits"},
        ]
    )
    text = (
        alt.Chart(labels)
        .mark_text(fontSize=13)
        .encode(
            x=alt.X("x:Q", **axis),
            y=alt.Y("y:Q", **yaxis),
            text="label:N",
            color=alt.condition(
                alt.datum.label == "centre: off limits", alt.value("#9e9e9e"), alt.value("#1f3a5f")
            ),
        )
    )
    layers = [base, zone, text]
    if weights and sum(weights.values()) == 100:
        x, y = strategy.triangle_point(weights)
        point = pd.DataFrame(
            [{"x": x, "y": y, **{seeds.GOAL_LABELS[g]: weights[g] for g in strategy.GOALS}}]
        )
        layers.append(
            alt.Chart(point)
            .mark_circle(size=320, color="#c62828" if valid else "#9e9e9e")
            .encode(
                x=alt.X("x:Q", **axis),
                y=alt.Y("y:Q", **yaxis),
                tooltip=[f"{seeds.GOAL_LABELS[g]}:Q" for g in strategy.GOALS],
            )
        )
    return alt.layer(*layers).properties(width=size, height=int(size * 0.9))


def roadmap_timeline(frame: pd.DataFrame, as_of: dt.date | None = None) -> alt.LayerChart | None:
    """Tasks at their target date, one row per initiative, coloured by status (None without dates)."""
    rows = frame.dropna(subset=["target_date"]).copy()
    if rows.empty:
        return None
    rows["target_date"] = pd.to_datetime(rows["target_date"])
    rows["status"] = rows["status"].fillna("planned")
    spans = rows.groupby("initiative", as_index=False).agg(
        start=("target_date", "min"), end=("target_date", "max")
    )
    y = alt.Y("initiative:N", title=None, sort=list(spans.sort_values("start")["initiative"]))
    bars = (
        alt.Chart(spans)
        .mark_bar(color="#eef2f7", height=14, cornerRadius=4)
        .encode(x=alt.X("start:T", title="Target date"), x2="end:T", y=y)
    )
    marks = (
        alt.Chart(rows)
        .mark_point(shape="diamond", filled=True, size=160)
        .encode(
            x="target_date:T",
            y=y,
            color=alt.Color(
                "status:N",
                title="Status",
                scale=alt.Scale(domain=list(ROADMAP_COLORS), range=list(ROADMAP_COLORS.values())),
            ),
            tooltip=[
                "initiative:N",
                "task:N",
                "owner:N",
                alt.Tooltip("target_date:T", format="%Y-%m-%d"),
                "status:N",
            ],
        )
    )
    layers = [bars, marks]
    if as_of is not None:
        today = pd.DataFrame([{"d": pd.Timestamp(as_of), "label": "as of"}])
        layers.append(
            alt.Chart(today).mark_rule(color="#c62828", strokeDash=[4, 3]).encode(x="d:T")
        )
    return alt.layer(*layers).properties(height=max(120, 44 * len(spans)))
