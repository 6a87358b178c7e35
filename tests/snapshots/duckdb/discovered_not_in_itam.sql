-- discovered_not_in_itam: unmatched_discovery
SELECT
  count(DISTINCT device) AS "discovered_not_in_itam"
FROM (
SELECT * FROM derived_discovery_unmatched WHERE seen_date > CAST($a_m30 AS DATE) AND seen_date <= CAST($a AS DATE)
) s;
