-- titles_managed: software
SELECT
  count(*) FILTER (WHERE managed_by_itam) AS "titles_managed"
FROM (SELECT s.*, s.publisher AS vendor, s.title AS product FROM software s) s;
