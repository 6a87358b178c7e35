"""Asset manager: data quality, renewals in the next 90 days, licence position, stock,
audits and roadmap progress."""

from __future__ import annotations

import streamlit as st

from dashboard import ui

ui.require("asset_manager")
ui.page_header(
    "Asset manager", "Can the data be trusted, what needs action this quarter, what is in stock?"
)

if not ui.no_data_yet():
    as_of = ui.state.as_of()

    ui.section(
        "Data quality", "Discrepancies between the ITAM records and what discovery tools see."
    )
    ui.metric_tiles(
        [
            "discovery_discrepancies",
            "deployed_not_discovered_30d_pct",
            "audit_accuracy_pct_12m",
            "elp_current_pct",
        ]
    )
    left, right = st.columns(2)
    with left:
        st.markdown("**Discrepancies by source**")
        v = ui.mview("discovery_discrepancies")
        if v.reason:
            ui.empty(f"Discrepancies: {v.reason}.")
        else:
            frame = ui.widgets.discrepancies_by_source(as_of)
            if frame.empty:
                ui.empty("No discrepancies: every record matches what the tools see.")
            else:
                ui.widgets.chart(
                    ui.charts.stacked_counts(
                        frame, y="source", color="kind", y_title="Source", color_title="Discrepancy"
                    ),
                    legend_below=True,
                )
    with right:
        st.markdown("**Renewals in the next 90 days**")
        ui.widgets.renewals_timeline(as_of)
    ui.records_expander("discovery_discrepancies", label="Discrepancy records")
    ui.records_expander("renewals_90d", label="Contracts ending in the next 90 days")

    # Issue 15: what falls due over the next 12 months (dashboard/ui/finance.py).
    from dashboard.ui import finance

    ui.section("The next 12 months", "Warranties, contracts and refreshes falling due, by month.")
    ui.metric_tiles(
        [
            "warranty_expiring_30d",
            "warranty_expiring_90d",
            "contracts_ending_180d",
            "end_of_support_12m",
        ]
    )
    finance.show_horizon(as_of)
    ui.records_expander("warranty_expiring_90d", label="Warranties ending in the next 90 days")

    ui.section(
        "Licence position", "Demand (installs counted by licence metric) against owned licences."
    )
    ui.metric_tiles(
        [
            "titles_under_licensed",
            "license_shortfall_exposure",
            "license_surplus_units",
            "unused_installs_90d",
        ]
    )
    position = ui.widgets.licence_position(as_of)
    if position.empty:
        ui.empty("Every title's demand equals its entitlements under these filters.")
    else:
        ui.widgets.chart(
            ui.charts.paired_bars(
                position,
                category="title",
                series="measure",
                value="licences",
                title="Licences",
                colors={"in use (demand)": "#c62828", "owned (entitled)": "#1565c0"},
            ),
        )
    ui.records_expander("titles_under_licensed", label="Under-licensed titles")

    ui.section("Stock", "What can be issued or used to replace a device.")
    ui.metric_tiles(["in_stock", "nonstandard_devices", "devices_retired_12m", "refresh_due_12m"])
    by = (
        st.segmented_control(
            "Stock by",
            ["category", "location", "product"],
            default="category",
            format_func=lambda d: ui.DIM_LABELS[d],
            key="am_stock_by",
        )
        or "category"
    )
    ui.breakdown_chart("in_stock", by, key="am_stock_chart")
    ui.records_expander("in_stock", label="Assets in stock")

    ui.section("Audits and roadmap")
    ui.metric_tiles(
        ["devices_audited_12m", "roadmap_done_pct", "roadmap_in_progress", "integrations_connected"]
    )
