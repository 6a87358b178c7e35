"""Benchmark: an organisation's own export through the first-hour rules (issue 11).

Assets written in the organisation's words — its own category and status
names (a value map places them), US slashed dates (read month-first from the
column's evidence), vendor names written three ways (the vendor table) — are
imported in one pass; compared with `bench_import`'s plain package import.
"""

from __future__ import annotations

import resource
import tempfile
import time
from pathlib import Path

import duckdb

SIZES = (100_000, 1_000_000)
VALUES = {
    "Category": {
        "Notebooks": "laptop",
        "Towers": "desktop",
        "Screens": "monitor",
        "Handsets": "phone",
    },
    "Status": {"Active": "deployed", "Spare": "in_stock", "Gone": "retired"},
}


def write_csv(path: Path, rows: int) -> None:
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.execute(
        f"""
        COPY (
          SELECT printf('AT-%07d', i) AS "Asset Tag",
                 ['Notebooks','Towers','Screens','Handsets'][1 + i % 4] AS "Category",
                 ['Active','Spare','Gone'][1 + i % 3] AS "Status",
                 printf('%d/%d/%02d', 1 + i % 12, 1 + i % 28, 20 + i % 6) AS "Purchase Date",
                 ['Dell Inc.','DELL','Dell Technologies','Lenovo','HP Inc.'][1 + i % 5] AS "Manufacturer",
                 (100 + i % 1900)::VARCHAR || '.50' AS "Purchase Cost"
          FROM range({rows}) t(i)
        ) TO '{path}' (HEADER, DELIMITER ',')
        """
    )
    con.close()


def run() -> list[dict]:
    from dashboard import database, importer
    from dashboard.upload_checks import Limits
    from dashboard.valuemaps import ImportOptions

    out = []
    for size in SIZES:
        with tempfile.TemporaryDirectory() as tmp:
            csv = Path(tmp) / "assets.csv"
            write_csv(csv, size)
            db = Path(tmp) / "bench.duckdb"
            engine = database.get_engine(db)
            started = time.perf_counter()
            result = importer.import_package(
                engine, csv, limits=Limits(max_upload_mb=10_000, max_unpacked_mb=10_000),
                options=ImportOptions(values=VALUES),
            )  # fmt: skip
            seconds = time.perf_counter() - started
            database.dispose(db)
            assert result.ok, result.errors[:3]
            out.append({
                "what": "import in the organisation's words (value map, slashed dates, vendor names)",
                "size": size, "seconds": round(seconds, 2),
                "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            })  # fmt: skip
    return out


if __name__ == "__main__":
    for row in run():
        print(row)
