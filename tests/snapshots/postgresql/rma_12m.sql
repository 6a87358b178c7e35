-- rma_12m: tickets
SELECT
  count(*) FILTER (WHERE kind = 'rma' AND opened_date > :a_m365 AND opened_date <= :a) AS "rma_12m"
FROM (SELECT * FROM derived_ticket_facts) s;
