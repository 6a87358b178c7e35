"""Progress metrics (metrics.md, "Progress")."""

from __future__ import annotations

from metrics.catalog.base import Metric, last, measure

MEASURES = (
    measure("roadmap_done", "roadmap", "status = 'done'"),
    measure("roadmap_not_cancelled", "roadmap", "status <> 'cancelled'"),
    measure("titles_elp_current", "software", f"managed_by_itam AND {last(90, 'elp_updated')}"),
)

METRICS = (
    Metric(
        "roadmap_in_progress", "Roadmap items in progress", "progress", "count", None,
        "Roadmap items under way.",
        subject="roadmap", where="status = 'in_progress'", roles=("asset_manager", "cio"),
        time_basis="state",
    ),
    Metric(
        "roadmap_done_pct", "Roadmap done", "progress", "%", "up",
        "Roadmap items done, as a percentage of items not cancelled.",
        numerator=("roadmap_done",), denominator="roadmap_not_cancelled", scale=100,
        roles=("asset_manager", "cio"),
        records_subject="roadmap", records_where="status NOT IN ('done', 'cancelled')",
        time_basis="state",
    ),
    Metric(
        "integrations_connected", "Integrations connected", "progress", "count", "up",
        "Sources feeding the ITAM database that are connected.",
        subject="integrations", where="connected", roles=("asset_manager",),
        time_basis="state",
    ),
    Metric(
        "itam_records", "ITAM records", "progress", "count", None,
        "Asset records, whatever their status.",
        subject="assets", roles=("asset_manager", "cio"),
        time_basis="state",
    ),
    Metric(
        "elp_current_pct", "ELP current", "progress", "%", "up",
        "Titles managed by ITAM with an Effective License Position from the last 90 days.",
        numerator=("titles_elp_current",), denominator="titles_managed", scale=100,
        roles=("asset_manager",),
        records_subject="software",
        records_where="managed_by_itam AND (elp_updated IS NULL OR elp_updated <= :a_m90"
        " OR elp_updated > :a)",
        time_basis="state",
    ),
    Metric(
        "devices_audited_12m", "Devices audited (12 months)", "progress", "count", "up",
        "Distinct assets audited in the last 365 days.",
        subject="audits", agg="count_distinct", expr="asset_tag", where=last(365, "audit_date"),
        roles=("asset_manager",),
        time_basis="dated",
    ),
    Metric(
        "titles_managed", "Titles managed", "progress", "count", None,
        "Software titles managed by ITAM.",
        subject="software", where="managed_by_itam", roles=("cio", "asset_manager"),
        time_basis="state",
    ),
    Metric(
        "vendors_managed", "Vendors managed", "progress", "count", None,
        "Distinct publishers of the titles managed by ITAM.",
        subject="software", agg="count_distinct", expr="publisher", where="managed_by_itam",
        roles=("cio", "asset_manager"),
        time_basis="state",
    ),
)
