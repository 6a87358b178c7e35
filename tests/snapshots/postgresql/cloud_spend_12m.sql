-- cloud_spend_12m: cloud_spend
SELECT
  coalesce(sum(cost) FILTER (WHERE month >= :month_a_m11 AND month <= :month_a), 0) AS "cloud_spend_12m"
FROM (SELECT c.*, c.provider AS vendor FROM cloud_spend c) s;
