-- rma_12m: tickets
SELECT
  count(*) FILTER (WHERE kind = 'rma' AND opened_date > CAST($a_m365 AS DATE) AND opened_date <= CAST($a AS DATE)) AS "rma_12m"
FROM (SELECT * FROM derived_ticket_facts) s;
