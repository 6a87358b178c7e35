"""One login attempt with the form's username and password, start to finish.

Order matters: the throttle (per client address, then per username) is asked
first and may refuse before any password is checked; then the password is
checked with bcrypt, against a dummy hash of the same cost when the username
is unknown, so a known and an unknown user take the same time; the outcome goes
to the audit log; a success makes a server-side session.

Pure Python (no streamlit): dashboard/app.py draws the form, tests call this.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine

from dashboard import audit, auth, sessions

# bcrypt of a random phrase with the cost of real hashes (12): an unknown user
# costs one full check, like a known one.
DUMMY_HASH = "$2b$12$O.EcmITQ83TsVnJ4rjjrSO2OwpZV7bIgLrKKUsYynYNdfAxIRPR1m"


@dataclass(frozen=True)
class Outcome:
    """What the form shows: a session token on success, else a message."""

    token: str | None = None
    username: str | None = None
    message: str | None = None


def _wait_message(wait_s: float, by: str = "username") -> str:
    where = "for this username" if by == "username" else "from your network address"
    return f"Too many failed attempts {where}: try again in {max(1, round(wait_s))} s."


def attempt(
    engine: Engine,
    config: dict,
    username: str,
    password: str,
    *,
    ip: str | None = None,
    demo_mode: bool = False,
    now: dt.datetime | None = None,
) -> Outcome:
    """Check the form's values under the throttle; a session on success."""
    name = (username or "").strip().lower()
    if not name or not password:
        return Outcome(message="Enter a username and a password.")
    by_address = sessions.claim(engine, sessions.address_key(ip), sessions.ADDRESS_POLICY, now=now)
    if not by_address.granted:
        audit.record(engine, "throttled", name, detail={"ip": ip or "local", "by": "address"})
        return Outcome(message=_wait_message(by_address.wait_s, "address"))
    by_user = sessions.claim(
        engine, sessions.user_key(name), sessions.USER_POLICY, now=now, count_check=True
    )
    if not by_user.granted:
        audit.record(engine, "throttled", name, detail={"ip": ip or "local", "by": "username"})
        return Outcome(message=_wait_message(by_user.wait_s))
    user = auth.get_user(config, name, demo_mode)
    entry = config["credentials"]["usernames"].get(name) if user else None
    ok = (
        auth.check_password(password, (entry or {}).get("password") or DUMMY_HASH)
        and user is not None
    )
    if ok and not user.roles:
        ok = False
    if not ok:
        return _failed(engine, name, ip, by_user.failures)
    sessions.succeeded(engine, sessions.user_key(name), full=True, now=now)
    sessions.succeeded(
        engine, sessions.address_key(ip), full=False, failures=by_address.failures, now=now
    )
    token = sessions.create_session(engine, name, ip=ip, now=now)
    audit.record(engine, "login", name, detail={"ip": ip or "local", "source": "local"})
    return Outcome(token=token, username=name)


def _failed(engine: Engine, name: str, ip: str | None, failures: int) -> Outcome:
    delay = sessions.USER_POLICY.delay(failures)
    audit.record(engine, "login_failed", name, detail={"ip": ip or "local", "failures": failures})
    if delay:
        audit.record(engine, "locked_out", name, detail={"seconds": delay, "failures": failures})
    extra = f" Next attempt possible in {delay:.0f} s." if delay else ""
    return Outcome(message="Wrong username or password." + extra)


def logout(engine: Engine, token: str | None, username: str | None) -> None:
    """End this session and say so in the audit log."""
    if sessions.revoke_session(engine, token) and username:
        audit.record(engine, "logout", username)
