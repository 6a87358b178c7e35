"""`python -m dashboard export --out PATH`: the whole data package (.xlsx or a folder of CSVs)."""

from __future__ import annotations

import argparse
from pathlib import Path

from dashboard import database, permissions, scoped_data
from dashboard.cli.common import add_db, add_out, fail
from dashboard.exporter import ExportRefused, export_package


def configure(p: argparse.ArgumentParser) -> None:
    add_db(p)
    add_out(p, "an .xlsx file, or a folder for <table>.csv files", metavar="PATH")
    p.add_argument(
        "--as-user",
        metavar="NAME",
        help="the rows as user NAME of the users file may have it (their roles and scope)",
    )


def run(args) -> int:
    if args.as_user:
        return _as_user(args)
    engine = database.get_engine(args.db)
    try:
        sizes = export_package(engine, args.out)
    except ExportRefused as exc:
        return fail(f"export refused: {exc}")
    finally:
        database.dispose(args.db)
    total = sum(sizes.values())
    print(f"Exported {total:,} rows in {len(sizes)} tables to {args.out}")
    for name, n in sizes.items():
        print(f"  {name}: {n:,}")
    return 0


def _as_user(args) -> int:
    """The package as the user may have it: refused without an export role; a scoped user's
    holds the rows of their scope only (.xlsx)."""
    try:
        access = permissions.access_for_name(args.as_user)
        access.require("package_export")
    except (ValueError, permissions.Refused) as exc:
        return fail(str(exc))
    if not access.is_scoped:
        args.as_user = None
        return run(args)
    if not str(args.out).lower().endswith(".xlsx"):
        return fail("--out must name an .xlsx file for a scoped user")
    engine = database.get_engine(args.db)
    try:
        data, _ = scoped_data.package_bytes(engine, access)
    finally:
        database.dispose(args.db)
    Path(args.out).write_bytes(data)
    print(f"Exported the rows of {access.scope_line()} to {args.out}")
    return 0
