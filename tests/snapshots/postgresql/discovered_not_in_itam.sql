-- discovered_not_in_itam: unmatched_discovery
SELECT
  count(DISTINCT device) AS "discovered_not_in_itam"
FROM (
SELECT d.source, d.seen_date, d.hostname, d.serial, d."user", d.os, d.os_version,
  coalesce(lower(d.serial), lower(d.hostname)) AS device
FROM discovery d
WHERE d.seen_date > :a_m30 AND d.seen_date <= :a
  AND NOT EXISTS (SELECT 1 FROM assets x WHERE lower(x.serial) = lower(d.serial))
  AND NOT EXISTS (SELECT 1 FROM assets x WHERE lower(x.hostname) = lower(d.hostname))
) s;
