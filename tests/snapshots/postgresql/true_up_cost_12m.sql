-- true_up_cost_12m: vendor_audits
SELECT
  coalesce(sum(true_up_cost) FILTER (WHERE coalesce(end_date, start_date) > :a_m365 AND coalesce(end_date, start_date) <= :a), 0) AS "true_up_cost_12m"
FROM (SELECT * FROM vendor_audits) s;
