-- security_incidents_undiscovered_12m: security_incidents
SELECT
  count(*) FILTER (WHERE involved_undiscovered_asset AND incident_date > :a_m365 AND incident_date <= :a) AS "security_incidents_undiscovered_12m"
FROM (SELECT * FROM security_incidents) s;
