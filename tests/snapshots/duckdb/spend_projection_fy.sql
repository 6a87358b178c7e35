-- spend_projection_fy: fiscal_lines
SELECT
  coalesce(sum(CASE WHEN line IN ('refresh', 'renewal') AND day > CAST($a AS DATE) AND day <= CAST($fy_end AS DATE) THEN amount
  ELSE (CASE WHEN line = 'spend' AND day >= CAST($year_start AS DATE) AND day <= CAST($a AS DATE) THEN amount * (CASE WHEN spend_type = 'cloud' THEN 1
                                                  ELSE 1 + CAST($fy_rest_ratio AS DOUBLE) END) ELSE 0 END)
     + (CASE WHEN line = 'spend' AND spend_type = 'cloud' AND day >= CAST($month_a_m3 AS DATE) AND day <= CAST($month_a_m1 AS DATE) THEN amount * CAST($fy_cloud_rest_factor AS DOUBLE) ELSE 0 END) END) FILTER (WHERE (line = 'spend' AND day >= CAST($year_start AS DATE) AND day <= CAST($a AS DATE)) OR (line = 'spend' AND spend_type = 'cloud' AND day >= CAST($month_a_m3 AS DATE) AND day <= CAST($month_a_m1 AS DATE)) OR (line IN ('refresh', 'renewal') AND day > CAST($a AS DATE) AND day <= CAST($fy_end AS DATE))), 0) AS "spend_projection_fy"
FROM (
SELECT 'spend' AS line, 'hardware' AS spend_type, a.purchase_date AS day,
  CAST(NULL AS BIGINT) AS year, a.purchase_cost AS amount,
  a.department, a.cost_center, a.asset_tag AS ref
FROM (
SELECT x.*,
  x.purchase_cost * least(x.dep_months, greatest(0, CAST($dep_months_done AS BIGINT) - x.dep_start + 1)) / x.dep_months AS accumulated_depreciation,
  x.purchase_cost - x.purchase_cost * least(x.dep_months, greatest(0, CAST($dep_months_done AS BIGINT) - x.dep_start + 1)) / x.dep_months AS book_value,
  x.purchase_cost * (least(x.dep_months, greatest(0, CAST($dep_months_done_p12 AS BIGINT) - x.dep_start + 1)) - least(x.dep_months, greatest(0, CAST($dep_months_done AS BIGINT) - x.dep_start + 1)))
    / x.dep_months AS depreciation_next_12m,
  least(x.dep_months, greatest(0, CAST($dep_months_done AS BIGINT) - x.dep_start + 1)) >= x.dep_months AS fully_depreciated
FROM (
SELECT f."asset_tag",
  f."category",
  f."status",
  f."serial",
  f."hostname",
  f."manufacturer",
  f."model",
  f."ownership",
  f."assigned_to",
  f."supplier",
  f."po_number",
  f."purchase_date",
  f."purchase_cost" * CASE WHEN f.currency IS NULL THEN 1.0 ELSE coalesce(f_fxm.rate, f_fxl.rate) END AS "purchase_cost",
  f."warranty_end",
  f."expected_life_years",
  f."requested_date",
  f."deployed_date",
  f."retired_date",
  f."disposal_method",
  f."disposal_certificate",
  f."lost_stolen_date",
  f."os",
  f."os_version",
  f."last_patched",
  f."meets_standard",
  f."is_capital",
  f."last_audit_date",
  f."notes",
  f."currency",
  f."depreciation_months",
  f."end_of_support",
  f."asset_no",
  f."is_active",
  f."is_end_user",
  f."own_department",
  f."vendor",
  f."product",
  f."department",
  f."cost_center",
  f."location",
  f."person_name",
  f."person_active",
  f."refresh_date",
  f."purchase_cost" AS "original_purchase_cost",
  CASE WHEN f.currency IS NULL THEN 1.0 ELSE coalesce(f_fxm.rate, f_fxl.rate) END AS fx_rate,
  CASE WHEN f.purchase_date IS NULL THEN NULL
       WHEN (CAST($a AS DATE) - f.purchase_date) / 365.25 < 1 THEN '<1' WHEN (CAST($a AS DATE) - f.purchase_date) / 365.25 < 2 THEN '1-2' WHEN (CAST($a AS DATE) - f.purchase_date) / 365.25 < 3 THEN '2-3'
       WHEN (CAST($a AS DATE) - f.purchase_date) / 365.25 < 4 THEN '3-4' WHEN (CAST($a AS DATE) - f.purchase_date) / 365.25 < 5 THEN '4-5' ELSE '5+' END AS age_bucket,
  coalesce(f.depreciation_months, CAST(floor(coalesce(f.expected_life_years, CASE f.category WHEN 'laptop' THEN 4 WHEN 'desktop' THEN 5 WHEN 'tablet' THEN 3 WHEN 'phone' THEN 3 WHEN 'monitor' THEN 6 WHEN 'server' THEN 5 WHEN 'network' THEN 7 WHEN 'storage' THEN 5 WHEN 'printer' THEN 6 WHEN 'iot' THEN 5 WHEN 'other' THEN 5 END) * 12 + 0.5) AS INTEGER)) AS dep_months,
  (extract(year FROM f.purchase_date) * 12 + extract(month FROM f.purchase_date)) AS dep_start
FROM derived_asset_facts f
LEFT JOIN (SELECT currency, month, rate FROM fx_rates WHERE currency <> (SELECT upper(coalesce(max(value), 'EUR')) FROM app_settings WHERE key = 'currency')) f_fxm ON f_fxm.currency = f.currency AND f_fxm.month = CAST(date_trunc('month', f.purchase_date) AS DATE)
LEFT JOIN (SELECT r.currency, r.rate FROM fx_rates r
  JOIN (SELECT currency, max(month) AS month FROM fx_rates GROUP BY currency) lm
    ON lm.currency = r.currency AND lm.month = r.month
  WHERE r.currency <> (SELECT upper(coalesce(max(value), 'EUR')) FROM app_settings WHERE key = 'currency')
  UNION ALL SELECT (SELECT upper(coalesce(max(value), 'EUR')) FROM app_settings WHERE key = 'currency'), 1.0) f_fxl ON f_fxl.currency = f.currency
) x
) a WHERE a.purchase_date IS NOT NULL
UNION ALL
SELECT 'spend', 'software', e.purchase_date, CAST(NULL AS BIGINT), e.quantity * e.unit_cost,
  e.department, e.cost_center, e.entitlement_id
FROM (
SELECT e."entitlement_id",
  e."title_id",
  e."quantity",
  e."unit_cost" * CASE WHEN e.currency IS NULL THEN 1.0 ELSE coalesce(e_fxm.rate, e_fxl.rate) END AS "unit_cost",
  e."contract_id",
  e."department",
  e."cost_center",
  e."purchase_date",
  e."term_end",
  e."currency",
  e."unit_cost" AS "original_unit_cost",
  CASE WHEN e.currency IS NULL THEN 1.0 ELSE coalesce(e_fxm.rate, e_fxl.rate) END AS fx_rate,
  s.publisher AS vendor, s.title AS product, s.title
FROM entitlements e LEFT JOIN software s ON s.title_id = e.title_id
LEFT JOIN (SELECT currency, month, rate FROM fx_rates WHERE currency <> (SELECT upper(coalesce(max(value), 'EUR')) FROM app_settings WHERE key = 'currency')) e_fxm ON e_fxm.currency = e.currency AND e_fxm.month = CAST(date_trunc('month', e.purchase_date) AS DATE)
LEFT JOIN (SELECT r.currency, r.rate FROM fx_rates r
  JOIN (SELECT currency, max(month) AS month FROM fx_rates GROUP BY currency) lm
    ON lm.currency = r.currency AND lm.month = r.month
  WHERE r.currency <> (SELECT upper(coalesce(max(value), 'EUR')) FROM app_settings WHERE key = 'currency')
  UNION ALL SELECT (SELECT upper(coalesce(max(value), 'EUR')) FROM app_settings WHERE key = 'currency'), 1.0) e_fxl ON e_fxl.currency = e.currency
) e WHERE e.purchase_date IS NOT NULL
UNION ALL
SELECT 'spend', 'cloud', c.month, CAST(NULL AS BIGINT), c.cost,
  c.department, c.cost_center, c.provider
FROM (
SELECT c."month",
  c."provider",
  c."service",
  c."kind",
  c."department",
  c."cost_center",
  c."cost" * CASE WHEN c.currency IS NULL THEN 1.0 ELSE coalesce(c_fxm.rate, c_fxl.rate) END AS "cost",
  c."currency",
  c."cost" AS "original_cost",
  CASE WHEN c.currency IS NULL THEN 1.0 ELSE coalesce(c_fxm.rate, c_fxl.rate) END AS fx_rate, c.provider AS vendor
FROM cloud_spend c
LEFT JOIN (SELECT currency, month, rate FROM fx_rates WHERE currency <> (SELECT upper(coalesce(max(value), 'EUR')) FROM app_settings WHERE key = 'currency')) c_fxm ON c_fxm.currency = c.currency AND c_fxm.month = c.month
LEFT JOIN (SELECT r.currency, r.rate FROM fx_rates r
  JOIN (SELECT currency, max(month) AS month FROM fx_rates GROUP BY currency) lm
    ON lm.currency = r.currency AND lm.month = r.month
  WHERE r.currency <> (SELECT upper(coalesce(max(value), 'EUR')) FROM app_settings WHERE key = 'currency')
  UNION ALL SELECT (SELECT upper(coalesce(max(value), 'EUR')) FROM app_settings WHERE key = 'currency'), 1.0) c_fxl ON c_fxl.currency = c.currency
) c
UNION ALL
SELECT 'budget', b.spend_type, CAST(NULL AS DATE), b.year, b.amount,
  b.department, b.cost_center, CAST(NULL AS VARCHAR)
FROM (
SELECT b."year",
  b."spend_type",
  b."department",
  b."cost_center",
  b."amount" * CASE WHEN b.currency IS NULL THEN 1.0 ELSE coalesce(b_fxm.rate, b_fxl.rate) END AS "amount",
  b."currency",
  b."amount" AS "original_amount",
  CASE WHEN b.currency IS NULL THEN 1.0 ELSE coalesce(b_fxm.rate, b_fxl.rate) END AS fx_rate
FROM budget b
LEFT JOIN (SELECT currency, month, rate FROM fx_rates WHERE currency <> (SELECT upper(coalesce(max(value), 'EUR')) FROM app_settings WHERE key = 'currency')) b_fxm ON b_fxm.currency = b.currency AND b_fxm.month = make_date(CAST(b.year AS INTEGER), CAST(CAST($fy_start_month AS BIGINT) AS INTEGER), 1)
LEFT JOIN (SELECT r.currency, r.rate FROM fx_rates r
  JOIN (SELECT currency, max(month) AS month FROM fx_rates GROUP BY currency) lm
    ON lm.currency = r.currency AND lm.month = r.month
  WHERE r.currency <> (SELECT upper(coalesce(max(value), 'EUR')) FROM app_settings WHERE key = 'currency')
  UNION ALL SELECT (SELECT upper(coalesce(max(value), 'EUR')) FROM app_settings WHERE key = 'currency'), 1.0) b_fxl ON b_fxl.currency = b.currency
) b
UNION ALL
SELECT 'refresh', 'hardware', a.refresh_date, CAST(NULL AS BIGINT), a.purchase_cost,
  a.department, a.cost_center, a.asset_tag
FROM (
SELECT x.*,
  x.purchase_cost * least(x.dep_months, greatest(0, CAST($dep_months_done AS BIGINT) - x.dep_start + 1)) / x.dep_months AS accumulated_depreciation,
  x.purchase_cost - x.purchase_cost * least(x.dep_months, greatest(0, CAST($dep_months_done AS BIGINT) - x.dep_start + 1)) / x.dep_months AS book_value,
  x.purchase_cost * (least(x.dep_months, greatest(0, CAST($dep_months_done_p12 AS BIGINT) - x.dep_start + 1)) - least(x.dep_months, greatest(0, CAST($dep_months_done AS BIGINT) - x.dep_start + 1)))
    / x.dep_months AS depreciation_next_12m,
  least(x.dep_months, greatest(0, CAST($dep_months_done AS BIGINT) - x.dep_start + 1)) >= x.dep_months AS fully_depreciated
FROM (
SELECT f."asset_tag",
  f."category",
  f."status",
  f."serial",
  f."hostname",
  f."manufacturer",
  f."model",
  f."ownership",
  f."assigned_to",
  f."supplier",
  f."po_number",
  f."purchase_date",
  f."purchase_cost" * CASE WHEN f.currency IS NULL THEN 1.0 ELSE coalesce(f_fxm.rate, f_fxl.rate) END AS "purchase_cost",
  f."warranty_end",
  f."expected_life_years",
  f."requested_date",
  f."deployed_date",
  f."retired_date",
  f."disposal_method",
  f."disposal_certificate",
  f."lost_stolen_date",
  f."os",
  f."os_version",
  f."last_patched",
  f."meets_standard",
  f."is_capital",
  f."last_audit_date",
  f."notes",
  f."currency",
  f."depreciation_months",
  f."end_of_support",
  f."asset_no",
  f."is_active",
  f."is_end_user",
  f."own_department",
  f."vendor",
  f."product",
  f."department",
  f."cost_center",
  f."location",
  f."person_name",
  f."person_active",
  f."refresh_date",
  f."purchase_cost" AS "original_purchase_cost",
  CASE WHEN f.currency IS NULL THEN 1.0 ELSE coalesce(f_fxm.rate, f_fxl.rate) END AS fx_rate,
  CASE WHEN f.purchase_date IS NULL THEN NULL
       WHEN (CAST($a AS DATE) - f.purchase_date) / 365.25 < 1 THEN '<1' WHEN (CAST($a AS DATE) - f.purchase_date) / 365.25 < 2 THEN '1-2' WHEN (CAST($a AS DATE) - f.purchase_date) / 365.25 < 3 THEN '2-3'
       WHEN (CAST($a AS DATE) - f.purchase_date) / 365.25 < 4 THEN '3-4' WHEN (CAST($a AS DATE) - f.purchase_date) / 365.25 < 5 THEN '4-5' ELSE '5+' END AS age_bucket,
  coalesce(f.depreciation_months, CAST(floor(coalesce(f.expected_life_years, CASE f.category WHEN 'laptop' THEN 4 WHEN 'desktop' THEN 5 WHEN 'tablet' THEN 3 WHEN 'phone' THEN 3 WHEN 'monitor' THEN 6 WHEN 'server' THEN 5 WHEN 'network' THEN 7 WHEN 'storage' THEN 5 WHEN 'printer' THEN 6 WHEN 'iot' THEN 5 WHEN 'other' THEN 5 END) * 12 + 0.5) AS INTEGER)) AS dep_months,
  (extract(year FROM f.purchase_date) * 12 + extract(month FROM f.purchase_date)) AS dep_start
FROM derived_asset_facts f
LEFT JOIN (SELECT currency, month, rate FROM fx_rates WHERE currency <> (SELECT upper(coalesce(max(value), 'EUR')) FROM app_settings WHERE key = 'currency')) f_fxm ON f_fxm.currency = f.currency AND f_fxm.month = CAST(date_trunc('month', f.purchase_date) AS DATE)
LEFT JOIN (SELECT r.currency, r.rate FROM fx_rates r
  JOIN (SELECT currency, max(month) AS month FROM fx_rates GROUP BY currency) lm
    ON lm.currency = r.currency AND lm.month = r.month
  WHERE r.currency <> (SELECT upper(coalesce(max(value), 'EUR')) FROM app_settings WHERE key = 'currency')
  UNION ALL SELECT (SELECT upper(coalesce(max(value), 'EUR')) FROM app_settings WHERE key = 'currency'), 1.0) f_fxl ON f_fxl.currency = f.currency
) x
) a
WHERE a.is_active AND a.ownership = 'owned' AND a.purchase_date IS NOT NULL
UNION ALL
SELECT 'renewal', 'software', c.end_date, CAST(NULL AS BIGINT), c.annual_value,
  c.department, c.cost_center, c.contract_id
FROM (
SELECT c."contract_id",
  c."vendor",
  c."kind",
  c."start_date",
  c."end_date",
  c."annual_value" * CASE WHEN c.currency IS NULL THEN 1.0 ELSE coalesce(c_fxm.rate, c_fxl.rate) END AS "annual_value",
  c."first_quote" * CASE WHEN c.currency IS NULL THEN 1.0 ELSE coalesce(c_fxm.rate, c_fxl.rate) END AS "first_quote",
  c."final_price" * CASE WHEN c.currency IS NULL THEN 1.0 ELSE coalesce(c_fxm.rate, c_fxl.rate) END AS "final_price",
  c."department",
  c."cost_center",
  c."owner",
  c."auto_renew",
  c."notice_days",
  c."currency",
  c."annual_value" AS "original_annual_value",
  c."first_quote" AS "original_first_quote",
  c."final_price" AS "original_final_price",
  CASE WHEN c.currency IS NULL THEN 1.0 ELSE coalesce(c_fxm.rate, c_fxl.rate) END AS fx_rate
FROM contracts c
LEFT JOIN (SELECT currency, month, rate FROM fx_rates WHERE currency <> (SELECT upper(coalesce(max(value), 'EUR')) FROM app_settings WHERE key = 'currency')) c_fxm ON c_fxm.currency = c.currency AND c_fxm.month = CAST(date_trunc('month', c.start_date) AS DATE)
LEFT JOIN (SELECT r.currency, r.rate FROM fx_rates r
  JOIN (SELECT currency, max(month) AS month FROM fx_rates GROUP BY currency) lm
    ON lm.currency = r.currency AND lm.month = r.month
  WHERE r.currency <> (SELECT upper(coalesce(max(value), 'EUR')) FROM app_settings WHERE key = 'currency')
  UNION ALL SELECT (SELECT upper(coalesce(max(value), 'EUR')) FROM app_settings WHERE key = 'currency'), 1.0) c_fxl ON c_fxl.currency = c.currency
) c WHERE c.kind IN ('software', 'saas')
) s;
