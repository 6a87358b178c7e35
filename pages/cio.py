"""CIO: next year's budget, where money can be found, what is managed, KPI status by goal."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import ui
from metrics.kpi import GOAL_LABELS, GOALS

ui.require("cio")
ui.page_header("CIO", "What to budget next year, where money can be found, and how we are doing.")

if not ui.no_data_yet():
    as_of = ui.state.as_of()
    cur = ui.data.currency()

    ui.section(
        "What to budget for next year", "Hardware due for refresh and contracts up for renewal."
    )
    ui.metric_tiles(
        ["refresh_forecast_12m", "refresh_due_12m", "renewals_90d_value", "cloud_run_rate"]
    )
    left, right = st.columns(2)
    with left:
        st.markdown("**Refresh forecast by quarter** (purchase cost of the devices due)")
        quarters = ui.widgets.refresh_quarters(as_of)
        if quarters.empty:
            ui.empty("No device is due for refresh in the next 12 months for these filters.")
        else:
            ui.widgets.chart(
                ui.charts.by_period(
                    quarters,
                    x="quarter",
                    y="cost",
                    x_title="Refresh due",
                    y_title=f"Purchase cost ({cur})",
                    unit="money",
                    currency=cur,
                    tooltip_extra=[ui.widgets.alt_count()],
                ),
            )
    with right:
        st.markdown("**Renewals in the next 90 days**")
        ui.widgets.renewals_timeline(as_of)
    ui.records_expander("refresh_due_12m", label="Devices due for refresh")

    # Issue 15: what falls due over the next 12 months (dashboard/ui/finance.py).
    from dashboard.ui import finance

    ui.section("The next 12 months", "Warranties, contracts and refreshes falling due, by month.")
    ui.metric_tiles(
        [
            "warranty_expiring_180d",
            "contracts_ending_365d",
            "contracts_ending_365d_value",
            "end_of_support_12m",
        ]
    )
    finance.show_horizon(as_of)

    ui.section("Where money can be found", "Licences bought but not used, harvest and the pool.")
    ui.metric_tiles(
        [
            "license_surplus_units",
            "unused_install_value_90d",
            "harvest_savings_12m",
            "pool_cost_avoidance_30d",
        ]
    )
    ui.records_expander("license_surplus_units", label="Titles with surplus licences")

    ui.section("What we manage, against last year")
    ids = ["active_devices", "itam_records", "titles_managed", "vendors_managed"]
    views = [ui.mview(mid) for mid in ids]
    now, changes = ui.data.values(views, as_of), ui.data.change_texts(views, as_of)
    for col, v in zip(st.columns(4), views, strict=True):
        with col:
            ui.metric_tile(
                v.metric_id,
                now.get(v.metric_id),
                reason=v.reason,
                delta=None if v.reason else changes.get(v.metric_id),
            )

    ui.section("KPI status by goal")
    results = ui.data.kpi_results(as_of, ui.effective_filters())
    if not results:
        ui.empty("No KPIs are defined yet.")
    else:
        frame = pd.DataFrame(
            [{"goal": GOAL_LABELS.get(r.goal, r.goal), "status": r.status} for r in results]
        )
        st.altair_chart(
            ui.charts.status_by_goal(frame, [GOAL_LABELS[g] for g in GOALS]), width="stretch"
        )
        st.page_link(ui.auth_page("scorecard"), label="Open the scorecard", icon=":material/speed:")
