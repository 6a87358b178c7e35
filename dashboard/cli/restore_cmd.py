"""`python -m dashboard restore FILE --db ...`: rebuild a database from a backup file."""

from __future__ import annotations

import argparse

from dashboard import backup
from dashboard.cli.backup_cmd import whole_database
from dashboard.cli.common import add_db, add_json, fail, output


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", help="a file written by `backup`")
    add_db(p)
    add_json(p, "print what was restored as JSON")


def run(args) -> int:
    try:
        backup.read_manifest(args.file)  # refuse a wrong file before touching the database
        manifest = whole_database(args, "restore", args.file, backup.restore)
    except backup.BackupError as exc:
        return fail(f"restore refused: {exc}")
    return output(
        args,
        {"file": str(args.file), **manifest.__dict__},
        f"Restored {manifest.rows:,} rows in {len(manifest.tables)} tables from {args.file} "
        f"(written {manifest.created} from {manifest.source})",
    )
