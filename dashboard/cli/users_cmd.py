"""`python -m dashboard users`: manage the users file (ITAM_AUTH_FILE, default .streamlit/auth.yaml).

Passwords are hashed with bcrypt and never echoed: they are read from a prompt
or, with `--password-stdin`, from the first line of standard input.
"""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

from dashboard import auth
from dashboard.cli.common import add_db, fail, print_json


def configure(p) -> None:
    p.add_argument("--file", metavar="YAML", help="users file (default: $ITAM_AUTH_FILE, else .streamlit/auth.yaml)")
    sub = p.add_subparsers(dest="action", required=True, metavar="ACTION")

    a = sub.add_parser("add", help="add a user (ends demo mode)")
    a.add_argument("username")
    a.add_argument("--role", "--roles", dest="roles", action="append", required=True,
                   help=f"one of {', '.join(auth.ROLES)}; repeat or comma-separate")
    a.add_argument("--name", help="display name (default: the username)")
    a.add_argument("--email", default="")
    a.add_argument("--scope", action="append", default=[], metavar="KEY=VALUE",
                   help=f"limit what the user sees; KEY one of {', '.join(auth.SCOPE_DIMS)}; repeatable")
    a.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add_db(a)

    ls = sub.add_parser("list", help="list users (never passwords)")
    ls.add_argument("--json", action="store_true")

    r = sub.add_parser("remove", help="remove a user")
    r.add_argument("username")

    sp = sub.add_parser("set-password", help="set a user's password")
    sp.add_argument("username")
    sp.add_argument("--password-stdin", action="store_true")

    sr = sub.add_parser("set-roles", help="replace a user's roles")
    sr.add_argument("username")
    sr.add_argument("roles", nargs="+", help=f"from {', '.join(auth.ROLES)}")

    ss = sub.add_parser("set-scope", help="replace a user's scope (no KEY=VALUE: no scope)")
    ss.add_argument("username")
    ss.add_argument("pairs", nargs="*", metavar="KEY=VALUE")


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
    from dashboard import database, store

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
    path = Path(args.file) if args.file else auth.auth_file()
    config = auth.load_config(path)
    try:
        message = _apply(args, config)
    except auth.UserError as exc:
        return fail(str(exc))
    if args.action != "list":
        auth.save_config(config, path)
        print(message)
    return 0


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
        auth.add_user(config, args.username, password, roles, name=args.name, email=args.email, scope=scope)
        note = _end_demo_mode(args.db)
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
        {"username": u.username, "name": u.name, "email": u.email, "roles": list(u.roles),
         "scope": u.scope, "demo": u.demo}
        for u in users
    ]
    if as_json:
        print_json(rows)
        return
    for r in rows:
        scope = "; ".join(f"{k}={','.join(v)}" for k, v in r["scope"].items()) or "-"
        demo = " (demo)" if r["demo"] else ""
        print(f"{r['username']}\t{','.join(r['roles'])}\t{scope}\t{r['name']}{demo}")
