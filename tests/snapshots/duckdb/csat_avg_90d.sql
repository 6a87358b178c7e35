-- csat_avg_90d: tickets
SELECT
  avg(csat) FILTER (WHERE resolved_date > CAST($a_m90 AS DATE) AND resolved_date <= CAST($a AS DATE) AND csat IS NOT NULL) AS "csat_avg_90d"
FROM (SELECT * FROM derived_ticket_facts) s;
