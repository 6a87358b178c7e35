-- negotiation_savings_12m: contracts
SELECT
  coalesce(sum(first_quote - final_price) FILTER (WHERE first_quote IS NOT NULL AND final_price IS NOT NULL AND start_date > :a_m365 AND start_date <= :a), 0) AS "negotiation_savings_12m"
FROM (SELECT c.* FROM contracts c) s;
