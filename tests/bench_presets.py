"""Benchmark: presets on large exports (docs/benchmarks.md).

An AWS Cost and Usage Report of 200,000 lines (about 45 MB, near the 50 MB upload
limit: a month of hourly lines for ~280 resources) summed to cloud_spend, and a
Snipe-IT asset import file of 100,000 assets. Each runs in a fresh process (so its
peak memory is the import's alone), as `python -m dashboard import --preset` does.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb

CUR_LINES = 200_000
SNIPEIT_ROWS = 100_000

_CHILD = r"""
import json, resource, sys, time
from dashboard import database, presets
from dashboard.upload_checks import Limits
t = time.perf_counter()
engine = database.get_engine(sys.argv[1])
result = presets.import_with_preset(engine, sys.argv[2], sys.argv[3], limits=Limits(max_upload_mb=500,
                                    max_unpacked_mb=10_000))
seconds = time.perf_counter() - t
database.dispose(sys.argv[1])
print(json.dumps({"ok": result.ok, "seconds": seconds, "errors": result.errors[:3],
                  "tables": result.to_json()["tables"],
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def write_cur(path: Path, lines: int = CUR_LINES) -> None:
    """Hourly lines of May 2026 over EC2, S3, RDS and Lambda, tagged with five departments."""
    duckdb.sql(f"""
        COPY (SELECT
            printf('li-%08d', i) AS "identity/LineItemId",
            'Usage' AS "lineItem/LineItemType",
            strftime(TIMESTAMP '2026-05-01' + to_hours(i % 744), '%Y-%m-%dT%H:%M:%SZ')
                AS "lineItem/UsageStartDate",
            ['AmazonEC2','AmazonS3','AmazonRDS','AWSLambda'][1 + i % 4] AS "lineItem/ProductCode",
            printf('%.10f', (i % 97) / 100.0) AS "lineItem/UnblendedCost",
            ['Amazon Elastic Compute Cloud','Amazon Simple Storage Service',
             'Amazon Relational Database Service','AWS Lambda'][1 + i % 4] AS "product/ProductName",
            ['Finance','IT','Sales','HR','eng'][1 + i % 5] AS "resourceTags/user:Department",
            printf('CC-%03d', 100 + i % 7) AS "resourceTags/user:CostCenter"
          FROM range({lines}) t(i)
        ) TO '{path}' (HEADER, DELIMITER ',')
    """)


def write_snipeit(path: Path, rows: int = SNIPEIT_ROWS) -> None:
    """Snipe-IT's import template: no Status column, US dates, checkouts to users and locations."""
    duckdb.sql(f"""
        COPY (SELECT
            'Acme' AS "Company", printf('host%06d', i) AS "Name", printf('AT-%06d', i) AS "Asset Tag",
            ['Laptops','Desktops','Monitors','Mobile Phones'][1 + i % 4] AS "Category",
            'CDW' AS "Supplier", 'Dell' AS "Manufacturer", 'HQ' AS "Location",
            printf('%d', 1000 + i % 500) AS "Order Number", 'Latitude' AS "Model",
            printf('%d/%d/23', 1 + i % 12, 1 + i % 28) AS "Purchase Date",
            printf('%.2f', (500 + i % 1500)::DOUBLE) AS "Purchase Cost",
            CASE WHEN i % 3 = 0 THEN 'User' WHEN i % 3 = 1 THEN 'Location' END AS "Checkout Type",
            CASE WHEN i % 3 = 0 THEN printf('user%05d', i % 20000) END AS "Checked Out To: Username",
            CASE WHEN i % 3 = 0 THEN printf('user%05d@acme.example', i % 20000) END AS "Checked Out To: Email",
            CASE WHEN i % 3 = 1 THEN 'Floor 2' END AS "Checked Out To: Location"
          FROM range({rows}) t(i)
        ) TO '{path}' (HEADER, DELIMITER ',')
    """)


def measure(csv: Path, preset: str, db: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", _CHILD, str(db), str(csv), preset],
                         capture_output=True, text=True, check=True)  # fmt: skip
    got = json.loads(out.stdout.strip().splitlines()[-1])
    if not got["ok"]:
        raise SystemExit(f"{preset}: import failed: {got['errors']}")
    return got


def run() -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        for what, writer, n, preset, table in [
            ("AWS CUR -> cloud_spend (summed)", write_cur, CUR_LINES, "aws", "cloud_spend"),
            ("Snipe-IT assets (import template)", write_snipeit, SNIPEIT_ROWS, "snipeit", "assets"),
        ]:
            csv = tmp / f"{preset}.csv"
            writer(csv)
            got = measure(csv, preset, tmp / f"{preset}.duckdb")
            rows.append({
                "what": f"{what}: {csv.stat().st_size / 1e6:.0f} MB, "
                        f"{got['tables'][table]['inserted']:,} {table} rows",
                "size": n, "seconds": round(got["seconds"], 2), "peak_mb": round(got["peak_mb"]),
            })  # fmt: skip
    return rows


if __name__ == "__main__":
    for r in run():
        print(r)
