"""Benchmark: how long a page takes to redraw after a filter change (issue #5).

For each page and each estate, a fresh process (so nothing is cached yet)
logs in as an admin through Streamlit's AppTest, opens the page, reruns it
once (everything cached: the floor of a redraw), then picks three departments
in turn in the filter bar. Each pick is a first visit for that filter, so the
page's metrics, KPIs and sparklines are computed, not read from the cache.
The technician page has no filter bar: it is timed on three look-ups.

AppTest runs the script in-process and renders no browser, so the times are
the server's share of a redraw: what the filters cost, plus Streamlit's own
script run. The estates: the scale-1 demo (built here in a temporary folder)
and the scale-500 one of `bench_metrics` (BENCH_DB).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2026, 6, 30)
PAGES = ("scorecard", "cio", "cfo", "asset_manager", "explore", "kpi", "technician")
PICKS = 3
LOOKUPS = ("London", "Smith", "LT-")


def _child(db: str, page: str) -> dict:
    """Runs in its own process: {cached_s, changes_s: [...]} for one page."""
    import logging

    logging.disable(logging.WARNING)
    folder = Path(tempfile.mkdtemp())
    from dashboard import auth

    config = auth.load_config(folder / "auth.yaml")
    auth.add_user(config, "bench-admin", "bench-password-1", ["admin"], name="Bench")
    auth.save_config(config, folder / "auth.yaml")
    os.environ.update(
        {
            "DATABASE_URL": f"duckdb:///{db}",
            "ITAM_AUTH_FILE": str(folder / "auth.yaml"),
            "ITAM_COOKIE_KEY": "bench-Xq7Vm2Rz9Kp4Lw8Ns3Tj6Hb1Cy5",
            "ITAM_DAILY_SNAPSHOT": "0",
        }
    )
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=600)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = "bench-admin"
    at.query_params["as_of"] = AS_OF.isoformat()
    at.run()
    at.switch_page(f"../pages/{page}.py").run()
    start = time.perf_counter()
    at.run()
    cached = time.perf_counter() - start
    changes = []
    if page == "technician":
        for text in LOOKUPS:
            start = time.perf_counter()
            at.text_input(key="tech_q").set_value(text).run()
            changes.append(time.perf_counter() - start)
    else:
        bar = next(m for m in at.multiselect if m.label == "Department")
        for member in [o for o in bar.options if o != "(none)"][:PICKS]:
            start = time.perf_counter()
            bar.set_value([member]).run()
            changes.append(time.perf_counter() - start)
    if at.exception:
        raise SystemExit(f"{page}: {at.exception[0].message}")
    return {"cached_s": cached, "changes_s": changes}


def _measure(db: Path, page: str) -> dict:
    cmd = [sys.executable, "-m", "tests.bench_pages", str(db), page]
    out = subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def _scale1(folder: Path) -> Path:
    path = folder / "scale1.duckdb"
    cmd = [
        sys.executable,
        "-m",
        "dashboard",
        "demo",
        "--db",
        str(path),
        "--as-of",
        AS_OF.isoformat(),
    ]
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
    return path


def run() -> list[dict]:
    from tests import bench_metrics

    big = bench_metrics.bench_db()
    bench_metrics.ensure_db(big)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        estates = [
            ("scale-1 demo, 2,000 assets", _scale1(Path(folder))),
            ("scale-500 demo, 1,000,000 assets", big),
        ]
        for size, db in estates:
            for page in PAGES:
                got = _measure(db, page)
                changes = got["changes_s"]
                rows.append(
                    {
                        "what": f"/{page}: "
                        + ("look-up" if page == "technician" else "department filter change"),
                        "size": size,
                        "median_s": statistics.median(changes),
                        "max_s": max(changes),
                        "runs": len(changes),
                        "cached_rerun_s": got["cached_s"],
                    }
                )
    return rows


if __name__ == "__main__":
    # Child: python -m tests.bench_pages DB PAGE -> one JSON line.
    print(json.dumps(_child(sys.argv[1], sys.argv[2])))
