"""`python -m dashboard kpis`: not built yet."""

from __future__ import annotations

from dashboard.cli.common import add_db, fail


def configure(p) -> None:
    add_db(p)


def run(args) -> int:
    return fail("'kpis' is not available yet", 3)
