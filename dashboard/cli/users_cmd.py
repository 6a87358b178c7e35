"""`python -m dashboard users`: manage the users file (ITAM_AUTH_FILE, default .streamlit/auth.yaml).

Passwords are hashed with bcrypt and never echoed: they are read from a prompt
or, with `--password-stdin`, from the first line of standard input.

Changes also reach the database (`--db`, else DATABASE_URL): `set-password`,
`set-roles` and `remove` end the user's sessions, every change is written to
the audit log, `unlock` lifts a user's login delay and `unlock-address` an
address's. The users file is changed here; only that password-free database
part is handed to a running app holding the DuckDB file (dashboard/jobs.py). A
database that does not exist yet is left alone, and sessions end anyway: they
are bound to the user's password and roles.
"""

from __future__ import annotations

import getpass
import json
import sys
from argparse import ArgumentParser, Namespace
from pathlib import Path

from dashboard import audit, auth, database, jobs, sessions, store
from dashboard.cli.common import add_json, fail, print_json
from dashboard.database import DatabaseBusy

DB_HELP = "DuckDB file or database URL for sessions and the audit log (default: $DATABASE_URL, else data/itam.duckdb)"
ENDS_SESSIONS = {
    "remove": "user_removed",
    "set-password": "password_changed",
    "set-roles": "roles_changed",
}


def _add_db(p) -> None:
    # Its own dest: the generic hand-over of `--db` commands to the app would lose the
    # password read from standard input; this command hands over only its database part.
    p.add_argument("--db", dest="target_db", metavar="FILE", help=DB_HELP)


def configure(p) -> None:
    p.add_argument(
        "--file",
        metavar="YAML",
        help="users file (default: $ITAM_AUTH_FILE, else .streamlit/auth.yaml)",
    )
    sub = p.add_subparsers(dest="action", required=True, metavar="ACTION")

    a = _user_action(sub, "add", "add a user (ends demo mode)")
    a.add_argument(
        "--role",
        "--roles",
        dest="roles",
        action="append",
        required=True,
        help=f"one of {', '.join(auth.ROLES)}; repeat or comma-separate",
    )
    a.add_argument("--name", help="display name (default: the username)")
    a.add_argument("--email", default="")
    a.add_argument(
        "--scope",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help=f"limit what the user sees; KEY one of {', '.join(auth.SCOPE_DIMS)}; repeatable",
    )
    a.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    _add_db(a)

    ls = sub.add_parser("list", help="list users (never passwords)")
    add_json(ls)

    _add_db(_user_action(sub, "remove", "remove a user (ends their sessions)"))

    sp = _user_action(sub, "set-password", "set a user's password (ends their sessions)")
    sp.add_argument("--password-stdin", action="store_true")
    _add_db(sp)

    sr = _user_action(sub, "set-roles", "replace a user's roles (ends their sessions)")
    sr.add_argument("roles", nargs="+", help=f"from {', '.join(auth.ROLES)}")
    _add_db(sr)

    ss = _user_action(sub, "set-scope", "replace a user's scope (no KEY=VALUE: no scope)")
    ss.add_argument("pairs", nargs="*", metavar="KEY=VALUE")
    _add_db(ss)

    _add_db(_user_action(sub, "unlock", "lift the login delay after failed attempts"))

    _add_db(_user_action(sub, "end-sessions", "log a user out everywhere"))

    a = sub.add_parser("unlock-address", help="lift the login delay of a network address")
    a.add_argument("address", help='as the Users page lists it ("local" without one)')
    _add_db(a)

    # The database part of a change, run where the database is (also inside the app).
    n = sub.add_parser("record", help="(internal) audit a change and end sessions")
    n.add_argument("change")
    n.add_argument("username")
    n.add_argument("--by", default=None)
    n.add_argument("--detail", default=None, help="JSON, never a password")
    n.add_argument("--end-sessions", action="store_true")
    _add_db(n)


def _user_action(sub, name: str, help: str) -> ArgumentParser:
    """A subcommand on one user: USERNAME, then what the caller adds (--db last)."""
    p = sub.add_parser(name, help=help)
    p.add_argument("username")
    return p


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    first = getpass.getpass("Password: ")
    second = getpass.getpass("Repeat password: ")
    if first != second:
        raise auth.UserError("the two passwords differ")
    return first


def _end_demo_mode(db) -> str:
    """Adding a real user ends demo mode: tell the database when it can be opened."""
    url = database.database_url(db)
    path = database.duckdb_path(url)
    if path and path != ":memory:" and not Path(path).exists():
        return ""
    try:
        engine = database.get_engine(db)
    except database.DatabaseBusy:
        return "the running dashboard ends demo mode on its next page load"
    try:
        if store.get_setting(engine, "demo_mode") == "true":
            store.set_setting(engine, "demo_mode", "false")
            return "demo mode ended"
        return ""
    finally:
        database.dispose(db)


def run(args) -> int:
    if args.action in DB_ONLY:
        return DB_ONLY[args.action](args)
    path = Path(args.file) if args.file else auth.auth_file()
    config = auth.load_config(path)
    try:
        message = _apply(args, config)
    except auth.UserError as exc:
        return fail(str(exc))
    if args.action != "list":
        auth.save_config(config, path)
        print(message)
        _record_change(args)
    return 0


# ------------------------------------------------------------------ the database part


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _in_database(args, argv: list[str], work) -> int | None:
    """Run `work(engine)` on the database, or hand `users <argv>` to the app that holds it.

    None when there is no database yet (nothing to record there).
    """
    url = database.database_url(args.target_db)
    path = database.duckdb_path(url)
    if path and path != ":memory:" and not database.in_job():
        if not Path(path).exists():
            return None
        pid = jobs.server_pid(path)
        if pid is not None:
            return jobs.submit(["users", *argv, "--db", path], path, pid=pid)
    engine = database.get_engine(args.target_db)
    try:
        return work(engine)
    finally:
        if not database.in_job():
            database.dispose(args.target_db)


def _detail(args) -> dict:
    if args.action == "set-roles":
        return {"roles": auth.parse_roles(",".join(args.roles))}
    if args.action == "set-scope":
        return {"scope": auth.parse_scope(args.pairs) or "everything"}
    if args.action == "add":
        roles = [r for item in args.roles for r in auth.parse_roles(item)]
        return {"roles": roles, "scope": auth.parse_scope(args.scope) or "everything"}
    return {}


def _record_change(args) -> None:
    """Audit the users-file change and end sessions where it calls for it (never fails the change)."""
    change = (
        ENDS_SESSIONS.get(args.action)
        or {"add": "user_added", "set-scope": "scope_changed"}[args.action]
    )
    argv = [
        "record",
        change,
        args.username.strip().lower(),
        "--by",
        _actor(),
        "--detail",
        json.dumps(_detail(args)),
    ]
    if args.action in ENDS_SESSIONS:
        argv.append("--end-sessions")
    try:
        _in_database(args, argv, lambda engine: _record(engine, build_record_args(argv, args)))
    except DatabaseBusy as exc:
        note = (
            " Their sessions end anyway (bound to the password and roles)."
            if args.action in ENDS_SESSIONS
            else ""
        )
        print(f"not recorded in the audit log: {exc}{note}", file=sys.stderr)


def build_record_args(argv: list[str], args):
    """The `record` action's arguments, as if parsed (to run it here without a round trip)."""
    detail = argv[argv.index("--detail") + 1]
    return Namespace(
        change=argv[1],
        username=argv[2],
        by=argv[4],
        detail=detail,
        end_sessions="--end-sessions" in argv,
        target_db=args.target_db,
    )


def _record(engine, args) -> int:
    ended = sessions.revoke_user(engine, args.username) if args.end_sessions else 0
    detail = json.loads(args.detail) if args.detail else {}
    if ended:
        detail["sessions_ended"] = ended
    audit.record(
        engine, args.change, args.username, actor=args.by or _actor(), detail=detail or None
    )
    if ended:
        print(f"ended {ended} session(s) of {args.username}")
    return 0


def _record_action(args) -> int:
    code = _in_database(
        args,
        [
            "record",
            args.change,
            args.username,
            *(["--by", args.by] if args.by else []),
            *(["--detail", args.detail] if args.detail else []),
            *(["--end-sessions"] if args.end_sessions else []),
        ],
        lambda engine: _record(engine, args),
    )
    return code or 0


def _unlock(args) -> int:
    name = args.username.strip().lower()

    def work(engine) -> int:
        if sessions.unlock(engine, name):
            audit.record(engine, "unlocked", name, actor=_actor())
            print(f"unlocked {name}")
        else:
            print(f"{name} has no login delay to lift")
        return 0

    code = _in_database(args, ["unlock", name], work)
    return fail("no database yet: nothing to unlock") if code is None else code


def _end_sessions(args) -> int:
    name = args.username.strip().lower()

    def work(engine) -> int:
        ended = sessions.revoke_user(engine, name)
        audit.record(
            engine, "sessions_revoked", name, actor=_actor(), detail={"sessions_ended": ended}
        )
        print(f"ended {ended} session(s) of {name}")
        return 0

    code = _in_database(args, ["end-sessions", name], work)
    return fail("no database yet: no sessions to end") if code is None else code


def _unlock_address(args) -> int:
    address = args.address.strip()

    def work(engine) -> int:
        if sessions.unlock(engine, "", key=sessions.address_key(address)):
            audit.record(engine, "unlocked", None, actor=_actor(), detail={"ip": address})
            print(f"unlocked address {address}")
        else:
            print(f"address {address} has no login delay to lift")
        return 0

    code = _in_database(args, ["unlock-address", address], work)
    return fail("no database yet: nothing to unlock") if code is None else code


DB_ONLY = {
    "unlock": _unlock,
    "unlock-address": _unlock_address,
    "end-sessions": _end_sessions,
    "record": _record_action,
}


def _apply(args, config: dict) -> str:
    action = args.action
    if action == "list":
        _list(config, args.json)
        return ""
    if action == "add":
        roles = [r for item in args.roles for r in auth.parse_roles(item)]
        scope = auth.parse_scope(args.scope)
        auth.validate_username(args.username)
        password = _read_password(args.password_stdin)
        had_demo = any(e.get("demo") for e in config["credentials"]["usernames"].values())
        auth.add_user(
            config, args.username, password, roles, name=args.name, email=args.email, scope=scope
        )
        note = _end_demo_mode(args.target_db)
        extra = "; demo users removed" if had_demo else ""
        return f"added {args.username.lower()}{extra}" + (f"; {note}" if note else "")
    if action == "remove":
        auth.remove_user(config, args.username)
        return f"removed {args.username.lower()}"
    if action == "set-password":
        auth._entry(config, args.username)
        auth.set_password(config, args.username, _read_password(args.password_stdin))
        return f"password set for {args.username.lower()}"
    if action == "set-roles":
        auth.set_roles(config, args.username, auth.parse_roles(",".join(args.roles)))
        return f"roles set for {args.username.lower()}"
    if action == "set-scope":
        auth.set_scope(config, args.username, auth.parse_scope(args.pairs))
        return f"scope set for {args.username.lower()}"
    raise auth.UserError(f"unknown action {action}")


def _list(config: dict, as_json: bool) -> None:
    users = auth.list_users(config, demo_mode=True)
    rows = [
        {
            "username": u.username,
            "name": u.name,
            "email": u.email,
            "roles": list(u.roles),
            "scope": u.scope,
            "demo": u.demo,
        }
        for u in users
    ]
    if as_json:
        print_json(rows)
        return
    for r in rows:
        scope = "; ".join(f"{k}={','.join(v)}" for k, v in r["scope"].items()) or "-"
        demo = " (demo)" if r["demo"] else ""
        print(f"{r['username']}\t{','.join(r['roles'])}\t{scope}\t{r['name']}{demo}")
