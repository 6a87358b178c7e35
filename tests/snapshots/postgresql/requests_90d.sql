-- requests_90d: tickets
SELECT
  count(*) FILTER (WHERE kind = 'request' AND opened_date > :a_m90 AND opened_date <= :a) AS "requests_90d"
FROM (SELECT * FROM derived_ticket_facts) s;
