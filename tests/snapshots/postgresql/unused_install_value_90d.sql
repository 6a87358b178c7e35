-- unused_install_value_90d: installs
SELECT
  coalesce(sum(unit_price) FILTER (WHERE last_used_date IS NOT NULL AND last_used_date <= :a_m90), 0) AS "unused_install_value_90d"
FROM (
SELECT * FROM derived_install_facts
WHERE title IS NOT NULL AND (discovered_date IS NULL OR discovered_date <= :a)
) s;
