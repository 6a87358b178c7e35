-- elp_current_pct: software
SELECT
  count(*) FILTER (WHERE managed_by_itam AND elp_updated > :a_m90 AND elp_updated <= :a) AS "titles_elp_current",
  count(*) FILTER (WHERE managed_by_itam) AS "titles_managed"
FROM (SELECT s.*, s.publisher AS vendor, s.title AS product FROM software s) s;
