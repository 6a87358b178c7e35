-- renewals_90d: contracts
SELECT
  count(*) FILTER (WHERE end_date > :a AND end_date <= :a_p90) AS "renewals_90d"
FROM (SELECT c.* FROM contracts c) s;
