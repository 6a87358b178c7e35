-- software_spend_12m: entitlements
SELECT
  coalesce(sum(quantity * unit_cost) FILTER (WHERE purchase_date > :a_m365 AND purchase_date <= :a), 0) AS "software_spend_12m"
FROM (
SELECT e.*, s.publisher AS vendor, s.title AS product, s.title
FROM entitlements e LEFT JOIN software s ON s.title_id = e.title_id
) s;
