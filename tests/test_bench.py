"""tests/bench.py: the docs/benchmarks.md section it writes (not the timings)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests import bench

WHEN = dt.datetime(2026, 6, 30, 9, 5)
ROWS = [{"what": "x", "size": "10 rows", "median_s": 0.1234, "runs": 5, "peak_mb": 1234.5}]


def test_table_puts_what_and_size_first_and_formats_numbers():
    rows = [{"median_s": 1.5, "what": "a|b", "size": "1"}, {"what": "c", "ratio": 7.0}]
    assert bench.table(rows).splitlines() == [
        "| what | size | median_s | ratio |",
        "|---|---|---|---|",
        "| a\\|b | 1 | 1.500 |  |",
        "| c |  |  | 7.000 |",
    ]


@pytest.mark.parametrize(
    ("doc", "head", "tail"),
    [
        ("", "# Benchmarks\n\n", "\n"),
        ("# Benchmarks\n\nHow to read these.\n", "# Benchmarks\n\nHow to read these.\n\n", "\n"),
    ],
)
def test_rewrite_adds_markers_and_keeps_text(doc, head, tail):
    out = bench.rewrite(doc, {"metrics": ROWS}, WHEN, "M")
    assert out.startswith(head + bench.START)
    assert out.endswith(bench.END + tail)
    assert (
        "### bench_metrics\n\nRun 2026-06-30 09:05 on: M.\n\n| what | size | median_s | runs | peak_mb |"
        in out
    )
    assert "| x | 10 rows | 0.123 | 5 | 1,234 |" in out


def test_rewrite_replaces_run_modules_and_keeps_the_others():
    first = bench.rewrite("intro\n", {"import": ROWS, "metrics": ROWS}, WHEN, "old")
    doc = first + "\nNotes after the table.\n"
    later = dt.datetime(2026, 7, 1, 10, 0)
    out = bench.rewrite(doc, {"metrics": [{"what": "y", "median_s": 2.0}]}, later, "new")
    assert out.startswith("intro\n\n" + bench.START)
    assert out.endswith(bench.END + "\n\nNotes after the table.\n")
    assert out.count(bench.START) == out.count(bench.END) == 1
    assert "### bench_import\n\nRun 2026-06-30 09:05 on: old." in out  # kept as it was
    assert "### bench_metrics\n\nRun 2026-07-01 10:00 on: new." in out
    assert "| y | 2.000 |" in out and "| x |" in out.split("### bench_metrics")[0]
    assert out.count("| x |") == 1  # the old metrics table is gone


def test_modules_lists_bench_files_and_rejects_unknown_names():
    assert {"metrics", "import"} <= set(bench.modules())
    assert bench.modules(["metrics"]) == ["metrics"]
    with pytest.raises(SystemExit, match="no benchmark named nope"):
        bench.modules(["nope"])


def test_machine_names_cpu_ram_and_versions():
    text = bench.machine()
    for word in ("CPU", "RAM", "Python", "DuckDB", "pandas"):
        assert word in text
