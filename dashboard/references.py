"""References between the tables of an upload (and those already stored): warnings.

A row naming a person, asset or title the package does not hold is kept (the
spec makes these warnings, not errors), and said once per table and column.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, text

from dashboard import schema
from dashboard.database import is_duckdb, raw_cursor


def warnings(out, engine: Engine | None, replace: bool) -> list[str]:
    warns = []
    cache: dict[str, pd.Series] = {}
    for table, column, target, key in schema.REFERENCES:
        frame = out.frames.get(table)
        if frame is None or frame[column].isna().all():
            continue
        if target not in cache:
            cache[target] = _known_keys(out, engine, target, key, replace)
        values = frame[column]
        unknown = (values.notna() & ~values.isin(cache[target])).to_numpy()
        if unknown.any():
            rows = out.rows[table][unknown]
            example = values[unknown].iloc[0]
            warns.append(
                f"{out.sheets[table]}: {int(unknown.sum())} row(s) name a {column} not in {target} "
                f"(first: {example!r} in row {int(rows[0])})"
            )
    return warns


def _known_keys(out, engine: Engine | None, target: str, key: str, replace: bool) -> pd.Series:
    parts = []
    if target in out.frames:
        parts.append(out.frames[target][key].dropna().astype(str))
    if engine is not None and not (replace and target in out.frames):
        parts.append(_stored_keys(engine, target, key))
    if not parts:
        return pd.Series([], dtype="str")
    return pd.concat(parts, ignore_index=True).drop_duplicates()


def _stored_keys(engine: Engine, target: str, key: str) -> pd.Series:
    sql = f'SELECT DISTINCT "{key}" AS k FROM "{target}"'
    if is_duckdb(engine):
        cur = raw_cursor(engine)
        try:
            return cur.execute(sql).df()["k"].astype("str")
        finally:
            cur.close()
    with engine.connect() as conn:  # pragma: no cover (server databases)
        return pd.Series([r[0] for r in conn.execute(text(sql))], dtype="str")
