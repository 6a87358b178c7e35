"""`python -m dashboard subscriptions add|list|remove`: who gets the pack, a digest or KPI alerts.

    subscriptions add --user NAME --what pack|digest|alerts [--every weekly|monthly] [--day D] [--at HH:MM]
    subscriptions list [--user NAME] [--json]
    subscriptions remove ID

Weekly defaults to Monday, monthly to the 1st, the time to 07:00 (server time); alerts
have no schedule (every `notify` run checks them). `list --json` prints
{"subscriptions": [{id, user, what, every, day, at, schedule, created_at, created_by, last_send}]}.
"""

from __future__ import annotations

import argparse

from dashboard import auth, database, store, subscriptions
from dashboard.cli.common import add_db, add_json, fail, output


def configure(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = sub.add_parser("add", help="subscribe a user", description="subscribe a user")
    add_db(add)
    add.add_argument(
        "--user", required=True, metavar="NAME", help="the user (as in the users file)"
    )
    add.add_argument(
        "--what",
        required=True,
        choices=subscriptions.WHATS,
        help="pack: the executive pack (PDF); digest: the user's landing page (PDF); "
        "alerts: a mail when a KPI changes status",
    )
    add.add_argument(
        "--every", choices=subscriptions.EVERY, help="pack and digest: weekly (default) or monthly"
    )
    add.add_argument(
        "--day", metavar="DAY", help="weekly: a weekday (default Monday); monthly: 1-31 (default 1)"
    )
    add.add_argument("--at", metavar="HH:MM", help="time of day, server time (default 07:00)")
    add_json(add, "print the new subscription as JSON")
    ls = sub.add_parser("list", help="list subscriptions", description="list subscriptions")
    add_db(ls)
    ls.add_argument("--user", metavar="NAME", help="only this user's")
    add_json(ls, "print JSON (see the module's help)")
    rm = sub.add_parser("remove", help="remove a subscription", description="remove a subscription")
    add_db(rm)
    rm.add_argument("id", metavar="ID", help="the subscription's id (see list)")


def run(args) -> int:
    engine = database.get_engine(args.db)
    try:
        return {"add": _add, "list": _list, "remove": _remove}[args.action](engine, args)
    except subscriptions.SubscriptionError as exc:
        return fail(str(exc))
    finally:
        database.dispose(args.db)


def known_users(engine) -> set[str]:
    """The users who may log in now (demo users only while demo mode lasts)."""
    demo = store.get_setting(engine, "demo_mode") == "true"
    return {u.username for u in auth.list_users(auth.load_config(), demo_mode=demo)}


def _add(engine, args) -> int:
    row = subscriptions.add(
        engine,
        args.user,
        args.what,
        args.every,
        args.day,
        args.at,
        by="python -m dashboard subscriptions",
        known_users=known_users(engine),
    )
    return output(
        args,
        subscriptions.to_json(row),
        f"Subscribed {row.username} to {subscriptions.WHAT_WORDS[row.what]}, "
        f"{subscriptions.describe(row)} (subscription {row.id})",
    )


def _list(engine, args) -> int:
    rows = subscriptions.list_all(engine, args.user)
    last = subscriptions.last_sends(engine, [r.id for r in rows])
    return output(
        args,
        {"subscriptions": [subscriptions.to_json(r, last.get(r.id)) for r in rows]},
        _table(rows, last),
    )


def _table(rows, last) -> str:
    """One line a subscription with its last send; the empty state says how to add one."""
    if not rows:
        return "No subscriptions. Add one: python -m dashboard subscriptions add --user NAME --what pack"
    lines = []
    for r in rows:
        sent = last.get(r.id)
        note = f"last: {sent.status} {sent.slot:%Y-%m-%d %H:%M}" if sent else "nothing sent yet"
        lines.append(
            f"{r.id:>4}  {r.username:<16} {subscriptions.WHAT_LABELS[r.what]:<15} "
            f"{subscriptions.describe(r):<48} {note}"
        )
    return "\n".join(lines)


def _remove(engine, args) -> int:
    row = subscriptions.remove(engine, args.id)
    print(f"Removed subscription {row.id} ({row.username}: {subscriptions.WHAT_WORDS[row.what]})")
    return 0
