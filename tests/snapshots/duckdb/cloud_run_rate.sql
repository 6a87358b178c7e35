-- cloud_run_rate: cloud_spend
SELECT
  4 * coalesce(sum(cost) FILTER (WHERE month >= CAST($month_a_m3 AS DATE) AND month <= CAST($month_a_m1 AS DATE)), 0) AS "cloud_run_rate"
FROM (SELECT c.*, c.provider AS vendor FROM cloud_spend c) s;
