"""`python -m dashboard history`: bring past metric values in, or take them out.

`history import FILE` reads a CSV or xlsx of `metric_id, as_of, value` with
optional `dimension, member` (one value of one metric on one day, for the whole
estate or one member of a breakdown), checks every row and stores them as
recorded snapshots, or stores nothing and lists every bad cell (sheet, row,
column, value, reason). `history export --out FILE` writes every recorded
value in the same shape (.csv, or .xlsx with a `history` sheet).
"""

from __future__ import annotations

import sys
from pathlib import Path

from dashboard import history_io
from dashboard.cli.common import add_db, add_json, add_out, fail, print_json
from dashboard.database import get_engine
from dashboard.upload_checks import UploadRejected


def configure(p) -> None:
    sub = p.add_subparsers(dest="action", required=True, metavar="import|export")
    imp = sub.add_parser("import", help="store past values from a CSV or xlsx")
    imp.add_argument("file", metavar="FILE", help="metric_id, as_of, value[, dimension, member]")
    add_db(imp)
    imp.add_argument("--dry-run", action="store_true", help="check every row, store nothing")
    add_json(imp, "print the outcome as JSON")
    exp = sub.add_parser("export", help="write every recorded value to a file")
    add_out(exp, ".csv or .xlsx")
    add_db(exp)
    add_json(exp, "print what was written as JSON")


def run(args) -> int:
    return _import(args) if args.action == "import" else _export(args)


def _import(args) -> int:
    path = Path(args.file)
    if not path.is_file():
        return fail(f"no such file: {path}")
    try:
        result = history_io.import_history(
            get_engine(args.db), path.read_bytes(), path.name, dry_run=args.dry_run
        )
    except UploadRejected as exc:
        return fail(f"{path.name}: {exc}")
    if args.json:
        print_json(result.to_json())
    else:
        _report(result, path.name)
    return 0 if result.ok else 1


def _report(result: history_io.HistoryImport, name: str) -> None:
    for e in result.errors:
        print(
            f"{e['sheet']} row {e['row']}, {e['column']} {e['value']!r}: {e['reason']}",
            file=sys.stderr,
        )
    if not result.ok:
        print(f"{name}: {len(result.errors)} error(s); nothing was stored", file=sys.stderr)
    elif result.dry_run:
        print(f"{name}: {result.rows} row(s) checked, all good (dry run: nothing stored)")
    else:
        print(
            f"{name}: {result.stored} value(s) stored as recorded history "
            f"({result.replaced} replaced a stored value)"
        )


def _export(args) -> int:
    out = Path(args.out)
    if out.suffix.lower() not in (".csv", ".xlsx"):
        return fail("--out must end in .csv or .xlsx")
    engine = get_engine(args.db)
    frame = history_io.export_frame(engine)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(history_io.export_bytes(engine, out.name))
    if args.json:
        print_json({"out": str(out), "rows": len(frame)})
    else:
        print(f"{len(frame)} recorded value(s) written to {out}")
    return 0
