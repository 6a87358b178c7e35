-- integrations_connected: integrations
SELECT
  count(*) FILTER (WHERE connected) AS "integrations_connected"
FROM (SELECT * FROM integrations) s;
