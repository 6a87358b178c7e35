-- roadmap_in_progress: roadmap
SELECT
  count(*) FILTER (WHERE status = 'in_progress') AS "roadmap_in_progress"
FROM (SELECT * FROM roadmap) s;
