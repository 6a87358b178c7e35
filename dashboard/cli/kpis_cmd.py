"""`python -m dashboard kpis`: KPI values, targets and status as of a date.

`--json` prints {"as_of", "kpis": [{id, metric, goal, target_kind, target,
baseline_date, baseline_value, value, change, status, due, scope}]}: `target`
in the metric's unit (for change kinds a percent: -10 means -10%), `change`
the percent change against the baseline (null for the other kinds).
`--records ID` prints the records behind one KPI (its breach trail) as CSV.
"""

from __future__ import annotations

import datetime as dt
import sys

from dashboard import database, kpis
from dashboard.cli.common import add_as_of, add_db, add_filters, fail, filters_dict, print_json
from metrics.kpi import is_change


def configure(p) -> None:
    add_db(p)
    add_as_of(p)
    add_filters(p)
    p.add_argument("--json", action="store_true", help="print JSON (the contract above)")
    p.add_argument("--records", metavar="ID", help="print the records behind KPI ID as CSV")


def run(args) -> int:
    as_of = args.as_of or dt.date.today()
    scope = filters_dict(args.filter) or None
    engine = database.get_engine(args.db)
    try:
        kpis.ensure_default_kpis(engine)
        if args.records:
            return _records(engine, args.records, as_of, scope)
        results = kpis.evaluate(engine, as_of, scope)
        if args.json:
            print_json({"as_of": as_of.isoformat(), "kpis": [r.to_json() for r in results]})
        else:
            _print_table(as_of, results)
        return 0
    finally:
        database.dispose(args.db)


def _records(engine, kpi_id: str, as_of: dt.date, scope) -> int:
    try:
        frame = kpis.breach_records(engine, kpi_id, as_of, scope)
    except kpis.KpiNotFound as exc:
        return fail(str(exc.args[0]))
    frame.to_csv(sys.stdout, index=False)
    return 0


def _fmt(x) -> str:
    return "-" if x is None else f"{x:,.2f}".rstrip("0").rstrip(".")


def _print_table(as_of: dt.date, results: list[kpis.KpiResult]) -> None:
    print(f"KPIs as of {as_of.isoformat()}")
    for r in results:
        target = f"{r.target_kind} {_fmt(r.target)}{'%' if is_change(r.target_kind) else ''}"
        line = f"{r.id:>3} {r.status:<6} {r.goal:<16} {r.metric:<38} {_fmt(r.value):>14}  {target}"
        if r.baseline_date:
            line += f" vs {r.baseline_date} ({_fmt(r.baseline_value)}; change {_fmt(r.change)}%)"
        if r.scope:
            line += "  [" + ", ".join(f"{k}={v}" for k, v in r.scope.items()) + "]"
        print(line)
