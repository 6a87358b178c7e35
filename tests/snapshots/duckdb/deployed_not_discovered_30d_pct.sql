-- deployed_not_discovered_30d_pct: asset_discovery
SELECT
  count(*) FILTER (WHERE category <> 'monitor' AND status = 'deployed') AS "deployed_discoverable",
  count(*) FILTER (WHERE category <> 'monitor' AND status = 'deployed' AND (last_seen IS NULL OR last_seen <= CAST($a_m30 AS DATE))) AS "deployed_unseen_30d"
FROM (
WITH m AS (
SELECT k.asset_tag, d.row_key, d.source, d.seen_date, d.user_lc
FROM (SELECT row_key, source, seen_date, lower("user") AS user_lc,
             lower(serial) AS s, lower(hostname) AS h
      FROM discovery WHERE seen_date <= CAST($a AS DATE)) d
JOIN (SELECT asset_tag, lower(serial) AS s FROM assets WHERE serial IS NOT NULL) k
  ON k.s = d.s
UNION ALL
SELECT k.asset_tag, d.row_key, d.source, d.seen_date, d.user_lc
FROM (SELECT row_key, source, seen_date, lower("user") AS user_lc,
             lower(serial) AS s, lower(hostname) AS h
      FROM discovery WHERE seen_date <= CAST($a AS DATE)) d
JOIN (SELECT asset_tag, lower(hostname) AS h FROM assets WHERE hostname IS NOT NULL) k
  ON k.h = d.h
WHERE d.s IS NULL
   OR NOT EXISTS (SELECT 1 FROM assets x WHERE lower(x.serial) = d.s)
),
seen AS (SELECT asset_tag, max(seen_date) AS last_seen FROM m GROUP BY asset_tag),
latest AS (
  SELECT asset_tag, max(seen_date) AS seen_date FROM m
  WHERE seen_date > CAST($a_m30 AS DATE) GROUP BY asset_tag
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
FROM (
SELECT a."asset_tag", a."category", a."status", a."serial", a."hostname", a."manufacturer", a."model", a."ownership", a."assigned_to", a."supplier", a."po_number", a."purchase_date", a."purchase_cost", a."warranty_end", a."expected_life_years", a."requested_date", a."deployed_date", a."retired_date", a."disposal_method", a."disposal_certificate", a."lost_stolen_date", a."os", a."os_version", a."last_patched", a."meets_standard", a."is_capital", a."last_audit_date", a."notes",
  a.department AS own_department,
  a.manufacturer AS vendor,
  a.model AS product,
  coalesce(a.department, p.department) AS department,
  coalesce(a.cost_center, p.cost_center) AS cost_center,
  coalesce(a.location, p.location) AS location,
  p.name AS person_name,
  p.active AS person_active,
  CASE WHEN a.purchase_date IS NULL THEN NULL
       ELSE CAST(a.purchase_date + CAST(floor(coalesce(a.expected_life_years, CASE a.category WHEN 'laptop' THEN 4 WHEN 'desktop' THEN 5 WHEN 'tablet' THEN 3 WHEN 'phone' THEN 3 WHEN 'monitor' THEN 6 WHEN 'server' THEN 5 WHEN 'network' THEN 7 WHEN 'storage' THEN 5 WHEN 'printer' THEN 6 WHEN 'iot' THEN 5 WHEN 'other' THEN 5 END) * 12 + 0.5) AS INTEGER) * INTERVAL '1 month' AS DATE)
  END AS refresh_date,
  CASE WHEN a.purchase_date IS NULL THEN NULL
       WHEN (CAST($a AS DATE) - a.purchase_date) / 365.25 < 1 THEN '<1'
       WHEN (CAST($a AS DATE) - a.purchase_date) / 365.25 < 2 THEN '1-2'
       WHEN (CAST($a AS DATE) - a.purchase_date) / 365.25 < 3 THEN '2-3'
       WHEN (CAST($a AS DATE) - a.purchase_date) / 365.25 < 4 THEN '3-4'
       WHEN (CAST($a AS DATE) - a.purchase_date) / 365.25 < 5 THEN '4-5'
       ELSE '5+' END AS age_bucket
FROM assets a
LEFT JOIN people p ON p.person_id = a.assigned_to
) a
LEFT JOIN seen ON seen.asset_tag = a.asset_tag
LEFT JOIN latest_users lu ON lu.asset_tag = a.asset_tag
) s;
