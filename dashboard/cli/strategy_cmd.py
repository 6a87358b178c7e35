"""`python -m dashboard strategy`: export the strategy deck or workbook, or show it as JSON."""

from __future__ import annotations

from dashboard import database, permissions, strategy
from dashboard.cli.common import add_as_of, add_db, fail, print_json


def configure(p) -> None:
    sub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    exp = sub.add_parser(
        "export", help="write the strategy document: .pptx deck or .xlsx workbook (by extension)"
    )
    add_db(exp)
    add_as_of(exp)
    exp.add_argument(
        "--out", required=True, metavar="FILE", help="output file ending in .pptx or .xlsx"
    )
    exp.add_argument(
        "--as-user",
        metavar="NAME",
        help="the KPI figures as user NAME of the users file may have it (their roles and scope)",
    )
    show = sub.add_parser("show", help="print the whole strategy")
    add_db(show)
    show.add_argument("--json", action="store_true", help="as JSON (the only format)")


def run(args) -> int:
    if args.action == "export" and not str(args.out).lower().endswith((".pptx", ".xlsx")):
        return fail(f"--out must end in .pptx or .xlsx: {args.out}")
    engine = database.get_engine(args.db)
    try:
        if args.action == "export":
            # python-pptx and openpyxl: loaded only when a document is written, not for `show`
            # (nor for every other command, which all import this module)
            from dashboard import strategy_export

            try:  # --as-user: the KPIs within that user's scope, refused without a strategy role
                access = permissions.access_for_name(args.as_user) if args.as_user else None
                path = strategy_export.export(engine, args.out, args.as_of, access=access)
            except (ValueError, permissions.Refused) as exc:
                return fail(str(exc))
            print(f"wrote {path}")
            return 0
        strategy.ensure_seeded(engine)
        print_json(strategy.snapshot(engine))
        return 0
    finally:
        database.dispose(args.db)
