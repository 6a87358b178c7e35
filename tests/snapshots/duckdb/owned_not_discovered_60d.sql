-- owned_not_discovered_60d: deployed_discovery
SELECT
  count(*) FILTER (WHERE category <> 'monitor' AND ownership IN ('owned', 'leased') AND status = 'deployed' AND (last_seen IS NULL OR last_seen <= CAST($a_m60 AS DATE))) AS "owned_not_discovered_60d"
FROM (
SELECT a.*, seen.last_seen,
  CASE WHEN seen.last_seen > CAST($a_m30 AS DATE) AND seen.last_differs = seen.last_seen
       THEN true ELSE false END AS user_mismatch
FROM derived_asset_facts a
LEFT JOIN (
  SELECT asset_tag, max(seen_date) AS last_seen,
    max(seen_date) FILTER (WHERE user_differs) AS last_differs
  FROM derived_discovery_matches
  WHERE asset_status = 'deployed' AND seen_date <= CAST($a AS DATE)
  GROUP BY asset_tag
) seen ON seen.asset_tag = a.asset_tag
WHERE a.status = 'deployed'
) s;
