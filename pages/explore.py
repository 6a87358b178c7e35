"""Explore: any metric, any breakdown, any filters and as-of date; the view lives in the URL."""

from __future__ import annotations

import streamlit as st

from dashboard import ui
from dashboard.ui import columns
from metrics.catalog.base import CATEGORIES
from metrics.dimensions import NONE_MEMBER

ui.require("explore")
ui.page_header(
    "Explore", "Slice any metric by vendor, department, cost center, location or product."
)

catalog = ui.data.catalog()
ids = sorted(catalog, key=lambda m: (CATEGORIES.index(catalog[m].category), list(catalog).index(m)))
ss = st.session_state
left, right = st.columns([2, 1])
with left:
    metric_id = st.selectbox(
        "Metric",
        ids,
        key="exp_metric",
        index=ui.state.choice_index("exp_metric", ids, ui.state.param("metric"), "active_devices"),
        format_func=lambda m: f"{catalog[m].category.capitalize()} · {catalog[m].label}",
        on_change=lambda: ui.state.set_param("metric", ss["exp_metric"]),
    )
ui.state.set_param("metric", metric_id)
m = catalog[metric_id]
dims = [d for d in ui.data.dimensions(metric_id) if d in ui.DIM_LABELS]
by_options = [NONE_MEMBER, *dims]  # the first option: no breakdown
with right:
    by = st.selectbox(
        "Breakdown",
        by_options,
        key="exp_by",
        index=ui.state.choice_index("exp_by", by_options, ui.state.param("by"), NONE_MEMBER),
        format_func=lambda d: "no breakdown" if d == NONE_MEMBER else ui.DIM_LABELS[d],
        on_change=lambda: ui.state.set_param("by", ss["exp_by"]),
    )
ui.state.set_param("by", None if by == NONE_MEMBER else by)
st.caption(
    f"{m.description} Unit: {m.unit}; {'lower' if m.direction == 'down' else 'higher' if m.direction == 'up' else 'neither higher nor lower'} is better. "
    "Copy the address in the browser to share exactly this view."
)

if not ui.no_data_yet():
    as_of = ui.state.as_of()
    v = ui.mview(metric_id)
    ui.metric_tile(
        metric_id, ui.data.value(v, as_of), reason=v.reason, delta=ui.data.change_text(v, as_of)
    )
    exact = (
        None
        if v.reason
        else ui.fmt.exact_value(ui.data.value(v, as_of), m.unit, ui.data.currency())
    )
    if exact:  # the compact tile (€35.1k) rounds: the headline also states the exact figure
        st.caption(f"Exact value: {exact}")
    if m.unit == "money" and not v.reason:  # issue 15: the value in another currency
        from dashboard.ui import finance

        finance.show_in_currency(m, ui.data.value(v, as_of), as_of, key="exp_currency")
    if not v.reason:
        if by != NONE_MEMBER:
            ui.section(f"By {ui.DIM_LABELS[by].lower()}")
            cols = st.columns([3, 2])
            with cols[0]:
                frame = ui.breakdown_chart(metric_id, by, top=30, key="exp_chart")
            with cols[1]:
                if not frame.empty:
                    shown = frame.rename(columns={"member": ui.DIM_LABELS[by], "value": m.label})
                    kinds, cur = columns.metric_kinds(m.label, m.unit), ui.data.currency()
                    st.dataframe(
                        columns.whole_money(shown, kinds),
                        hide_index=True,
                        height=min(600, 38 + 35 * len(shown)),
                        column_config=columns.column_config(kinds, cur),
                    )
                    ui.download(
                        shown,
                        f"{metric_id}_by_{by}",
                        f"{m.label} by {ui.DIM_LABELS[by].lower()}",
                        key="dl_exp_breakdown",
                        formats=columns.xlsx_formats(kinds, cur),
                    )
            if not m.is_additive:
                st.caption(
                    "This metric is not additive: the members do not add up to the headline."
                )
        ui.section("Monthly trend", "Value as of each month end.")
        series = ui.data.trend(v, as_of)
        if series["value"].notna().any():
            ui.widgets.chart(
                ui.charts.trend(series, label=m.label, unit=m.unit, currency=ui.data.currency()),
                legend_below=True,
            )
        else:
            ui.empty("No values in the last 12 months.")
        ui.records_expander(metric_id, expanded=False)
