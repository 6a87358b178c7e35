"""`python -m dashboard backup --out FILE`: the whole database in one file."""

from __future__ import annotations

import argparse
import sys
import time

from dashboard import backup, database, oplog
from dashboard.cli.common import add_db, print_json


def configure(p: argparse.ArgumentParser) -> None:
    add_db(p)
    p.add_argument(
        "--out",
        required=True,
        metavar="FILE",
        help="the backup file to write (any name, taken as given)",
    )
    p.add_argument("--json", action="store_true", help="print the backup's manifest as JSON")


def _progress(i: int, n: int, name: str) -> None:
    print(f"[{i}/{n}] {name}", file=sys.stderr)


def run(args) -> int:
    engine = database.get_engine(args.db)
    started = time.monotonic()
    try:
        manifest = backup.backup(engine, args.out, progress=_progress)
        oplog.record(
            engine,
            kind="backup",
            source="cli",
            what=str(args.out),
            seconds=round(time.monotonic() - started, 3),
        )
    finally:
        database.dispose(args.db)
    rows = sum(t["rows"] for t in manifest.tables.values())
    if args.json:
        print_json({"out": str(args.out), **manifest.__dict__})
    else:
        print(
            f"Backed up {rows:,} rows in {len(manifest.tables)} tables "
            f"(schema {manifest.schema_version}) to {args.out}"
        )
    return 0
