"""Issue 12, item 5: metric SQL lives only in metrics/. No module of dashboard/ or pages/
aggregates the package tables or the engine's derived tables in SQL of its own (counts,
sums, means, GROUP BY): values, breakdowns, trends and members go through metrics.api."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from dashboard import schema

ROOT = Path(__file__).resolve().parent.parent
TABLES = [t.name for t in schema.TABLES]
READS = re.compile(r"\b(?:FROM|JOIN)\s+\"?(" + "|".join(TABLES) + r"|derived_\w+)\b", re.I)
AGGREGATES = re.compile(r"\b(?:sum|avg|count|max|min)\s*\(|\bGROUP\s+BY\b|\bGROUPING\b", re.I)
# Counting a table's rows (is the estate large? is it empty?) is not a metric.
ROW_COUNT = re.compile(r"^\s*SELECT\s+count\(\*\)\s+FROM\s+\"?\w+\"?\s*$", re.I)
# Reviewed exceptions, with the reason they are not metrics.
ALLOWED = {
    "dashboard/lookup.py": "the technician look-up lists devices per person and place "
    "(records of one search, on the engine's derived tables)",
}


def _sql_strings(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text())
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            out.append((node.lineno, node.value))
        elif isinstance(node, ast.JoinedStr):
            text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
            out.append((node.lineno, text))
    return out


def offenders() -> list[str]:
    found = []
    for folder in ("dashboard", "pages"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if rel in ALLOWED:
                continue
            for line, sql in _sql_strings(path):
                if READS.search(sql) and AGGREGATES.search(sql) and not ROW_COUNT.match(sql):
                    found.append(f"{rel}:{line}: {sql.strip()[:80]}")
    return found


def test_no_module_outside_metrics_writes_metric_sql():
    assert offenders() == []


def test_the_check_finds_what_it_looks_for():
    """The rule catches the hand-built SQL issue 12 removed (ui.data's budget and members)."""
    for sql in (
        "SELECT spend_type, sum(amount) AS amount FROM budget WHERE year = :y",
        "SELECT x, GROUPING(x) FROM derived_asset_facts GROUP BY GROUPING SETS ((x))",
    ):
        assert READS.search(sql) and AGGREGATES.search(sql) and not ROW_COUNT.match(sql)
    assert ROW_COUNT.match("SELECT count(*) FROM assets")
