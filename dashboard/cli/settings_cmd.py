"""`python -m dashboard settings set KEY=VALUE` / `settings list`: the organisation's settings."""

from __future__ import annotations

import argparse

from dashboard import database, settings
from dashboard.cli.common import add_db, add_json, fail, print_json


def _pair(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    return key.strip().lower(), value


def configure(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    s = sub.add_parser("set", help=f"set one or more settings ({', '.join(settings.REGISTRY)})")
    s.add_argument("pairs", nargs="+", type=_pair, metavar="KEY=VALUE")
    add_db(s)
    add_json(s, "print the settings as JSON afterwards")
    ls = sub.add_parser("list", help="show every setting and its value")
    add_db(ls)
    add_json(ls)


def run(args) -> int:
    engine = database.get_engine(args.db)
    try:
        if args.action == "set":
            try:  # every value checked before any is stored
                cleaned = [(k, settings.setting(k).clean(v)) for k, v in args.pairs]
            except settings.SettingError as exc:
                return fail(f"settings: {exc}", 2)
            for key, value in cleaned:
                settings.put(engine, key, value)
        rows = settings.all_values(engine)
    finally:
        database.dispose(args.db)
    if args.json:
        print_json({r["key"]: r["value"] for r in rows})
    else:
        width = max(len(r["key"]) for r in rows)
        for r in rows:
            print(f"{r['key']:<{width}}  {r['value']}{'  (default)' if r['default'] else ''}")
    return 0
