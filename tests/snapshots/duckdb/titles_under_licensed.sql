-- titles_under_licensed: titles
SELECT
  count(*) FILTER (WHERE demand > entitled) AS "titles_under_licensed"
FROM (
SELECT s.title_id, s.title, s.publisher, s.publisher AS vendor, s.title AS product,
  s.license_metric, s.is_standard, s.managed_by_itam, s.elp_updated,
  coalesce(dm.demand, 0) AS demand,
  coalesce(en.entitled, 0) AS entitled,
  coalesce(u.unit_price, 0) AS unit_price
FROM software s
LEFT JOIN (SELECT i.title_id, count(DISTINCT i.demand_key) AS demand
           FROM (
SELECT d.*, s.publisher AS vendor, s.title AS product, s.title,
  coalesce(u.unit_price, 0) AS unit_price,
  CASE WHEN s.license_metric = 'user' THEN coalesce(d.assigned_to, 'device:' || d.device_key)
       ELSE d.device_key END AS demand_key
FROM (
SELECT i.title_id, i.asset_tag, i.hostname, i.discovered_date, i.last_used_date,
  m.asset_tag AS matched_asset, m.status AS asset_status, m.assigned_to,
  coalesce(m.asset_tag, lower(i.hostname), i.asset_tag) AS device_key
FROM installs i
LEFT JOIN assets a1 ON a1.asset_tag = i.asset_tag
LEFT JOIN (SELECT lower(hostname) AS h, min(asset_tag) AS asset_tag FROM assets
           WHERE hostname IS NOT NULL GROUP BY lower(hostname)) hk
  ON a1.asset_tag IS NULL AND hk.h = lower(i.hostname)
LEFT JOIN assets m ON m.asset_tag = coalesce(a1.asset_tag, hk.asset_tag)
WHERE (i.discovered_date IS NULL OR i.discovered_date <= CAST($a AS DATE))
  AND (m.asset_tag IS NULL OR m.status NOT IN ('retired', 'disposed', 'lost', 'stolen'))
) d
LEFT JOIN software s ON s.title_id = d.title_id
LEFT JOIN (
SELECT title_id,
  coalesce(sum(quantity * unit_cost) / nullif(sum(CASE WHEN unit_cost IS NOT NULL THEN quantity END), 0), 0)
    AS unit_price
FROM entitlements GROUP BY title_id
) u ON u.title_id = d.title_id
) i GROUP BY i.title_id) dm ON dm.title_id = s.title_id
LEFT JOIN (SELECT title_id, sum(quantity) AS entitled FROM entitlements
           WHERE (purchase_date IS NULL OR purchase_date <= CAST($a AS DATE))
             AND (term_end IS NULL OR term_end >= CAST($a AS DATE))
           GROUP BY title_id) en ON en.title_id = s.title_id
LEFT JOIN (
SELECT title_id,
  coalesce(sum(quantity * unit_cost) / nullif(sum(CASE WHEN unit_cost IS NOT NULL THEN quantity END), 0), 0)
    AS unit_price
FROM entitlements GROUP BY title_id
) u ON u.title_id = s.title_id
) s;
