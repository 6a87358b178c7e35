-- harvest_savings_12m: license_events
SELECT
  coalesce(sum(quantity * unit_value) FILTER (WHERE kind = 'harvested' AND event_date > CAST($a_m365 AS DATE) AND event_date <= CAST($a AS DATE)), 0) AS "harvest_savings_12m"
FROM (
SELECT le.*, s.publisher AS vendor, s.title AS product, s.title
FROM license_events le LEFT JOIN software s ON s.title_id = le.title_id
) s;
