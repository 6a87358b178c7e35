"""The operations log: imports, scheduled runs, jobs, backups, sends, logins.

Each event is one row of `operations_log` (what the admin's Operations page
lists) and one JSON line on the `itam.ops` logger (what a log collector
reads). Callers pass what happened, never secrets: no passwords, no tokens.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sys
from collections.abc import Callable

from sqlalchemy import BigInteger, Column, Double, Engine, Sequence, text
from sqlmodel import Field, SQLModel

log = logging.getLogger("itam.ops")


class OperationLog(SQLModel, table=True):
    """One operation and its outcome."""

    __tablename__ = "operations_log"
    id: int | None = Field(
        default=None,
        sa_column=Column(BigInteger, Sequence("operations_log_id_seq"), primary_key=True),
    )
    created_at: dt.datetime
    kind: str  # import | snapshot | job | backup | restore | login | export | send | error
    source: str  # app | cli | schedule
    user: str | None = None
    what: str | None = None
    outcome: str = "ok"
    seconds: float | None = Field(default=None, sa_type=Double)
    error_id: str | None = None


def record(
    engine: Engine | None,
    *,
    kind: str,
    source: str,
    what: str = "",
    outcome: str = "ok",
    user: str | None = None,
    seconds: float | None = None,
    error_id: str | None = None,
) -> None:
    """Log the event as a JSON line and, when an engine is given, as a row (never raises)."""
    event = {
        "event": kind,
        "source": source,
        "user": user,
        "what": what,
        "outcome": outcome,
        "seconds": seconds,
        "error_id": error_id,
    }
    log.info(json.dumps({k: v for k, v in event.items() if v is not None}, ensure_ascii=False))
    if engine is None:
        return
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    'INSERT INTO operations_log (id, created_at, kind, source, "user", what, outcome,'
                    " seconds, error_id) VALUES (nextval('operations_log_id_seq'), :at, :kind, :source, :user, :what, :outcome,"
                    " :seconds, :error_id)"
                ),
                {
                    "at": dt.datetime.now().replace(microsecond=0),
                    "kind": kind,
                    "source": source,
                    "user": user,
                    "what": what[:500],
                    "outcome": outcome[:500],
                    "seconds": seconds,
                    "error_id": error_id,
                },
            )
    except Exception:  # noqa: BLE001 - a log row must never break the operation it records
        log.warning("could not store the operations log row", exc_info=True)


def app_event(kind: str, *, user: str | None, what: str = "", outcome: str = "ok") -> None:
    """One JSON line for an action taken in the app (login, import, export, send).

    Line only: the tables that already hold these events (audit_log, import_log,
    notify_sends) feed the Operations page, so no operations_log row is added."""
    record(None, kind=kind, source="app", what=what, outcome=outcome, user=user)


def import_event(
    source: str, user: str | None, name: str, replace: bool, dry_run: bool, result
) -> None:
    """One `import` line: the file's name, mode, tables and rows written, or why it was refused."""
    rows = sum(c.inserted + c.updated for c in result.tables.values())
    mode = ("dry run, " if dry_run else "") + ("replace" if replace else "upsert")
    what = f"{name} ({mode}): {len(result.tables)} tables, {rows} rows inserted or updated"
    outcome = "ok" if result.ok else f"rejected ({len(result.errors)} errors)"
    record(None, kind="import", source=source, user=user, what=what, outcome=outcome)


def logged_download(what: str, user: str | None, build: Callable[[], bytes]) -> Callable[[], bytes]:
    """`build` for a download button, logging one `export` line (name and size, never the
    content) each time the file is built, which is when the user presses the button."""

    def run() -> bytes:
        try:
            data = build()
        except Exception:
            app_event("export", user=user, what=what, outcome="failed")
            raise
        app_event("export", user=user, what=f"{what} ({len(data)} bytes)")
        return data

    return run


def recent(engine: Engine, limit: int = 200, kinds: tuple[str, ...] | None = None) -> list[dict]:
    """The last operations, newest first."""
    where, params = "", {"n": limit}
    if kinds:
        where = "WHERE kind IN (" + ", ".join(f":k{i}" for i in range(len(kinds))) + ")"
        params.update({f"k{i}": k for i, k in enumerate(kinds)})
    with engine.connect() as conn:
        rows = (
            conn.execute(
                text(
                    f'SELECT created_at, kind, source, "user", what, outcome, seconds, error_id '
                    f"FROM operations_log {where} ORDER BY created_at DESC, id DESC LIMIT :n"
                ),
                params,
            )
            .mappings()
            .all()
        )
    return [dict(r) for r in rows]


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        try:
            body = json.loads(message)
            if not isinstance(body, dict):
                raise ValueError
        except ValueError:
            body = {"message": message}
        out = {
            "time": dt.datetime.fromtimestamp(record.created).isoformat(timespec="seconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            **body,
        }
        if record.exc_info:
            out["traceback"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)


def log_file() -> str | None:
    """ITAM_LOG_FILE: where the JSON lines go instead of standard error."""
    return os.environ.get("ITAM_LOG_FILE") or None


def setup_logging(level: int = logging.INFO, *, cli: bool = False) -> None:
    """JSON lines for the `itam` loggers (idempotent): to ITAM_LOG_FILE when set, else to
    standard error for the app; the CLI keeps standard error for its own messages, so
    without ITAM_LOG_FILE it logs only warnings there, without tracebacks."""
    root = logging.getLogger("itam")
    if any(getattr(h, "_itam", False) for h in root.handlers):
        return
    path = log_file()
    if path:
        handler: logging.Handler = logging.FileHandler(path)
    elif cli:
        handler = logging.StreamHandler(sys.__stderr__)
        handler.setLevel(logging.CRITICAL + 1)  # the error message itself is printed by the CLI
    else:
        handler = logging.StreamHandler(sys.__stderr__)
    handler._itam = True  # type: ignore[attr-defined]
    handler.setFormatter(_JsonFormatter())
    root.addHandler(handler)
    root.setLevel(level)
    root.propagate = False
