-- renewals_90d_value: contracts
SELECT
  coalesce(sum(annual_value) FILTER (WHERE end_date > CAST($a AS DATE) AND end_date <= CAST($a_p90 AS DATE)), 0) AS "renewals_90d_value"
FROM (SELECT c.* FROM contracts c) s;
