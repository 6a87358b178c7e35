"""The process's DuckDB connection per file, and the cursors taken from it.

DuckDB allows one process to hold a file, and within it one connection with a
cursor per thread. So the process opens one connection per file here; the
engine (dashboard/database.py) makes every pooled SQLAlchemy connection a
cursor of it, and bulk work and metric queries take a cursor of the same
connection (`raw_cursor`). It lives in the bottom layer because metric
execution (metrics/api.py) needs those cursors and must not import dashboard.
"""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path

import duckdb
from sqlalchemy import Engine

_bases: dict[str, duckdb.DuckDBPyConnection] = {}
_lock = threading.Lock()


class DatabaseBusy(RuntimeError):
    """The DuckDB file is held by another process."""


def duckdb_path(url: str) -> str | None:
    """The file of a duckdb URL (':memory:' for an in-memory one), else None."""
    if not url.startswith("duckdb:"):
        return None
    path = re.sub(r"^duckdb:///?", "", url).split("?")[0]
    if url.startswith("duckdb:////"):
        path = "/" + path.lstrip("/")
    return path or ":memory:"


def _open_duckdb(path: str) -> duckdb.DuckDBPyConnection:
    if path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    try:
        return duckdb.connect(path)
    except duckdb.IOException as exc:
        if "lock" not in str(exc).lower():
            raise
        pid = re.search(r"PID (\d+)", str(exc))
        who = f" (process {pid.group(1)})" if pid else ""
        raise DatabaseBusy(
            f"The database file {path} is open in another process{who}, "
            "probably the running dashboard: stop that process, or run this "
            "command against a copy of the file or a shared PostgreSQL "
            "database (DATABASE_URL)."
        ) from None


def base(url: str) -> duckdb.DuckDBPyConnection:
    """The process's connection to the file of `url`, reopened after `close` closed it."""
    with _lock:
        conn = _bases.get(url)
        if conn is None:
            conn = _bases[url] = _open_duckdb(duckdb_path(url) or ":memory:")
        return conn


def close(url: str) -> None:
    """Close the process's connection to the file of `url`, if open (the next `base` reopens)."""
    with _lock:
        conn = _bases.pop(url, None)
    if conn is not None:
        _close_when_free(conn)


def _close_when_free(conn: duckdb.DuckDBPyConnection, tries: int = 100) -> None:
    # A background thread (the app's snapshot or job worker) may still be inside a call on
    # this connection; DuckDB refuses to close it then instead of waiting, so wait a little.
    for _ in range(tries - 1):
        try:
            conn.close()
            return
        except duckdb.ResourceInUseException:
            time.sleep(0.05)
    conn.close()


def raw_cursor(engine: Engine) -> duckdb.DuckDBPyConnection:
    """A DuckDB cursor on the engine's own connection, for bulk work."""
    return base(engine.info["url"]).cursor()  # type: ignore[attr-defined]
