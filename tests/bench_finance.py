"""Benchmark: issue 15's metrics and charts at about a million assets.

`run()` reuses (or builds) the scale-500 demo of tests/bench_metrics.py
(BENCH_DB, default data/bench.duckdb) and times, each as the median of RUNS
runs after one warm-up: the 16 new metrics, the first catalogue's 66 (their
cost now includes the currency conversion of every money subject), the CFO
chart's budget against actual by month, the 12-month horizon, and
budget_variance_ytd by department. Runs in its own process (peak memory is
this benchmark's alone).
"""

from __future__ import annotations

import json
import subprocess
import sys

from tests.bench_metrics import AS_OF, ROOT, _peak_mb, _timed, bench_db, ensure_db, sizes

RUNS = 5


def _child(db: str, runs: int) -> list[dict]:
    from dashboard import database
    from metrics import api, cfo_year
    from metrics.catalog import METRICS

    engine = database.get_engine(db)
    ids = list(METRICS)
    first, new = ids[:66], ids[66:]
    cases = {
        "issue 15's 16 metrics (api.compute)": lambda: api.compute(engine, AS_OF, new),
        "the first 66 metrics, with conversion (api.compute)": lambda: api.compute(
            engine, AS_OF, first
        ),
        "budget against actual by month (cfo_year.budget_by_month)": lambda: (
            cfo_year.budget_by_month(engine, AS_OF)
        ),
        "12-month horizon (cfo_year.horizon)": lambda: cfo_year.horizon(engine, AS_OF),
        "budget_variance_ytd by department (api.breakdown)": lambda: api.breakdown(
            engine, "budget_variance_ytd", "department", AS_OF
        ),
    }
    api.compute(engine, AS_OF)  # builds the derived tables once, outside the timings
    rows = []
    for what, fn in cases.items():
        fn()
        rows.append({"what": what, **_timed(fn, runs)})
    peak = _peak_mb()
    return [{**r, "peak_mb": peak} for r in rows]


def run(runs: int = RUNS) -> list[dict]:
    path = bench_db()
    ensure_db(path)
    code = (
        "import json, sys; from tests.bench_finance import _child; "
        f"print(json.dumps(_child({str(path)!r}, {runs}), default=str))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout  # fmt: skip
    size = sizes(path)
    return [{"what": r["what"], "size": size, **{k: v for k, v in r.items() if k != "what"}}
            for r in json.loads(out.strip().splitlines()[-1])]  # fmt: skip


if __name__ == "__main__":
    for row in run():
        print(row)
