-- entitled_licenses: entitlements
SELECT
  coalesce(sum(quantity) FILTER (WHERE title IS NOT NULL AND (purchase_date IS NULL OR purchase_date <= CAST($a AS DATE)) AND (term_end IS NULL OR term_end >= CAST($a AS DATE))), 0) AS "entitled_licenses"
FROM (
SELECT e.*, s.publisher AS vendor, s.title AS product, s.title
FROM entitlements e LEFT JOIN software s ON s.title_id = e.title_id
) s;
