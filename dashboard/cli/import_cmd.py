"""`python -m dashboard import PATH`: load a data package (.xlsx, folder of CSVs, .zip)."""

from __future__ import annotations

import argparse
import getpass

from dashboard import database
from dashboard.cli.common import add_db, fail, print_json
from dashboard.importer import ImportResult, import_package
from dashboard.upload_checks import Limits

MAX_PRINTED = 50


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "path",
        metavar="PATH",
        help=".xlsx workbook, <table>.csv file, folder of CSVs or .zip of them",
    )
    add_db(p)
    p.add_argument(
        "--replace", action="store_true", help="empty the tables present in the upload first"
    )
    p.add_argument("--dry-run", action="store_true", help="validate and count, write nothing")
    p.add_argument(
        "--preset",
        metavar="NAME",
        help="read another tool's CSV export: snipeit, intune, or a saved mapping profile",
    )
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument(
        "--max-upload-mb", type=float, metavar="MB", help="raise the upload size limit for this run"
    )
    p.add_argument(
        "--max-unpacked-mb",
        type=float,
        metavar="MB",
        help="raise the unpacked size limit for this run",
    )
    p.add_argument(
        "--max-ratio",
        type=float,
        metavar="N",
        help="raise the compression ratio limit for this run",
    )


def run(args) -> int:
    engine = database.get_engine(args.db)
    try:
        limits = Limits.from_settings(engine).with_overrides(
            max_upload_mb=args.max_upload_mb,
            max_unpacked_mb=args.max_unpacked_mb,
            max_ratio=args.max_ratio,
        )
        if args.preset:
            from dashboard.presets import import_with_preset

            if args.replace:
                return fail("--replace is not available with --preset (a preset only adds and updates rows)", 2)
            result = import_with_preset(
                engine, args.path, args.preset, dry_run=args.dry_run, limits=limits, user=_user()
            )
        else:
            result = import_package(
                engine,
                args.path,
                replace=args.replace,
                dry_run=args.dry_run,
                limits=limits,
                user=_user(),
            )
    finally:
        database.dispose(args.db)
    if args.json:
        print_json(result.to_json())
    else:
        print(render(result, dry_run=args.dry_run))
    return 0 if result.ok else 1


def _user() -> str | None:
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # no login name in some containers
        return "cli"


def describe(e: dict) -> str:
    """One error as a line: sheet 'assets', row 7, column 'Purchase Date': '30/06/2026' — reason."""
    where = []
    if e.get("sheet") is not None:
        where.append(f"sheet {e['sheet']!r}")
    if e.get("row") is not None:
        where.append(f"row {e['row']}")
    if e.get("column") is not None:
        where.append(f"column {e['column']!r}")
    head = ", ".join(where)
    value = f"{e['value']!r} — " if e.get("value") not in (None, "") else ""
    return f"{head}: {value}{e['reason']}" if head else f"{value}{e['reason']}"


def render(result: ImportResult, *, dry_run: bool = False, limit: int = MAX_PRINTED) -> str:
    lines = []
    if not result.ok:
        lines.append(f"Import rejected: {len(result.errors)} problem(s); nothing was written.")
        lines += [describe(e) for e in result.errors[:limit]]
        if len(result.errors) > limit:
            lines.append(f"... and {len(result.errors) - limit} more (use --json for all of them)")
    else:
        lines.append("Dry run: nothing was written." if dry_run else "Import done.")
        width = max((len(t) for t in result.tables), default=5)
        lines.append(f"{'table':<{width}}  {'inserted':>9} {'updated':>9} {'unchanged':>9}")
        for name, c in result.tables.items():
            lines.append(f"{name:<{width}}  {c.inserted:>9,} {c.updated:>9,} {c.unchanged:>9,}")
    for w in result.warnings:
        lines.append(f"warning: {w}")
    return "\n".join(lines)
