"""`python -m dashboard snapshot`: record metric values for a date (history).

Records the headline of every metric, and per member for department, cost
center, vendor, category, location and category x location (dashboard/history.py).
A date before today gets its dated metrics only: a state metric's past is what
was recorded at the time, never today's state. Idempotent: a date that already
has a snapshot taken after the last data change is left as it is; one older
than the last import is stale and is replaced. `--backfill-months N` also
records the last day of each of the N months before the as-of date's month.
"""

from __future__ import annotations

import datetime as dt
import sys
import time

from dashboard import database, history
from dashboard.cli.common import add_as_of, add_db, add_json, fail, print_json


def configure(p) -> None:
    add_db(p)
    add_as_of(p)
    p.add_argument(
        "--backfill-months",
        type=int,
        default=0,
        metavar="N",
        help="also record the month ends of the N months before the as-of date's month",
    )
    add_json(p, "print what was done as JSON")


def run(args) -> int:
    if args.backfill_months < 0:
        return fail("--backfill-months must be >= 0")
    as_of = args.as_of or dt.date.today()
    engine = database.get_engine(args.db)
    start = time.perf_counter()
    try:
        results = history.backfill(engine, as_of, args.backfill_months, progress=_progress(args))
    finally:
        database.dispose(args.db)
    seconds = time.perf_counter() - start
    if args.json:
        print_json(
            {
                "as_of": as_of.isoformat(),
                "seconds": round(seconds, 3),
                "dates": [r.to_json() for r in results],
            }
        )
    else:
        counts = {
            a: sum(r.action == a for r in results) for a in ("written", "replaced", "unchanged")
        }
        print(", ".join(f"{n} {a}" for a, n in counts.items()) + f" ({seconds:.1f} s)")
    return 0


def _progress(args):
    if args.json or not sys.stderr.isatty():
        return None
    return lambda i, n, day: print(f"\r{i}/{n} {day}", end="\n" if i == n else "", file=sys.stderr)
