"""CFO: spend by type against budget, run-rate and forecast, savings, true-ups, top
contracts and capital assets; all by cost center and department."""

from __future__ import annotations

import streamlit as st

from dashboard import ui

ui.require("cfo")
ui.page_header("CFO", "Are we spending to budget, what is coming, and what have we saved?")

if not ui.no_data_yet():
    as_of = ui.state.as_of()
    cur = ui.data.currency()

    ui.section(
        "Spend against budget",
        "Hardware, software and cloud spend of the last 12 months; "
        "budget use is this fiscal year's spend against its budget pro rata to the as-of date.",
    )
    ui.metric_tiles(
        ["spend_vs_budget_pct", "hardware_spend_12m", "software_spend_12m", "cloud_spend_12m"]
    )
    monthly, skipped = ui.widgets.monthly_spend(as_of)
    # Within the user's scope (permissions.py): filters outside it give no line, never the whole
    # organisation's.
    in_scope = ui.effective_filters()
    from dashboard.ui import finance  # issue 15: budgets are per fiscal year

    fiscal_year = finance.fiscal_year(as_of)
    budget = ui.data.budget(fiscal_year, in_scope) if in_scope is not None else None
    monthly_budget = (
        float(budget["amount"].sum()) / 12 if budget is not None and not budget.empty else None
    )
    if in_scope is None:
        pass  # the page header says the filters select nothing in the user's scope
    elif monthly.empty:
        ui.empty(
            "No spend in the last 12 months for these filters. Import purchases, entitlements "
            "and cloud bills on the Data page."
        )
    else:
        ui.widgets.chart(
            ui.charts.spend_by_month(
                monthly, currency=cur, monthly_budget=monthly_budget, as_of=as_of
            )
        )
    notes = []
    if skipped:
        notes.append("Left out: " + "; ".join(skipped) + ".")
    if in_scope is None:
        notes.append("These filters are outside your scope: no budget line.")
    elif budget is None:
        notes.append(
            "Budgets carry department and cost center only: no budget line under these filters."
        )
    elif monthly_budget:
        notes.append(
            f"Dashed line: fiscal {fiscal_year} budget / 12 = {ui.fmt.money(monthly_budget, cur)} a month."
        )
    if notes:
        st.caption(" ".join(notes))

    # Issue 15: the fiscal year, book value and what falls due (dashboard/ui/finance.py).
    ui.section(
        "The fiscal year: budget against actual",
        "Where spend stands against the budget to date, and where the year will end.",
    )
    ui.metric_tiles(["spend_ytd", "budget_ytd", "budget_variance_ytd", "spend_projection_fy"])
    finance.show_budget_against_actual(as_of)

    ui.section(
        "Book value and depreciation",
        "Owned assets in use at cost less straight-line depreciation, by category.",
    )
    ui.metric_tiles(["net_book_value", "depreciation_12m", "fully_depreciated_active"], columns=3)
    finance.show_book_value(as_of)
    ui.records_expander(
        "net_book_value", label="Cost, accumulated depreciation and book value per asset"
    )

    ui.section("The next 12 months", "Warranties, contracts and refreshes falling due, by month.")
    ui.metric_tiles(
        [
            "contracts_ending_365d_value",
            "warranty_expiring_90d",
            "refresh_due_12m",
            "end_of_support_12m",
        ]
    )
    finance.show_horizon(as_of)

    ui.section("Run-rate and forecast")
    ui.metric_tiles(
        ["cloud_run_rate", "refresh_forecast_12m", "renewals_90d_value", "top10_contract_spend"]
    )

    ui.section("Savings and true-ups")
    ui.metric_tiles(
        [
            "negotiation_savings_12m",
            "harvest_savings_12m",
            "pool_cost_avoidance_30d",
            "true_up_cost_12m",
        ]
    )

    ui.section("Top contracts and capital assets")
    left, right = st.columns([2, 1])
    with left:
        ui.records_expander(
            "top10_contract_spend",
            label="The ten largest software and SaaS contracts",
            expanded=True,
        )
    with right:
        ui.metric_tiles(["capital_assets", "avg_laptop_cost_12m"], columns=1)

    ui.section("By cost center and department")
    by = (
        st.segmented_control(
            "Break down by",
            ["cost_center", "department"],
            default="cost_center",
            format_func=lambda d: ui.DIM_LABELS[d],
            key="cfo_by",
        )
        or "cost_center"
    )
    frame = ui.widgets.breakdown_table(
        [
            "hardware_spend_12m",
            "software_spend_12m",
            "cloud_spend_12m",
            "refresh_forecast_12m",
            "negotiation_savings_12m",
            "top10_contract_spend",
        ],
        by,
    )
    if frame.empty:
        ui.empty("Nothing to break down under these filters.")
    else:
        money_cols = {
            c: st.column_config.NumberColumn(c, format="%,.0f") for c in frame.columns[1:]
        }
        st.dataframe(frame, hide_index=True, column_config=money_cols)
        ui.download(
            frame,
            f"spend_by_{by}",
            f"Spend by {ui.DIM_LABELS[by].lower()} ({cur})",
            key="dl_cfo_by",
        )

    # The page as PDF (the CFO's digest), these filters, built when pressed.
    from dashboard.ui import pdf_download

    pdf_download.page_button("cfo")
