"""Subjects: the fact views metrics read, each with its resolved dimensions.

A subject is one SELECT (with bound parameters from `params.as_of_params`)
whose rows are the things a metric counts or sums, carrying the drill-down
dimensions it supports as columns named after them (dimensions.py), plus the
columns its metrics' predicates and record lists need. What does not depend
on the as-of date is read from the derived fact tables (materialize.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from metrics import fx
from metrics.dimensions import AGE_BUCKET, names
from metrics.store.schema import EXPECTED_LIFE_YEARS, table

# The dimensions the subjects built on assets carry, and those built on software titles:
# which subject carries which dimension is said here, per subject (a new dimension is
# added to the subjects whose SELECT yields its column; docs/architecture.md).
ASSET_DIMS = ("vendor", "department", "cost_center", "location", "product", "category")
TITLE_DIMS = ("vendor", "product")


@dataclass(frozen=True)
class Subject:
    name: str
    sql: str
    dimensions: tuple[str, ...]
    records: tuple[str, ...]  # default columns of its record lists
    order: str = ""  # ORDER BY for record lists


_AGE = "(:a - f.purchase_date) / 365.25"

# The columns of derived_asset_facts (materialize.ASSET_FACTS; a test compares):
# the asset's own, its dimensions resolved through its person, and flags.
_RESOLVED = names(from_person=True)
ASSET_FACT_COLUMNS = tuple(c for c in table("assets").names if c not in _RESOLVED) + (
    "asset_no",
    "is_active",
    "is_end_user",
    "own_department",
    "vendor",
    "product",
    *_RESOLVED,
    "person_name",
    "person_active",
    "refresh_date",
)

# Depreciation: straight line to 0 over depreciation_months, else the expected
# life in months (as refresh_date rounds it), one month charged at each month's
# end from the purchase month's (metrics.md, "Depreciation").
_LIFE_MONTHS = (
    "coalesce(f.depreciation_months, CAST(floor(coalesce(f.expected_life_years, CASE f.category "
    + " ".join(f"WHEN '{k}' THEN {v}" for k, v in EXPECTED_LIFE_YEARS.items())
    + " END) * 12 + 0.5) AS INTEGER))"
)
_DEP_START = "(extract(year FROM f.purchase_date) * 12 + extract(month FROM f.purchase_date))"


def _elapsed(done: str) -> str:
    """Months charged by the month counter `done` (0 before the purchase month ends)."""
    return f"least(x.dep_months, greatest(0, {done} - x.dep_start + 1))"


# Assets with their resolved dimensions (derived_asset_facts), age bucket,
# purchase cost in the organisation's currency and depreciation as of A.
ASSETS_SQL = f"""
SELECT x.*,
  x.purchase_cost * {_elapsed(":dep_months_done")} / x.dep_months AS accumulated_depreciation,
  x.purchase_cost - x.purchase_cost * {_elapsed(":dep_months_done")} / x.dep_months AS book_value,
  x.purchase_cost * ({_elapsed(":dep_months_done_p12")} - {_elapsed(":dep_months_done")})
    / x.dep_months AS depreciation_next_12m,
  {_elapsed(":dep_months_done")} >= x.dep_months AS fully_depreciated
FROM (
SELECT {fx.select_converted("assets", "f", ASSET_FACT_COLUMNS)},
  CASE WHEN f.purchase_date IS NULL THEN NULL
       WHEN {_AGE} < 1 THEN '<1' WHEN {_AGE} < 2 THEN '1-2' WHEN {_AGE} < 3 THEN '2-3'
       WHEN {_AGE} < 4 THEN '3-4' WHEN {_AGE} < 5 THEN '4-5' ELSE '5+' END AS age_bucket,
  {_LIFE_MONTHS} AS dep_months,
  {_DEP_START} AS dep_start
FROM derived_asset_facts f
{fx.joins("f", fx.month_of("f.purchase_date"))}
) x
"""

# Deployed assets with what discovery says about them as of A. The metrics only
# ask whether an asset was seen in the last 30 or 60 days, and whether its
# latest row of the last 30 days names a user other than the assigned one, so
# one pass over the rows of the last 60 days answers all three (last_seen_60d
# is last_seen when that is within 60 days, else null).
DEPLOYED_DISCOVERY_SQL = """
SELECT a.*, seen.last_seen_60d,
  CASE WHEN seen.last_seen_60d > :a_m30 AND seen.last_differs = seen.last_seen_60d
       THEN true ELSE false END AS user_mismatch
FROM derived_asset_facts a
LEFT JOIN (
  SELECT asset_no, max(seen_date) AS last_seen_60d,
    max(seen_date) FILTER (WHERE user_differs) AS last_differs
  FROM derived_discovery_matches
  WHERE asset_status = 'deployed' AND seen_date > :a_m60 AND seen_date <= :a
  GROUP BY asset_no
) seen ON seen.asset_no = a.asset_no
WHERE a.status = 'deployed'
"""

# Their record lists: the real last_seen and the users discovery saw that day.
DISCOVERY_RECORDS_SQL = f"""
SELECT d.*, ls.last_seen, u.seen_users
FROM ({DEPLOYED_DISCOVERY_SQL}) d
LEFT JOIN (
  SELECT asset_no, max(seen_date) AS last_seen FROM derived_discovery_matches
  WHERE seen_date <= :a GROUP BY asset_no
) ls ON ls.asset_no = d.asset_no
LEFT JOIN (
  SELECT asset_no, seen_date, string_agg(DISTINCT user_lc, ', ') AS seen_users
  FROM derived_discovery_matches WHERE user_lc IS NOT NULL
  GROUP BY asset_no, seen_date
) u ON u.asset_no = d.asset_no AND u.seen_date = ls.last_seen
"""

# Discovery rows of the last 30 days that match no asset.
UNMATCHED_SQL = """
SELECT * FROM derived_discovery_unmatched WHERE seen_date > :a_m30 AND seen_date <= :a
"""

# Install rows counted in demand as of A (demand is a title's: the title must exist).
INSTALLS_SQL = """
SELECT * FROM derived_install_facts
WHERE title IS NOT NULL AND (discovered_date IS NULL OR discovered_date <= :a)
"""

# Titles with their licence position as of A.
TITLES_SQL = """
SELECT s.title_id, s.title, s.publisher, s.publisher AS vendor, s.title AS product,
  s.license_metric, s.is_standard, s.managed_by_itam, s.elp_updated,
  coalesce(dm.demand, 0) AS demand,
  coalesce(en.entitled, 0) AS entitled,
  coalesce(u.unit_price, 0) AS unit_price
FROM software s
LEFT JOIN (SELECT title_id, count(*) AS demand FROM derived_install_keys
           WHERE any_undated OR first_discovered <= :a
           GROUP BY title_id) dm ON dm.title_id = s.title_id
LEFT JOIN (SELECT title_id, sum(quantity) AS entitled FROM entitlements
           WHERE (purchase_date IS NULL OR purchase_date <= :a)
             AND (term_end IS NULL OR term_end >= :a)
           GROUP BY title_id) en ON en.title_id = s.title_id
LEFT JOIN derived_unit_price u ON u.title_id = s.title_id
"""

ENTITLEMENTS_SQL = f"""
SELECT {fx.select_converted("entitlements", "e")},
  s.publisher AS vendor, s.title AS product, s.title
FROM entitlements e LEFT JOIN software s ON s.title_id = e.title_id
{fx.joins("e", fx.month_of("e.purchase_date"))}
"""

LICENSE_EVENTS_SQL = f"""
SELECT {fx.select_converted("license_events", "le")},
  s.publisher AS vendor, s.title AS product, s.title
FROM license_events le LEFT JOIN software s ON s.title_id = le.title_id
{fx.joins("le", fx.month_of("le.event_date"))}
"""

# Contracts convert at the rate of their start month.
CONTRACTS_SQL = f"""
SELECT {fx.select_converted("contracts", "c")}
FROM contracts c
{fx.joins("c", fx.month_of("c.start_date"))}
"""

SOFTWARE_SQL = "SELECT s.*, s.publisher AS vendor, s.title AS product FROM software s"

# Active software/SaaS contracts ranked by annual value (ties: contract_id).
TOP_CONTRACTS_SQL = f"""
SELECT c.*, row_number() OVER (ORDER BY c.annual_value DESC, c.contract_id) AS value_rank
FROM ({CONTRACTS_SQL}) c
WHERE c.kind IN ('software', 'saas') AND c.start_date <= :a AND c.end_date >= :a
"""

CLOUD_SQL = f"""
SELECT {fx.select_converted("cloud_spend", "c")}, c.provider AS vendor
FROM cloud_spend c
{fx.joins("c", "c.month")}
"""

TICKETS_SQL = "SELECT * FROM derived_ticket_facts"

MULTI_COMPUTER_SQL = "SELECT * FROM derived_multi_computer"

AUDITS_SQL = "SELECT * FROM derived_audit_facts"

BUDGET_SQL = f"""
SELECT {fx.select_converted("budget", "b")}
FROM budget b
{fx.joins("b", fx.budget_month("b"))}
"""

# The fiscal year's money, one row per line (metrics.md, "Fiscal year"): what
# was spent (hardware purchases, licences bought, cloud months), the budget
# rows, and the commitments a projection adds (refreshes due of owned active
# assets, software and SaaS contracts ending, i.e. renewing). Money converted.
FISCAL_LINES_SQL = f"""
SELECT 'spend' AS line, 'hardware' AS spend_type, a.purchase_date AS day,
  CAST(NULL AS BIGINT) AS year, a.purchase_cost AS amount,
  a.department, a.cost_center, a.asset_tag AS ref
FROM ({ASSETS_SQL}) a WHERE a.purchase_date IS NOT NULL
UNION ALL
SELECT 'spend', 'software', e.purchase_date, CAST(NULL AS BIGINT), e.quantity * e.unit_cost,
  e.department, e.cost_center, e.entitlement_id
FROM ({ENTITLEMENTS_SQL}) e WHERE e.purchase_date IS NOT NULL
UNION ALL
SELECT 'spend', 'cloud', c.month, CAST(NULL AS BIGINT), c.cost,
  c.department, c.cost_center, c.provider
FROM ({CLOUD_SQL}) c
UNION ALL
SELECT 'budget', b.spend_type, CAST(NULL AS DATE), b.year, b.amount,
  b.department, b.cost_center, CAST(NULL AS VARCHAR)
FROM ({BUDGET_SQL}) b
UNION ALL
SELECT 'refresh', 'hardware', a.refresh_date, CAST(NULL AS BIGINT), a.purchase_cost,
  a.department, a.cost_center, a.asset_tag
FROM ({ASSETS_SQL}) a
WHERE a.is_active AND a.ownership = 'owned' AND a.purchase_date IS NOT NULL
UNION ALL
SELECT 'renewal', 'software', c.end_date, CAST(NULL AS BIGINT), c.annual_value,
  c.department, c.cost_center, c.contract_id
FROM ({CONTRACTS_SQL}) c WHERE c.kind IN ('software', 'saas')
"""

SUBJECTS: dict[str, Subject] = {
    s.name: s
    for s in (
        Subject(
            "assets",
            ASSETS_SQL,
            ASSET_DIMS + (AGE_BUCKET,),
            (
                "asset_tag",
                "category",
                "status",
                "manufacturer",
                "model",
                "serial",
                "hostname",
                "assigned_to",
                "person_name",
                "department",
                "cost_center",
                "location",
            ),
            "asset_tag",
        ),
        Subject(
            "deployed_discovery",
            DEPLOYED_DISCOVERY_SQL,
            ASSET_DIMS,
            (
                "asset_tag",
                "category",
                "status",
                "manufacturer",
                "model",
                "serial",
                "hostname",
                "assigned_to",
                "last_seen_60d",
                "department",
                "cost_center",
                "location",
            ),
            "asset_tag",
        ),
        Subject(
            "discovery_records",
            DISCOVERY_RECORDS_SQL,
            ASSET_DIMS,
            (
                "asset_tag",
                "category",
                "hostname",
                "serial",
                "assigned_to",
                "person_name",
                "seen_users",
                "last_seen",
                "department",
                "cost_center",
                "location",
            ),
            "asset_tag",
        ),
        Subject(
            "unmatched_discovery",
            UNMATCHED_SQL,
            (),
            ("device", "source", "seen_date", "serial", "hostname", "user", "os", "os_version"),
            "device, source, seen_date",
        ),
        Subject(
            "installs",
            INSTALLS_SQL,
            TITLE_DIMS,
            (
                "title_id",
                "title",
                "vendor",
                "asset_tag",
                "hostname",
                "matched_asset",
                "assigned_to",
                "discovered_date",
                "last_used_date",
                "unit_price",
            ),
            "title_id, device_key",
        ),
        Subject(
            "titles",
            TITLES_SQL,
            TITLE_DIMS,
            (
                "title_id",
                "title",
                "publisher",
                "license_metric",
                "demand",
                "entitled",
                "unit_price",
                "managed_by_itam",
                "elp_updated",
            ),
            "title_id",
        ),
        Subject(
            "software",
            SOFTWARE_SQL,
            TITLE_DIMS,
            ("title_id", "title", "publisher", "license_metric", "managed_by_itam", "elp_updated"),
            "title_id",
        ),
        Subject(
            "entitlements",
            ENTITLEMENTS_SQL,
            ("vendor", "product", "department", "cost_center"),
            (
                "entitlement_id",
                "title_id",
                "title",
                "vendor",
                "quantity",
                "unit_cost",
                "contract_id",
                "department",
                "cost_center",
                "purchase_date",
                "term_end",
            ),
            "entitlement_id",
        ),
        Subject(
            "license_events",
            LICENSE_EVENTS_SQL,
            TITLE_DIMS,
            (
                "event_id",
                "event_date",
                "title_id",
                "title",
                "vendor",
                "kind",
                "quantity",
                "unit_value",
            ),
            "event_date, event_id",
        ),
        Subject(
            "contracts",
            CONTRACTS_SQL,
            ("vendor", "department", "cost_center"),
            (
                "contract_id",
                "vendor",
                "kind",
                "start_date",
                "end_date",
                "annual_value",
                "first_quote",
                "final_price",
                "department",
                "cost_center",
                "owner",
                "auto_renew",
                "notice_days",
            ),
            "end_date, contract_id",
        ),
        Subject(
            "top_contracts",
            TOP_CONTRACTS_SQL,
            ("vendor", "department", "cost_center"),
            (
                "value_rank",
                "contract_id",
                "vendor",
                "kind",
                "start_date",
                "end_date",
                "annual_value",
                "department",
                "cost_center",
                "owner",
            ),
            "value_rank",
        ),
        Subject(
            "cloud_spend",
            CLOUD_SQL,
            ("vendor", "department", "cost_center"),
            ("month", "provider", "service", "kind", "department", "cost_center", "cost"),
            "month, provider, service",
        ),
        Subject(
            "tickets",
            TICKETS_SQL,
            ASSET_DIMS,
            (
                "ticket_id",
                "kind",
                "opened",
                "resolved",
                "asset_tag",
                "title_id",
                "title",
                "requester",
                "target_hours",
                "csat",
                "vendor",
                "department",
                "location",
            ),
            "opened, ticket_id",
        ),
        Subject(
            "multi_computer_people",
            MULTI_COMPUTER_SQL,
            ("department", "cost_center", "location"),
            ("person_id", "name", "computers", "department", "cost_center", "location"),
            "person_id",
        ),
        Subject(
            "audits",
            AUDITS_SQL,
            ASSET_DIMS,
            ("audit_date", "asset_tag", "method", "record_accurate", "department", "location"),
            "audit_date, asset_tag",
        ),
        Subject(
            "vendor_audits",
            "SELECT * FROM vendor_audits",
            ("vendor",),
            ("audit_id", "vendor", "start_date", "end_date", "hours_spent", "true_up_cost"),
            "start_date, audit_id",
        ),
        Subject(
            "security_incidents",
            "SELECT * FROM security_incidents",
            (),
            ("incident_id", "incident_date", "hostname", "serial", "involved_undiscovered_asset"),
            "incident_date, incident_id",
        ),
        Subject(
            "roadmap",
            "SELECT * FROM roadmap",
            (),
            ("item_id", "initiative", "task", "owner", "target_date", "status", "completed_date"),
            "item_id",
        ),
        Subject(
            "integrations",
            "SELECT * FROM integrations",
            (),
            ("name", "source_system", "connected", "since"),
            "name",
        ),
        Subject(
            "fiscal_lines",
            FISCAL_LINES_SQL,
            ("department", "cost_center"),
            ("line", "spend_type", "day", "year", "amount", "department", "cost_center", "ref"),
            "line, spend_type, day, ref",
        ),
        Subject(
            "budget",
            BUDGET_SQL,
            ("department", "cost_center"),
            ("year", "spend_type", "department", "cost_center", "amount"),
            "year, spend_type, department, cost_center",
        ),
    )
}
