"""Benchmark: 24 months of metric snapshots on the scale-1 demo (docs/benchmarks.md).

`run()` builds the demo as of 2026-06-30 in a fresh process, then times
`python -m dashboard snapshot --as-of 2026-06-30 --backfill-months 24` (25
dates: 24 month ends and the as-of date), a second run of the same command
(idempotent: every date unchanged) and `kpis --json` on the result. The
target is under a minute for the backfill.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AS_OF = "2026-06-30"
MONTHS = 24

_BUILD = r"""
import datetime as dt, sys
from dashboard import database, demo
engine = database.get_engine(sys.argv[1])
demo.build_demo(engine, as_of=dt.date.fromisoformat(sys.argv[2]), scale=1.0)
database.dispose(sys.argv[1])
"""


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _cli(*args: str) -> tuple[float, str]:
    """Wall seconds and stdout of one command; CPU seconds in _cli.cpu (a shared machine)."""
    t, cpu = time.perf_counter(), _cpu()
    proc = subprocess.run(
        [sys.executable, "-m", "dashboard", *args], capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr)
    _cli.cpu = round(_cpu() - cpu, 1)  # type: ignore[attr-defined]
    return time.perf_counter() - t, proc.stdout


def run() -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.duckdb")
        subprocess.run([sys.executable, "-c", _BUILD, db, AS_OF], check=True)
        snapshot = (
            "snapshot",
            "--db",
            db,
            "--as-of",
            AS_OF,
            "--backfill-months",
            str(MONTHS),
            "--json",
        )
        first_s, out = _cli(*snapshot)
        first, first_cpu = json.loads(out), _cli.cpu
        again_s, out = _cli(*snapshot)
        again, again_cpu = json.loads(out), _cli.cpu
        kpis_s, out = _cli("kpis", "--db", db, "--as-of", AS_OF, "--json")
        statuses = [k["status"] for k in json.loads(out)["kpis"]]
        peak = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
        size = f"scale-1 demo, {len(first['dates'])} dates"
        return [
            {
                "what": f"snapshot --backfill-months {MONTHS} (first run)",
                "size": size,
                "seconds": round(first_s, 1),
                "peak_mb": peak,
                "rows": sum(d["rows"] for d in first["dates"]),
                "inside_seconds": first["seconds"],
                "cpu_seconds": first_cpu,
            },
            {
                "what": f"snapshot --backfill-months {MONTHS} (again: nothing changes)",
                "size": size,
                "seconds": round(again_s, 1),
                "peak_mb": peak,
                "unchanged": sum(d["action"] == "unchanged" for d in again["dates"]),
                "cpu_seconds": again_cpu,
            },
            {
                "what": "kpis --json (baselines from the snapshots)",
                "size": "scale-1 demo, 9 KPIs",
                "seconds": round(kpis_s, 1),
                "peak_mb": peak,
                "statuses": " ".join(statuses),
                "cpu_seconds": _cli.cpu,
            },
        ]


if __name__ == "__main__":
    for row in run():
        print(row)
