-- refresh_due_12m: assets
SELECT
  count(*) FILTER (WHERE is_active AND ownership = 'owned' AND purchase_date IS NOT NULL AND refresh_date <= :a_p365) AS "refresh_due_12m"
FROM (
SELECT f.*,
  CASE WHEN f.purchase_date IS NULL THEN NULL
       WHEN (:a - f.purchase_date) / 365.25 < 1 THEN '<1' WHEN (:a - f.purchase_date) / 365.25 < 2 THEN '1-2' WHEN (:a - f.purchase_date) / 365.25 < 3 THEN '2-3'
       WHEN (:a - f.purchase_date) / 365.25 < 4 THEN '3-4' WHEN (:a - f.purchase_date) / 365.25 < 5 THEN '4-5' ELSE '5+' END AS age_bucket
FROM derived_asset_facts f
) s;
