-- deployed_not_discovered_30d_pct: deployed_discovery
SELECT
  count(*) FILTER (WHERE category <> 'monitor' AND status = 'deployed') AS "deployed_discoverable",
  count(*) FILTER (WHERE category <> 'monitor' AND status = 'deployed' AND (last_seen IS NULL OR last_seen <= :a_m30)) AS "deployed_unseen_30d"
FROM (
SELECT a.*, seen.last_seen,
  CASE WHEN seen.last_seen > :a_m30 AND seen.last_differs = seen.last_seen
       THEN true ELSE false END AS user_mismatch
FROM derived_asset_facts a
LEFT JOIN (
  SELECT asset_tag, max(seen_date) AS last_seen,
    max(seen_date) FILTER (WHERE user_differs) AS last_differs
  FROM derived_discovery_matches
  WHERE asset_status = 'deployed' AND seen_date <= :a
  GROUP BY asset_tag
) seen ON seen.asset_tag = a.asset_tag
WHERE a.status = 'deployed'
) s;
