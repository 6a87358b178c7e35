"""Scheduled work that must run once however many app servers run.

On PostgreSQL several app processes share the database; each would take the
daily snapshot on its first request of the day. `exclusive(engine, name)`
takes a PostgreSQL advisory lock named after the work without waiting: the
process that gets it does the work (and re-checks inside the lock whether it
is still needed), the others skip it. On DuckDB one process owns the file, so
the lock is always granted. `ran` records the outcome in the operations log.
"""

from __future__ import annotations

import contextlib
import time
import zlib
from collections.abc import Iterator

from sqlalchemy import Engine, text

from dashboard import failures, oplog


def lock_key(name: str) -> int:
    """A stable 32-bit advisory-lock key for `name` (the bulk-write key is elsewhere)."""
    return zlib.crc32(f"itam:{name}".encode())


@contextlib.contextmanager
def exclusive(engine: Engine, name: str) -> Iterator[bool]:
    """Yield True when this process may run `name` now (holding the lock), else False."""
    if engine.dialect.name != "postgresql":
        yield True
        return
    key = lock_key(name)
    with engine.connect() as conn:
        got = bool(conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar())
        conn.commit()
        try:
            yield got
        finally:
            if got:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                conn.commit()


@contextlib.contextmanager
def timed(engine: Engine, name: str, what: str = "") -> Iterator[None]:
    """Record the run of scheduled work `name` with its outcome and duration."""
    started = time.monotonic()
    try:
        yield
    except Exception as exc:
        failure = failures.describe(exc, context=name)
        oplog.record(
            engine,
            kind=name,
            source="schedule",
            what=what,
            outcome="failed",
            seconds=round(time.monotonic() - started, 3),
            error_id=failure.error_id,
        )
        raise
    oplog.record(
        engine,
        kind=name,
        source="schedule",
        what=what,
        seconds=round(time.monotonic() - started, 3),
    )
