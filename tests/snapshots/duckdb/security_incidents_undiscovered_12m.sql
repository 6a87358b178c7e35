-- security_incidents_undiscovered_12m: security_incidents
SELECT
  count(*) FILTER (WHERE involved_undiscovered_asset AND incident_date > CAST($a_m365 AS DATE) AND incident_date <= CAST($a AS DATE)) AS "security_incidents_undiscovered_12m"
FROM (SELECT * FROM security_incidents) s;
