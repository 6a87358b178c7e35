"""Server-side login sessions and login throttling, both in the database.

The browser's cookie carries a random token; the `login_sessions` table keeps
only its SHA-256, with the user, the times and a revocation mark, so logging
out, changing a password or removing a user ends the session wherever the
cookie is replayed. A one-time ticket (`login_tickets`, 60 s) lets the script,
which cannot set HttpOnly cookies, hand the token to a small server route that
can (see dashboard/web.py).

Throttling counts failures per username and per client address in
`login_throttle`; an attempt first *claims* a slot with a compare-and-swap
UPDATE, so parallel sessions cannot check more passwords than one would.

No streamlit here: the app, the CLI and the tests share it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from dashboard import auth, store

IDLE_HOURS = 8.0  # setting session_idle_hours
ABSOLUTE_HOURS = 24.0  # setting session_absolute_hours
TICKET_SECONDS = 60
TOUCH_SECONDS = 60  # last_seen is written at most this often per session (fewer writes)
KEEP_DAYS = 30  # ended sessions and stale throttle rows are pruned after this
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,128}$")


def now_utc() -> dt.datetime:
    """Naive UTC, as every timestamp of the app's tables."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def token_id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def well_formed(token: object) -> bool:
    """A token we could have issued (anything else is ignored without a query)."""
    return isinstance(token, str) and bool(_TOKEN.match(token))


def _row_of(engine: Engine, sql: str, token: str | None, *, write: bool = False):
    """The row `sql` gives for the token's id (`:id`, a hash: the token is never stored);
    None for a token we could not have issued (no query) or an unknown one."""
    if not well_formed(token):
        return None
    opened = engine.begin() if write else engine.connect()  # a DELETE ... RETURNING writes
    with opened as conn:
        return conn.execute(text(sql), {"id": token_id(token)}).first()


# ------------------------------------------------------------------ identity stamp


def user_stamp(username: str) -> str | None:
    """What a local session is bound to: the user's password hash and roles, hashed.

    Changing the password or the roles, removing the user, or re-creating a user
    of the same name (a demo `admin`, then a real one) changes it, which ends the
    user's sessions even when a CLI could not reach the database to revoke them.
    None when the user does not exist.
    """
    entry = auth.load_config()["credentials"]["usernames"].get(username.strip().lower())
    if entry is None:
        return None
    roles = ",".join(auth.clean_roles(entry.get("roles")))
    demo = "demo" if entry.get("demo") else "real"
    raw = f"{entry.get('password') or ''}|{roles}|{demo}"
    return hashlib.sha256(raw.encode()).hexdigest()


# ------------------------------------------------------------------ sessions


def timeouts(engine: Engine) -> tuple[dt.timedelta, dt.timedelta]:
    """(idle, absolute) from the settings, with the defaults for missing or bad values."""

    def hours(key: str, default: float) -> float:
        try:
            value = float(store.get_setting(engine, key) or default)
        except ValueError:
            return default
        return value if value > 0 else default

    return (
        dt.timedelta(hours=hours("session_idle_hours", IDLE_HOURS)),
        dt.timedelta(hours=hours("session_absolute_hours", ABSOLUTE_HOURS)),
    )


def create_session(
    engine: Engine,
    username: str,
    *,
    source: str = "local",
    ip: str | None = None,
    now: dt.datetime | None = None,
) -> str:
    """A new session for `username`; returns its token (shown to nobody but the cookie)."""
    if source not in ("local", "oidc"):
        raise ValueError(f"unknown session source {source!r}")
    now = now or now_utc()
    username = username.strip().lower()
    token = secrets.token_urlsafe(32)
    stamp = user_stamp(username) if source == "local" else None
    _, absolute = timeouts(engine)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO login_sessions (id, username, source, stamp, created_at, last_seen,"
                " expires_at, revoked_at, ip) VALUES (:id, :u, :s, :stamp, :now, :now, :exp, NULL, :ip)"
            ),
            {
                "id": token_id(token),
                "u": username,
                "s": source,
                "stamp": stamp,
                "now": now,
                "exp": now + absolute,
                "ip": ip,
            },
        )
    _prune(engine, now)
    return token


def resolve_session(
    engine: Engine, token: str | None, *, now: dt.datetime | None = None
) -> str | None:
    """The username of a live session, else None (unknown, revoked, timed out, user changed)."""
    now = now or now_utc()
    row = _row_of(
        engine,
        "SELECT username, source, stamp, last_seen, expires_at, revoked_at"
        " FROM login_sessions WHERE id = :id",
        token,
    )
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        return None
    idle, _ = timeouts(engine)
    if row.last_seen + idle <= now:
        return None
    if row.source == "local" and row.stamp != user_stamp(row.username):
        return None
    if (now - row.last_seen).total_seconds() >= TOUCH_SECONDS:
        _touch(engine, token_id(token), now)
    return row.username


def session_owner(engine: Engine, token: str | None) -> str | None:
    """Whose session `token` is or was (live or ended); None for tokens never issued."""
    row = _row_of(engine, "SELECT username FROM login_sessions WHERE id = :id", token)
    return None if row is None else row.username


def _touch(engine: Engine, sid: str, now: dt.datetime) -> None:
    try:
        with engine.begin() as conn:
            conn.execute(
                text("UPDATE login_sessions SET last_seen = :now WHERE id = :id"),
                {"now": now, "id": sid},
            )
    except DBAPIError:
        pass  # two tabs touching at once: one write is enough


def revoke_session(engine: Engine, token: str | None, *, now: dt.datetime | None = None) -> bool:
    """End one session (logout); True when a live one was ended.

    (Here and below the row count is read inside the transaction: after COMMIT,
    DuckDB's cursor reports the COMMIT's count.)
    """
    if not well_formed(token):
        return False
    with engine.begin() as conn:
        result = conn.execute(
            text(
                "UPDATE login_sessions SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL"
            ),
            {"now": now or now_utc(), "id": token_id(token)},
        )
        return result.rowcount > 0


def revoke_user(engine: Engine, username: str, *, now: dt.datetime | None = None) -> int:
    """End every session of `username`; how many were live."""
    with engine.begin() as conn:
        result = conn.execute(
            text(
                "UPDATE login_sessions SET revoked_at = :now"
                " WHERE username = :u AND revoked_at IS NULL"
            ),
            {"now": now or now_utc(), "u": username.strip().lower()},
        )
        return result.rowcount


def revoke_all(engine: Engine, *, now: dt.datetime | None = None) -> int:
    with engine.begin() as conn:
        result = conn.execute(
            text("UPDATE login_sessions SET revoked_at = :now WHERE revoked_at IS NULL"),
            {"now": now or now_utc()},
        )
        return result.rowcount


def live_sessions(engine: Engine, *, now: dt.datetime | None = None) -> dict[str, int]:
    """Open (not revoked, not expired) sessions per user, for the Users page."""
    now = now or now_utc()
    idle, _ = timeouts(engine)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT username, COUNT(*) AS n FROM login_sessions WHERE revoked_at IS NULL"
                " AND expires_at > :now AND last_seen > :idle GROUP BY username"
            ),
            {"now": now, "idle": now - idle},
        ).all()
    return {r.username: int(r.n) for r in rows}


def _prune(engine: Engine, now: dt.datetime) -> None:
    """Forget long-ended sessions, used tickets and stale throttle rows (the tables stay small)."""
    old = now - dt.timedelta(days=KEEP_DAYS)
    try:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM login_sessions WHERE expires_at < :old"), {"old": old})
            conn.execute(text("DELETE FROM login_tickets WHERE expires_at < :now"), {"now": now})
            conn.execute(text("DELETE FROM login_throttle WHERE last_at < :old"), {"old": old})
    except DBAPIError:
        pass  # another writer at the same moment: prune next time


# ------------------------------------------------------------------ tickets


def _pad(ticket: str) -> bytes:
    return hashlib.sha256(b"itam-ticket-pad|" + ticket.encode()).digest()


def _sealed(ticket: str, data: bytes) -> bytes:
    """`data` XOR the ticket's pad: seals a token, and unseals what it sealed."""
    pad = (_pad(ticket) * 4)[: len(data)]
    return bytes(a ^ b for a, b in zip(data, pad, strict=True))


def issue_ticket(engine: Engine, token: str, *, now: dt.datetime | None = None) -> str:
    """A one-time ticket (60 s) the browser trades for the token at the cookie route.

    The table holds the token sealed with a pad only the ticket gives, so a row
    read from the database is no session.
    """
    raw = token.encode()
    if len(raw) > 32 * 4:
        raise ValueError("token too long to seal")
    ticket = secrets.token_urlsafe(32)
    sealed = _sealed(ticket, raw).hex()
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO login_tickets (id, sealed, expires_at) VALUES (:id, :sealed, :exp)"),
            {
                "id": token_id(ticket),
                "sealed": sealed,
                "exp": (now or now_utc()) + dt.timedelta(seconds=TICKET_SECONDS),
            },
        )
    return ticket


def redeem_ticket(
    engine: Engine, ticket: str | None, *, now: dt.datetime | None = None
) -> str | None:
    """The token behind `ticket`, once (the row is deleted); None when unknown or expired."""
    row = _row_of(
        engine,
        "DELETE FROM login_tickets WHERE id = :id RETURNING sealed, expires_at",
        ticket,
        write=True,
    )
    if row is None or row.expires_at <= (now or now_utc()):
        return None
    return _sealed(ticket, bytes.fromhex(row.sealed)).decode()


# ------------------------------------------------------------------ throttling


@dataclass(frozen=True)
class Policy:
    """Free failures, then 1, 2, 4 ... seconds, capped; forgotten after `forget` of quiet."""

    free: int
    cap_s: float
    forget: dt.timedelta
    base_s: float = 1.0

    def delay(self, failures: int) -> float:
        if failures < self.free:
            return 0.0
        return min(self.cap_s, self.base_s * 2.0 ** (failures - self.free))


# Per user the cap is low: a stranger who knows a username can delay its owner
# by at most a minute. Per address it is high: that is where guessing is slowed.
USER_POLICY = Policy(free=3, cap_s=60.0, forget=dt.timedelta(hours=1))
ADDRESS_POLICY = Policy(free=10, cap_s=900.0, forget=dt.timedelta(hours=1))


def user_key(username: str) -> str:
    return "user:" + username.strip().lower()


def address_key(ip: str | None) -> str:
    return "ip:" + (ip or "local")


def is_conflict(exc: BaseException) -> bool:
    """A write-write conflict between two transactions (DuckDB's optimistic concurrency)."""
    text_ = str(getattr(exc, "orig", exc)).lower()
    return "conflict" in text_ or "could not serialize" in text_


@dataclass(frozen=True)
class Claim:
    """The outcome of asking to check a password: granted, or how long to wait."""

    granted: bool
    wait_s: float = 0.0
    failures: int = 0  # the key's count including this attempt (when granted)


def claim(
    engine: Engine,
    key: str,
    policy: Policy,
    *,
    now: dt.datetime | None = None,
    count_check: bool = False,
) -> Claim:
    """Take the next attempt's slot for `key` atomically, counting it as a failure in advance.

    Compare-and-swap: the UPDATE only succeeds when the row is still as read, so
    of several sessions racing for one slot exactly one gets it. A success
    afterwards resets (`succeeded`).
    """
    now = now or now_utc()
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO login_throttle (key, failures, next_allowed, last_at, checks)"
                    " VALUES (:k, 0, :now, :now, 0) ON CONFLICT DO NOTHING"
                ),
                {"k": key, "now": now},
            )
            row = conn.execute(
                text("SELECT failures, next_allowed, last_at FROM login_throttle WHERE key = :k"),
                {"k": key},
            ).one()
            if row.next_allowed > now:
                return Claim(False, (row.next_allowed - now).total_seconds())
            base = 0 if now - row.last_at > policy.forget else int(row.failures)
            failures = base + 1
            result = conn.execute(
                text(
                    "UPDATE login_throttle SET failures = :f, next_allowed = :next, last_at = :now,"
                    " checks = checks + :c WHERE key = :k AND failures = :old_f"
                    " AND next_allowed = :old_next AND last_at = :old_last"
                ),
                {
                    "f": failures,
                    "next": now + dt.timedelta(seconds=policy.delay(failures)),
                    "now": now,
                    "c": int(count_check),
                    "k": key,
                    "old_f": row.failures,
                    "old_next": row.next_allowed,
                    "old_last": row.last_at,
                },
            )
            if result.rowcount != 1:
                return Claim(False, 1.0)
    except DBAPIError as exc:
        if not is_conflict(exc):
            raise  # a full disk or a broken database is no login delay: say what it is
        # DuckDB reports a concurrent update of the same row as a conflict: someone else
        # took the slot, so this attempt waits (never checks a password unthrottled).
        return Claim(False, 1.0)
    return Claim(True, 0.0, failures)


def succeeded(
    engine: Engine,
    key: str,
    *,
    full: bool,
    failures: int = 0,
    now: dt.datetime | None = None,
    policy: Policy = ADDRESS_POLICY,
) -> None:
    """After a right password: a user's count starts again (`full`); an address only
    gets back the attempt it claimed, so a valid account cannot launder guesses."""
    now = now or now_utc()
    if full:
        sql = "UPDATE login_throttle SET failures = 0, next_allowed = :now WHERE key = :k"
        params = {"now": now, "k": key}
    else:
        back = max(failures - 1, 0)
        sql = "UPDATE login_throttle SET failures = :f, next_allowed = :next WHERE key = :k"
        params = {"f": back, "next": now + dt.timedelta(seconds=policy.delay(back)), "k": key}
    try:
        with engine.begin() as conn:
            conn.execute(text(sql), params)
    except DBAPIError as exc:
        if not is_conflict(exc):
            raise
        # a racing attempt changed the row; it keeps its own count


def unlock(
    engine: Engine, username: str, *, key: str | None = None, now: dt.datetime | None = None
) -> bool:
    """An admin lifts a user's delay (or an address's: `key`); True when there was a count to clear."""
    with engine.begin() as conn:
        result = conn.execute(
            text(
                "UPDATE login_throttle SET failures = 0, next_allowed = :now"
                " WHERE key = :k AND failures > 0"
            ),
            {"now": now or now_utc(), "k": key or user_key(username)},
        )
        return result.rowcount > 0


def locked_users(engine: Engine, *, now: dt.datetime | None = None) -> dict[str, dict]:
    """Users with failures on record: {username: {failures, wait_s, checks}}."""
    return _with_failures(engine, "user:", now)


def locked_addresses(engine: Engine, *, now: dt.datetime | None = None) -> dict[str, dict]:
    """Addresses with failures on record ("local" without one): {address: {failures, wait_s, checks}}."""
    return _with_failures(engine, "ip:", now)


def _with_failures(engine: Engine, prefix: str, now: dt.datetime | None) -> dict[str, dict]:
    now = now or now_utc()
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT key, failures, next_allowed, checks FROM login_throttle"
                " WHERE key LIKE :p AND failures > 0 ORDER BY key"
            ),
            {"p": prefix + "%"},
        ).all()
    return {
        r.key[len(prefix) :]: {
            "failures": int(r.failures),
            "checks": int(r.checks),
            "wait_s": max(0.0, (r.next_allowed - now).total_seconds()),
        }
        for r in rows
    }


def checks_made(engine: Engine, username: str) -> int:
    """How many passwords were checked for `username` (the throttle's own count)."""
    with engine.connect() as conn:
        value = conn.execute(
            text("SELECT checks FROM login_throttle WHERE key = :k"), {"k": user_key(username)}
        ).scalar()
    return int(value or 0)
