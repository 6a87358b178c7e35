-- roadmap_done_pct: roadmap
SELECT
  count(*) FILTER (WHERE status = 'done') AS "roadmap_done",
  count(*) FILTER (WHERE status <> 'cancelled') AS "roadmap_not_cancelled"
FROM (SELECT * FROM roadmap) s;
