"""Time metrics (metrics.md, "Time")."""

from __future__ import annotations

from metrics.catalog.base import ACTIVE, Metric, last, measure

DEPLOYED_12M = (
    f"requested_date IS NOT NULL AND deployed_date IS NOT NULL AND {last(365, 'deployed_date')}"
)
SOFTWARE_REQUESTS = f"kind = 'request' AND title_id IS NOT NULL AND {last(365, 'resolved_date')}"
HOURS_OPEN = "EXTRACT(EPOCH FROM (resolved - opened)) / 3600"
# A ticket resolved after A counts as unresolved as of A: it runs to the end of A.
HOURS_TO_A = (
    "EXTRACT(EPOCH FROM (CASE WHEN resolved IS NOT NULL AND resolved_date <= :a"
    " THEN resolved ELSE :a_end END - opened)) / 3600"
)
REQUESTS_WITH_TARGET = (
    f"kind = 'request' AND {last(90, 'opened_date')} AND target_hours IS NOT NULL"
)

MEASURES = (measure("requests_with_target_90d", "tickets", REQUESTS_WITH_TARGET),)

METRICS = (
    Metric(
        "device_deploy_days_avg",
        "Device deployment time (average)",
        "time",
        "days",
        "down",
        "Mean days from request to deployment of devices deployed in the last 365 days.",
        subject="assets",
        agg="avg",
        expr="deployed_date - requested_date",
        where=DEPLOYED_12M,
        roles=("asset_manager", "cio"),
        time_basis="dated",
    ),
    Metric(
        "device_deploy_days_max",
        "Device deployment time (longest)",
        "time",
        "days",
        "down",
        "Longest days from request to deployment of devices deployed in the last 365 days.",
        subject="assets",
        agg="max",
        expr="deployed_date - requested_date",
        where=DEPLOYED_12M,
        roles=("asset_manager",),
        time_basis="dated",
    ),
    Metric(
        "software_deploy_hours_avg",
        "Software deployment time (average)",
        "time",
        "hours",
        "down",
        "Mean hours to fulfil software requests resolved in the last 365 days.",
        subject="tickets",
        agg="avg",
        expr=HOURS_OPEN,
        where=SOFTWARE_REQUESTS,
        roles=("asset_manager", "cio"),
        time_basis="dated",
    ),
    Metric(
        "software_deploy_hours_max",
        "Software deployment time (longest)",
        "time",
        "hours",
        "down",
        "Longest hours to fulfil a software request resolved in the last 365 days.",
        subject="tickets",
        agg="max",
        expr=HOURS_OPEN,
        where=SOFTWARE_REQUESTS,
        roles=("asset_manager",),
        time_basis="dated",
    ),
    Metric(
        "vendor_audit_hours_12m",
        "Vendor audit hours (12 months)",
        "time",
        "hours",
        "down",
        "Hours spent on vendor audits started in the last 365 days.",
        subject="vendor_audits",
        agg="sum",
        expr="hours_spent",
        where=last(365, "start_date"),
        additive=False,
        roles=("cfo", "asset_manager"),
        time_basis="dated",
    ),
    Metric(
        "device_age_years_avg",
        "Average device age",
        "time",
        "years",
        "down",
        "Mean age in years of active assets with a purchase date.",
        subject="assets",
        agg="avg",
        expr="(:a - purchase_date) / 365.25",
        where=f"{ACTIVE} AND purchase_date IS NOT NULL",
        roles=("cio", "asset_manager"),
        extra_dimensions=("age_bucket",),
        time_basis="state",
    ),
    Metric(
        "requests_beyond_target_90d",
        "Requests beyond target (90 days)",
        "time",
        "count",
        "down",
        "Requests of the last 90 days that took (or have taken so far) longer than their target.",
        subject="tickets",
        where=f"{REQUESTS_WITH_TARGET} AND {HOURS_TO_A} > target_hours",
        roles=("asset_manager", "cio"),
        time_basis="dated",
    ),
    Metric(
        "requests_beyond_target_pct_90d",
        "Requests beyond target (90 days, %)",
        "time",
        "%",
        "down",
        "Requests beyond target as a percentage of requests with a target, last 90 days.",
        numerator=("requests_beyond_target_90d",),
        denominator="requests_with_target_90d",
        scale=100,
        roles=("cio", "asset_manager"),
        time_basis="dated",
    ),
)
