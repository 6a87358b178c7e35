-- cloud_spend_12m: cloud_spend
SELECT
  coalesce(sum(cost) FILTER (WHERE month >= CAST($month_a_m11 AS DATE) AND month <= CAST($month_a AS DATE)), 0) AS "cloud_spend_12m"
FROM (SELECT c.*, c.provider AS vendor FROM cloud_spend c) s;
