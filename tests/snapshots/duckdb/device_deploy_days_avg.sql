-- device_deploy_days_avg: assets
SELECT
  avg(deployed_date - requested_date) FILTER (WHERE requested_date IS NOT NULL AND deployed_date IS NOT NULL AND deployed_date > CAST($a_m365 AS DATE) AND deployed_date <= CAST($a AS DATE)) AS "device_deploy_days_avg"
FROM (
SELECT f.*,
  CASE WHEN f.purchase_date IS NULL THEN NULL
       WHEN (CAST($a AS DATE) - f.purchase_date) / 365.25 < 1 THEN '<1' WHEN (CAST($a AS DATE) - f.purchase_date) / 365.25 < 2 THEN '1-2' WHEN (CAST($a AS DATE) - f.purchase_date) / 365.25 < 3 THEN '2-3'
       WHEN (CAST($a AS DATE) - f.purchase_date) / 365.25 < 4 THEN '3-4' WHEN (CAST($a AS DATE) - f.purchase_date) / 365.25 < 5 THEN '4-5' ELSE '5+' END AS age_bucket
FROM derived_asset_facts f
) s;
