"""`python -m dashboard setup --db FILE`: the first start (`make run` calls it every time).

When the database does not exist or holds no assets, build the demo estate
(scale 1, as of today) and run the first-start hooks; otherwise say it is there.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from sqlalchemy import text

from dashboard import database, demo, first_start
from dashboard.cli.common import add_db


def configure(p: argparse.ArgumentParser) -> None:
    add_db(p)


def run(args) -> int:
    url = database.database_url(args.db)
    path = database.duckdb_path(url)
    existed = path is None or path == ":memory:" or Path(path).exists()
    engine = database.get_engine(args.db)
    try:
        assets = _asset_count(engine) if existed else 0
        where = path or _redacted(url)
        if assets:
            print(f"database {where} is there ({assets:,} assets); nothing to set up")
        else:
            counts = demo.build_demo(engine, as_of=dt.date.today())
            print(
                f"no data in {where}: built the demo estate "
                f"({counts['assets']:,} assets, {counts['people']:,} people, as of {dt.date.today()})"
            )
        # Runs on every start; each step is idempotent (keeps a key it made before).
        first_start.run(engine)  # default KPIs and history, cookie key and demo users
    finally:
        database.dispose(args.db)
    return 0


def _asset_count(engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM assets")).scalar_one())


def _redacted(url: str) -> str:
    """A server URL without its password, for printing."""
    if "@" not in url:
        return url
    scheme, _, rest = url.partition("://")
    return f"{scheme}://***@{rest.split('@', 1)[1]}"
