-- deployed_not_discovered_30d_pct: deployed_discovery
SELECT
  count(*) FILTER (WHERE category <> 'monitor' AND status = 'deployed') AS "deployed_discoverable",
  count(*) FILTER (WHERE category <> 'monitor' AND status = 'deployed' AND (last_seen IS NULL OR last_seen <= CAST($a_m30 AS DATE))) AS "deployed_unseen_30d"
FROM (
WITH m AS (
  SELECT asset_tag, seen_date, user_lc FROM derived_discovery_matches
  WHERE asset_status = 'deployed' AND seen_date <= CAST($a AS DATE)
),
seen AS (
  SELECT asset_tag, max(seen_date) AS last_seen,
    max(seen_date) FILTER (WHERE seen_date > CAST($a_m30 AS DATE)) AS latest_30d
  FROM m GROUP BY asset_tag
),
lu AS (
  SELECT m.asset_tag, min(m.user_lc) AS first_user, max(m.user_lc) AS last_user
  FROM m JOIN seen ON seen.asset_tag = m.asset_tag AND seen.latest_30d = m.seen_date
  WHERE m.user_lc IS NOT NULL
  GROUP BY m.asset_tag
)
SELECT a.*, seen.last_seen, lu.first_user AS seen_user,
  CASE WHEN a.assigned_to IS NOT NULL AND lu.first_user IS NOT NULL
        AND (lu.first_user <> lu.last_user OR lu.first_user <> lower(a.assigned_to))
       THEN true ELSE false END AS user_mismatch
FROM derived_asset_facts a
LEFT JOIN seen ON seen.asset_tag = a.asset_tag
LEFT JOIN lu ON lu.asset_tag = a.asset_tag
WHERE a.status = 'deployed'
) s;
