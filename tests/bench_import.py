"""Benchmark: import of one million asset rows from CSV (docs/benchmarks.md).

`run()` generates the CSV (DuckDB, seconds), then imports it in a fresh
process (so its peak memory is the import's alone) with the upload limit
raised for that run, as `python -m dashboard import --max-upload-mb` does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROWS = 1_000_000
SAMPLE = Path(__file__).parent / "data" / "sample-estate" / "sample-estate.xlsx"

_CHILD = r"""
import json, resource, sys, time
from dashboard import database, importer
from dashboard.upload_checks import Limits
t = time.perf_counter()
engine = database.get_engine(sys.argv[1])
result = importer.import_package(engine, sys.argv[2], limits=Limits(max_upload_mb=float(sys.argv[3]), max_unpacked_mb=10_000))
seconds = time.perf_counter() - t
database.dispose(sys.argv[1])
print(json.dumps({"ok": result.ok, "seconds": seconds, "errors": result.errors[:3],
                  "tables": result.to_json()["tables"],
                  "cpu_seconds": sum(resource.getrusage(resource.RUSAGE_SELF)[:2]),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def write_assets_csv(path: Path, rows: int = ROWS) -> None:
    """A realistic assets.csv: every column, mixed-case enumerations, blanks."""
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.execute(
        f"""
        COPY (
          SELECT
            printf('AT-%07d', i) AS "Asset Tag",
            ['Laptop','desktop','MONITOR','phone','server','tablet'][1 + i % 6] AS "Category",
            ['deployed','In Stock','retired','in_repair','disposed'][1 + i % 5] AS "Status",
            CASE WHEN i % 10 = 0 THEN NULL ELSE printf('SN%010d', i) END AS serial,
            printf('host%07d', i) AS hostname,
            ['Dell','HP','Lenovo','Apple'][1 + i % 4] AS manufacturer,
            'Model ' || (i % 37) AS model,
            CASE WHEN i % 9 = 0 THEN 'leased' ELSE NULL END AS ownership,
            printf('user%05d@corp.example', i % 30000) AS assigned_to,
            ['Finance','IT','Sales','HR'][1 + i % 4] AS department,
            printf('CC-%03d', 100 + i % 40) AS cost_center,
            ['London','Leeds','New York'][1 + i % 3] AS location,
            'CDW' AS supplier,
            printf('PO-%06d', i % 500000) AS po_number,
            strftime(DATE '2019-01-01' + CAST(i % 2000 AS INTEGER), '%Y-%m-%d') AS purchase_date,
            round(200 + (i % 1800) * 1.37, 2) AS purchase_cost,
            strftime(DATE '2022-01-01' + CAST(i % 2000 AS INTEGER), '%Y-%m-%d') AS warranty_end,
            CASE WHEN i % 3 = 0 THEN NULL ELSE 4 END AS expected_life_years,
            NULL AS requested_date,
            strftime(DATE '2019-02-01' + CAST(i % 2000 AS INTEGER), '%Y-%m-%d') AS deployed_date,
            NULL AS retired_date, NULL AS disposal_method, NULL AS disposal_certificate,
            NULL AS lost_stolen_date,
            'Windows' AS os, '11 23H2' AS os_version,
            strftime(DATE '2026-01-01' + CAST(i % 150 AS INTEGER), '%Y-%m-%d') AS last_patched,
            ['true','Yes','n'][1 + i % 3] AS meets_standard,
            CASE WHEN i % 2 = 0 THEN 'TRUE' ELSE '' END AS is_capital,
            NULL AS last_audit_date,
            CASE WHEN i % 1000 = 0 THEN 'note, with a comma' ELSE NULL END AS notes
          FROM range({rows}) t(i)
        ) TO '{path}' (HEADER, DELIMITER ',')
        """
    )
    con.close()


def _child(db: Path, source: Path, max_mb: float) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, str(db), str(source), str(max_mb)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr)
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    if not out["ok"]:
        raise RuntimeError(f"benchmark import rejected: {out['errors']}")
    return out


def run() -> list[dict]:
    return run_csv() + run_sample() + run_hostile()


def run_hostile() -> list[dict]:
    """How fast hostile uploads are refused (tests/test_hostile.py checks that they are):
    the slowest case of the corpus, and 20,000 rows of bad values reported in full."""
    from dashboard import database
    from tests.test_hostile import CASES, _assets_csv
    from tests.test_import import run_import

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        engine = database.get_engine(Path(tmp) / "hostile.duckdb")
        slowest = (0.0, "")
        for case, filename, content, limits, *_ in CASES:
            data = content() if callable(content) else content
            t = time.perf_counter()
            run_import(engine, data, filename, replace=True, limits=limits)
            slowest = max(slowest, (time.perf_counter() - t, case))
        rows.append(
            {
                "what": f"refuse a hostile upload (slowest of {len(CASES)}: {slowest[1]})",
                "size": "1 file",
                "seconds": round(slowest[0], 2),
            }
        )
        lines = [f"A{i},Spaceship,unknown,30.06.2026,${i}" for i in range(20_000)]
        t = time.perf_counter()
        result = run_import(engine, _assets_csv(*lines), "assets.csv")
        rows.append(
            {
                "what": "report every bad value of a CSV",
                "size": f"20,000 rows, {len(result.errors):,} errors",
                "seconds": round(time.perf_counter() - t, 1),
            }
        )
        database.dispose(Path(tmp) / "hostile.duckdb")
    return rows


def run_sample() -> list[dict]:
    """The shared sample estate (.xlsx, about 80,000 rows in 16 sheets), if present."""
    if not SAMPLE.exists():
        return []
    with tempfile.TemporaryDirectory() as tmp:
        out = _child(Path(tmp) / "sample.duckdb", SAMPLE, 50)
    size_mb = SAMPLE.stat().st_size / 2**20
    return [
        {
            "what": "import sample-estate.xlsx (16 sheets)",
            "size": f"{sum(t['inserted'] for t in out['tables'].values()):,} rows, {size_mb:.1f} MB",
            "seconds": round(out["seconds"], 1),
            "cpu_seconds": round(out["cpu_seconds"], 1),
            "peak_mb": round(out["peak_mb"]),
            "load_avg_1m": round(os.getloadavg()[0], 1),
        }
    ]


def run_csv() -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        csv_path = tmp_path / "assets.csv"
        t = time.perf_counter()
        write_assets_csv(csv_path)
        size_mb = csv_path.stat().st_size / 2**20
        generated = time.perf_counter() - t
        out = _child(tmp_path / "bench.duckdb", csv_path, int(size_mb) + 10)
        return [
            {
                "what": "import assets.csv (CLI path: read, validate, bulk upsert)",
                "size": f"{ROWS:,} rows, {size_mb:.0f} MB",
                "seconds": round(out["seconds"], 1),
                "cpu_seconds": round(out["cpu_seconds"], 1),
                "peak_mb": round(out["peak_mb"]),
                "load_avg_1m": round(os.getloadavg()[0], 1),
                "inserted": out["tables"]["assets"]["inserted"],
                "generate_seconds": round(generated, 1),
            }
        ]


if __name__ == "__main__":
    for row in run():
        print(row)
