"""Cost metrics (metrics.md, "Cost")."""

from __future__ import annotations

from metrics.catalog.base import ACTIVE, Metric, last, measure
from metrics.catalog.quantity import REFRESH_DUE, UNUSED_90

MEASURES = (
    measure("hardware_spend_ytd", "assets", "purchase_date >= :year_start AND purchase_date <= :a",
            agg="sum", expr="purchase_cost"),
    measure("software_spend_ytd", "entitlements",
            "purchase_date >= :year_start AND purchase_date <= :a",
            agg="sum", expr="quantity * unit_cost"),
    measure("cloud_spend_ytd", "cloud_spend", "month >= :year_start AND month <= :a",
            agg="sum", expr="cost"),
    # The budget of A's year, pro rata to the day of the year.
    measure("budget_to_date", "budget", "year = :year", agg="sum", expr="amount * :year_fraction"),
)

METRICS = (
    Metric(
        "hardware_spend_12m", "Hardware spend (12 months)", "cost", "money", "down",
        "Purchase cost of assets bought in the last 365 days.",
        subject="assets", agg="sum", expr="purchase_cost", where=last(365, "purchase_date"),
        roles=("cfo", "cio"),
        time_basis="dated",
    ),
    Metric(
        "refresh_forecast_12m", "Refresh forecast (12 months)", "cost", "money", None,
        "Purchase cost of the assets due for refresh within the next 365 days: next year's budget.",
        subject="assets", agg="sum", expr="purchase_cost", where=REFRESH_DUE,
        roles=("cio", "cfo"),
        records_columns=("asset_tag", "category", "manufacturer", "model", "purchase_date",
                         "refresh_date", "purchase_cost", "assigned_to", "department", "location"),
        time_basis="state",
    ),
    Metric(
        "software_spend_12m", "Software spend (12 months)", "cost", "money", "down",
        "Licences bought in the last 365 days (quantity times unit cost).",
        subject="entitlements", agg="sum", expr="quantity * unit_cost",
        where=last(365, "purchase_date"), roles=("cfo", "cio"),
        time_basis="dated",
    ),
    Metric(
        "cloud_spend_12m", "Cloud spend (12 months)", "cost", "money", "down",
        "Cloud cost of the 12 calendar months ending with the as-of month.",
        subject="cloud_spend", agg="sum", expr="cost",
        where="month >= :month_a_m11 AND month <= :month_a", roles=("cfo", "cio"),
        time_basis="dated",
    ),
    Metric(
        "cloud_run_rate", "Cloud run rate", "cost", "money", "down",
        "Four times the cloud cost of the three calendar months before the as-of month.",
        subject="cloud_spend", agg="sum", expr="cost", factor=4,
        where="month >= :month_a_m3 AND month <= :month_a_m1", roles=("cfo",),
        time_basis="dated",
    ),
    Metric(
        "pool_cost_avoidance_30d", "Pool cost avoidance (30 days)", "cost", "money", "up",
        "Value of licences issued from the pool instead of bought, in the last 30 days.",
        subject="license_events", agg="sum", expr="quantity * unit_value",
        where=f"kind = 'issued_from_pool' AND {last(30, 'event_date')}", roles=("cfo", "cio"),
        time_basis="dated",
    ),
    Metric(
        "harvest_savings_12m", "Harvest savings (12 months)", "cost", "money", "up",
        "Value of licences harvested in the last 365 days.",
        subject="license_events", agg="sum", expr="quantity * unit_value",
        where=f"kind = 'harvested' AND {last(365, 'event_date')}", roles=("cfo", "cio"),
        time_basis="dated",
    ),
    Metric(
        "unused_install_value_90d", "Value of unused installs (90 days)", "cost", "money", "down",
        "What harvesting the installs unused for 90 days would free, at unit price.",
        subject="installs", agg="sum", expr="unit_price", where=UNUSED_90, roles=("cio", "cfo"),
        time_basis="state",
    ),
    Metric(
        "negotiation_savings_12m", "Negotiation savings (12 months)", "cost", "money", "up",
        "First quote minus final price of contracts started in the last 365 days.",
        subject="contracts", agg="sum", expr="first_quote - final_price",
        where=f"first_quote IS NOT NULL AND final_price IS NOT NULL AND {last(365, 'start_date')}",
        roles=("cfo",),
        time_basis="dated",
    ),
    Metric(
        "true_up_cost_12m", "True-up cost (12 months)", "cost", "money", "down",
        "True-up costs of vendor audits ended (or started, where open) in the last 365 days.",
        subject="vendor_audits", agg="sum", expr="true_up_cost",
        where=last(365, "coalesce(end_date, start_date)"), roles=("cfo", "cio"),
        time_basis="dated",
    ),
    Metric(
        "top10_contract_spend", "Top 10 software contracts", "cost", "money", "down",
        "Annual value of the ten largest active software and SaaS contracts.",
        subject="top_contracts", agg="sum", expr="annual_value", where="value_rank <= 10",
        roles=("cfo", "cio"),
        time_basis="dated",
    ),
    Metric(
        "capital_assets", "Capital assets", "cost", "count", None,
        "Active assets held as capital.",
        subject="assets", where=f"{ACTIVE} AND is_capital", roles=("cfo",),
        time_basis="state",
    ),
    Metric(
        "avg_laptop_cost_12m", "Average laptop cost (12 months)", "cost", "money", "down",
        "Mean purchase cost of laptops bought in the last 365 days.",
        subject="assets", agg="avg", expr="purchase_cost",
        where=f"category = 'laptop' AND {last(365, 'purchase_date')}", roles=("cfo", "cio"),
        time_basis="dated",
    ),
    Metric(
        "renewals_90d", "Renewals (90 days)", "cost", "count", None,
        "Contracts ending in the next 90 days.",
        subject="contracts", where="end_date > :a AND end_date <= :a_p90",
        roles=("cio", "cfo", "asset_manager"),
        time_basis="dated",
    ),
    Metric(
        "renewals_90d_value", "Renewals value (90 days)", "cost", "money", None,
        "Annual value of the contracts ending in the next 90 days.",
        subject="contracts", agg="sum", expr="annual_value",
        where="end_date > :a AND end_date <= :a_p90", roles=("cio", "cfo", "asset_manager"),
        time_basis="dated",
    ),
    Metric(
        "spend_vs_budget_pct", "Spend against budget", "cost", "%", "down",
        "Hardware, software and cloud spend since 1 January against the budget pro rata to date.",
        numerator=("hardware_spend_ytd", "software_spend_ytd", "cloud_spend_ytd"),
        denominator="budget_to_date", scale=100, roles=("cfo", "cio"),
        time_basis="dated",
    ),
)

_ = ACTIVE
