-- incident_tickets_90d: tickets
SELECT
  count(*) FILTER (WHERE kind = 'incident' AND opened_date > :a_m90 AND opened_date <= :a AND (links_asset OR links_title)) AS "incident_tickets_90d"
FROM (SELECT * FROM derived_ticket_facts) s;
