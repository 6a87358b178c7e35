"""Quantity metrics (metrics.md, "Quantity")."""

from __future__ import annotations

from metrics.catalog.base import ACTIVE, Metric, last

REFRESH_DUE = (
    f"{ACTIVE} AND ownership = 'owned' AND purchase_date IS NOT NULL AND refresh_date <= :a_p365"
)
UNUSED_90 = "last_used_date IS NOT NULL AND last_used_date <= :a_m90"

METRICS = (
    Metric(
        "active_devices", "Active devices", "quantity", "count", None,
        "Assets in stock, deployed or in repair.",
        subject="assets", where=ACTIVE, roles=("cio", "asset_manager", "technician"),
        time_basis="state",
    ),
    Metric(
        "owned_devices", "Owned devices", "quantity", "count", None,
        "Active assets the organisation owns.",
        subject="assets", where=f"{ACTIVE} AND ownership = 'owned'", roles=("cio", "cfo"),
        time_basis="state",
    ),
    Metric(
        "installs", "Installs (licence demand)", "quantity", "count", None,
        "Licence demand summed over titles: devices, or users for user-licensed titles.",
        subject="titles", agg="sum", expr="demand", where="demand > 0",
        roles=("cio", "asset_manager"),
        time_basis="state",
    ),
    Metric(
        "entitled_licenses", "Entitled licences", "quantity", "count", None,
        "Licences owned and in term as of the date.",
        subject="entitlements", agg="sum", expr="quantity",
        # Summed over titles: entitlements of a title_id not in software are left out.
        where="title IS NOT NULL AND (purchase_date IS NULL OR purchase_date <= :a)"
        " AND (term_end IS NULL OR term_end >= :a)",
        roles=("cio", "asset_manager"),
        time_basis="dated",
    ),
    Metric(
        "unused_installs_90d", "Unused installs (90 days)", "quantity", "count", "down",
        "Installs counted in demand but not used for 90 days: candidates for harvesting.",
        subject="installs", where=UNUSED_90, roles=("cio", "asset_manager"),
        time_basis="state",
    ),
    Metric(
        "requests_90d", "Requests (90 days)", "quantity", "count", None,
        "Request tickets opened in the last 90 days.",
        subject="tickets", where=f"kind = 'request' AND {last(90, 'opened_date')}",
        roles=("asset_manager",),
        time_basis="dated",
    ),
    Metric(
        "licenses_issued_from_pool_30d", "Licences issued from the pool (30 days)", "quantity",
        "count", "up", "Licences re-issued from the pool instead of bought, in the last 30 days.",
        subject="license_events", agg="sum", expr="quantity",
        where=f"kind = 'issued_from_pool' AND {last(30, 'event_date')}",
        roles=("cio", "asset_manager"),
        time_basis="dated",
    ),
    Metric(
        "devices_retired_12m", "Devices retired (12 months)", "quantity", "count", None,
        "Assets retired in the last 365 days.",
        subject="assets", where=last(365, "retired_date"), roles=("asset_manager",),
        time_basis="dated",
    ),
    Metric(
        "refresh_due_12m", "Refresh due (12 months)", "quantity", "count", None,
        "Active owned assets whose refresh date falls within the next 365 days (or has passed).",
        subject="assets", where=REFRESH_DUE, roles=("cio", "cfo", "asset_manager"),
        records_columns=("asset_tag", "category", "manufacturer", "model", "purchase_date",
                         "refresh_date", "purchase_cost", "assigned_to", "department", "location"),
        time_basis="state",
    ),
    Metric(
        "in_stock", "In stock", "quantity", "count", None,
        "Assets in stock, ready to deploy.",
        subject="assets", where="status = 'in_stock'", roles=("asset_manager", "technician"),
        time_basis="state",
    ),
    Metric(
        "nonstandard_devices", "Non-standard devices", "quantity", "count", "down",
        "Active assets that do not meet the hardware standard.",
        subject="assets", where=f"{ACTIVE} AND meets_standard = false", roles=("asset_manager",),
        time_basis="state",
    ),
)
