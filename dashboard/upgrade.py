"""The schema version kept in the database, and upgrading an older one in place.

`SCHEMA_VERSION` names the shape of the tables this code writes. A database
records its version in `app_settings` (`schema_version`); one without it that
already holds rows comes from before versions were recorded (version 1).
Opening an older database first writes a backup beside it, then adds what is
missing (new tables come from `create_all`, new columns are added here,
generically, from the models), then records the new version. A database from
a newer version is refused: this code would not know its tables.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Engine, text
from sqlmodel import SQLModel

from dashboard import database

# 1: the first wave (no version recorded). 2: sessions, throttle, jobs and the
# other tables of the second wave; every later change to a table bumps it.
SCHEMA_VERSION = 2
KEY = "schema_version"
# pg_advisory_lock key of an in-place upgrade on a server database (beside database.PG_WRITE_LOCK_KEY).
PG_UPGRADE_LOCK_KEY = 0x17A3_0002
log = logging.getLogger("itam.upgrade")


class NewerSchema(RuntimeError):
    """The database was written by a newer version of the dashboard."""


def stored_version(engine: Engine) -> int | None:
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT value FROM app_settings WHERE key = :k"), {"k": KEY}
        ).first()
    return int(row[0]) if row and row[0] else None


def _set_version(engine: Engine, version: int) -> None:
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM app_settings WHERE key = :k"), {"k": KEY})
        conn.execute(
            text("INSERT INTO app_settings (key, value) VALUES (:k, :v)"),
            {"k": KEY, "v": str(version)},
        )


def _has_rows(engine: Engine) -> bool:
    names = [t.name for t in SQLModel.metadata.sorted_tables]
    with engine.connect() as conn:
        return any(
            conn.execute(text(f'SELECT EXISTS (SELECT 1 FROM "{name}")')).scalar() for name in names
        )


def ensure_current(engine: Engine) -> Path | None:
    """Record, check or upgrade the schema version; the pre-upgrade backup's path if one was taken."""
    if stored_version(engine) == SCHEMA_VERSION:
        return None  # the usual case, without a lock
    with _upgrade_lock(engine):
        return _upgrade(engine)


@contextlib.contextmanager
def _upgrade_lock(engine: Engine) -> Iterator[None]:
    """On PostgreSQL, one server upgrades at a time: another one starting at the same moment
    waits, then finds the version current (no second backup, no column added twice). A DuckDB
    file has one writing process, so it needs none."""
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": PG_UPGRADE_LOCK_KEY})
        conn.commit()
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": PG_UPGRADE_LOCK_KEY})
            conn.commit()


def _upgrade(engine: Engine) -> Path | None:
    version = stored_version(engine)  # again: another server may have upgraded meanwhile
    if version == SCHEMA_VERSION:
        return None
    if version is not None and version > SCHEMA_VERSION:
        raise NewerSchema(
            f"This database was written by a newer version of the dashboard (schema {version}; "
            f"this one knows up to {SCHEMA_VERSION}). Upgrade the dashboard, or restore a backup "
            "made by this version."
        )
    if version is None and not _has_rows(engine):
        _set_version(engine, SCHEMA_VERSION)  # a new database
        return None
    saved = _backup_before(engine, version or 1)
    add_missing_columns(engine)
    _set_version(engine, SCHEMA_VERSION)
    log.info("upgraded database schema %s -> %s (backup %s)", version or 1, SCHEMA_VERSION, saved)
    return saved


def backup_dir(engine: Engine) -> Path:
    """Beside a DuckDB file; for a server database ITAM_BACKUP_DIR, else data/backups."""
    if os.environ.get("ITAM_BACKUP_DIR"):
        return Path(os.environ["ITAM_BACKUP_DIR"])
    path = database.duckdb_path(engine.info["url"])  # type: ignore[attr-defined]
    if path and path != ":memory:":
        return Path(path).parent
    return database.ROOT / "data" / "backups"


def _backup_before(engine: Engine, version: int) -> Path | None:
    from dashboard import backup  # cycle: backup imports this module (schema versions)

    if database.duckdb_path(engine.info["url"]) == ":memory:":  # type: ignore[attr-defined]
        return None
    folder = backup_dir(engine)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out = folder / f"itam-before-schema-{SCHEMA_VERSION}-from-{version}-{stamp}.itambackup"
    backup.backup(engine, out)
    return out


def add_missing_columns(engine: Engine) -> list[str]:
    """ALTER TABLE ... ADD COLUMN for every model column the database lacks (nullable)."""
    added = []
    with engine.begin() as conn:
        for table in SQLModel.metadata.sorted_tables:
            have = set(
                conn.execute(
                    text(
                        "SELECT column_name FROM information_schema.columns "
                        "WHERE table_name = :t AND table_schema = current_schema()"
                    ),
                    {"t": table.name},
                ).scalars()
            )
            for column in table.columns:
                if column.name in have:
                    continue
                kind = column.type.compile(dialect=engine.dialect)
                conn.execute(text(f'ALTER TABLE "{table.name}" ADD COLUMN "{column.name}" {kind}'))
                added.append(f"{table.name}.{column.name}")
    return added
