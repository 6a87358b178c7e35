-- requests_beyond_target_90d: tickets
SELECT
  count(*) FILTER (WHERE kind = 'request' AND opened_date > CAST($a_m90 AS DATE) AND opened_date <= CAST($a AS DATE) AND target_hours IS NOT NULL AND EXTRACT(EPOCH FROM (CASE WHEN resolved IS NOT NULL AND resolved_date <= CAST($a AS DATE) THEN resolved ELSE CAST($a_end AS TIMESTAMP) END - opened)) / 3600 > target_hours) AS "requests_beyond_target_90d"
FROM (SELECT * FROM derived_ticket_facts) s;
