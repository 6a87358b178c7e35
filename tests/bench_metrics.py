"""Benchmark: the metric engine against a straightforward pandas implementation.

`run()` builds (or reuses) the demo estate at scale 500 — about a million
assets, five million installs, a million tickets and two million discovery
rows — then times, each as the median of RUNS runs:

- `metrics.api.compute` (the full catalogue of 66 metrics) and
  `metrics.api.breakdown(..., "hardware_spend_12m", "department", ...)`;
- the pandas reference (tests/pandas_reference.py) on the same data: the whole
  catalogue and the same breakdown. Its tables are read into DataFrames once,
  outside the timed runs (that load is timed and reported on its own row).

Each side runs in its own process, so each peak memory (ru_maxrss) is that
side's alone. The database path is BENCH_DB (default data/bench.duckdb);
when missing it is built with `python -m dashboard demo --scale 500`.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2026, 6, 30)
SCALE = 500
RUNS = 5
METRIC = "hardware_spend_12m"


def bench_db() -> Path:
    return Path(os.environ.get("BENCH_DB") or ROOT / "data" / "bench.duckdb")


def ensure_db(path: Path) -> None:
    """Build the scale-500 demo once (a few minutes); later runs reuse it."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "dashboard", "demo", "--db", str(path)]
    cmd += ["--scale", str(SCALE), "--as-of", AS_OF.isoformat()]
    subprocess.run(cmd, cwd=ROOT, check=True)


def sizes(path: Path) -> str:
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        counts = {
            t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
            for t in ("assets", "installs", "tickets", "discovery")
        }
    finally:
        con.close()
    return ", ".join(f"{n:,} {t}" for t, n in counts.items())


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(fn: Callable[[], object], runs: int) -> dict:
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        seconds.append(time.perf_counter() - start)
    return {
        "median_s": statistics.median(seconds),
        "first_s": seconds[0],  # the cold run (file pages not yet cached), inside the median
        "min_s": min(seconds),
        "max_s": max(seconds),
        "runs": runs,
    }


# ------------------------------------------------------------ one process per side


def _engine_side(db: str, runs: int) -> dict:
    from dashboard import database
    from metrics import api

    engine = database.get_engine(db, create=False)
    rows = []
    row = _timed(lambda: api.compute(engine, AS_OF), runs)
    rows.append({"what": "engine: all 66 metrics", **row, "peak_mb": _peak_mb()})
    row = _timed(lambda: api.breakdown(engine, METRIC, "department", AS_OF), runs)
    rows.append({"what": f"engine: {METRIC} by department", **row, "peak_mb": _peak_mb()})
    values = api.compute(engine, AS_OF)
    database.dispose(db)
    return {"rows": rows, "values": values}


def _pandas_side(db: str, runs: int) -> dict:
    from dashboard import database
    from tests import pandas_reference as pr

    engine = database.get_engine(db, create=False)
    start = time.perf_counter()
    frames = pr.load_frames(engine)
    load_s = time.perf_counter() - start
    database.dispose(db)
    rows = [
        {
            "what": "pandas: load every table into DataFrames (once, not in the runs below)",
            "median_s": load_s,
            "min_s": load_s,
            "max_s": load_s,
            "runs": 1,
            "peak_mb": _peak_mb(),
        }
    ]
    row = _timed(lambda: pr.compute_all(frames, AS_OF), runs)
    rows.append({"what": "pandas: all 66 metrics", **row, "peak_mb": _peak_mb()})
    row = _timed(lambda: pr.breakdown_by_department(frames, METRIC, AS_OF), runs)
    rows.append({"what": f"pandas: {METRIC} by department", **row, "peak_mb": _peak_mb()})
    return {"rows": rows, "values": pr.compute_all(frames, AS_OF)}


SIDES = {"engine": _engine_side, "pandas": _pandas_side}


def _in_child(side: str, db: Path, runs: int) -> dict:
    cmd = [sys.executable, "-m", "tests.bench_metrics", side, str(db), str(runs)]
    out = subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def _speedup(rows: list[dict], engine_what: str, pandas_what: str, label: str) -> dict:
    by = {r["what"]: r for r in rows}
    ratio = by[pandas_what]["median_s"] / by[engine_what]["median_s"]
    return {"what": f"speed-up, {label} (pandas median / engine median)", "ratio": round(ratio, 1)}


def agreement(engine_values: dict, pandas_values: dict) -> dict:
    """Both sides must compute the same numbers, or the timing compares nothing."""

    def same(x, y) -> bool:
        if x is None or y is None:
            return x is None and y is None
        return math.isclose(x, y, rel_tol=1e-6, abs_tol=1e-9)

    differ = sorted(k for k in engine_values if not same(engine_values[k], pandas_values.get(k)))
    return {
        "what": "same values (engine and pandas, within 1e-6 relative)",
        "agree": f"{len(engine_values) - len(differ)} of {len(engine_values)}",
        "differ": ", ".join(differ) or "none",
    }


def run(runs: int = RUNS) -> list[dict]:
    db = bench_db()
    ensure_db(db)
    size = sizes(db)
    engine_side, pandas_side = _in_child("engine", db, runs), _in_child("pandas", db, runs)
    rows = engine_side["rows"] + pandas_side["rows"]
    for row in rows:
        row["size"] = size
    rows.append(_speedup(rows, "engine: all 66 metrics", "pandas: all 66 metrics", "catalogue"))
    rows.append(
        _speedup(
            rows, f"engine: {METRIC} by department", f"pandas: {METRIC} by department", "breakdown"
        )
    )
    rows.append(agreement(engine_side["values"], pandas_side["values"]))
    return rows


if __name__ == "__main__":
    # Child: python -m tests.bench_metrics SIDE DB RUNS -> one JSON line of rows.
    side, db_arg, runs_arg = sys.argv[1:4]
    print(json.dumps(SIDES[side](db_arg, int(runs_arg))))
