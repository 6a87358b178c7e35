"""Benchmark: the demo estate at scale 1 and 500 (about a million assets).

Each measurement runs in a fresh subprocess so that its peak memory (max RSS)
is its own. `seconds` is wall-clock time; `cpu_seconds` (user + system, all
threads) is less sensitive to other work on the machine. The history backfill
that the first-start hooks run afterwards is not included.

`python -m tests.bench_demo [SCALE ...]` prints the rows as JSON.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-06-30"

_CHILD = r"""
import datetime as dt, json, resource, sys, time
from dashboard import database, demo

scale, db = float(sys.argv[1]), sys.argv[2]
as_of = dt.date.fromisoformat(sys.argv[3])
started = time.perf_counter()
if db == "-":
    counts = {k: len(v) for k, v in demo.generate(as_of, seed=7, scale=scale).items()}
else:
    engine = database.get_engine(db)
    counts = demo.build_demo(engine, as_of, seed=7, scale=scale)
    database.dispose(db)
seconds = time.perf_counter() - started
use = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"seconds": seconds, "cpu_seconds": use.ru_utime + use.ru_stime,
                  "peak_mb": use.ru_maxrss / 1024, "counts": counts}))
"""


def measure(scale: float, load: bool) -> dict:
    """Generate (and with `load`, write into a new DuckDB file) in a subprocess."""
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "demo.duckdb") if load else "-"
        out = subprocess.run(
            [sys.executable, "-c", _CHILD, str(scale), db, AS_OF],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    counts = result.pop("counts")
    size = (
        f"scale {scale:g}: {counts['assets']:,} assets, {counts['installs']:,} installs, "
        f"{counts['tickets']:,} tickets, {counts['discovery']:,} discovery rows, "
        f"{sum(counts.values()):,} rows in all"
    )
    what = "demo: generate + load into DuckDB" if load else "demo: generate (numpy/pyarrow)"
    return {
        "what": what,
        "size": size,
        "seconds": round(result["seconds"], 1),
        "cpu_seconds": round(result["cpu_seconds"], 1),
        "peak_mb": round(result["peak_mb"]),
    }


def run(scales: tuple[float, ...] = (1, 500)) -> list[dict]:
    rows = []
    for scale in scales:
        rows.append(measure(scale, load=False))
        rows.append(measure(scale, load=True))
    return rows


if __name__ == "__main__":
    chosen = tuple(float(a) for a in sys.argv[1:]) or (1, 500)
    for row in run(chosen):
        print(json.dumps(row))
