-- audit_accuracy_pct_12m: audits
SELECT
  count(*) FILTER (WHERE audit_date > CAST($a_m365 AS DATE) AND audit_date <= CAST($a AS DATE)) AS "audits_12m",
  count(*) FILTER (WHERE audit_date > CAST($a_m365 AS DATE) AND audit_date <= CAST($a AS DATE) AND record_accurate) AS "audits_accurate_12m"
FROM (SELECT * FROM derived_audit_facts) s;
