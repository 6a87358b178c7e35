-- elp_current_pct: software
SELECT
  count(*) FILTER (WHERE managed_by_itam AND elp_updated > CAST($a_m90 AS DATE) AND elp_updated <= CAST($a AS DATE)) AS "titles_elp_current",
  count(*) FILTER (WHERE managed_by_itam) AS "titles_managed"
FROM (SELECT s.*, s.publisher AS vendor, s.title AS product FROM software s) s;
