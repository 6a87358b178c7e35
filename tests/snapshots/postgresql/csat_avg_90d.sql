-- csat_avg_90d: tickets
SELECT
  avg(csat) FILTER (WHERE resolved_date > :a_m90 AND resolved_date <= :a AND csat IS NOT NULL) AS "csat_avg_90d"
FROM (SELECT * FROM derived_ticket_facts) s;
