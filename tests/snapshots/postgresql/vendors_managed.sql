-- vendors_managed: software
SELECT
  count(DISTINCT publisher) FILTER (WHERE managed_by_itam) AS "vendors_managed"
FROM (SELECT s.*, s.publisher AS vendor, s.title AS product FROM software s) s;
