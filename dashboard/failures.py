"""Database failures as messages that say what to do, each with an error id.

Every failure that reaches the user (a page, a CLI command) is logged once
with its traceback under a short error id; the user sees one paragraph naming
the cause (full disk, read-only file, damaged file, busy file, unreachable
server, newer schema) with that id, never a traceback. A fatal DuckDB error
invalidates the connection: `contain` closes it so the next request reopens
the file (database.recover) instead of failing until a restart.
"""

from __future__ import annotations

import logging
import re
import secrets
from dataclasses import dataclass

import duckdb
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from dashboard import database, upgrade

log = logging.getLogger("itam.errors")


@dataclass(frozen=True)
class Failure:
    kind: str  # disk_full | read_only | corrupt | busy | unreachable | newer_schema | database | other
    message: str
    error_id: str

    @property
    def text(self) -> str:
        return f"{self.message} (error id {self.error_id})"


_RULES: tuple[tuple[str, str, str], ...] = (
    (
        "disk_full",
        r"no space left on device|disk full|could not extend file",
        "The disk holding the database is full, so this was not saved (nothing was half-written). "
        "Free some space on that disk (or move the database to a larger one), then try again.",
    ),
    (
        "read_only",
        r"read-only file system|read-only mode|permission denied|readonly database",
        "The database file cannot be written: it is read-only or belongs to another user. "
        "Make it writable for the user running the dashboard (check the file, its folder and the "
        "mount), then try again.",
    ),
    (
        "corrupt",
        r"not a valid duckdb database|corrupt|checksum|could not read enough bytes"
        r"|invalid (?:database|file)|unexpected end of file",
        "The database file is damaged or is not a dashboard database. Restore the last backup "
        "(`python -m dashboard restore BACKUP --db FILE`) or point DATABASE_URL at a good copy.",
    ),
    (
        "unreachable",
        r"connection refused|could not connect|connection to server|server closed the "
        r"connection|timeout expired|name or service not known",
        "The database server does not answer. Check that it runs and that DATABASE_URL is right, "
        "then reload.",
    ),
)


def new_id() -> str:
    return secrets.token_hex(4)


def kind_of(exc: BaseException) -> str:
    if isinstance(exc, database.DatabaseBusy):
        return "busy"
    if isinstance(exc, upgrade.NewerSchema):
        return "newer_schema"
    text = _full_text(exc)
    for kind, pattern, _ in _RULES:
        if re.search(pattern, text, re.IGNORECASE):
            return kind
    return "database" if _is_database_error(exc) else "other"


def _full_text(exc: BaseException) -> str:
    parts, seen = [], set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        parts.append(f"{type(exc).__name__}: {exc}")
        exc = exc.__cause__ or exc.__context__
    return "\n".join(parts)


def _is_database_error(exc: BaseException) -> bool:
    return isinstance(exc, (duckdb.Error, SQLAlchemyError))


def is_fatal(exc: BaseException) -> bool:
    """Errors after which the connection cannot be trusted: close it and reopen."""
    text = _full_text(exc)
    return (
        isinstance(exc, duckdb.FatalException)
        or "FatalException" in text
        or "invalidated" in text
        or kind_of(exc) in ("disk_full", "corrupt", "unreachable")
    )


def describe(exc: BaseException, *, context: str = "") -> Failure:
    """Log the failure with its traceback under a new error id; the user's message."""
    kind = kind_of(exc)
    error_id = new_id()
    if kind in ("busy", "newer_schema"):
        message = str(exc)
    elif kind in ("database", "other"):
        what = "A database error" if kind == "database" else "An unexpected error"
        message = (
            f"{what} stopped this{' ' + context if context else ''}; nothing was half-saved. "
            "Try again; if it happens again, give the error id to your administrator "
            "(the server log has the details)."
        )
    else:
        message = next(m for k, _, m in _RULES if k == kind)
    log.error("error %s (%s): %s", error_id, kind, context or "operation", exc_info=exc)
    return Failure(kind, message, error_id)


def contain(
    exc: BaseException, engines: list[Engine] | None = None, *, context: str = ""
) -> Failure:
    """Describe the failure and, when it was fatal, reopen the database on next use."""
    failure = describe(exc, context=context)
    if is_fatal(exc):
        for engine in engines if engines is not None else database.open_engines():
            database.recover(engine)
    return failure
