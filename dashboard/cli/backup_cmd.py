"""`python -m dashboard backup --out FILE`: the whole database in one file."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from dashboard import backup, database
from dashboard.cli.common import add_db, add_json, add_out, output, print_step, recorded


def configure(p: argparse.ArgumentParser) -> None:
    add_db(p)
    add_out(p, "the backup file to write (any name, taken as given)")
    add_json(p, "print the backup's manifest as JSON")


def run(args) -> int:
    manifest = whole_database(args, "backup", args.out, backup.backup)
    return output(
        args,
        {"out": str(args.out), **manifest.__dict__},
        f"Backed up {manifest.rows:,} rows in {len(manifest.tables)} tables "
        f"(schema {manifest.schema_version}) to {args.out}",
    )


def whole_database(
    args, kind: str, path: str | Path, work: Callable[..., backup.Manifest]
) -> backup.Manifest:
    """Back up or restore (`work`) the --db database with `path`: progress on standard
    error, one line of the operations log when it succeeds (also used by `restore`)."""
    engine = database.get_engine(args.db)
    try:
        with recorded(engine, kind, str(path)):
            return work(engine, path, progress=print_step)
    finally:
        database.dispose(args.db)
