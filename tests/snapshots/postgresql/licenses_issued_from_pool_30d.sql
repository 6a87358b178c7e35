-- licenses_issued_from_pool_30d: license_events
SELECT
  coalesce(sum(quantity) FILTER (WHERE kind = 'issued_from_pool' AND event_date > :a_m30 AND event_date <= :a), 0) AS "licenses_issued_from_pool_30d"
FROM (
SELECT le.*, s.publisher AS vendor, s.title AS product, s.title
FROM license_events le LEFT JOIN software s ON s.title_id = le.title_id
) s;
