"""The roadmap: the data package's `roadmap` table, edited on the strategy page.

Read and written as a whole (the editor shows every task); a save is checked
like an import (required fields, unique item ids, statuses, dates), replaces the
table in bulk, marks the data changed (the progress metrics read it) and writes
one audit line naming the rows added, changed and removed.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, text
from sqlmodel import Session

from dashboard import store
from dashboard.strategy_rows import StrategyError, audit, blank
from metrics import api

ROADMAP_STATUSES = ("planned", "in_progress", "done", "cancelled")
ROADMAP_COLUMNS = (
    "item_id",
    "initiative",
    "task",
    "owner",
    "target_date",
    "status",
    "completed_date",
)


def roadmap_frame(engine: Engine) -> pd.DataFrame:
    cols = ", ".join(ROADMAP_COLUMNS)
    with engine.connect() as conn:
        rows = conn.execute(
            text(f"SELECT {cols} FROM roadmap ORDER BY initiative, target_date, item_id")
        ).all()
    frame = pd.DataFrame([tuple(r) for r in rows], columns=list(ROADMAP_COLUMNS))
    for c in ("target_date", "completed_date"):
        frame[c] = frame[c].astype(object)
    return frame


def _date(v, where: str, errors: list[str]) -> dt.date | None:
    if blank(v) or v == "":
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, pd.Timestamp):
        return v.date()
    try:
        return dt.date.fromisoformat(str(v).strip())
    except ValueError:
        errors.append(f"{where}: {v!r} is not a date (YYYY-MM-DD)")
        return None


def validate_roadmap(frame: pd.DataFrame) -> tuple[list[dict], list[str]]:
    """Roadmap rows checked like an import: required fields, unique keys, enumerations, dates."""
    rows, errors, seen = [], [], set()
    for n, rec in enumerate(frame.to_dict("records"), 1):
        vals = {c: rec.get(c) for c in ROADMAP_COLUMNS}
        if all(blank(v) or v == "" for v in vals.values()):
            continue
        text_of = {
            c: "" if blank(vals[c]) else str(vals[c]).strip()
            for c in ("item_id", "initiative", "task", "owner", "status")
        }
        for c in ("item_id", "initiative", "task"):
            if not text_of[c]:
                errors.append(f"row {n}: {c} is required")
        status = text_of["status"].lower().replace(" ", "_") or "planned"
        if status not in ROADMAP_STATUSES:
            errors.append(
                f"row {n}: status {text_of['status']!r} is not one of {', '.join(ROADMAP_STATUSES)}"
            )
        if text_of["item_id"] in seen:
            errors.append(f"row {n}: item_id {text_of['item_id']!r} appears twice")
        seen.add(text_of["item_id"])
        rows.append(
            {
                "item_id": text_of["item_id"],
                "initiative": text_of["initiative"],
                "task": text_of["task"],
                "owner": text_of["owner"] or None,
                "status": status,
                "target_date": _date(vals["target_date"], f"row {n}: target_date", errors),
                "completed_date": _date(vals["completed_date"], f"row {n}: completed_date", errors),
            }
        )
    return rows, errors


def save_roadmap(engine: Engine, frame: pd.DataFrame, user: str | None) -> dict[str, int]:
    """Replace the roadmap table with the edited rows; counts of rows added, changed, removed."""
    rows, errors = validate_roadmap(frame)
    if errors:
        raise StrategyError(errors)
    old = {r["item_id"]: r for r in roadmap_frame(engine).to_dict("records")}
    new = {r["item_id"]: r for r in rows}
    changed = {k for k in new if k in old and _norm(old[k]) != _norm(new[k])}
    added, removed = set(new) - set(old), set(old) - set(new)
    if not (changed or added or removed):
        return {"added": 0, "changed": 0, "removed": 0}
    out = pd.DataFrame(rows, columns=list(ROADMAP_COLUMNS))
    for c in ("target_date", "completed_date"):
        out[c] = pd.to_datetime(out[c])
    store.write_tables(engine, {"roadmap": out}, replace=True)
    store.mark_data_changed(engine)
    with Session(engine, expire_on_commit=False) as s:
        audit(
            s,
            "roadmap",
            None,
            "update",
            {k: old[k] for k in sorted(changed | removed)},
            {k: new[k] for k in sorted(changed | added)},
            user,
        )
        s.commit()
    return {"added": len(added), "changed": len(changed), "removed": len(removed)}


def roadmap_progress(engine: Engine, as_of: dt.date) -> dict[str, float | None]:
    """The progress metrics the roadmap feeds (roadmap_done_pct, roadmap_in_progress)."""
    return api.compute(engine, as_of, ["roadmap_done_pct", "roadmap_in_progress"])


def _norm(row: dict) -> dict:
    return {
        k: (None if blank(v) else (v.date() if isinstance(v, pd.Timestamp) else v))
        for k, v in row.items()
    }
