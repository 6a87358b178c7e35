-- user_mismatches: deployed_discovery
SELECT
  count(*) FILTER (WHERE status = 'deployed' AND user_mismatch) AS "user_mismatches"
FROM (
SELECT a.*, seen.last_seen_60d,
  CASE WHEN seen.last_seen_60d > CAST($a_m30 AS DATE) AND seen.last_differs = seen.last_seen_60d
       THEN true ELSE false END AS user_mismatch
FROM derived_asset_facts a
LEFT JOIN (
  SELECT asset_no, max(seen_date) AS last_seen_60d,
    max(seen_date) FILTER (WHERE user_differs) AS last_differs
  FROM derived_discovery_matches
  WHERE asset_status = 'deployed' AND seen_date > CAST($a_m60 AS DATE) AND seen_date <= CAST($a AS DATE)
  GROUP BY asset_no
) seen ON seen.asset_no = a.asset_no
WHERE a.status = 'deployed'
) s;
