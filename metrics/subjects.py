"""Subjects: the fact views metrics read, each with its resolved dimensions.

A subject is one SELECT (with bound parameters from `params.as_of_params`)
whose rows are the things a metric counts or sums, carrying the drill-down
dimensions it supports as columns named after them (dimensions.py), plus the
columns its metrics' predicates and record lists need.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.schema import EXPECTED_LIFE_YEARS, NOT_IN_USE_STATUSES, table

ASSET_DIMS = ("vendor", "department", "cost_center", "location", "product", "category")
TITLE_DIMS = ("vendor", "product")


@dataclass(frozen=True)
class Subject:
    name: str
    sql: str
    dimensions: tuple[str, ...]
    records: tuple[str, ...]  # default columns of its record lists
    order: str = ""  # ORDER BY for record lists


def _in(values) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


_LIFE = (
    "coalesce(a.expected_life_years, CASE a.category "
    + " ".join(f"WHEN '{k}' THEN {v}" for k, v in EXPECTED_LIFE_YEARS.items())
    + " END)"
)
_OWN = ("department", "cost_center", "location")
_ASSET_COLS = ", ".join(f'a."{c}"' for c in table("assets").names if c not in _OWN)

# Assets with their dimensions: department, cost center and location are the
# asset's own where set, else those of the person it is assigned to.
ASSETS_SQL = f"""
SELECT {_ASSET_COLS},
  a.department AS own_department,
  a.manufacturer AS vendor,
  a.model AS product,
  coalesce(a.department, p.department) AS department,
  coalesce(a.cost_center, p.cost_center) AS cost_center,
  coalesce(a.location, p.location) AS location,
  p.name AS person_name,
  p.active AS person_active,
  CASE WHEN a.purchase_date IS NULL THEN NULL
       ELSE CAST(a.purchase_date + CAST(floor({_LIFE} * 12 + 0.5) AS INTEGER) * INTERVAL '1 month' AS DATE)
  END AS refresh_date,
  CASE WHEN a.purchase_date IS NULL THEN NULL
       WHEN (:a - a.purchase_date) / 365.25 < 1 THEN '<1'
       WHEN (:a - a.purchase_date) / 365.25 < 2 THEN '1-2'
       WHEN (:a - a.purchase_date) / 365.25 < 3 THEN '2-3'
       WHEN (:a - a.purchase_date) / 365.25 < 4 THEN '3-4'
       WHEN (:a - a.purchase_date) / 365.25 < 5 THEN '4-5'
       ELSE '5+' END AS age_bucket
FROM assets a
LEFT JOIN people p ON p.person_id = a.assigned_to
"""

# Discovery rows (seen by A) matched to assets: by serial when the row's serial
# equals some asset's serial, otherwise by hostname (metrics.md, matching).
MATCHES_SQL = """
SELECT k.asset_tag, d.row_key, d.source, d.seen_date, d.user_lc
FROM (SELECT row_key, source, seen_date, lower("user") AS user_lc,
             lower(serial) AS s, lower(hostname) AS h
      FROM discovery WHERE seen_date <= :a) d
JOIN (SELECT asset_tag, lower(serial) AS s FROM assets WHERE serial IS NOT NULL) k
  ON k.s = d.s
UNION ALL
SELECT k.asset_tag, d.row_key, d.source, d.seen_date, d.user_lc
FROM (SELECT row_key, source, seen_date, lower("user") AS user_lc,
             lower(serial) AS s, lower(hostname) AS h
      FROM discovery WHERE seen_date <= :a) d
JOIN (SELECT asset_tag, lower(hostname) AS h FROM assets WHERE hostname IS NOT NULL) k
  ON k.h = d.h
WHERE d.s IS NULL
   OR NOT EXISTS (SELECT 1 FROM assets x WHERE lower(x.serial) = d.s)
"""

# Assets with what discovery says about them as of A: last_seen, and whether
# the latest matching row of the last 30 days names another user.
ASSET_DISCOVERY_SQL = f"""
WITH m AS ({MATCHES_SQL}),
seen AS (SELECT asset_tag, max(seen_date) AS last_seen FROM m GROUP BY asset_tag),
latest AS (
  SELECT asset_tag, max(seen_date) AS seen_date FROM m
  WHERE seen_date > :a_m30 GROUP BY asset_tag
),
latest_users AS (
  SELECT m.asset_tag, min(m.user_lc) AS seen_user, count(DISTINCT m.user_lc) AS seen_users
  FROM m JOIN latest l ON l.asset_tag = m.asset_tag AND l.seen_date = m.seen_date
  WHERE m.user_lc IS NOT NULL
  GROUP BY m.asset_tag
)
SELECT a.*, seen.last_seen, lu.seen_user,
  CASE WHEN a.assigned_to IS NOT NULL AND lu.seen_user IS NOT NULL
        AND (lu.seen_users > 1 OR lu.seen_user <> lower(a.assigned_to))
       THEN true ELSE false END AS user_mismatch
FROM ({ASSETS_SQL}) a
LEFT JOIN seen ON seen.asset_tag = a.asset_tag
LEFT JOIN latest_users lu ON lu.asset_tag = a.asset_tag
"""

# Discovery rows of the last 30 days that match no asset.
UNMATCHED_SQL = """
SELECT d.source, d.seen_date, d.hostname, d.serial, d."user", d.os, d.os_version,
  coalesce(lower(d.serial), lower(d.hostname)) AS device
FROM discovery d
WHERE d.seen_date > :a_m30 AND d.seen_date <= :a
  AND NOT EXISTS (SELECT 1 FROM assets x WHERE lower(x.serial) = lower(d.serial))
  AND NOT EXISTS (SELECT 1 FROM assets x WHERE lower(x.hostname) = lower(d.hostname))
"""

# Install rows counted in demand: discovered by A, not on an asset out of use.
# An install belongs to the asset with its asset_tag, failing that to the
# asset with its hostname (the first by asset_tag if several share it).
DEMAND_INSTALLS_SQL = f"""
SELECT i.title_id, i.asset_tag, i.hostname, i.discovered_date, i.last_used_date,
  m.asset_tag AS matched_asset, m.status AS asset_status, m.assigned_to,
  coalesce(m.asset_tag, lower(i.hostname), i.asset_tag) AS device_key
FROM installs i
LEFT JOIN assets a1 ON a1.asset_tag = i.asset_tag
LEFT JOIN (SELECT lower(hostname) AS h, min(asset_tag) AS asset_tag FROM assets
           WHERE hostname IS NOT NULL GROUP BY lower(hostname)) hk
  ON a1.asset_tag IS NULL AND hk.h = lower(i.hostname)
LEFT JOIN assets m ON m.asset_tag = coalesce(a1.asset_tag, hk.asset_tag)
WHERE (i.discovered_date IS NULL OR i.discovered_date <= :a)
  AND (m.asset_tag IS NULL OR m.status NOT IN {_in(NOT_IN_USE_STATUSES)})
"""

UNIT_PRICE_SQL = """
SELECT title_id,
  coalesce(sum(quantity * unit_cost) / nullif(sum(CASE WHEN unit_cost IS NOT NULL THEN quantity END), 0), 0)
    AS unit_price
FROM entitlements GROUP BY title_id
"""

INSTALLS_SQL = f"""
SELECT d.*, s.publisher AS vendor, s.title AS product, s.title,
  coalesce(u.unit_price, 0) AS unit_price,
  CASE WHEN s.license_metric = 'user' THEN coalesce(d.assigned_to, 'device:' || d.device_key)
       ELSE d.device_key END AS demand_key
FROM ({DEMAND_INSTALLS_SQL}) d
LEFT JOIN software s ON s.title_id = d.title_id
LEFT JOIN ({UNIT_PRICE_SQL}) u ON u.title_id = d.title_id
"""

# Titles with their licence position as of A.
TITLES_SQL = f"""
SELECT s.title_id, s.title, s.publisher, s.publisher AS vendor, s.title AS product,
  s.license_metric, s.is_standard, s.managed_by_itam, s.elp_updated,
  coalesce(dm.demand, 0) AS demand,
  coalesce(en.entitled, 0) AS entitled,
  coalesce(u.unit_price, 0) AS unit_price
FROM software s
LEFT JOIN (SELECT i.title_id, count(DISTINCT i.demand_key) AS demand
           FROM ({INSTALLS_SQL}) i GROUP BY i.title_id) dm ON dm.title_id = s.title_id
LEFT JOIN (SELECT title_id, sum(quantity) AS entitled FROM entitlements
           WHERE (purchase_date IS NULL OR purchase_date <= :a)
             AND (term_end IS NULL OR term_end >= :a)
           GROUP BY title_id) en ON en.title_id = s.title_id
LEFT JOIN ({UNIT_PRICE_SQL}) u ON u.title_id = s.title_id
"""

ENTITLEMENTS_SQL = """
SELECT e.*, s.publisher AS vendor, s.title AS product, s.title
FROM entitlements e LEFT JOIN software s ON s.title_id = e.title_id
"""

LICENSE_EVENTS_SQL = """
SELECT le.*, s.publisher AS vendor, s.title AS product, s.title
FROM license_events le LEFT JOIN software s ON s.title_id = le.title_id
"""

CONTRACTS_SQL = "SELECT c.* FROM contracts c"

SOFTWARE_SQL = "SELECT s.*, s.publisher AS vendor, s.title AS product FROM software s"

# Active software/SaaS contracts ranked by annual value (ties: contract_id).
TOP_CONTRACTS_SQL = """
SELECT c.*, row_number() OVER (ORDER BY c.annual_value DESC, c.contract_id) AS value_rank
FROM contracts c
WHERE c.kind IN ('software', 'saas') AND c.start_date <= :a AND c.end_date >= :a
"""

CLOUD_SQL = "SELECT c.*, c.provider AS vendor FROM cloud_spend c"

# A ticket takes its dimensions from its asset when it links to one, else
# vendor and product from its title and the rest from its requester.
TICKETS_SQL = f"""
SELECT t.*,
  CAST(t.opened AS DATE) AS opened_date,
  CAST(t.resolved AS DATE) AS resolved_date,
  a.asset_tag IS NOT NULL AS links_asset,
  s.title_id IS NOT NULL AS links_title,
  a.category AS asset_category,
  CASE WHEN a.asset_tag IS NOT NULL THEN a.vendor ELSE s.publisher END AS vendor,
  CASE WHEN a.asset_tag IS NOT NULL THEN a.product ELSE s.title END AS product,
  CASE WHEN a.asset_tag IS NOT NULL THEN a.department ELSE p.department END AS department,
  CASE WHEN a.asset_tag IS NOT NULL THEN a.cost_center ELSE p.cost_center END AS cost_center,
  CASE WHEN a.asset_tag IS NOT NULL THEN a.location ELSE p.location END AS location,
  a.category AS category,
  s.title
FROM tickets t
LEFT JOIN ({ASSETS_SQL}) a ON a.asset_tag = t.asset_tag
LEFT JOIN software s ON s.title_id = t.title_id
LEFT JOIN people p ON p.person_id = t.requester
"""

# People with two or more deployed computers (assigned_to values, known or not).
MULTI_COMPUTER_SQL = """
SELECT c.assigned_to AS person_id, p.name, c.computers,
  p.department, p.cost_center, p.location
FROM (SELECT assigned_to, count(*) AS computers FROM assets
      WHERE status = 'deployed' AND category IN ('laptop', 'desktop', 'tablet')
        AND assigned_to IS NOT NULL
      GROUP BY assigned_to HAVING count(*) >= 2) c
LEFT JOIN people p ON p.person_id = c.assigned_to
"""

AUDITS_SQL = f"""
SELECT au.audit_date, au.asset_tag, au.method, au.record_accurate,
  a.vendor, a.department, a.cost_center, a.location, a.product, a.category
FROM audits au LEFT JOIN ({ASSETS_SQL}) a ON a.asset_tag = au.asset_tag
"""

BUDGET_SQL = "SELECT b.* FROM budget b"

SUBJECTS: dict[str, Subject] = {
    s.name: s
    for s in (
        Subject(
            "assets",
            ASSETS_SQL,
            ASSET_DIMS + ("age_bucket",),
            ("asset_tag", "category", "status", "manufacturer", "model", "serial", "hostname",
             "assigned_to", "person_name", "department", "cost_center", "location"),
            "asset_tag",
        ),
        Subject(
            "asset_discovery",
            ASSET_DISCOVERY_SQL,
            ASSET_DIMS,
            ("asset_tag", "category", "status", "manufacturer", "model", "serial", "hostname",
             "assigned_to", "seen_user", "last_seen", "department", "cost_center", "location"),
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
            ("title_id", "title", "vendor", "asset_tag", "hostname", "matched_asset",
             "assigned_to", "discovered_date", "last_used_date", "unit_price"),
            "title_id, device_key",
        ),
        Subject(
            "titles",
            TITLES_SQL,
            TITLE_DIMS,
            ("title_id", "title", "publisher", "license_metric", "demand", "entitled",
             "unit_price", "managed_by_itam", "elp_updated"),
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
            ("entitlement_id", "title_id", "title", "vendor", "quantity", "unit_cost",
             "contract_id", "department", "cost_center", "purchase_date", "term_end"),
            "entitlement_id",
        ),
        Subject(
            "license_events",
            LICENSE_EVENTS_SQL,
            TITLE_DIMS,
            ("event_id", "event_date", "title_id", "title", "vendor", "kind", "quantity",
             "unit_value"),
            "event_date, event_id",
        ),
        Subject(
            "contracts",
            CONTRACTS_SQL,
            ("vendor", "department", "cost_center"),
            ("contract_id", "vendor", "kind", "start_date", "end_date", "annual_value",
             "first_quote", "final_price", "department", "cost_center", "owner",
             "auto_renew", "notice_days"),
            "end_date, contract_id",
        ),
        Subject(
            "top_contracts",
            TOP_CONTRACTS_SQL,
            ("vendor", "department", "cost_center"),
            ("value_rank", "contract_id", "vendor", "kind", "start_date", "end_date",
             "annual_value", "department", "cost_center", "owner"),
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
            ("ticket_id", "kind", "opened", "resolved", "asset_tag", "title_id", "title",
             "requester", "target_hours", "csat", "vendor", "department", "location"),
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
            "budget",
            BUDGET_SQL,
            ("department", "cost_center"),
            ("year", "spend_type", "department", "cost_center", "amount"),
            "year, spend_type, department, cost_center",
        ),
    )
}
