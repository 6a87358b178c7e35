-- cloud_run_rate: cloud_spend
SELECT
  4 * coalesce(sum(cost) FILTER (WHERE month >= :month_a_m3 AND month <= :month_a_m1), 0) AS "cloud_run_rate"
FROM (SELECT c.*, c.provider AS vendor FROM cloud_spend c) s;
