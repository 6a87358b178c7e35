-- requests_90d: tickets
SELECT
  count(*) FILTER (WHERE kind = 'request' AND opened_date > CAST($a_m90 AS DATE) AND opened_date <= CAST($a AS DATE)) AS "requests_90d"
FROM (SELECT * FROM derived_ticket_facts) s;
