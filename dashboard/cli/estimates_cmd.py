"""`python -m dashboard estimates template|import|compare|progress`: the estimation tracker.

Contract (`compare --json`): {"snapshot": {"name", "date"}, "as_of", "lines": [{"line_item",
"measure": "count" | "spend", "estimate", "margin_pct", "low", "high", "metric", "filter",
"actual", "within_margin", "confidence"}, ...]}: one line per line item and measure
estimated; within_margin is null where there is no actual.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from dashboard import database, estimates
from dashboard.cli.common import add_as_of, add_db, add_json, add_out, fail, iso_date, print_json
from dashboard.cli.import_cmd import _user, describe
from dashboard.fmt import number


def configure(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    t = sub.add_parser("template", help="write the template workbook")
    add_out(t, "the .xlsx to write")
    i = sub.add_parser("import", help="validate an estimates workbook and keep it as a snapshot")
    i.add_argument("path", metavar="FILE")
    add_db(i)
    i.add_argument("--name", required=True, help="the snapshot's name")
    i.add_argument(
        "--date", type=iso_date, metavar="YYYY-MM-DD", help="the snapshot's date (default: today)"
    )
    add_json(i)
    c = sub.add_parser("compare", help="a snapshot's estimates against the metric values")
    add_db(c)
    c.add_argument("--name", help="the snapshot (default: the latest)")
    add_as_of(c)
    add_json(c)
    g = sub.add_parser("progress", help="lines within their margin and confidence, per snapshot")
    add_db(g)
    add_json(g)


def run(args) -> int:
    if args.action == "template":
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_bytes(estimates.template_bytes())
        print(f"Wrote the estimates template to {args.out}")
        return 0
    engine = database.get_engine(args.db)
    try:
        return {"import": _import, "compare": _compare, "progress": _progress}[args.action](
            engine, args
        )
    finally:
        database.dispose(args.db)


def _import(engine, args) -> int:
    result = estimates.import_estimates(engine, args.path, args.name, date=args.date, user=_user())
    if args.json:
        print_json(result.to_json())
    elif result.ok:
        snap = result.snapshot
        verb = "replaced" if snap["replaced"] else "kept"
        print(f"Snapshot {snap['name']!r} of {snap['date']} {verb}: {snap['lines']} line(s).")
    else:
        print(f"Estimates rejected: {len(result.errors)} problem(s); nothing was kept.")
        for e in result.errors:
            print(describe(e))
    for w in [] if args.json else result.warnings:
        print(f"warning: {w}")
    return 0 if result.ok else 1


def _compare(engine, args) -> int:
    doc = estimates.compare(engine, args.name, args.as_of or dt.date.today())
    if doc is None:
        return fail(
            "no estimates snapshot" + (f" named {args.name!r}" if args.name else "") + " yet"
        )
    if args.json:
        print_json(doc)
        return 0
    print(
        f"Snapshot {doc['snapshot']['name']!r} of {doc['snapshot']['date']}, as of {doc['as_of']}"
    )
    for x in doc["lines"]:
        verdict = {True: "within", False: "OUTSIDE", None: "no actual"}[x["within_margin"]]
        print(
            f"  {x['line_item']} ({x['measure']}): estimate {number(x['estimate'])} "
            f"[{number(x['low'])} – {number(x['high'])}], actual {number(x['actual'])}: {verdict}"
            f" · confidence {x['confidence']}"
        )
    return 0


def _progress(engine, args) -> int:
    rows = estimates.progress(engine)
    if args.json:
        print_json(rows)
        return 0
    for r in rows:
        pct = "–" if r["within_pct"] is None else f"{r['within_pct']:.0f} %"
        print(
            f"{r['date']} {r['name']}: {r['within_margin']}/{r['with_actual']} within margin ({pct}); "
            f"confidence high {r['confidence']['high']}, medium {r['confidence']['medium']}, "
            f"low {r['confidence']['low']}"
        )
    return 0
