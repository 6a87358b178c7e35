-- renewals_90d_value: contracts
SELECT
  coalesce(sum(annual_value) FILTER (WHERE end_date > :a AND end_date <= :a_p90), 0) AS "renewals_90d_value"
FROM (SELECT c.* FROM contracts c) s;
