"""`python -m dashboard restore FILE --db ...`: rebuild a database from a backup file."""

from __future__ import annotations

import argparse
import sys
import time

from dashboard import backup, database, oplog
from dashboard.cli.common import add_db, fail, print_json


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", help="a file written by `backup`")
    add_db(p)
    p.add_argument("--json", action="store_true", help="print what was restored as JSON")


def _progress(i: int, n: int, name: str) -> None:
    print(f"[{i}/{n}] {name}", file=sys.stderr)


def run(args) -> int:
    try:
        backup.read_manifest(args.file)  # refuse a wrong file before touching the database
    except backup.BackupError as exc:
        return fail(f"restore refused: {exc}")
    engine = database.get_engine(args.db)
    started = time.monotonic()
    try:
        manifest = backup.restore(engine, args.file, progress=_progress)
        oplog.record(
            engine,
            kind="restore",
            source="cli",
            what=str(args.file),
            seconds=round(time.monotonic() - started, 3),
        )
    except backup.BackupError as exc:
        return fail(f"restore refused: {exc}")
    finally:
        database.dispose(args.db)
    rows = sum(t["rows"] for t in manifest.tables.values())
    if args.json:
        print_json({"file": str(args.file), **manifest.__dict__})
    else:
        print(
            f"Restored {rows:,} rows in {len(manifest.tables)} tables from {args.file} "
            f"(written {manifest.created} from {manifest.source})"
        )
    return 0
