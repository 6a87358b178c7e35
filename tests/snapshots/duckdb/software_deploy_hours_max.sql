-- software_deploy_hours_max: tickets
SELECT
  max(EXTRACT(EPOCH FROM (resolved - opened)) / 3600) FILTER (WHERE kind = 'request' AND title_id IS NOT NULL AND resolved_date > CAST($a_m365 AS DATE) AND resolved_date <= CAST($a AS DATE)) AS "software_deploy_hours_max"
FROM (SELECT * FROM derived_ticket_facts) s;
