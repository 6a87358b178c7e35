-- entitled_licenses: entitlements
SELECT
  coalesce(sum(quantity) FILTER (WHERE title IS NOT NULL AND (purchase_date IS NULL OR purchase_date <= CAST($a AS DATE)) AND (term_end IS NULL OR term_end >= CAST($a AS DATE))), 0) AS "entitled_licenses"
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
) s;
