-- vendor_audit_hours_12m: vendor_audits
SELECT
  coalesce(sum(hours_spent) FILTER (WHERE start_date > CAST($a_m365 AS DATE) AND start_date <= CAST($a AS DATE)), 0) AS "vendor_audit_hours_12m"
FROM (SELECT * FROM vendor_audits) s;
