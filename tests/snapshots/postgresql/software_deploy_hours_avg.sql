-- software_deploy_hours_avg: tickets
SELECT
  avg(EXTRACT(EPOCH FROM (resolved - opened)) / 3600) FILTER (WHERE kind = 'request' AND title_id IS NOT NULL AND resolved_date > :a_m365 AND resolved_date <= :a) AS "software_deploy_hours_avg"
FROM (SELECT * FROM derived_ticket_facts) s;
