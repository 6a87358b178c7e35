"""`python -m dashboard import PATH`: load a data package (.xlsx, folder of CSVs, .zip)."""

from __future__ import annotations

import argparse
import getpass
import inspect
import sys

from dashboard import database, leave_demo, valuemaps
from dashboard.cli.common import add_db, add_json, fail, print_json
from dashboard.importer import ImportResult, import_package
from dashboard.presets import PRESETS, import_with_preset
from dashboard.presets.registry import REGISTRY
from dashboard.upload_checks import Limits

MAX_PRINTED = 50
# The upload limits a run may raise: upload_checks.Limits field, metavar, what it limits.
LIMIT_FLAGS = (
    ("max_upload_mb", "MB", "upload size"),
    ("max_unpacked_mb", "MB", "unpacked size"),
    ("max_ratio", "N", "compression ratio"),
)


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
        help=_preset_help(),
    )
    add_json(p, "print the result as JSON")
    p.add_argument(
        "--values",
        metavar="FILE",
        help="value map: a CSV or .xlsx with columns column, from, to (column = the file's header)",
    )
    p.add_argument(
        "--default",
        type=valuemaps.parse_default,
        action="append",
        default=[],
        metavar="COLUMN=VALUE",
        help="the value of COLUMN where it is missing or blank; repeatable",
    )
    p.add_argument(
        "--date-order",
        choices=valuemaps.DATE_ORDERS,
        help="read slashed dates (1/2/23) month-first or day-first when the column does not say",
    )
    p.add_argument(
        "--encoding",
        choices=list(valuemaps.ENCODINGS),
        help="read a CSV that is neither UTF-8 nor Windows-1252 as Latin-1 or Mac Roman",
    )
    for field, metavar, what in LIMIT_FLAGS:
        p.add_argument(
            "--" + field.replace("_", "-"),
            type=float,
            metavar=metavar,
            help=f"raise the {what} limit for this run",
        )


def options(args) -> valuemaps.ImportOptions:
    """The value map, defaults, date order and encoding the flags give (ValueMapError if bad)."""
    values = valuemaps.read_values_file(args.values) if args.values else {}
    return valuemaps.ImportOptions(
        values=values,
        defaults=dict(args.default),
        date_order=args.date_order,
        encoding=args.encoding,
    )


def run(args) -> int:
    try:
        opts = options(args)
    except (valuemaps.ValueMapError, OSError) as exc:
        return fail(f"import: {exc}", 2)
    engine = database.get_engine(args.db)
    try:
        opts.values = _with_saved_map(engine, args.preset, opts.values)
        limits = Limits.from_settings(engine).with_overrides(
            **{field: getattr(args, field) for field, _, _ in LIMIT_FLAGS}
        )
        if args.preset:
            if args.replace:
                return fail(
                    "--replace is not available with --preset (a preset only adds and updates rows)",
                    2,
                )
            result = import_with_preset(
                engine, args.path, args.preset, dry_run=args.dry_run, limits=limits, user=_user(),
                **_preset_options(import_with_preset, opts),
            )  # fmt: skip
        else:
            result = import_package(
                engine,
                args.path,
                replace=args.replace,
                dry_run=args.dry_run,
                limits=limits,
                user=_user(),
                options=opts,
                progress=None if not args.json else _progress,
                log_source="cli",
            )
    finally:
        database.dispose(args.db)
    if args.json:
        print_json(result.to_json())
        if result.leaves_demo and result.ok and not args.dry_run:
            print("No one can log in yet: create your admin account with\n  "
                  + leave_demo.admin_hint(args.db), file=sys.stderr)  # fmt: skip
    else:
        print(render(result, dry_run=args.dry_run, db=args.db))
    return 0 if result.ok else 1


def _preset_options(fn, opts: valuemaps.ImportOptions) -> dict:
    """Pass the options to a preset import that accepts them (presets.py is helper D2's)."""
    return {"options": opts} if "options" in inspect.signature(fn).parameters else {}


def _with_saved_map(engine, preset: str | None, values: valuemaps.ValueMap) -> valuemaps.ValueMap:
    """The value map kept for this format (the Data page saves the preview's choices) under --values."""
    fmt = "package" if not preset else preset if preset in PRESETS else f"profile:{preset}"
    saved = valuemaps.saved(engine, fmt)
    if not saved:
        return values
    n = sum(len(v) for v in saved.values())
    print(f"using the value map saved for {fmt} ({n} value(s); --values wins)", file=sys.stderr)
    return valuemaps.merge(saved, values)


def _progress(fraction: float, message: str) -> None:
    print(f"{fraction:4.0%} {message}", file=sys.stderr)


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


def render(
    result: ImportResult, *, dry_run: bool = False, limit: int = MAX_PRINTED, db: str | None = None
) -> str:
    lines = []
    if result.leaves_demo and (dry_run or not result.ok):
        lines.append("Leaving the demo: " + leave_demo.announcement_short())
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
    for column, values in result.unmapped.items():
        shown = ", ".join(f"{v!r} ({n:,} row{'s' if n != 1 else ''})" for v, n in values.items())
        lines.append(f"unmapped values in column {column!r}: {shown}")
    if result.unmapped:
        lines.append("map them with --values FILE (columns: column, from, to)")
    for q in result.questions:
        lines.append(f"question: {q}")
    for w in result.warnings:
        lines.append(f"warning: {w}")
    if result.leaves_demo and result.ok and not dry_run:
        removed = ", ".join(result.removed_users) or "none were left"
        lines.append(f"The demo is replaced by your data; demo users removed ({removed}).")
        lines.append("No one can log in yet: create your admin account with")
        lines.append(f"  {leave_demo.admin_hint(db)}")
    return "\n".join(lines)


def _preset_help() -> str:
    """The --preset help, from the preset registry (one place lists the tools)."""
    names = ", ".join(REGISTRY)
    return f"read another tool's CSV export: {names}, or a saved mapping profile"
