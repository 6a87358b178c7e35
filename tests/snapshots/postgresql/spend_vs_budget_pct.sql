-- spend_vs_budget_pct: assets
SELECT
  coalesce(sum(purchase_cost) FILTER (WHERE purchase_date >= :year_start AND purchase_date <= :a), 0) AS "hardware_spend_ytd"
FROM (
SELECT x.*,
  x.purchase_cost * least(x.dep_months, greatest(0, :dep_months_done - x.dep_start + 1)) / x.dep_months AS accumulated_depreciation,
  x.purchase_cost - x.purchase_cost * least(x.dep_months, greatest(0, :dep_months_done - x.dep_start + 1)) / x.dep_months AS book_value,
  x.purchase_cost * (least(x.dep_months, greatest(0, :dep_months_done_p12 - x.dep_start + 1)) - least(x.dep_months, greatest(0, :dep_months_done - x.dep_start + 1)))
    / x.dep_months AS depreciation_next_12m,
  least(x.dep_months, greatest(0, :dep_months_done - x.dep_start + 1)) >= x.dep_months AS fully_depreciated
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
       WHEN (:a - f.purchase_date) / 365.25 < 1 THEN '<1' WHEN (:a - f.purchase_date) / 365.25 < 2 THEN '1-2' WHEN (:a - f.purchase_date) / 365.25 < 3 THEN '2-3'
       WHEN (:a - f.purchase_date) / 365.25 < 4 THEN '3-4' WHEN (:a - f.purchase_date) / 365.25 < 5 THEN '4-5' ELSE '5+' END AS age_bucket,
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
) s;

-- spend_vs_budget_pct: budget
SELECT
  coalesce(sum(amount * :year_fraction) FILTER (WHERE year = :year), 0) AS "budget_to_date"
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
LEFT JOIN (SELECT currency, month, rate FROM fx_rates WHERE currency <> (SELECT upper(coalesce(max(value), 'EUR')) FROM app_settings WHERE key = 'currency')) b_fxm ON b_fxm.currency = b.currency AND b_fxm.month = make_date(CAST(b.year AS INTEGER), CAST(:fy_start_month AS INTEGER), 1)
LEFT JOIN (SELECT r.currency, r.rate FROM fx_rates r
  JOIN (SELECT currency, max(month) AS month FROM fx_rates GROUP BY currency) lm
    ON lm.currency = r.currency AND lm.month = r.month
  WHERE r.currency <> (SELECT upper(coalesce(max(value), 'EUR')) FROM app_settings WHERE key = 'currency')
  UNION ALL SELECT (SELECT upper(coalesce(max(value), 'EUR')) FROM app_settings WHERE key = 'currency'), 1.0) b_fxl ON b_fxl.currency = b.currency
) s;

-- spend_vs_budget_pct: cloud_spend
SELECT
  coalesce(sum(cost) FILTER (WHERE month >= :year_start AND month <= :a), 0) AS "cloud_spend_ytd"
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
) s;

-- spend_vs_budget_pct: entitlements
SELECT
  coalesce(sum(quantity * unit_cost) FILTER (WHERE purchase_date >= :year_start AND purchase_date <= :a), 0) AS "software_spend_ytd"
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
