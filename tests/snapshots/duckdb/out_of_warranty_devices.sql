-- out_of_warranty_devices: assets
SELECT
  count(*) FILTER (WHERE status = 'deployed' AND is_end_user AND warranty_end < CAST($a AS DATE)) AS "out_of_warranty_devices"
FROM (
SELECT f.*,
  CASE WHEN f.purchase_date IS NULL THEN NULL
       WHEN (CAST($a AS DATE) - f.purchase_date) / 365.25 < 1 THEN '<1' WHEN (CAST($a AS DATE) - f.purchase_date) / 365.25 < 2 THEN '1-2' WHEN (CAST($a AS DATE) - f.purchase_date) / 365.25 < 3 THEN '2-3'
       WHEN (CAST($a AS DATE) - f.purchase_date) / 365.25 < 4 THEN '3-4' WHEN (CAST($a AS DATE) - f.purchase_date) / 365.25 < 5 THEN '4-5' ELSE '5+' END AS age_bucket
FROM derived_asset_facts f
) s;
