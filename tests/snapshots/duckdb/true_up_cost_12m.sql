-- true_up_cost_12m: vendor_audits
SELECT
  coalesce(sum(true_up_cost) FILTER (WHERE coalesce(end_date, start_date) > CAST($a_m365 AS DATE) AND coalesce(end_date, start_date) <= CAST($a AS DATE)), 0) AS "true_up_cost_12m"
FROM (SELECT * FROM vendor_audits) s;
