-- itam_records: assets
SELECT
  count(*) AS "itam_records"
FROM (
SELECT a."asset_tag", a."category", a."status", a."serial", a."hostname", a."manufacturer", a."model", a."ownership", a."assigned_to", a."supplier", a."po_number", a."purchase_date", a."purchase_cost", a."warranty_end", a."expected_life_years", a."requested_date", a."deployed_date", a."retired_date", a."disposal_method", a."disposal_certificate", a."lost_stolen_date", a."os", a."os_version", a."last_patched", a."meets_standard", a."is_capital", a."last_audit_date", a."notes",
  a.department AS own_department,
  a.manufacturer AS vendor,
  a.model AS product,
  coalesce(a.department, p.department) AS department,
  coalesce(a.cost_center, p.cost_center) AS cost_center,
  coalesce(a.location, p.location) AS location,
  p.name AS person_name,
  p.active AS person_active,
  CASE WHEN a.purchase_date IS NULL THEN NULL
       ELSE CAST(a.purchase_date + CAST(floor(coalesce(a.expected_life_years, CASE a.category WHEN 'laptop' THEN 4 WHEN 'desktop' THEN 5 WHEN 'tablet' THEN 3 WHEN 'phone' THEN 3 WHEN 'monitor' THEN 6 WHEN 'server' THEN 5 WHEN 'network' THEN 7 WHEN 'storage' THEN 5 WHEN 'printer' THEN 6 WHEN 'iot' THEN 5 WHEN 'other' THEN 5 END) * 12 + 0.5) AS INTEGER) * INTERVAL '1 month' AS DATE)
  END AS refresh_date,
  CASE WHEN a.purchase_date IS NULL THEN NULL
       WHEN (:a - a.purchase_date) / 365.25 < 1 THEN '<1'
       WHEN (:a - a.purchase_date) / 365.25 < 2 THEN '1-2'
       WHEN (:a - a.purchase_date) / 365.25 < 3 THEN '2-3'
       WHEN (:a - a.purchase_date) / 365.25 < 4 THEN '3-4'
       WHEN (:a - a.purchase_date) / 365.25 < 5 THEN '4-5'
       ELSE '5+' END AS age_bucket
FROM assets a
LEFT JOIN people p ON p.person_id = a.assigned_to
) s;
