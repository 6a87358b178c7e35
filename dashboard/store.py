"""Writing package tables in bulk, atomically, and the small settings store.

Both the importer and the demo generator end here: typed DataFrames go into
DuckDB through `INSERT ... SELECT` from a registered frame, never row by row.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass

import pandas as pd
from sqlalchemy import Engine, text

from dashboard import schema
from dashboard.database import is_duckdb, raw_cursor

KEY_SEP = "\x1f"


@dataclass
class Counts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0


def _q(name: str) -> str:
    return f'"{name}"'


def key_expr(table: schema.Table) -> str:
    """SQL for a row's key over the staged columns (the surrogate `row_key`)."""
    if not table.surrogate:
        return _q(table.key[0])
    parts = []
    for part in table.key:
        if part in table.key_exprs:
            expr = table.key_exprs[part]
        else:
            expr = _q(part)
        parts.append(f"coalesce(CAST({expr} AS VARCHAR), '')")
    return f" || '{KEY_SEP}' || ".join(parts)


def _typed_select(table: schema.Table, source: str) -> str:
    cols = ", ".join(
        f"CAST({_q(c.name)} AS {c.sql_type}) AS {_q(c.name)}" for c in table.columns
    )
    return f"SELECT {cols} FROM {source}"


def write_tables(
    engine: Engine,
    frames: dict[str, pd.DataFrame],
    *,
    replace: bool = False,
    dry_run: bool = False,
) -> dict[str, Counts]:
    """Upsert (or, with `replace`, swap in) every frame in one transaction.

    Each frame holds the table's columns, typed, with unique keys (the importer
    has checked them). Returns rows inserted, updated and unchanged per table
    (with `replace` every row counts as inserted: the table is emptied first);
    with `dry_run` the counts are computed and nothing is written.
    """
    if not is_duckdb(engine):
        return _write_tables_sqlalchemy(engine, frames, replace=replace, dry_run=dry_run)
    cur = raw_cursor(engine)
    counts: dict[str, Counts] = {}
    cur.execute("BEGIN TRANSACTION")
    try:
        for name, frame in frames.items():
            counts[name] = _write_one(cur, schema.table(name), frame, replace)
        _bump_data_version(cur)
        cur.execute("ROLLBACK" if dry_run else "COMMIT")
    except BaseException:
        cur.execute("ROLLBACK")
        raise
    finally:
        cur.close()
    return counts


def _write_one(cur, table: schema.Table, frame: pd.DataFrame, replace: bool) -> Counts:
    frame = frame.reindex(columns=list(table.names))
    cur.register("_incoming", frame)
    try:
        pk = table.pk
        typed = _typed_select(table, "_incoming")
        if table.surrogate:
            typed = f"SELECT {key_expr(table)} AS {_q(pk)}, * FROM ({typed})"
        cols = ", ".join(_q(c) for c in table.names)
        key_col = f"{_q(pk)}, " if table.surrogate else ""
        if replace or _is_empty(cur, table.name):
            # Nothing to compare with: every row is new (a replace empties first).
            if replace:
                cur.execute(f"DELETE FROM {_q(table.name)}")
            cur.execute(f"INSERT INTO {_q(table.name)} ({key_col}{cols}) SELECT {key_col}{cols} FROM ({typed})")
            return Counts(len(frame), 0, 0)
        cur.execute("DROP TABLE IF EXISTS _stage")
        cur.execute(f"CREATE TEMP TABLE _stage AS {typed}")
        same = " AND ".join(f"t.{_q(c)} IS NOT DISTINCT FROM s.{_q(c)}" for c in table.names)
        inserted, unchanged, total = cur.execute(
            f"SELECT count(*) FILTER (WHERE t.{_q(pk)} IS NULL),"
            f" count(*) FILTER (WHERE t.{_q(pk)} IS NOT NULL AND {same}),"
            f" count(*) FROM _stage s LEFT JOIN {_q(table.name)} t ON t.{_q(pk)} = s.{_q(pk)}"
        ).fetchone()
        cur.execute(
            f"DELETE FROM {_q(table.name)} WHERE {_q(pk)} IN (SELECT {_q(pk)} FROM _stage)"
        )
        cur.execute(
            f"INSERT INTO {_q(table.name)} ({key_col}{cols}) SELECT {key_col}{cols} FROM _stage"
        )
        cur.execute("DROP TABLE _stage")
        return Counts(inserted, total - inserted - unchanged, unchanged)
    finally:
        cur.unregister("_incoming")


def _bump_data_version(cur) -> None:
    """Derived tables (metrics/materialize.py) see that the data changed."""
    row = cur.execute("SELECT value FROM app_settings WHERE key = 'data_version'").fetchone()
    version = int(row[0]) + 1 if row and row[0] else 1
    cur.execute("DELETE FROM app_settings WHERE key = 'data_version'")
    cur.execute("INSERT INTO app_settings (key, value) VALUES ('data_version', ?)", [str(version)])


def _is_empty(cur, name: str) -> bool:
    return cur.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {_q(name)})").fetchone()[0]


def _write_tables_sqlalchemy(engine, frames, *, replace, dry_run):  # pragma: no cover
    """The same for a server database: staged through pandas, one transaction."""
    counts: dict[str, Counts] = {}
    with engine.connect() as conn:
        trans = conn.begin()
        try:
            for name, frame in frames.items():
                table = schema.table(name)
                frame = frame.reindex(columns=list(table.names)).copy()
                if table.surrogate:
                    frame.insert(0, "row_key", _python_keys(table, frame))
                pk = table.pk
                existing = pd.read_sql(text(f"SELECT * FROM {_q(name)}"), conn)
                merged = frame.merge(existing, on=pk, how="left", indicator=True, suffixes=("", "_old"))
                inserted = int((merged["_merge"] == "left_only").sum())
                counts[name] = Counts(inserted, len(frame) - inserted, 0)
                if replace:
                    conn.execute(text(f"DELETE FROM {_q(name)}"))
                else:
                    for chunk in range(0, len(frame), 1000):
                        keys = list(frame[pk].iloc[chunk : chunk + 1000])
                        conn.execute(
                            text(f"DELETE FROM {_q(name)} WHERE {_q(pk)} IN :keys").bindparams(
                                __import__("sqlalchemy").bindparam("keys", expanding=True)
                            ),
                            {"keys": keys},
                        )
                frame.to_sql(name, conn, if_exists="append", index=False, method="multi", chunksize=1000)
            if dry_run:
                trans.rollback()
            else:
                trans.commit()
        except BaseException:
            trans.rollback()
            raise
    return counts


def _python_keys(table: schema.Table, frame: pd.DataFrame) -> pd.Series:
    parts = []
    for part in table.key:
        if part == "device" and table.name == "installs":
            s = frame["asset_tag"].where(frame["asset_tag"].notna(), frame["hostname"].str.lower())
        elif part == "device":
            s = frame["serial"].where(frame["serial"].notna(), frame["hostname"]).str.lower()
        else:
            s = frame[part]
        parts.append(s.map(lambda v: "" if v is None or v is pd.NA or v != v else str(v)))
    out = parts[0]
    for p in parts[1:]:
        out = out + KEY_SEP + p
    return out


def counts_json(counts: dict[str, Counts]) -> dict[str, dict[str, int]]:
    return {name: asdict(c) for name, c in counts.items()}


# ------------------------------------------------------------------- settings


def get_setting(engine: Engine, key: str, default: str | None = None) -> str | None:
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT value FROM app_settings WHERE key = :k"), {"k": key}
        ).first()
    return default if row is None else row[0]


def set_setting(engine: Engine, key: str, value: str | None) -> None:
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM app_settings WHERE key = :k"), {"k": key})
        conn.execute(
            text("INSERT INTO app_settings (key, value) VALUES (:k, :v)"),
            {"k": key, "v": value},
        )


def mark_data_changed(engine: Engine, when: dt.datetime | None = None) -> None:
    """Record the time of the last change to the data (stale snapshots check it)."""
    when = when or dt.datetime.now().replace(microsecond=0)
    set_setting(engine, "last_import_at", when.isoformat(sep=" "))
    version = get_setting(engine, "data_version")
    set_setting(engine, "data_version", str(int(version) + 1 if version else 1))


def last_import_at(engine: Engine) -> dt.datetime | None:
    value = get_setting(engine, "last_import_at")
    return dt.datetime.fromisoformat(value) if value else None


def table_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            t.name: conn.execute(text(f"SELECT count(*) FROM {_q(t.name)}")).scalar_one()
            for t in schema.TABLES
        }


def dumps(obj) -> str:
    return json.dumps(obj, default=str, sort_keys=True)
