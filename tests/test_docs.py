"""README stays true: its metric table is the catalogue's, its commands exist."""

from __future__ import annotations

from pathlib import Path

from metrics.docs import END, START, metric_table

ROOT = Path(__file__).resolve().parent.parent


def test_readme_metric_table_is_generated_from_the_catalogue():
    readme = (ROOT / "README.md").read_text()
    assert START in readme and END in readme, "README lost its metric-table markers"
    table = readme.split(START, 1)[1].split(END, 1)[0].strip()
    assert table == metric_table(), "run: python -m metrics.docs README.md"


def test_readme_quick_start_is_the_two_make_targets():
    readme = (ROOT / "README.md").read_text()
    makefile = (ROOT / "Makefile").read_text()
    assert "make run" in readme and "make test" in readme
    assert "\nrun:" in makefile and "\ntest:" in makefile


def test_every_cli_command_is_documented_in_the_readme():
    from dashboard.cli import COMMANDS

    readme = (ROOT / "README.md").read_text()
    missing = [c for c in COMMANDS if f"python -m dashboard {c}" not in readme]
    assert missing == []
