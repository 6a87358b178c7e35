-- license_surplus_units: titles
SELECT
  coalesce(sum(greatest(0, entitled - demand)) FILTER (WHERE entitled > demand), 0) AS "license_surplus_units"
FROM (
SELECT s.title_id, s.title, s.publisher, s.publisher AS vendor, s.title AS product,
  s.license_metric, s.is_standard, s.managed_by_itam, s.elp_updated,
  coalesce(dm.demand, 0) AS demand,
  coalesce(en.entitled, 0) AS entitled,
  coalesce(u.unit_price, 0) AS unit_price
FROM software s
LEFT JOIN (SELECT title_id, count(*) AS demand FROM derived_install_keys
           WHERE any_undated OR first_discovered <= :a
           GROUP BY title_id) dm ON dm.title_id = s.title_id
LEFT JOIN (SELECT title_id, sum(quantity) AS entitled FROM entitlements
           WHERE (purchase_date IS NULL OR purchase_date <= :a)
             AND (term_end IS NULL OR term_end >= :a)
           GROUP BY title_id) en ON en.title_id = s.title_id
LEFT JOIN derived_unit_price u ON u.title_id = s.title_id
) s;
