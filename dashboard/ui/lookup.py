"""The technician's look-up: a person, location, asset tag, serial or hostname, and the
equipment there with warranty, contract, installed titles, open tickets, last discovery,
and the stock that could replace it. Bound parameters only; scope applied in SQL."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st
from sqlalchemy import bindparam, text

from dashboard.ui import data

# An asset's department, cost center and location: its own, else its person's (data-package.md).
_ASSETS = """
SELECT a.*, coalesce(a.department, p.department) AS dept,
       coalesce(a.cost_center, p.cost_center) AS cc,
       coalesce(a.location, p.location) AS loc, p.name AS person_name
FROM assets a LEFT JOIN people p ON p.person_id = a.assigned_to
"""
_SCOPE_COLS = {"department": "dept", "cost_center": "cc", "location": "loc"}


def _scope_sql(scope: dict[str, list[str]] | None, params: dict) -> tuple[str, list]:
    clauses, binds = [], []
    for i, (dim, values) in enumerate(sorted((scope or {}).items())):
        name = f"scope{i}"
        clauses.append(f"trim(x.{_SCOPE_COLS[dim]}) IN :{name}")
        params[name] = list(values)
        binds.append(bindparam(name, expanding=True))
    return (" AND " + " AND ".join(clauses)) if clauses else "", binds


def _run(sql: str, params: dict, binds: list) -> pd.DataFrame:
    stmt = text(sql)
    if binds:
        stmt = stmt.bindparams(*binds)
    with data.engine().connect() as conn:
        result = conn.execute(stmt, params)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


@st.cache_data(show_spinner=False, max_entries=200)
def _search(query: str, scope: data.FKey, ver: str) -> pd.DataFrame:
    """What `query` names: people, locations and assets (kind, key, label, assets)."""
    params: dict = {"q": query.strip().lower(), "like": f"%{query.strip().lower()}%"}
    scope_sql, binds = _scope_sql(data.fdict(scope), params)
    sql = f"""
    WITH x AS ({_ASSETS})
    SELECT 'person' AS kind, x.assigned_to AS key,
           coalesce(max(x.person_name), x.assigned_to) AS label, count(*) AS assets
    FROM x WHERE x.assigned_to IS NOT NULL
      AND (lower(x.assigned_to) LIKE :like OR lower(x.person_name) LIKE :like){scope_sql}
    GROUP BY x.assigned_to
    UNION ALL
    SELECT 'location', x.loc, x.loc, count(*)
    FROM x WHERE lower(x.loc) LIKE :like{scope_sql} GROUP BY x.loc
    UNION ALL
    SELECT 'asset', x.asset_tag, x.asset_tag || ' · ' || coalesce(x.model, x.category), 1
    FROM x WHERE (lower(x.asset_tag) = :q OR lower(x.serial) = :q OR lower(x.hostname) = :q){scope_sql}
    ORDER BY 1, 3 LIMIT 50
    """
    return _run(sql, params, binds)


def search(query: str, scope: dict | None) -> pd.DataFrame:
    if len(query.strip()) < 2:
        return pd.DataFrame(columns=["kind", "key", "label", "assets"])
    return _search(query, data.fkey(scope), data.version())


@st.cache_data(show_spinner=False, max_entries=200)
def _equipment(kind: str, key: str, as_of: dt.date, scope: data.FKey, ver: str) -> pd.DataFrame:
    params: dict = {"key": key, "a": as_of}
    scope_sql, binds = _scope_sql(data.fdict(scope), params)
    where = {"person": "x.assigned_to = :key", "location": "x.loc = :key", "asset": "x.asset_tag = :key"}[kind]
    sql = f"""
    WITH x AS ({_ASSETS}),
    sel AS (SELECT * FROM x WHERE {where} AND x.status NOT IN ('retired', 'disposed', 'lost', 'stolen'){scope_sql}),
    seen AS (
      SELECT s.asset_tag, max(d.seen_date) AS last_seen FROM sel s JOIN discovery d
        ON d.seen_date <= :a AND ((s.serial IS NOT NULL AND lower(d.serial) = lower(s.serial))
            OR (s.hostname IS NOT NULL AND lower(d.hostname) = lower(s.hostname)))
      GROUP BY s.asset_tag),
    inst AS (
      SELECT s.asset_tag, string_agg(DISTINCT sw.title, ', ') AS titles, count(DISTINCT i.title_id) AS n
      FROM sel s JOIN installs i ON i.asset_tag = s.asset_tag
        OR (i.asset_tag IS NULL AND s.hostname IS NOT NULL AND lower(i.hostname) = lower(s.hostname))
      JOIN software sw ON sw.title_id = i.title_id
      WHERE i.discovered_date IS NULL OR i.discovered_date <= :a
      GROUP BY s.asset_tag),
    tix AS (
      SELECT t.asset_tag, count(*) AS open_tickets, string_agg(t.ticket_id, ', ') AS ids
      FROM tickets t JOIN sel s ON s.asset_tag = t.asset_tag
      WHERE CAST(t.opened AS DATE) <= :a AND (t.resolved IS NULL OR CAST(t.resolved AS DATE) > :a)
      GROUP BY t.asset_tag),
    con AS (
      SELECT s.asset_tag, string_agg(c.contract_id || ' (' || c.kind || ', to ' || CAST(c.end_date AS VARCHAR) || ')', ', ') AS contracts
      FROM sel s JOIN contracts c ON c.kind IN ('hardware_maintenance', 'lease', 'support')
        AND c.start_date <= :a AND c.end_date >= :a
        AND (lower(c.vendor) = lower(s.manufacturer) OR lower(c.vendor) = lower(s.supplier))
      GROUP BY s.asset_tag)
    SELECT sel.asset_tag, sel.category, sel.manufacturer, sel.model, sel.status, sel.serial, sel.hostname,
           sel.person_name AS assigned_to, sel.loc AS location, sel.warranty_end,
           CASE WHEN sel.warranty_end IS NULL THEN 'unknown' WHEN sel.warranty_end >= :a THEN 'in warranty'
                ELSE 'out of warranty' END AS warranty,
           con.contracts, coalesce(inst.n, 0) AS installed_titles, inst.titles,
           coalesce(tix.open_tickets, 0) AS open_tickets, tix.ids AS ticket_ids, seen.last_seen
    FROM sel LEFT JOIN seen USING (asset_tag) LEFT JOIN inst USING (asset_tag)
      LEFT JOIN tix USING (asset_tag) LEFT JOIN con USING (asset_tag)
    ORDER BY sel.category, sel.asset_tag
    """
    return _run(sql, params, binds)


def equipment(kind: str, key: str, as_of: dt.date, scope: dict | None) -> pd.DataFrame:
    return _equipment(kind, key, as_of, data.fkey(scope), data.version())


@st.cache_data(show_spinner=False, max_entries=200)
def _stock(categories: tuple[str, ...], scope: data.FKey, ver: str) -> pd.DataFrame:
    params: dict = {"cats": list(categories)}
    scope_sql, binds = _scope_sql(data.fdict(scope), params)
    sql = f"""
    WITH x AS ({_ASSETS})
    SELECT x.category, x.manufacturer, x.model, x.loc AS location, count(*) AS in_stock,
           string_agg(x.asset_tag, ', ' ORDER BY x.asset_tag) AS asset_tags
    FROM x WHERE x.status = 'in_stock' AND x.category IN :cats{scope_sql}
    GROUP BY ALL ORDER BY x.category, in_stock DESC
    """
    return _run(sql, params, [bindparam("cats", expanding=True), *binds])


def stock(categories: list[str], scope: dict | None) -> pd.DataFrame:
    if not categories:
        return pd.DataFrame()
    return _stock(tuple(sorted(set(categories))), data.fkey(scope), data.version())
