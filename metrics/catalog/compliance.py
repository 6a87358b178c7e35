"""Compliance metrics (metrics.md, "Compliance")."""

from __future__ import annotations

from metrics.catalog.base import ACTIVE, DISCOVERABLE, END_USER, Metric, last, measure

# last_seen_60d is the last sighting when it is within 60 days (subjects.py).
UNSEEN_30 = (
    f"{DISCOVERABLE} AND status = 'deployed' AND (last_seen_60d IS NULL OR last_seen_60d <= :a_m30)"
)

MEASURES = (
    measure("deployed_unseen_30d", "deployed_discovery", UNSEEN_30,
            records_subject="discovery_records"),
    measure("deployed_discoverable", "deployed_discovery", f"{DISCOVERABLE} AND status = 'deployed'"),
    measure("active_end_user_standard", "assets", f"{ACTIVE} AND {END_USER} AND meets_standard"),
    measure("active_end_user", "assets", f"{ACTIVE} AND {END_USER}"),
)

METRICS = (
    Metric(
        "owned_not_discovered_60d", "Owned devices not discovered in 60 days", "compliance",
        "count", "down",
        "Discoverable deployed assets, owned or leased, that no discovery tool has seen in 60 days.",
        subject="deployed_discovery",
        where=f"{DISCOVERABLE} AND ownership IN ('owned', 'leased') AND status = 'deployed'"
        " AND last_seen_60d IS NULL",
        roles=("asset_manager", "cio"), records_subject="discovery_records",
        time_basis="state",
    ),
    Metric(
        "deployed_not_discovered_30d_pct", "Deployed devices not discovered in 30 days", "compliance",
        "%", "down",
        "Deployed discoverable assets not seen by discovery in 30 days, as a percentage of all of them.",
        numerator=("deployed_unseen_30d",), denominator="deployed_discoverable", scale=100,
        roles=("cio", "asset_manager"),
        time_basis="state",
    ),
    Metric(
        "disposed_without_certificate", "Disposed without certificate", "compliance", "count", "down",
        "Disposed assets with no disposal certificate on record.",
        subject="assets", where="status = 'disposed' AND disposal_certificate IS NULL",
        roles=("asset_manager", "cio"),
        records_columns=("asset_tag", "category", "manufacturer", "model", "serial",
                         "retired_date", "disposal_method", "department", "location"),
        time_basis="state",
    ),
    Metric(
        "titles_under_licensed", "Under-licensed titles", "compliance", "count", "down",
        "Software titles installed on more devices (or users) than they are licensed for.",
        subject="titles", where="demand > entitled", roles=("cio", "asset_manager"),
        time_basis="state",
    ),
    Metric(
        "license_shortfall_units", "Licence shortfall (units)", "compliance", "count", "down",
        "Licences missing across titles: the sum of demand above entitlement.",
        subject="titles", agg="sum", expr="greatest(0, demand - entitled)", where="demand > entitled",
        roles=("asset_manager",),
        time_basis="state",
    ),
    Metric(
        "license_shortfall_exposure", "Licence shortfall exposure", "compliance", "money", "down",
        "What the missing licences would cost at each title's average unit price.",
        subject="titles", agg="sum", expr="greatest(0, demand - entitled) * unit_price",
        where="demand > entitled", roles=("cio", "cfo", "asset_manager"),
        time_basis="state",
    ),
    Metric(
        "license_surplus_units", "Licence surplus (units)", "compliance", "count", "down",
        "Licences owned beyond demand, summed over titles: money that can be found.",
        subject="titles", agg="sum", expr="greatest(0, entitled - demand)", where="entitled > demand",
        roles=("cio", "asset_manager"),
        time_basis="state",
    ),
    Metric(
        "lost_stolen_12m", "Lost or stolen (12 months)", "compliance", "count", "down",
        "Assets reported lost or stolen in the last 365 days.",
        subject="assets",
        where=f"status IN ('lost', 'stolen') AND {last(365, 'lost_stolen_date')}",
        roles=("asset_manager", "cio"),
        records_columns=("asset_tag", "category", "status", "manufacturer", "model",
                         "assigned_to", "person_name", "department", "lost_stolen_date", "notes"),
        time_basis="state",
    ),
    Metric(
        "unpatched_devices", "Unpatched devices", "compliance", "count", "down",
        "Deployed assets with an operating system not patched in the last 30 days.",
        subject="assets",
        where="status = 'deployed' AND os IS NOT NULL AND (last_patched IS NULL OR last_patched <= :a_m30)",
        roles=("asset_manager", "technician", "cio"),
        records_columns=("asset_tag", "category", "hostname", "os", "os_version", "last_patched",
                         "assigned_to", "person_name", "department", "location"),
        time_basis="state",
    ),
    Metric(
        "os_versions_in_use", "OS versions in use", "compliance", "count", "down",
        "Distinct operating system and version pairs on deployed assets.",
        subject="assets", agg="count_distinct",
        expr="os || chr(31) || coalesce(os_version, chr(30))",
        where="status = 'deployed' AND os IS NOT NULL", roles=("asset_manager",),
        records_columns=("asset_tag", "os", "os_version", "category", "hostname", "department"),
        time_basis="state",
    ),
    Metric(
        "standard_devices_pct", "Standard devices", "compliance", "%", "up",
        "Active end-user devices that meet the hardware standard, as a percentage of all of them.",
        numerator=("active_end_user_standard",), denominator="active_end_user", scale=100,
        roles=("cio", "asset_manager"),
        records_subject="assets",
        records_where=f"{ACTIVE} AND {END_USER} AND NOT meets_standard",
        time_basis="state",
    ),
    Metric(
        "security_incidents_undiscovered_12m", "Security incidents on undiscovered assets",
        "compliance", "count", "down",
        "Security incidents of the last 365 days that involved an asset discovery did not know.",
        subject="security_incidents",
        where=f"involved_undiscovered_asset AND {last(365, 'incident_date')}",
        roles=("cio", "asset_manager"),
        time_basis="dated",
    ),
    Metric(
        "devices_assigned_to_leavers", "Devices assigned to leavers", "compliance", "count", "down",
        "Deployed assets still assigned to people who have left.",
        subject="assets", where="status = 'deployed' AND person_active = false",
        roles=("asset_manager", "technician"),
        time_basis="state",
    ),
    Metric(
        "out_of_warranty_devices", "Out-of-warranty devices", "compliance", "count", "down",
        "Deployed end-user devices whose warranty ended before the as-of date.",
        subject="assets", where=f"status = 'deployed' AND {END_USER} AND warranty_end < :a",
        roles=("asset_manager", "technician", "cio"),
        records_columns=("asset_tag", "category", "manufacturer", "model", "warranty_end",
                         "purchase_date", "assigned_to", "person_name", "department", "location"),
        time_basis="state",
    ),
)
