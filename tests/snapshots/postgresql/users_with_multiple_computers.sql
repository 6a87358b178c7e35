-- users_with_multiple_computers: multi_computer_people
SELECT
  count(*) AS "users_with_multiple_computers"
FROM (SELECT * FROM derived_multi_computer) s;
