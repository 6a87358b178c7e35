-- unused_installs_90d: installs
SELECT
  count(*) FILTER (WHERE last_used_date IS NOT NULL AND last_used_date <= CAST($a_m90 AS DATE)) AS "unused_installs_90d"
FROM (
SELECT * FROM derived_install_facts
WHERE title IS NOT NULL AND (discovered_date IS NULL OR discovered_date <= CAST($a AS DATE))
) s;
