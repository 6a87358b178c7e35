"""`python -m dashboard records`: the records behind a metric, printed or written out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from dashboard.cli.common import add_as_of, add_db, add_filters, fail, filters_dict
from dashboard.database import get_engine
from metrics import api
from metrics.catalog import METRICS

PRINTED_ROWS = 50


def configure(p) -> None:
    add_db(p)
    p.add_argument("--metric", required=True, metavar="ID", help="the metric id")
    add_as_of(p)
    add_filters(p)
    p.add_argument("--out", metavar="FILE", help="write all records to FILE (.xlsx or .csv)")


def filters_line(as_of: dt.date, filters: dict[str, list[str]]) -> str:
    parts = [f"as of {as_of.isoformat()}"]
    parts += [f"{dim} = {' or '.join(values)}" for dim, values in filters.items()]
    return "; ".join(parts) if filters else parts[0] + "; no filters"


def run(args) -> int:
    if args.metric not in METRICS:
        return fail(f"unknown metric {args.metric!r}", 2)
    as_of = args.as_of or dt.date.today()
    filters = filters_dict(args.filter)
    if not api.supports(args.metric, filters):
        return fail(
            f"{args.metric} cannot be filtered by {', '.join(filters)}: its rows carry "
            f"{', '.join(api.dimensions(args.metric)) or 'no dimension'}",
            2,
        )
    engine = get_engine(args.db)
    frame = api.records(engine, args.metric, as_of, filters)
    title = f"{METRICS[args.metric].label} ({args.metric}): records"
    line = filters_line(as_of, filters)
    if args.out:
        write(frame, Path(args.out), title, line)
        print(f"{len(frame):,} records written to {args.out} ({line})")
        return 0
    print(f"{title}, {line}: {len(frame):,} rows")
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(frame.head(PRINTED_ROWS).to_string(index=False) if len(frame) else "(no records)")
    if len(frame) > PRINTED_ROWS:
        print(f"... and {len(frame) - PRINTED_ROWS:,} more (use --out FILE.xlsx or .csv)")
    return 0


def write(frame: pd.DataFrame, out: Path, title: str, line: str) -> None:
    # Streamlit, Altair and openpyxl come with it: only when --out writes a file, not for --help.
    from dashboard.ui.export import csv_bytes, xlsx_bytes

    if out.suffix.lower() == ".xlsx":
        out.write_bytes(xlsx_bytes(frame, title=title, filters_line=line))
    elif out.suffix.lower() == ".csv":
        out.write_bytes(csv_bytes(frame, title=title, filters_line=line))
    else:
        raise SystemExit(f"--out must end in .xlsx or .csv, not {out.suffix or '(none)'}")
