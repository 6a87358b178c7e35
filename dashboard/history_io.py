"""Past metric values in and out: a CSV or xlsx of `metric_id, as_of, value[, dimension, member]`.

An organisation brings the KPI history it kept in spreadsheets (or moves it
between databases): every row is checked first (unknown metric, bad date, a
date after today, a value that is not a number, a breakdown the metric does
not have, the same value twice) and named by sheet, row and column; with any
error nothing is stored. Accepted values are stored as recorded snapshots of
their day (dashboard/history.py): a state metric's record from the time, a
dated metric's until the data changes.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, text

from dashboard import history
from dashboard.readers import error, read_csv_bytes, read_xlsx
from dashboard.upload_checks import Limits, UploadRejected
from metrics import api
from metrics.catalog import METRICS
from metrics.dimensions import ALL_DIMENSIONS

COLUMNS = ("metric_id", "as_of", "value", "dimension", "member")
REQUIRED = ("metric_id", "as_of", "value")
SHEET = "history"


@dataclass
class HistoryImport:
    """What an import found and did, in the shape of `history import --json`."""

    ok: bool
    rows: int = 0
    stored: int = 0
    replaced: int = 0
    errors: list[dict] = field(default_factory=list)
    preview: pd.DataFrame | None = None
    dry_run: bool = False

    def to_json(self) -> dict:
        return {
            "ok": self.ok,
            "rows": self.rows,
            "stored": self.stored,
            "replaced": self.replaced,
            "dry_run": self.dry_run,
            "errors": self.errors,
        }


def _sheet(data: bytes, name: str, limits: Limits):
    """The one sheet to read: a CSV, or the workbook's sheet named history (else its first)."""
    if name.lower().endswith((".xlsx", ".xlsm")):
        sheets, _warnings = read_xlsx(data, name, limits)
        if not sheets:
            raise UploadRejected(f"{name} has no worksheet")
        return next((s for s in sheets if s.name.strip().lower() == SHEET), sheets[0])
    return read_csv_bytes(data, Path(name).stem)


def read(data: bytes, name: str, limits: Limits | None = None) -> tuple[pd.DataFrame, list[dict]]:
    """The file's rows as text (columns COLUMNS plus `row`), and reading errors."""
    sheet = _sheet(data, name, limits or Limits())
    headers = [h.strip().lower() for h in sheet.headers]
    errors = list(sheet.errors)
    missing = [c for c in REQUIRED if c not in headers]
    if missing:
        errors.append(
            error(
                sheet.name,
                sheet.header_row,
                ", ".join(missing),
                None,
                f"missing column(s): {', '.join(missing)}; a history file has "
                f"{', '.join(REQUIRED)} and optionally dimension, member",
            )
        )
        return pd.DataFrame(columns=[*COLUMNS, "row"]), errors
    frame = pd.DataFrame({"row": sheet.rows})
    for col in COLUMNS:
        if col in headers:
            frame[col] = [_text(v) for v in sheet.data.iloc[:, headers.index(col)]]
        else:
            frame[col] = ""
    frame.attrs["sheet"] = sheet.name
    blank = (frame[list(COLUMNS)] == "").all(axis=1)
    return frame[~blank].reset_index(drop=True), errors


def _text(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def check(frame: pd.DataFrame, today: dt.date | None = None) -> tuple[pd.DataFrame, list[dict]]:
    """Typed rows (metric, as_of, dim, member, value) and one error per bad cell."""
    today = today or dt.date.today()
    sheet = frame.attrs.get("sheet", SHEET)
    errors: list[dict] = []
    good: list[tuple] = []
    seen: dict[tuple, int] = {}
    for rec in frame.to_dict("records"):
        row_errors, typed = _check_row(rec, METRICS, today)
        errors += [error(sheet, rec["row"], c, v, r) for c, v, r in row_errors]
        if row_errors:
            continue
        key = typed[:4]
        if key in seen:
            errors.append(
                error(
                    sheet,
                    rec["row"],
                    "metric_id",
                    rec["metric_id"],
                    f"the same metric, date and member as row {seen[key]}",
                )
            )
            continue
        seen[key] = rec["row"]
        good.append(typed)
    typed = pd.DataFrame(good, columns=["metric", "as_of", "dim", "member", "value"])
    return typed, errors


def _check_row(rec: dict, metrics: dict, today: dt.date):
    """(errors as (column, value, reason), typed row or None) of one row."""
    out = []
    metric = rec["metric_id"]
    if metric not in metrics:
        out.append(
            (
                "metric_id",
                metric,
                "unknown metric (see the README's metric table)"
                if metric
                else "a metric id is required",
            )
        )
    day = _date(rec["as_of"])
    if day is None:
        out.append(("as_of", rec["as_of"], "not a date (YYYY-MM-DD)"))
    elif day > today:
        out.append(("as_of", rec["as_of"], "a date after today cannot have been recorded"))
    value = _number(rec["value"])
    if value is False:
        out.append(("value", rec["value"], "not a number"))
    dim, member = rec["dimension"], rec["member"]
    if dim and not member:
        out.append(("member", member, f"a {dim} needs its member"))
    elif member and not dim:
        out.append(("dimension", dim, "a member needs its dimension"))
    elif dim and metric in metrics and not _breaks_down(api, metrics[metric], dim):
        carried = ", ".join(api.dimensions(metric)) or "none"
        out.append(("dimension", dim, f"{metric} has no breakdown by {dim} (it has: {carried})"))
    if out:
        return out, None
    return [], (metric, day, dim, member, value)


def _breaks_down(api, metric, dim: str) -> bool:
    if metric.kind == "sum":
        return False
    try:
        return api.supports(metric.id, (dim,))
    except ValueError:
        return False


def _date(text_value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text_value[:10]) if text_value else None
    except ValueError:
        return None


def _number(text_value: str):
    """A float, None for a blank (a recorded null), False when not a number."""
    if text_value == "":
        return None
    try:
        value = float(text_value.replace(",", "")) if text_value.count(".") <= 1 else None
    except ValueError:
        return False
    if value is None or math.isnan(value) or math.isinf(value):
        return False
    return value


def import_history(
    engine: Engine,
    data: bytes,
    name: str,
    *,
    dry_run: bool = False,
    limits: Limits | None = None,
    today: dt.date | None = None,
) -> HistoryImport:
    """Check every row, then store them all (or, with any error or `dry_run`, nothing)."""
    frame, errors = read(data, name, limits)
    typed, bad = check(frame, today)
    errors += bad
    result = HistoryImport(
        ok=not errors, rows=len(frame), errors=errors, preview=typed, dry_run=dry_run
    )
    if errors or dry_run or typed.empty:
        return result
    result.replaced = _existing(engine, typed)
    rows = typed.copy()
    # a record declared for its day: taken at the time (history.at_the_time)
    rows["taken_at"] = [dt.datetime.combine(d, dt.time()) for d in rows["as_of"]]
    history.write_rows(engine, rows, whole_metrics=False)
    result.stored = len(rows)
    return result


def _existing(engine: Engine, typed: pd.DataFrame) -> int:
    """How many of the rows replace a stored value of the same metric, date and member."""
    stored = export_frame(engine, all_rows=True)
    if stored.empty:
        return 0
    keys = set(
        zip(
            stored["metric_id"], stored["as_of"], stored["dimension"], stored["member"], strict=True
        )
    )
    return sum(
        (m, d.isoformat(), dim, mem) in keys
        for m, d, dim, mem in zip(
            typed["metric"], typed["as_of"], typed["dim"], typed["member"], strict=True
        )
    )


def export_frame(engine: Engine, *, all_rows: bool = False) -> pd.DataFrame:
    """Every stored value a history file can carry (headlines and single-dimension members)."""
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT metric, as_of, dim, member, value FROM metric_snapshots"
                " ORDER BY as_of, metric, dim, member"
            )
        ).all()
    frame = pd.DataFrame(rows, columns=["metric_id", "as_of", "dimension", "member", "value"])
    if not all_rows:
        frame = frame[frame["dimension"].isin(("", *ALL_DIMENSIONS))]
    frame["as_of"] = [d.isoformat() for d in frame["as_of"]]
    return frame[["metric_id", "as_of", "value", "dimension", "member"]].reset_index(drop=True)


def export_bytes(engine: Engine, name: str) -> bytes:
    """The export as CSV, or as an xlsx (sheet `history`) when `name` ends in .xlsx."""
    frame = export_frame(engine)
    if name.lower().endswith(".xlsx"):
        buf = io.BytesIO()
        with pd.ExcelWriter(buf, engine="openpyxl") as xl:
            frame.to_excel(xl, sheet_name=SHEET, index=False)
        return buf.getvalue()
    return frame.to_csv(index=False).encode()
