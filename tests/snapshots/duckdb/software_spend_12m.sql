-- software_spend_12m: entitlements
SELECT
  coalesce(sum(quantity * unit_cost) FILTER (WHERE purchase_date > CAST($a_m365 AS DATE) AND purchase_date <= CAST($a AS DATE)), 0) AS "software_spend_12m"
FROM (
SELECT e.*, s.publisher AS vendor, s.title AS product, s.title
FROM entitlements e LEFT JOIN software s ON s.title_id = e.title_id
) s;
