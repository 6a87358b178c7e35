"""One file holding the whole database, and back: `backup` and `restore`.

A backup is a zip: `itam-backup.json` (a marker, the schema version, the
source, and each table's columns and row count) and one Parquet file per
table. Tables are enumerated from the database itself, never from a list, so
a table added by a later change is saved too; the derived tables of the
metric engine are left out (they are rebuilt from the data on first use).

Restore empties and refills every table in one transaction (DuckDB, or
PostgreSQL under the bulk-write advisory lock), then moves each id sequence
past the largest id so new rows do not collide.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from sqlalchemy import Engine, Sequence, inspect, text
from sqlalchemy import types as sa_types
from sqlmodel import SQLModel

from dashboard import database, store, upgrade

MARKER = "itam-backup.json"
FORMAT = "itam-dashboard-backup"
SKIPPED_PREFIXES = ("derived_",)  # metrics/materialize.py rebuilds these
SKIPPED_SETTINGS = ("derived_fingerprint",)


class BackupError(ValueError):
    """The file is not a backup this version can restore (the message says why)."""


@dataclass
class Manifest:
    schema_version: int
    created: str
    source: str
    tables: dict[str, dict]

    @property
    def rows(self) -> int:
        """Rows in all tables (a property: not part of the manifest's JSON)."""
        return sum(t["rows"] for t in self.tables.values())


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_names(engine: Engine) -> list[str]:
    """Every base table of the database (not views), derived ones left out, sorted."""
    names = inspect(engine).get_table_names()
    return sorted(n for n in names if not n.startswith(SKIPPED_PREFIXES) and not n.startswith("_"))


def _write_table(engine: Engine, name: str, zf: zipfile.ZipFile) -> tuple[int, list[str]]:
    """One table as Parquet into the zip; (rows, columns)."""
    if database.is_duckdb(engine):
        cur = database.raw_cursor(engine)
        try:
            got = cur.sql(f"SELECT * FROM {_q(name)}").to_arrow_table()
        finally:
            cur.close()
        data = _without_derived_settings(name, got.read_all() if hasattr(got, "read_all") else got)
        buf = io.BytesIO()
        pq.write_table(data, buf, compression="zstd")
        zf.writestr(f"tables/{name}.parquet", buf.getvalue())
        return data.num_rows, data.column_names
    # A server database streams: BATCH_ROWS rows at a time from a server-side cursor into a
    # Parquet file on disk, so a million-row table never sits in memory as Python rows.
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{name}.parquet"
        rows, columns = _stream_server_table(engine, name, path)
        zf.write(path, f"tables/{name}.parquet")
    return rows, columns


BATCH_ROWS = 50_000


def _stream_server_table(engine: Engine, name: str, path: Path) -> tuple[int, list[str]]:
    types = {c["name"]: _arrow_type(c["type"]) for c in inspect(engine).get_columns(name)}
    rows = 0
    with engine.connect() as conn:
        result = conn.execution_options(stream_results=True).execute(
            text(f"SELECT * FROM {_q(name)}")
        )
        columns = list(result.keys())
        schema = pa.schema([(c, types.get(c, pa.string())) for c in columns])
        with pq.ParquetWriter(path, schema, compression="zstd") as writer:
            for part in result.partitions(BATCH_ROWS):  # (text() ignores yield_per)
                arrays = [_array([r[i] for r in part], f.type) for i, f in enumerate(schema)]
                batch = _without_derived_settings(name, pa.table(arrays, schema=schema))
                writer.write_table(batch)
                rows += batch.num_rows
    return rows, columns


def _arrow_type(kind) -> pa.DataType:
    """The Parquet type of a server column (the types the models create)."""
    if isinstance(kind, sa_types.Boolean):
        return pa.bool_()
    if isinstance(kind, sa_types.Integer):
        return pa.int64()
    if isinstance(kind, sa_types.Float | sa_types.Numeric):  # Double is a Float
        return pa.float64()
    if isinstance(kind, sa_types.DateTime):
        return pa.timestamp("us")
    if isinstance(kind, sa_types.Date):
        return pa.date32()
    return pa.string()


def _array(values: list, kind: pa.DataType) -> pa.Array:
    if pa.types.is_floating(kind):  # NUMERIC arrives as Decimal
        values = [None if v is None else float(v) for v in values]
    elif pa.types.is_string(kind):  # JSON and other text-like types: kept as text
        values = [v if v is None or isinstance(v, str) else str(v) for v in values]
    return pa.array(values, kind)


def _without_derived_settings(name: str, table: pa.Table) -> pa.Table:
    if name != "app_settings":
        return table
    keep = pc.invert(pc.is_in(table["key"], pa.array(SKIPPED_SETTINGS)))
    return table.filter(keep)


def backup(engine: Engine, out: str | Path, progress=None) -> Manifest:
    """Write the whole database to `out` (any file name) and return its manifest."""
    out = Path(out)
    tables: dict[str, dict] = {}
    tmp = out.with_name(out.name + ".part")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED) as zf:
        names = table_names(engine)
        for i, name in enumerate(names, 1):
            rows, columns = _write_table(engine, name, zf)
            tables[name] = {"rows": rows, "columns": columns}
            if progress:
                progress(i, len(names), name)
        manifest = Manifest(
            schema_version=upgrade.stored_version(engine) or upgrade.SCHEMA_VERSION,
            created=dt.datetime.now().replace(microsecond=0).isoformat(sep=" "),
            source=engine.dialect.name,
            tables=tables,
        )
        zf.writestr(MARKER, json.dumps({"format": FORMAT, **manifest.__dict__}, indent=1))
    tmp.replace(out)  # a backup file is whole or absent, never half-written
    return manifest


def read_manifest(path: str | Path) -> Manifest:
    """The manifest of a backup file, or BackupError saying why it is not one we can use."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such file.")
    try:
        with zipfile.ZipFile(path) as zf:
            meta = json.loads(zf.read(MARKER))
    except (zipfile.BadZipFile, KeyError, json.JSONDecodeError, UnicodeDecodeError):
        raise BackupError(
            f"{path} is not a dashboard backup (make one with `python -m dashboard backup --out FILE`)."
        ) from None
    if meta.get("format") != FORMAT:
        raise BackupError(
            f"{path} is not a dashboard backup (unknown format {meta.get('format')!r})."
        )
    version = int(meta.get("schema_version") or 0)
    if version > upgrade.SCHEMA_VERSION:
        raise BackupError(
            f"{path} comes from a newer version of the dashboard (schema {version}; this one reads "
            f"up to {upgrade.SCHEMA_VERSION}): upgrade the dashboard first, then restore."
        )
    return Manifest(
        version, meta.get("created", ""), meta.get("source", ""), meta.get("tables", {})
    )


def restore(engine: Engine, path: str | Path, progress=None) -> Manifest:
    """Replace every table of the database by the backup's, in one transaction."""
    manifest = read_manifest(path)
    known = set(table_names(engine))
    missing = [t for t in manifest.tables if t not in known]
    if missing:
        raise BackupError(
            f"{path} holds tables this version does not know ({', '.join(missing)}): "
            "restore it with the dashboard version that wrote it."
        )
    with zipfile.ZipFile(path) as zf, database.WRITE_LOCK:
        if database.is_duckdb(engine):
            _restore_duckdb(engine, zf, manifest, known, progress)
        else:
            _restore_server(engine, zf, manifest, known, progress)
    store.mark_data_changed(engine)
    upgrade.ensure_current(engine)
    return manifest


def _frame(zf: zipfile.ZipFile, name: str) -> pa.Table:
    return pq.read_table(io.BytesIO(zf.read(f"tables/{name}.parquet")))


def _common_columns(data: pa.Table, target: list[str]) -> list[str]:
    return [c for c in data.column_names if c in target]


def _restore_duckdb(engine, zf, manifest, known, progress) -> None:
    with database.raw_transaction(engine) as cur:
        for name in sorted(known):
            cur.execute(f"DELETE FROM {_q(name)}")
        for i, name in enumerate(manifest.tables, 1):
            data = _frame(zf, name)
            target = [r[0] for r in cur.execute(f"DESCRIBE {_q(name)}").fetchall()]
            cols = ", ".join(_q(c) for c in _common_columns(data, target))
            if data.num_rows and cols:
                cur.register("_restored", data)
                cur.execute(f"INSERT INTO {_q(name)} ({cols}) SELECT {cols} FROM _restored")
                cur.unregister("_restored")
            if progress:
                progress(i, len(manifest.tables), name)
        _advance_sequences(lambda sql: cur.execute(sql).fetchone(), duckdb=True)


def _restore_server(engine, zf, manifest, known, progress) -> None:
    with engine.connect() as conn:
        trans = conn.begin()
        try:
            database.hold_server_write_lock(conn)
            for name in sorted(known):
                conn.execute(text(f"DELETE FROM {_q(name)}"))
            for i, name in enumerate(manifest.tables, 1):
                _copy_into(conn, name, _frame(zf, name))
                if progress:
                    progress(i, len(manifest.tables), name)
            _advance_sequences(lambda sql: conn.execute(text(sql)).first(), duckdb=False)
            trans.commit()
        except BaseException:
            trans.rollback()
            raise


def _copy_into(conn, name: str, data: pa.Table) -> None:
    target = [c["name"] for c in inspect(conn).get_columns(name)]
    cols = _common_columns(data, target)
    if not data.num_rows or not cols:
        return
    data = data.select(cols)
    rows = zip(*(data.column(c).to_pylist() for c in cols), strict=True)
    col_sql = ", ".join(_q(c) for c in cols)
    driver = conn.connection.driver_connection
    with driver.cursor() as cur, cur.copy(f"COPY {_q(name)} ({col_sql}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _sequences() -> list[tuple[str, str, str]]:
    """(sequence, table, column) of every id sequence the models declare."""
    out = []
    for table in SQLModel.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.default, Sequence):
                out.append((column.default.name, table.name, column.name))
    return out


def _advance_sequences(run, *, duckdb: bool) -> None:
    """Move each id sequence past the largest restored id."""
    for seq, table, column in _sequences():
        top = run(f"SELECT max({_q(column)}) FROM {_q(table)}")[0]
        if top is None:
            continue
        if duckdb:
            # DuckDB cannot ALTER a sequence: draw numbers until it is past the top.
            current = run(f"SELECT nextval('{seq}')")[0]
            if current < top:
                run(f"SELECT max(nextval('{seq}')) FROM range({int(top - current)})")
        else:
            run(f"SELECT setval('{seq}', {int(top)})")
