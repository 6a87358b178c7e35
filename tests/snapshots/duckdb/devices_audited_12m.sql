-- devices_audited_12m: audits
SELECT
  count(DISTINCT asset_tag) FILTER (WHERE audit_date > CAST($a_m365 AS DATE) AND audit_date <= CAST($a AS DATE)) AS "devices_audited_12m"
FROM (SELECT * FROM derived_audit_facts) s;
