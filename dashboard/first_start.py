"""The first-start step: what runs after `python -m dashboard setup` and `demo`.

It calls, in order, the KPI work (the default KPIs and, for a demo of up to
100,000 assets, 24 month ends of history) and the auth work (a cookie key, and
the demo users while demo mode lasts). Both are idempotent, because `setup`
runs this on every start. It used to be a list of hooks in `demo` that `kpis`
and `auth` appended to on import (a circle); now the order is written here.
"""

from __future__ import annotations

from sqlalchemy import Engine

from dashboard import auth, kpis


def run(engine: Engine) -> None:
    """After a demo build or on any `setup`: default KPIs and history, then cookie key and users."""
    kpis.on_demo_built(engine)
    auth.first_start(engine)
