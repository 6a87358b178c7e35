"""The technician's look-up: a person, location, asset tag, serial or hostname, and the
equipment there with warranty, contract, installed titles, open tickets, last discovery,
and the stock that could replace it.

Reads the metric engine's derived tables (`metrics.materialize`), so an asset's
department, cost center and location (its own, else its person's), its discovery
matches (serial first, then hostname) and its installs (asset tag, else hostname)
are the ones the metrics count. Bound parameters only; the scope applies in SQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import pandas as pd
from sqlalchemy import Engine, bindparam, text

from dashboard.schema import NOT_IN_USE_STATUSES
from metrics import dimensions, materialize

Scope = Mapping[str, Sequence[str]] | None

# The most devices a look-up lists; the counts above the list cover all of them.
MAX_ROWS = 1000
# The asset tags a stock line lists (the count covers them all).
STOCK_TAGS = 10

_SCOPE_DIMS = dimensions.names(scopes_users=True)
_NOT_IN_USE = ", ".join(f"'{s}'" for s in NOT_IN_USE_STATUSES)


def _scope_sql(scope: Scope, params: dict) -> tuple[str, list]:
    clauses, binds = [], []
    for i, (dim, values) in enumerate(sorted((scope or {}).items())):
        if dim not in _SCOPE_DIMS:
            raise ValueError(f"a look-up cannot be scoped by {dim}")
        name = f"scope{i}"
        clauses.append(f"trim(x.{dim}) IN :{name}")
        params[name] = list(values)
        binds.append(bindparam(name, expanding=True))
    return (" AND " + " AND ".join(clauses)) if clauses else "", binds


def _run(engine: Engine, sql: str, params: dict, binds: list) -> pd.DataFrame:
    materialize.ensure_fresh(engine)
    stmt = text(sql)
    if binds:
        stmt = stmt.bindparams(*binds)
    with engine.connect() as conn:
        result = conn.execute(stmt, params)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def _squash(column: str) -> str:
    """`column` lower-cased without '-', ' ' and '_': "LT-000123" and "lt000123" compare equal."""
    return f"replace(replace(replace(lower({column}), '-', ''), ' ', ''), '_', '')"


def search(engine: Engine, query: str, scope: Scope = None) -> pd.DataFrame:
    """What `query` names (kind, key, label, detail, assets): people and locations whose name
    contains it, assets whose tag, serial or hostname contains it (case, '-', ' ' and '_'
    ignored; exact matches first). `detail` tells apart two people of one name (department,
    location, id) and says when a person has left."""
    q = query.strip().lower()
    squashed = q.replace("-", "").replace(" ", "").replace("_", "")
    if len(q) < 2 or not squashed:
        return pd.DataFrame(columns=["kind", "key", "label", "detail", "assets"])
    params: dict = {"q": q, "like": f"%{q}%", "slike": f"%{squashed}%"}
    scope_sql, binds = _scope_sql(scope, params)
    exact = "lower(x.asset_tag) = :q OR lower(x.serial) = :q OR lower(x.hostname) = :q"
    sql = f"""
    SELECT kind, key, label, detail, assets FROM (
    SELECT 'person' AS kind, x.assigned_to AS key,
           coalesce(max(x.person_name), x.assigned_to) AS label,
           concat_ws(' · ', max(x.department), max(x.location), x.assigned_to,
                     CASE WHEN NOT bool_or(coalesce(x.person_active, true)) THEN 'has left' END) AS detail,
           count(*) AS assets, 1 AS rank
    FROM derived_asset_facts x WHERE x.assigned_to IS NOT NULL
      AND (lower(x.assigned_to) LIKE :like OR lower(x.person_name) LIKE :like){scope_sql}
    GROUP BY x.assigned_to
    UNION ALL
    SELECT 'location', x.location, x.location, NULL, count(*), 1
    FROM derived_asset_facts x WHERE lower(x.location) LIKE :like{scope_sql} GROUP BY x.location
    UNION ALL
    SELECT 'asset', x.asset_tag, x.asset_tag || ' · ' || coalesce(x.model, x.category),
           concat_ws(' · ', x.serial, x.hostname, x.person_name
                     || CASE WHEN x.person_active = false THEN ' (has left)' ELSE '' END),
           1, CASE WHEN {exact} THEN 0 ELSE 1 END
    FROM derived_asset_facts x
    WHERE ({_squash("x.asset_tag")} LIKE :slike OR {_squash("x.serial")} LIKE :slike
           OR {_squash("x.hostname")} LIKE :slike){scope_sql}
    ) found
    ORDER BY kind, rank, label LIMIT 50
    """
    return _run(engine, sql, params, binds)


_WHERE = {
    "person": "x.assigned_to = :key",
    "location": "x.location = :key",
    "asset": "x.asset_tag = :key",
}


def _selection(kind: str, scope_sql: str) -> str:
    return (
        f"SELECT * FROM derived_asset_facts x WHERE {_WHERE[kind]}"
        f" AND x.status NOT IN ({_NOT_IN_USE}){scope_sql}"
    )


# Installs (undated or found by the as-of date) and open tickets of the assets in `sel`.
_INSTALLS = """
  SELECT i.matched_asset AS asset_tag, i.title_id, i.title
  FROM derived_install_facts i JOIN sel s ON s.asset_tag = i.matched_asset
  WHERE i.title IS NOT NULL AND (i.discovered_date IS NULL OR i.discovered_date <= :a)"""
_OPEN_TICKETS = """
  SELECT t.asset_tag, t.ticket_id
  FROM tickets t JOIN sel s ON s.asset_tag = t.asset_tag
  WHERE CAST(t.opened AS DATE) <= :a AND (t.resolved IS NULL OR CAST(t.resolved AS DATE) > :a)"""


def equipment(
    engine: Engine, kind: str, key: str, as_of: dt.date, scope: Scope = None
) -> tuple[pd.DataFrame, dict[str, int]]:
    """The devices in use there (at most MAX_ROWS, by category and tag) and totals over all
    of them: devices, out_of_warranty, open_tickets, installed_titles."""
    params: dict = {"key": key, "a": as_of}
    scope_sql, binds = _scope_sql(scope, params)
    totals_sql = f"""
    WITH sel AS ({_selection(kind, scope_sql)})
    SELECT
      (SELECT count(*) FROM sel) AS devices,
      (SELECT count(*) FROM sel WHERE warranty_end < :a) AS out_of_warranty,
      (SELECT count(*) FROM ({_OPEN_TICKETS}) t) AS open_tickets,
      (SELECT count(*) FROM (SELECT DISTINCT asset_tag, title_id FROM ({_INSTALLS}) i) d)
        AS installed_titles
    """
    got = _run(engine, totals_sql, params, binds)
    totals = {name: int(got[name].iloc[0] or 0) for name in got.columns}
    # The details only for the devices listed: a site can have a hundred thousand.
    sql = f"""
    WITH sel AS (
      SELECT * FROM ({_selection(kind, scope_sql)}) x ORDER BY category, asset_tag LIMIT {MAX_ROWS}),
    seen AS (
      SELECT m.asset_tag, max(m.seen_date) AS last_seen
      FROM derived_discovery_matches m JOIN sel s ON s.asset_tag = m.asset_tag
      WHERE m.seen_date <= :a GROUP BY m.asset_tag),
    inst AS (
      SELECT asset_tag, string_agg(DISTINCT title, ', ') AS titles, count(DISTINCT title_id) AS n
      FROM ({_INSTALLS}) i GROUP BY asset_tag),
    tix AS (
      SELECT asset_tag, count(*) AS open_tickets, string_agg(ticket_id, ', ') AS ids
      FROM ({_OPEN_TICKETS}) t GROUP BY asset_tag),
    con AS (
      SELECT s.asset_tag, string_agg(c.contract_id || ' (' || c.kind || ', to '
                                     || CAST(c.end_date AS VARCHAR) || ')', ', ') AS contracts
      FROM sel s JOIN contracts c ON c.kind IN ('hardware_maintenance', 'lease', 'support')
        AND c.start_date <= :a AND c.end_date >= :a
        AND (lower(c.vendor) = lower(s.manufacturer) OR lower(c.vendor) = lower(s.supplier))
      GROUP BY s.asset_tag)
    SELECT sel.asset_tag, sel.category, sel.manufacturer, sel.model, sel.status, sel.serial,
           sel.hostname,
           sel.person_name || CASE WHEN sel.person_active = false THEN ' (has left)' ELSE '' END
             AS assigned_to,
           sel.location, sel.warranty_end,
           CASE WHEN sel.warranty_end IS NULL THEN 'unknown'
                WHEN sel.warranty_end >= :a THEN 'in warranty'
                ELSE 'out of warranty' END AS warranty,
           con.contracts, coalesce(inst.n, 0) AS installed_titles, inst.titles,
           coalesce(tix.open_tickets, 0) AS open_tickets, tix.ids AS ticket_ids, seen.last_seen
    FROM sel LEFT JOIN seen USING (asset_tag) LEFT JOIN inst USING (asset_tag)
      LEFT JOIN tix USING (asset_tag) LEFT JOIN con USING (asset_tag)
    ORDER BY sel.category, sel.asset_tag
    """
    return _run(engine, sql, params, binds), totals


def stock(engine: Engine, categories: Sequence[str], scope: Scope = None) -> pd.DataFrame:
    """In-stock assets of these categories by model and location, with their first tags."""
    if not categories:
        return pd.DataFrame(
            columns=[
                "category",
                "manufacturer",
                "model",
                "location",
                "in_stock",
                "first_asset_tags",
            ]
        )
    params: dict = {"cats": sorted(set(categories))}
    scope_sql, binds = _scope_sql(scope, params)
    sql = f"""
    WITH s AS (
      SELECT x.*, row_number() OVER (PARTITION BY x.category, x.manufacturer, x.model, x.location
                                     ORDER BY x.asset_tag) AS rn
      FROM derived_asset_facts x WHERE x.status = 'in_stock' AND x.category IN :cats{scope_sql})
    SELECT category, manufacturer, model, location, count(*) AS in_stock,
           string_agg(CASE WHEN rn <= {STOCK_TAGS} THEN asset_tag END, ', ' ORDER BY asset_tag)
             AS first_asset_tags
    FROM s GROUP BY category, manufacturer, model, location
    ORDER BY category, in_stock DESC, manufacturer, model, location
    """
    return _run(engine, sql, params, [bindparam("cats", expanding=True), *binds])
