-- cloud_run_rate: cloud_spend
SELECT
  4 * coalesce(sum(cost) FILTER (WHERE month >= :month_a_m3 AND month <= :month_a_m1), 0) AS "cloud_run_rate"
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
