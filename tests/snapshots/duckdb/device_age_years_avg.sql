-- device_age_years_avg: assets
SELECT
  avg((CAST($a AS DATE) - purchase_date) / 365.25) FILTER (WHERE is_active AND purchase_date IS NOT NULL) AS "device_age_years_avg"
FROM (
SELECT f.*,
  CASE WHEN f.purchase_date IS NULL THEN NULL
       WHEN (CAST($a AS DATE) - f.purchase_date) / 365.25 < 1 THEN '<1' WHEN (CAST($a AS DATE) - f.purchase_date) / 365.25 < 2 THEN '1-2' WHEN (CAST($a AS DATE) - f.purchase_date) / 365.25 < 3 THEN '2-3'
       WHEN (CAST($a AS DATE) - f.purchase_date) / 365.25 < 4 THEN '3-4' WHEN (CAST($a AS DATE) - f.purchase_date) / 365.25 < 5 THEN '4-5' ELSE '5+' END AS age_bucket
FROM derived_asset_facts f
) s;
