-- renewals_90d: contracts
SELECT
  count(*) FILTER (WHERE end_date > CAST($a AS DATE) AND end_date <= CAST($a_p90 AS DATE)) AS "renewals_90d"
FROM (SELECT c.* FROM contracts c) s;
