"""The log of imports: one ImportLog row per import that wrote data, and the Data
page's history of them (who imported which file when, rows per table)."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
from sqlalchemy import Engine
from sqlmodel import select

from dashboard import store
from dashboard.database import session
from dashboard.models import ImportLog

HISTORY_COLUMNS = ["when", "who", "file", "mode", "inserted", "updated", "unchanged", "tables"]


def record(engine: Engine, file_name: str, replace: bool, counts: dict, user: str | None) -> None:
    """Log an import that wrote data; the data changed, and demo mode is over."""
    store.mark_data_changed(engine)
    with session(engine) as s:
        s.add(
            ImportLog(
                created_at=dt.datetime.now().replace(microsecond=0),
                user=user,
                file_name=file_name,
                mode="replace" if replace else "upsert",
                counts=store.dumps(store.counts_json(counts)),
            )
        )
        s.commit()
    if store.get_setting(engine, "demo_mode") == "true":
        # An organisation's own data ends demo mode (the auth work then drops demo users).
        store.set_setting(engine, "demo_mode", "false")


def import_history(engine: Engine, limit: int = 200) -> pd.DataFrame:
    """The Data page's history: who imported which file when, rows per table (newest first)."""
    with session(engine) as s:
        logs = s.exec(
            select(ImportLog)
            .order_by(ImportLog.created_at.desc(), ImportLog.id.desc())
            .limit(limit)
        ).all()
    return pd.DataFrame([_history_row(log) for log in logs], columns=HISTORY_COLUMNS)


def _history_row(log: ImportLog) -> dict:
    counts = json.loads(log.counts or "{}")

    def total(key: str) -> int:
        return sum(c.get(key, 0) for c in counts.values())

    return {
        "when": log.created_at,
        "who": log.user,
        "file": log.file_name,
        "mode": log.mode,
        "inserted": total("inserted"),
        "updated": total("updated"),
        "unchanged": total("unchanged"),
        "tables": ", ".join(
            f"{t} +{c.get('inserted', 0)}/~{c.get('updated', 0)}" for t, c in counts.items()
        ),
    }
