-- top10_contract_spend: top_contracts
SELECT
  coalesce(sum(annual_value) FILTER (WHERE value_rank <= 10), 0) AS "top10_contract_spend"
FROM (
SELECT c.*, row_number() OVER (ORDER BY c.annual_value DESC, c.contract_id) AS value_rank
FROM contracts c
WHERE c.kind IN ('software', 'saas') AND c.start_date <= CAST($a AS DATE) AND c.end_date >= CAST($a AS DATE)
) s;
