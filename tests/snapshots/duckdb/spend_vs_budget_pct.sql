-- spend_vs_budget_pct: assets
SELECT
  coalesce(sum(purchase_cost) FILTER (WHERE purchase_date >= CAST($year_start AS DATE) AND purchase_date <= CAST($a AS DATE)), 0) AS "hardware_spend_ytd"
FROM (
SELECT f.*,
  CASE WHEN f.purchase_date IS NULL THEN NULL
       WHEN (CAST($a AS DATE) - f.purchase_date) / 365.25 < 1 THEN '<1' WHEN (CAST($a AS DATE) - f.purchase_date) / 365.25 < 2 THEN '1-2' WHEN (CAST($a AS DATE) - f.purchase_date) / 365.25 < 3 THEN '2-3'
       WHEN (CAST($a AS DATE) - f.purchase_date) / 365.25 < 4 THEN '3-4' WHEN (CAST($a AS DATE) - f.purchase_date) / 365.25 < 5 THEN '4-5' ELSE '5+' END AS age_bucket
FROM derived_asset_facts f
) s;

-- spend_vs_budget_pct: budget
SELECT
  coalesce(sum(amount * CAST($year_fraction AS DOUBLE)) FILTER (WHERE year = CAST($year AS BIGINT)), 0) AS "budget_to_date"
FROM (SELECT b.* FROM budget b) s;

-- spend_vs_budget_pct: cloud_spend
SELECT
  coalesce(sum(cost) FILTER (WHERE month >= CAST($year_start AS DATE) AND month <= CAST($a AS DATE)), 0) AS "cloud_spend_ytd"
FROM (SELECT c.*, c.provider AS vendor FROM cloud_spend c) s;

-- spend_vs_budget_pct: entitlements
SELECT
  coalesce(sum(quantity * unit_cost) FILTER (WHERE purchase_date >= CAST($year_start AS DATE) AND purchase_date <= CAST($a AS DATE)), 0) AS "software_spend_ytd"
FROM (
SELECT e.*, s.publisher AS vendor, s.title AS product, s.title
FROM entitlements e LEFT JOIN software s ON s.title_id = e.title_id
) s;
