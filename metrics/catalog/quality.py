"""Quality metrics (metrics.md, "Quality")."""

from __future__ import annotations

from metrics.catalog.base import END_USER, Metric, last, measure

MEASURES = (
    measure(
        "breakage_end_user_12m", "tickets",
        f"kind = 'breakage' AND {last(365, 'opened_date')} AND links_asset"
        " AND asset_category IN ('laptop', 'desktop', 'tablet', 'phone')",
    ),
    measure("audits_accurate_12m", "audits", f"{last(365, 'audit_date')} AND record_accurate"),
    measure("audits_12m", "audits", last(365, "audit_date")),
)

METRICS = (
    Metric(
        "discovered_not_in_itam", "Discovered, not in ITAM", "quality", "count", "down",
        "Distinct devices seen by discovery in the last 30 days that match no asset record.",
        subject="unmatched_discovery", agg="count_distinct", expr="device",
        roles=("asset_manager", "cio"),
        time_basis="state",
    ),
    Metric(
        "user_mismatches", "User mismatches", "quality", "count", "down",
        "Deployed assets whose latest discovery record of the last 30 days names another user.",
        subject="deployed_discovery", where="status = 'deployed' AND user_mismatch",
        roles=("asset_manager",), records_subject="discovery_records",
        time_basis="state",
    ),
    Metric(
        "discovery_discrepancies", "Discovery discrepancies", "quality", "count", "down",
        "Deployed devices unseen for 30 days, plus unknown discovered devices, plus user mismatches.",
        numerator=("deployed_unseen_30d", "discovered_not_in_itam", "user_mismatches"),
        additive=False, roles=("asset_manager", "cio"),
        time_basis="state",
    ),
    Metric(
        "breakage_rate_12m", "Breakage rate (12 months)", "quality", "%", "down",
        "Breakage tickets on end-user devices in the last 365 days per 100 active end-user devices.",
        numerator=("breakage_end_user_12m",), denominator="active_end_user", scale=100,
        roles=("asset_manager", "cio"),
        time_basis="state",
    ),
    Metric(
        "rma_12m", "RMAs (12 months)", "quality", "count", "down",
        "Return-to-manufacturer tickets opened in the last 365 days.",
        subject="tickets", where=f"kind = 'rma' AND {last(365, 'opened_date')}",
        roles=("asset_manager",),
        time_basis="dated",
    ),
    Metric(
        "incident_tickets_90d", "Incident tickets (90 days)", "quality", "count", "down",
        "Incident tickets of the last 90 days that concern an asset or a title.",
        subject="tickets",
        where=f"kind = 'incident' AND {last(90, 'opened_date')} AND (links_asset OR links_title)",
        roles=("cio", "asset_manager"),
        time_basis="dated",
    ),
    Metric(
        "csat_avg_90d", "Customer satisfaction (90 days)", "quality", "score", "up",
        "Mean satisfaction score (1-5) of tickets resolved in the last 90 days.",
        subject="tickets", agg="avg", expr="csat",
        where=f"{last(90, 'resolved_date')} AND csat IS NOT NULL",
        roles=("cio",),
        time_basis="dated",
    ),
    Metric(
        "audit_accuracy_pct_12m", "Audit accuracy (12 months)", "quality", "%", "up",
        "Internal audits of the last 365 days that found the record accurate.",
        numerator=("audits_accurate_12m",), denominator="audits_12m", scale=100,
        roles=("asset_manager",),
        records_subject="audits",
        records_where=f"{last(365, 'audit_date')} AND NOT record_accurate",
        time_basis="dated",
    ),
    Metric(
        "users_with_multiple_computers", "People with several computers", "quality", "count", "down",
        "People assigned two or more deployed computers.",
        subject="multi_computer_people", roles=("asset_manager", "technician"),
        time_basis="state",
    ),
)

_ = END_USER
