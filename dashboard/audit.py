"""The audit log of logins and user changes (the `audit_log` table, shared with KPIs and strategy).

Rows for this module have entity 'user'; `user` is who acted (the admin, or the
person logging in), `entity_id` whom it concerns, `new` a JSON detail. Never a
password, nor its hash.
"""

from __future__ import annotations

import datetime as dt
import json
import logging

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from dashboard import oplog
from dashboard.database import session
from dashboard.models import AuditLog

ACTION_LABELS = {
    "login": "logged in",
    "login_failed": "failed login",
    "locked_out": "locked out (delay)",
    "throttled": "attempt refused (delay)",
    "logout": "logged out",
    "user_added": "user added",
    "user_removed": "user removed",
    "roles_changed": "roles changed",
    "scope_changed": "scope changed",
    "password_changed": "password changed",
    "unlocked": "unlocked",
    "sessions_revoked": "sessions ended",
}
FORBIDDEN = ("password", "hash", "token", "ticket")
# Login actions that also go to the JSON log (oplog): (event, outcome).
LOGGED = {
    "login": ("login", "ok"),
    "login_failed": ("login", "failed"),
    "locked_out": ("login", "locked out"),
    "throttled": ("login", "refused (delay)"),
    "logout": ("logout", "ok"),
}


def _clean(detail: dict | None) -> str | None:
    if not detail:
        return None
    if any(f in k.lower() for k in detail for f in FORBIDDEN):
        raise ValueError("audit details never hold passwords, hashes or tokens")
    return json.dumps(detail, sort_keys=True, default=str)


def record(
    engine: Engine,
    action: str,
    subject: str | None,
    *,
    actor: str | None = None,
    detail: dict | None = None,
    when: dt.datetime | None = None,
) -> None:
    """One audit row; a failure to write it never breaks a login (it is logged instead).
    Logins, failures, delays and log-outs are also one JSON line of the operations log."""
    # Local time, like the KPI and strategy rows of the same table.
    row = AuditLog(
        created_at=when or dt.datetime.now(),
        user=actor or subject,
        entity="user",
        entity_id=subject,
        action=action,
        new=_clean(detail),
    )
    if action in LOGGED:
        event, outcome = LOGGED[action]
        what = ", ".join(f"{k} {v}" for k, v in sorted((detail or {}).items()))
        oplog.app_event(event, user=subject, what=what, outcome=outcome)
    try:
        with session(engine) as s:
            s.add(row)
            s.commit()
    except DBAPIError as exc:
        logging.getLogger(__name__).warning("audit row not written (%s): %s", action, exc)


def recent(engine: Engine, limit: int = 200, *, subject: str | None = None) -> list[dict]:
    """The newest user-related rows first: when, who acted, action, whom, detail."""
    sql = (
        "SELECT created_at, \"user\", action, entity_id, new FROM audit_log WHERE entity = 'user'"
        + (" AND entity_id = :s" if subject else "")
        + " ORDER BY created_at DESC, id DESC LIMIT :n"
    )
    params = {"n": int(limit), **({"s": subject} if subject else {})}
    with engine.connect() as conn:
        rows = conn.execute(text(sql), params).all()
    return [
        {
            "when": r.created_at,
            "by": r.user or "",
            "action": ACTION_LABELS.get(r.action, r.action),
            "user": r.entity_id or "",
            "detail": _describe(r.new),
        }
        for r in rows
    ]


def _describe(raw: str | None) -> str:
    if not raw:
        return ""
    try:
        data = json.loads(raw)
    except ValueError:
        return raw
    return "; ".join(
        f"{k}: {', '.join(map(str, v)) if isinstance(v, list) else v}" for k, v in data.items()
    )
