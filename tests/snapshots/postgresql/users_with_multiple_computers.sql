-- users_with_multiple_computers: multi_computer_people
SELECT
  count(*) AS "users_with_multiple_computers"
FROM (
SELECT c.assigned_to AS person_id, p.name, c.computers,
  p.department, p.cost_center, p.location
FROM (SELECT assigned_to, count(*) AS computers FROM assets
      WHERE status = 'deployed' AND category IN ('laptop', 'desktop', 'tablet')
        AND assigned_to IS NOT NULL
      GROUP BY assigned_to HAVING count(*) >= 2) c
LEFT JOIN people p ON p.person_id = c.assigned_to
) s;
