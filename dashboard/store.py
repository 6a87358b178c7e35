"""Writing package tables in bulk, atomically, and the small settings store.

Both the importer and the demo generator end here: typed DataFrames go into
DuckDB through `INSERT ... SELECT` from a registered frame, never row by row;
a server database (PostgreSQL) gets them through COPY into a temporary table.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass

import duckdb
import numpy as np
import pandas as pd
from sqlalchemy import Engine, text

from dashboard import database, failures, schema
from dashboard.database import is_duckdb, raw_cursor
from metrics import materialize

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
    cols = ", ".join(f"CAST({_q(c.name)} AS {c.sql_type}) AS {_q(c.name)}" for c in table.columns)
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
    # One bulk write at a time per process (an import the app runs for the CLI and one
    # uploaded on the Data page queue); on PostgreSQL an advisory lock does it across servers.
    with database.WRITE_LOCK:
        try:
            if not is_duckdb(engine):
                counts = _write_tables_sqlalchemy(engine, frames, replace=replace, dry_run=dry_run)
            else:
                counts = _write_tables_duckdb(engine, frames, replace=replace, dry_run=dry_run)
        except BaseException as exc:
            if failures.is_fatal(exc):  # a full disk invalidates the file: reopen on next use
                database.recover(engine)
            raise
    _data_changed()
    return counts


def _write_tables_duckdb(engine, frames, *, replace, dry_run) -> dict[str, Counts]:
    cur = raw_cursor(engine)
    counts: dict[str, Counts] = {}
    cur.execute("BEGIN TRANSACTION")
    try:
        for name, frame in frames.items():
            counts[name] = _write_one(cur, schema.table(name), frame, replace)
        _bump_data_version(cur)
        cur.execute("ROLLBACK" if dry_run else "COMMIT")
    except BaseException:
        try:
            cur.execute("ROLLBACK")
        except duckdb.Error:  # a failed COMMIT ends the transaction; keep the first error
            pass
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
            cur.execute(
                f"INSERT INTO {_q(table.name)} ({key_col}{cols}) SELECT {key_col}{cols} FROM ({typed})"
            )
            return Counts(len(frame), 0, 0)
        cur.execute("DROP TABLE IF EXISTS _stage")
        cur.execute(f"CREATE TEMP TABLE _stage AS {typed}")
        same = " AND ".join(f"t.{_q(c)} IS NOT DISTINCT FROM s.{_q(c)}" for c in table.names)
        inserted, unchanged, total = cur.execute(
            f"SELECT count(*) FILTER (WHERE t.{_q(pk)} IS NULL),"
            f" count(*) FILTER (WHERE t.{_q(pk)} IS NOT NULL AND {same}),"
            f" count(*) FROM _stage s LEFT JOIN {_q(table.name)} t ON t.{_q(pk)} = s.{_q(pk)}"
        ).fetchone()
        cur.execute(f"DELETE FROM {_q(table.name)} WHERE {_q(pk)} IN (SELECT {_q(pk)} FROM _stage)")
        cur.execute(
            f"INSERT INTO {_q(table.name)} ({key_col}{cols}) SELECT {key_col}{cols} FROM _stage"
        )
        cur.execute("DROP TABLE _stage")
        return Counts(inserted, total - inserted - unchanged, unchanged)
    finally:
        try:
            cur.unregister("_incoming")
        except duckdb.Error:  # after a failed statement: keep the original error visible
            pass


def _bump_data_version(cur) -> None:
    """Derived tables (metrics/materialize.py) see that the data changed."""
    row = cur.execute("SELECT value FROM app_settings WHERE key = 'data_version'").fetchone()
    version = int(row[0]) + 1 if row and row[0] else 1
    cur.execute("DELETE FROM app_settings WHERE key = 'data_version'")
    cur.execute("INSERT INTO app_settings (key, value) VALUES ('data_version', ?)", [str(version)])


def _is_empty(cur, name: str) -> bool:
    return cur.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {_q(name)})").fetchone()[0]


# --------------------------------------------------- server databases (PostgreSQL)

# Staging types on a server database (schema.SQL_TYPES names DuckDB's; PostgreSQL
# has no DOUBLE).
_SERVER_TYPES = {**schema.SQL_TYPES, schema.NUMBER: "DOUBLE PRECISION"}
_CHUNK = 5_000


def _write_tables_sqlalchemy(engine, frames, *, replace, dry_run):
    """The same for a server database, in one transaction on one connection.

    Each frame is loaded into a typed temporary table (COPY with psycopg, else
    executemany in chunks); keys, counts and the upsert then run in SQL exactly
    as on DuckDB (`key_expr` is shared, so both compute the same row keys).
    """
    counts: dict[str, Counts] = {}
    with engine.connect() as conn:
        trans = conn.begin()
        try:
            database.hold_server_write_lock(conn)  # until commit: other servers' imports queue
            for name, frame in frames.items():
                counts[name] = _write_one_server(conn, schema.table(name), frame, replace)
            _bump_data_version_server(conn)
            if dry_run:
                trans.rollback()
            else:
                trans.commit()
        except BaseException:
            trans.rollback()
            raise
    return counts


def _write_one_server(conn, table: schema.Table, frame: pd.DataFrame, replace: bool) -> Counts:
    pk, name = table.pk, _q(table.name)
    cols = ", ".join(_q(c) for c in table.names)
    _stage_frame(conn, table, frame)
    key = f"{key_expr(table)} AS {_q(pk)}, " if table.surrogate else ""
    key_col = f"{_q(pk)}, " if table.surrogate else ""

    def run(sql: str):
        return conn.execute(text(sql))

    run(f"CREATE TEMP TABLE _stage ON COMMIT DROP AS SELECT {key}{cols} FROM _incoming")
    run("DROP TABLE _incoming")
    run("ANALYZE _stage")  # temporary tables get no statistics otherwise
    if replace:
        run(f"DELETE FROM {name}")
    same = " AND ".join(f"t.{_q(c)} IS NOT DISTINCT FROM s.{_q(c)}" for c in table.names)
    inserted, unchanged, total = run(
        f"SELECT count(*) FILTER (WHERE t.{_q(pk)} IS NULL),"
        f" count(*) FILTER (WHERE t.{_q(pk)} IS NOT NULL AND {same}),"
        f" count(*) FROM _stage s LEFT JOIN {name} t ON t.{_q(pk)} = s.{_q(pk)}"
    ).one()
    if inserted < total:
        run(f"DELETE FROM {name} WHERE {_q(pk)} IN (SELECT {_q(pk)} FROM _stage)")
    run(f"INSERT INTO {name} ({key_col}{cols}) SELECT {key_col}{cols} FROM _stage")
    run("DROP TABLE _stage")
    return Counts(inserted, total - inserted - unchanged, unchanged)


def _stage_frame(conn, table: schema.Table, frame: pd.DataFrame) -> None:
    """Load the frame into the temporary table `_incoming`, typed by the schema."""
    frame = frame.reindex(columns=list(table.names))
    defs = ", ".join(f"{_q(c.name)} {_SERVER_TYPES[c.kind]}" for c in table.columns)
    conn.execute(text(f"CREATE TEMP TABLE _incoming ({defs}) ON COMMIT DROP"))
    columns = [_python_values(frame[c.name], c.kind) for c in table.columns]
    rows = list(zip(*columns, strict=True)) if columns else []
    cols = ", ".join(_q(c) for c in table.names)
    driver = conn.connection.driver_connection
    if conn.dialect.driver == "psycopg":
        with driver.cursor() as cur, cur.copy(f"COPY _incoming ({cols}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    binds = ", ".join(f":p{i}" for i in range(len(table.columns)))
    insert = text(f"INSERT INTO _incoming ({cols}) VALUES ({binds})")
    for start in range(0, len(rows), _CHUNK):
        chunk = rows[start : start + _CHUNK]
        conn.execute(insert, [{f"p{i}": v for i, v in enumerate(row)} for row in chunk])


def _python_values(series: pd.Series, kind: str) -> list:
    """Plain Python values for the driver: None for blanks, the column kind's type.

    DuckDB casts what it is given (an integral float into BIGINT, a timestamp
    into DATE); a server's input functions are stricter, so convert here.
    """
    values = series.astype(object).where(series.notna(), None).tolist()
    convert = _CONVERT.get(kind)
    out = []
    for v in values:
        if isinstance(v, np.generic):  # numpy scalars: the driver wants Python ones
            v = v.item()
        out.append(v if v is None or convert is None else convert(v))
    return out


def _to_int(v):
    return int(v) if isinstance(v, float) and v.is_integer() else v


def _to_date(v):
    return v.date() if isinstance(v, dt.datetime) else v


def _to_datetime(v):
    return v.to_pydatetime() if isinstance(v, pd.Timestamp) else v


_CONVERT = {
    schema.INT: _to_int,
    schema.DATE: _to_date,
    schema.MONTH: _to_date,
    schema.DATETIME: _to_datetime,
}


def _bump_data_version_server(conn) -> None:
    row = conn.execute(text("SELECT value FROM app_settings WHERE key = 'data_version'")).first()
    version = int(row[0]) + 1 if row and row[0] else 1
    conn.execute(text("DELETE FROM app_settings WHERE key = 'data_version'"))
    conn.execute(
        text("INSERT INTO app_settings (key, value) VALUES ('data_version', :v)"),
        {"v": str(version)},
    )


def counts_json(counts: dict[str, Counts]) -> dict[str, dict[str, int]]:
    return {name: asdict(c) for name, c in counts.items()}


# ------------------------------------------------------------------- settings


def get_setting(engine: Engine, key: str, default: str | None = None) -> str | None:
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT value FROM app_settings WHERE key = :k"), {"k": key}
        ).first()
    return default if row is None else row[0]


def _data_changed() -> None:
    """The metric engine re-checks its derived tables on its next call."""
    materialize.invalidate()


def set_setting(engine: Engine, key: str, value: str | None) -> None:
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM app_settings WHERE key = :k"), {"k": key})
        conn.execute(
            text("INSERT INTO app_settings (key, value) VALUES (:k, :v)"),
            {"k": key, "v": value},
        )
    _data_changed()


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
