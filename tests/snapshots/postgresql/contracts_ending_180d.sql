-- contracts_ending_180d: contracts
SELECT
  count(*) FILTER (WHERE end_date > :a AND end_date <= :a_p180) AS "contracts_ending_180d"
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
) s;
