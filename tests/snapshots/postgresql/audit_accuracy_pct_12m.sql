-- audit_accuracy_pct_12m: audits
SELECT
  count(*) FILTER (WHERE audit_date > :a_m365 AND audit_date <= :a) AS "audits_12m",
  count(*) FILTER (WHERE audit_date > :a_m365 AND audit_date <= :a AND record_accurate) AS "audits_accurate_12m"
FROM (SELECT * FROM derived_audit_facts) s;
