"""`python -m dashboard report --out pack.xlsx`: the executive pack, headless (for scheduling).

With the embedded database, run it while the server is stopped or against a copy
of the file (DuckDB lets one process hold a file).
"""

from __future__ import annotations

import argparse
import datetime as dt

from dashboard import database, permissions
from dashboard.cli.common import add_as_of, add_db, add_filters, add_out, fail, filters_dict
from metrics.api import UnsupportedDimension


def configure(p: argparse.ArgumentParser) -> None:
    add_db(p)
    add_out(p, "the .xlsx to write")
    add_as_of(p)
    add_filters(p)
    p.add_argument(
        "--as-user",
        metavar="NAME",
        help="the pack as user NAME of the users file may have it (their roles and scope)",
    )


def run(args) -> int:
    from dashboard.report import write_pack  # openpyxl: loaded by this command only, not --help

    if not str(args.out).lower().endswith(".xlsx"):
        return fail("--out must name an .xlsx file")
    try:  # the operator by default; --as-user: that user's sections within their scope
        access = permissions.access_for_name(args.as_user) if args.as_user else None
    except ValueError as exc:
        return fail(str(exc))
    engine = database.get_engine(args.db)
    try:
        as_of = args.as_of or dt.date.today()
        path = write_pack(engine, args.out, as_of, filters_dict(args.filter) or None, access=access)
    except (UnsupportedDimension, permissions.Refused, permissions.OutsideScope) as exc:
        return fail(str(exc))
    finally:
        database.dispose(args.db)
    print(f"Wrote the executive pack as of {as_of.isoformat()} to {path}")
    return 0
