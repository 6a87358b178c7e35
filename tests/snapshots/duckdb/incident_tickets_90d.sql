-- incident_tickets_90d: tickets
SELECT
  count(*) FILTER (WHERE kind = 'incident' AND opened_date > CAST($a_m90 AS DATE) AND opened_date <= CAST($a AS DATE) AND (links_asset OR links_title)) AS "incident_tickets_90d"
FROM (SELECT * FROM derived_ticket_facts) s;
