-- requests_beyond_target_pct_90d: tickets
SELECT
  count(*) FILTER (WHERE kind = 'request' AND opened_date > :a_m90 AND opened_date <= :a AND target_hours IS NOT NULL AND EXTRACT(EPOCH FROM (CASE WHEN resolved IS NOT NULL AND resolved_date <= :a THEN resolved ELSE :a_end END - opened)) / 3600 > target_hours) AS "requests_beyond_target_90d",
  count(*) FILTER (WHERE kind = 'request' AND opened_date > :a_m90 AND opened_date <= :a AND target_hours IS NOT NULL) AS "requests_with_target_90d"
FROM (SELECT * FROM derived_ticket_facts) s;
