"""The engine: DuckDB by default (`data/itam.duckdb`), or whatever DATABASE_URL names.

DuckDB allows one process to hold a file, and within it one connection with a
cursor per thread. So for DuckDB we open one connection per file and process
(metrics/store/connections.py, the bottom layer), and every pooled SQLAlchemy
connection is a cursor of it; bulk work takes a cursor of the same connection
(`raw_cursor`).

The running app owns its DuckDB file; a command-line write meant for that
file is handed to the app (dashboard/jobs.py) rather than refused. After a
fatal database error (a full disk invalidates a DuckDB database) `recover`
closes the file and the next connection reopens it, so the engine objects
already handed out keep working. See docs/decisions.md, "Operations".
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

from duckdb_engine import ConnectionWrapper
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.pool import QueuePool
from sqlmodel import Session, SQLModel

from dashboard import models, oplog  # noqa: F401  (registers the tables)
from metrics.store import connections
from metrics.store.connections import DatabaseBusy, duckdb_path, raw_cursor  # noqa: F401 (kept names)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "data" / "itam.duckdb"

_engines: dict[str, Engine] = {}
_lock = threading.Lock()
_local = threading.local()
# One bulk write at a time per process: an import the app runs for the command
# line and one uploaded on the Data page queue here instead of interleaving.
WRITE_LOCK = threading.RLock()
# pg_advisory_xact_lock key of bulk writes (imports, restores) on a server database.
PG_WRITE_LOCK_KEY = 0x17A3_0001


def database_url(db: str | os.PathLike | None = None) -> str:
    """The URL for a `--db` argument, else this thread's default, else DATABASE_URL, else the file."""
    if db:
        text_ = str(db)
        return _canonical(text_ if "://" in text_ else f"duckdb:///{Path(text_).resolve()}")
    forced = getattr(_local, "url", None)
    if forced:
        return forced
    return _canonical(os.environ.get("DATABASE_URL") or f"duckdb:///{DEFAULT_DB}")


def _canonical(url: str) -> str:
    """One spelling per DuckDB file (absolute path), so the app and a job agree on it."""
    path = duckdb_path(url)
    if path is None or path == ":memory:" or "?" in url:
        return url
    return f"duckdb:///{Path(path).resolve()}"


@contextlib.contextmanager
def default_url(url: str) -> Iterator[None]:
    """Within the block, `database_url()` in this thread means `url` (jobs run for the CLI)."""
    before = getattr(_local, "url", None)
    _local.url = url
    try:
        yield
    finally:
        _local.url = before


@contextlib.contextmanager
def raw_transaction(engine: Engine) -> Iterator:
    """A DuckDB cursor (`raw_cursor`) inside BEGIN ... COMMIT for bulk work; any error
    inside rolls back and is raised again; the cursor is closed after."""
    cur = raw_cursor(engine)
    try:
        cur.execute("BEGIN TRANSACTION")
        try:
            yield cur
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise
    finally:
        cur.close()


def in_job() -> bool:
    """True while this thread runs a command for the CLI inside the app."""
    return bool(getattr(_local, "url", None))


def get_engine(db: str | os.PathLike | None = None, *, create: bool = True) -> Engine:
    """The process-wide engine for `db` (see `database_url`), tables created."""
    url = database_url(db)
    with _lock:
        if url in _engines:
            return _engines[url]
    path = duckdb_path(url)
    if path is not None:
        connections.base(url)  # open now: a busy or damaged file is reported here, not later
        engine = create_engine(
            "duckdb://",
            creator=lambda: ConnectionWrapper(connections.base(url).cursor()),
            poolclass=QueuePool,
            pool_size=8,
            max_overflow=16,
        )
    else:
        engine = create_engine(url, pool_pre_ping=True)
    engine.info = {"url": url, "duckdb": path is not None}  # type: ignore[attr-defined]
    if create:
        create_db_and_tables(engine)
    with _lock:
        engine = _engines.setdefault(url, engine)
    return engine


def create_db_and_tables(engine: Engine) -> None:
    SQLModel.metadata.create_all(engine)
    from dashboard import upgrade  # cycle: upgrade imports this module; schema version, upgrades

    upgrade.ensure_current(engine)


def is_duckdb(engine: Engine) -> bool:
    return engine.dialect.name == "duckdb"


def recover(engine: Engine) -> None:
    """After a failed write: drop the pooled connections (and, for DuckDB, close the
    file, which a fatal error such as a full disk has invalidated); the next use
    reopens it, so engines already handed out keep working without a restart."""
    url = engine.info["url"]  # type: ignore[attr-defined]
    engine.dispose()
    if duckdb_path(url) is None:
        return
    with contextlib.suppress(Exception):
        connections.close(url)


def ping(engine: Engine) -> None:
    """Raise unless the database answers a query (the readiness check)."""
    with engine.connect() as conn:
        conn.execute(text("SELECT count(*) FROM app_settings")).scalar_one()


def hold_server_write_lock(conn) -> None:
    """On PostgreSQL, take the bulk-write advisory lock for the transaction of `conn`:
    a second import from another server or cron waits for the first (queued, never
    interleaved). DuckDB needs none: the file has one writing process."""
    if conn.dialect.name != "postgresql":
        return
    got = conn.execute(
        text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": PG_WRITE_LOCK_KEY}
    ).scalar()
    if not got:
        print(
            "Another import is running on this database: waiting for it to finish...",
            file=sys.stderr,
        )
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": PG_WRITE_LOCK_KEY})


def dispose(db: str | os.PathLike | None = None) -> None:
    """Close the engine and the file (tests, and the CLI before exiting)."""
    url = database_url(db)
    if getattr(_local, "url", None) == url:
        return  # a command run inside the app (dashboard/jobs.py): the app keeps its engine
    with _lock:
        engine = _engines.pop(url, None)
    if engine is not None:
        engine.dispose()
    connections.close(url)


def session(engine: Engine) -> Session:
    return Session(engine, expire_on_commit=False)


def open_engines() -> list[Engine]:
    """Every engine this process has opened (recovery after a fatal error)."""
    with _lock:
        return list(_engines.values())
