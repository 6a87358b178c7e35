-- entitled_licenses: entitlements
SELECT
  coalesce(sum(quantity) FILTER (WHERE title IS NOT NULL AND (purchase_date IS NULL OR purchase_date <= :a) AND (term_end IS NULL OR term_end >= :a)), 0) AS "entitled_licenses"
FROM (
SELECT e.*, s.publisher AS vendor, s.title AS product, s.title
FROM entitlements e LEFT JOIN software s ON s.title_id = e.title_id
) s;
