"""What the admin's Operations page lists: imports, scheduled runs and commands, sends, logins.

Plain rows (dicts), newest first, read from the tables that already record
them: `import_log` (uploads and CLI imports), `operations_log` (scheduled
runs, CLI commands and jobs, backups, restores, errors), `notify_sends` (mail)
and the login rows of `audit_log`. A table another part has not created yet
reads as empty.
"""

from __future__ import annotations

import json

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from dashboard import oplog

LIMIT = 100


def _rows(engine: Engine, sql: str, params: dict | None = None) -> list[dict]:
    try:
        with engine.connect() as conn:
            return [dict(r) for r in conn.execute(text(sql), params or {}).mappings().all()]
    except DBAPIError:  # the table is not there (an older database, a part not installed)
        return []


def imports(engine: Engine, limit: int = LIMIT) -> list[dict]:
    rows = _rows(
        engine,
        'SELECT created_at, "user", file_name, mode, counts FROM import_log '
        "ORDER BY created_at DESC, id DESC LIMIT :n",
        {"n": limit},
    )
    for row in rows:
        counts = json.loads(row.pop("counts") or "{}")
        row["rows"] = sum(sum(v.values()) for v in counts.values() if isinstance(v, dict))
        row["tables"] = len(counts)
    return rows


def runs(engine: Engine, limit: int = LIMIT) -> list[dict]:
    try:
        return oplog.recent(engine, limit)
    except DBAPIError:
        return []


def sends(engine: Engine, limit: int = LIMIT) -> list[dict]:
    return _rows(
        engine,
        "SELECT coalesce(sent_at, tried_at, slot) AS at, recipient, subject, status, attempts "
        "FROM notify_sends ORDER BY coalesce(sent_at, tried_at, slot) DESC, id DESC LIMIT :n",
        {"n": limit},
    )


def logins(engine: Engine, limit: int = LIMIT) -> list[dict]:
    return _rows(
        engine,
        "SELECT created_at, entity_id AS username, action FROM audit_log "
        "WHERE entity = 'user' AND action IN ('login', 'login_failed', 'locked_out', "
        "'throttled', 'logout') ORDER BY created_at DESC, id DESC LIMIT :n",
        {"n": limit},
    )
