"""Estimates: what the team believed against what the data shows (the estimation tracker).

Asset managers and admins download the template and upload snapshots; the CIO and
CFO read the comparison and its progress. Actuals respect the user's scope.
"""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import estimates, ui


def estimate_columns(currency: str) -> dict:
    """Readable headers; numbers with thousands separators, the margin with %. Counts and
    spend share the estimate columns, so the currency is in the header, not each cell."""
    num = "localized"
    return {
        "line_item": st.column_config.TextColumn("Line item", width="medium"),
        "measure": st.column_config.TextColumn("Measure"),
        "estimate": st.column_config.NumberColumn(f"Estimate (count or {currency})", format=num),
        "margin_pct": st.column_config.NumberColumn("Margin", format="%.0f %%"),
        "low": st.column_config.NumberColumn("Low", format=num),
        "high": st.column_config.NumberColumn("High", format=num),
        "actual": st.column_config.NumberColumn("Actual", format=num),
        "result": st.column_config.TextColumn("Result"),
        "confidence": st.column_config.TextColumn("Confidence"),
        "metric": st.column_config.TextColumn("Metric"),
        "filter": st.column_config.TextColumn("Filter"),
    }


ui.require("estimates")
ui.page_header(
    "Estimates", "How close was our first estimate of the estate, and are we getting better?"
)
engine = ui.data.engine()
editor = ui.can_edit("estimates")

st.download_button(
    "Download the estimates template (.xlsx)",
    estimates.template_bytes,
    "itam-estimates-template.xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="dl_estimates_template",
    icon=":material/download:",
    on_click="ignore",
)

if editor:
    with st.expander(
        "Upload estimates",
        icon=":material/upload_file:",
        expanded=not estimates.list_snapshots(engine),
    ):
        with st.form("estimates_upload"):
            upload = st.file_uploader(
                "Filled-in template (.xlsx or estimates.csv)",
                type=["xlsx", "csv"],
                key="est_upload",
            )
            c1, c2 = st.columns(2)
            name = c1.text_input("Snapshot name", value="Baseline", key="est_name")
            taken = c2.date_input(
                "Snapshot date", value=dt.date.today(), key="est_date", format="YYYY-MM-DD"
            )
            sent = st.form_submit_button("Check and keep", type="primary")
        if sent and upload is not None:
            result = estimates.import_estimates(
                engine,
                upload.getvalue(),
                name,
                date=taken,
                filename=upload.name,
                user=ui.current_user().username,
            )
            for w in result.warnings:
                st.caption(ui.widgets.plain(w))
            if result.ok:
                verb = "replaced" if result.snapshot["replaced"] else "kept"
                st.success(
                    f"Snapshot “{ui.widgets.plain(result.snapshot['name'])}” of {result.snapshot['date']} {verb}: "
                    f"{result.snapshot['lines']} line(s)."
                )
            else:
                st.error(f"{len(result.errors)} problem(s): nothing was kept.")
                st.dataframe(
                    pd.DataFrame(
                        result.errors, columns=["sheet", "row", "column", "value", "reason"]
                    ),
                    hide_index=True,
                )
        elif sent:
            st.warning("Choose a file first.")

snaps = estimates.list_snapshots(engine)
if not snaps:
    ui.empty(
        "No estimates yet: download the template, fill it in (time-box it to an hour) and upload it."
    )
    st.stop()

labels = {s["id"]: f"{s['name']} · {s['date'].isoformat()} ({s['lines']} lines)" for s in snaps}
c1, c2 = st.columns(2)
chosen = c1.selectbox(
    "Snapshot", list(reversed(list(labels))), format_func=labels.get, key="est_snapshot"
)
as_of = c2.date_input(
    "Compare with the data as of", value=ui.state.as_of(), key="est_as_of", format="YYYY-MM-DD"
)
doc = estimates.compare(engine, as_of=as_of, scope=ui.scope() or None, snapshot_id=chosen)
lines = pd.DataFrame(doc["lines"])

ui.section(
    "Estimate against actual",
    "Each estimate with its margin band; the point is what the data shows.",
)
if ui.scope():
    st.caption(
        "Actuals are computed within your scope; lines whose filter lies outside it have no actual."
    )
judged = lines[lines["within_margin"].notna()]
n_lines = next(s["lines"] for s in snaps if s["id"] == chosen)
m1, m2, m3 = st.columns(3)
# A line of the sheet can estimate a count and a spend: the snapshot's "9 lines" are 12
# estimates, and the tiles count estimates (issue 16).
m1.metric(
    "Estimates",
    f"{len(lines):,}",
    help="One per count or spend estimated: a line of the sheet can estimate both.",
    border=True,
)
m2.metric(
    "Within their margin",
    f"{int(judged['within_margin'].astype(bool).sum()):,} of {len(judged):,}",
    border=True,
)
m3.metric("No actual to compare", f"{int(lines['within_margin'].isna().sum()):,}", border=True)
st.caption(
    f"{n_lines:,} line{'s' if n_lines != 1 else ''} of the sheet give {len(lines):,} "
    f"estimate{'s' if len(lines) != 1 else ''}: a line can estimate both a count and a spend."
)
shown = lines.assign(
    result=lines["within_margin"].map({True: "within", False: "outside"}).fillna("no actual"),
)[
    [
        "line_item",
        "measure",
        "estimate",
        "margin_pct",
        "low",
        "high",
        "actual",
        "result",
        "confidence",
        "metric",
        "filter",
    ]
]
cur = ui.data.currency()
st.dataframe(
    shown.round({"estimate": 0, "low": 0, "high": 0, "actual": 0}),
    hide_index=True,
    column_config=estimate_columns(cur),
)
ui.download(
    shown,
    "estimates-comparison",
    f"Estimates {labels[chosen]} against actuals as of {as_of}",
    key="dl_est_compare",
)

for measure, title in (("count", "Counts"), ("spend", "Spend")):
    part = lines[lines["measure"] == measure].copy()
    if part.empty:
        continue
    part["result"] = (
        part["within_margin"].map({True: "within", False: "outside"}).fillna("no actual")
    )
    base = alt.Chart(part).encode(y=ui.charts.band_axis("line_item:N", None, sort=None))
    band = base.mark_rule(strokeWidth=6, opacity=0.35, color="#1565c0").encode(
        x=alt.X("low:Q", title=title),
        x2="high:Q",
        tooltip=["line_item", "estimate", "low", "high", "confidence"],
    )
    estimate = base.mark_tick(color="#1565c0", thickness=2, size=18).encode(x="estimate:Q")
    actual = base.mark_point(filled=True, size=90).encode(
        x="actual:Q",
        color=alt.Color(
            "result:N",
            scale=alt.Scale(
                domain=["within", "outside", "no actual"], range=["#2e7d32", "#c62828", "#9e9e9e"]
            ),
            title="Actual",
        ),
        tooltip=["line_item", "actual", "result"],
    )
    ui.widgets.chart(
        (band + estimate + actual).properties(
            title=f"{title}: estimate ± margin, and the actual",
            height=max(120, ui.charts.STEP * len(part)),
            description=f"{title}: each line's estimate with its margin band and the actual: "
            + "; ".join(
                f"{r.line_item} {r.estimate:,.0f} ({r.low:,.0f}-{r.high:,.0f}), actual "
                + ("none" if pd.isna(r.actual) else f"{r.actual:,.0f}")
                + f", {r.result}"
                for r in part.itertuples()
            ),
        ),
        key=f"est_chart_{measure}",
    )

ui.section("Progress", "Across snapshots, each compared with the data as of its own date.")
progress = pd.DataFrame(estimates.progress(engine, scope=ui.scope() or None))
progress["high"] = progress["confidence"].map(lambda c: c["high"])
progress["medium"] = progress["confidence"].map(lambda c: c["medium"])
progress["low"] = progress["confidence"].map(lambda c: c["low"])
table = progress.drop(columns=["confidence"])
st.dataframe(
    table,
    hide_index=True,
    column_config={
        "name": "Snapshot",
        "date": st.column_config.DateColumn("Date", format="YYYY-MM-DD"),
        "estimates": "Estimates",
        "with_actual": "With an actual",
        "within_margin": "Within their margin",
        "within_pct": st.column_config.NumberColumn("Within (%)", format="%.0f %%"),
        "high": "High confidence",
        "medium": "Medium",
        "low": "Low",
    },
)
if len(progress) >= 1:
    within_chart = (
        alt.Chart(progress)
        .mark_line(point=True)
        .encode(
            x=alt.X("date:T", title="Snapshot date"),
            y=alt.Y(
                "within_pct:Q",
                title="Within margin (%)",
                axis=alt.Axis(format=".0f"),
                scale=alt.Scale(domain=[0, 100]),
            ),
            tooltip=["name", "date", "within_margin", "with_actual"],
        )
    )
    mix = progress.melt(
        id_vars=["name", "date"],
        value_vars=["high", "medium", "low"],
        var_name="confidence",
        value_name="lines",
    )
    conf_chart = (
        alt.Chart(mix)
        .mark_bar()
        .encode(
            x=alt.X("date:T", title="Snapshot date"),
            y=alt.Y("lines:Q", title="Lines"),
            color=alt.Color("confidence:N", sort=["high", "medium", "low"]),
            tooltip=["name", "confidence", "lines"],
        )
    )
    left, right = st.columns(2)
    left.altair_chart(within_chart.properties(title="Lines within their margin"), width="stretch")
    right.altair_chart(conf_chart.properties(title="Confidence"), width="stretch")
