"""`python -m dashboard export --out PATH`: the whole data package (.xlsx or a folder of CSVs)."""

from __future__ import annotations

import argparse

from dashboard import database
from dashboard.cli.common import add_db, fail
from dashboard.exporter import ExportRefused, export_package


def configure(p: argparse.ArgumentParser) -> None:
    add_db(p)
    p.add_argument(
        "--out",
        required=True,
        metavar="PATH",
        help="an .xlsx file, or a folder for <table>.csv files",
    )


def run(args) -> int:
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
