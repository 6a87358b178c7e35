-- breakage_rate_12m: assets
SELECT
  count(*) FILTER (WHERE is_active AND is_end_user) AS "active_end_user"
FROM (
SELECT f.*,
  CASE WHEN f.purchase_date IS NULL THEN NULL
       WHEN (CAST($a AS DATE) - f.purchase_date) / 365.25 < 1 THEN '<1' WHEN (CAST($a AS DATE) - f.purchase_date) / 365.25 < 2 THEN '1-2' WHEN (CAST($a AS DATE) - f.purchase_date) / 365.25 < 3 THEN '2-3'
       WHEN (CAST($a AS DATE) - f.purchase_date) / 365.25 < 4 THEN '3-4' WHEN (CAST($a AS DATE) - f.purchase_date) / 365.25 < 5 THEN '4-5' ELSE '5+' END AS age_bucket
FROM derived_asset_facts f
) s;

-- breakage_rate_12m: tickets
SELECT
  count(*) FILTER (WHERE kind = 'breakage' AND opened_date > CAST($a_m365 AS DATE) AND opened_date <= CAST($a AS DATE) AND links_asset AND asset_category IN ('laptop', 'desktop', 'tablet', 'phone')) AS "breakage_end_user_12m"
FROM (SELECT * FROM derived_ticket_facts) s;
