-- vendor_audit_hours_12m: vendor_audits
SELECT
  coalesce(sum(hours_spent) FILTER (WHERE start_date > :a_m365 AND start_date <= :a), 0) AS "vendor_audit_hours_12m"
FROM (SELECT * FROM vendor_audits) s;
