"""The bottom layer: what both `metrics/` and `dashboard/` stand on.

`schema` is the data package as data (tables, columns, enumerations) and
`connections` is the process's DuckDB connection per file (the cursors bulk
work and metric queries take). Nothing here imports `metrics.*` above it,
`dashboard`, `pages` or streamlit; see docs/architecture.md.
"""
