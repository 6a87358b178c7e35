-- devices_audited_12m: audits
SELECT
  count(DISTINCT asset_tag) FILTER (WHERE audit_date > :a_m365 AND audit_date <= :a) AS "devices_audited_12m"
FROM (SELECT * FROM derived_audit_facts) s;
