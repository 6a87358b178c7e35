-- licenses_issued_from_pool_30d: license_events
SELECT
  coalesce(sum(quantity) FILTER (WHERE kind = 'issued_from_pool' AND event_date > CAST($a_m30 AS DATE) AND event_date <= CAST($a AS DATE)), 0) AS "licenses_issued_from_pool_30d"
FROM (
SELECT le."event_id",
  le."event_date",
  le."title_id",
  le."kind",
  le."quantity",
  le."unit_value" * CASE WHEN le.currency IS NULL THEN 1.0 ELSE coalesce(le_fxm.rate, le_fxl.rate) END AS "unit_value",
  le."currency",
  le."unit_value" AS "original_unit_value",
  CASE WHEN le.currency IS NULL THEN 1.0 ELSE coalesce(le_fxm.rate, le_fxl.rate) END AS fx_rate,
  s.publisher AS vendor, s.title AS product, s.title
FROM license_events le LEFT JOIN software s ON s.title_id = le.title_id
LEFT JOIN (SELECT currency, month, rate FROM fx_rates WHERE currency <> (SELECT upper(coalesce(max(value), 'EUR')) FROM app_settings WHERE key = 'currency')) le_fxm ON le_fxm.currency = le.currency AND le_fxm.month = CAST(date_trunc('month', le.event_date) AS DATE)
LEFT JOIN (SELECT r.currency, r.rate FROM fx_rates r
  JOIN (SELECT currency, max(month) AS month FROM fx_rates GROUP BY currency) lm
    ON lm.currency = r.currency AND lm.month = r.month
  WHERE r.currency <> (SELECT upper(coalesce(max(value), 'EUR')) FROM app_settings WHERE key = 'currency')
  UNION ALL SELECT (SELECT upper(coalesce(max(value), 'EUR')) FROM app_settings WHERE key = 'currency'), 1.0) le_fxl ON le_fxl.currency = le.currency
) s;
