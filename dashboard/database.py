"""The engine: DuckDB by default (`data/itam.duckdb`), or whatever DATABASE_URL names.

DuckDB allows one process to hold a file, and within it one connection with a
cursor per thread. So for DuckDB we open one connection per file and process,
and every pooled SQLAlchemy connection is a cursor of it; bulk work takes a
cursor of the same connection (`raw_cursor`).
"""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path

import duckdb
from duckdb_engine import ConnectionWrapper
from sqlalchemy import Engine, create_engine
from sqlalchemy.pool import QueuePool
from sqlmodel import Session, SQLModel

from dashboard import models  # noqa: F401  (registers the tables)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "data" / "itam.duckdb"

_engines: dict[str, Engine] = {}
_bases: dict[str, duckdb.DuckDBPyConnection] = {}
_lock = threading.Lock()


class DatabaseBusy(RuntimeError):
    """The DuckDB file is held by another process."""


def database_url(db: str | os.PathLike | None = None) -> str:
    """The URL for a `--db` argument, else DATABASE_URL, else the default file."""
    if db:
        text = str(db)
        return text if "://" in text else f"duckdb:///{Path(text).resolve()}"
    return os.environ.get("DATABASE_URL") or f"duckdb:///{DEFAULT_DB}"


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


def get_engine(db: str | os.PathLike | None = None, *, create: bool = True) -> Engine:
    """The process-wide engine for `db` (see `database_url`), tables created."""
    url = database_url(db)
    with _lock:
        if url in _engines:
            return _engines[url]
        path = duckdb_path(url)
        if path is not None:
            base = _open_duckdb(path)
            _bases[url] = base
            engine = create_engine(
                "duckdb://",
                creator=lambda: ConnectionWrapper(base.cursor()),
                poolclass=QueuePool,
                pool_size=8,
                max_overflow=16,
            )
        else:
            engine = create_engine(url, pool_pre_ping=True)
        engine.info = {"url": url, "duckdb": path is not None}  # type: ignore[attr-defined]
        if create:
            create_db_and_tables(engine)
        _engines[url] = engine
        return engine


def create_db_and_tables(engine: Engine) -> None:
    SQLModel.metadata.create_all(engine)


def is_duckdb(engine: Engine) -> bool:
    return engine.dialect.name == "duckdb"


def raw_cursor(engine: Engine) -> duckdb.DuckDBPyConnection:
    """A DuckDB cursor on the engine's own connection, for bulk work."""
    url = engine.info["url"]  # type: ignore[attr-defined]
    return _bases[url].cursor()


def dispose(db: str | os.PathLike | None = None) -> None:
    """Close the engine and the file (tests, and the CLI before exiting)."""
    url = database_url(db)
    with _lock:
        engine = _engines.pop(url, None)
        if engine is not None:
            engine.dispose()
        base = _bases.pop(url, None)
        if base is not None:
            base.close()


def session(engine: Engine) -> Session:
    return Session(engine, expire_on_commit=False)
