"""The estimation tracker: what the team believed, against what the data shows.

data-package.md, "Estimation tracker": one sheet `estimates`, one row per line
item, each estimate (count, spend) with a margin and a confidence, tied to the
metrics that measure it. This module writes the template, validates an upload
with the importer's value parsers (errors as {sheet, row, column, value,
reason}), keeps each upload as a snapshot by (name, date), compares a snapshot
with the metric values, and follows the comparison across snapshots.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sqlalchemy import Engine, delete
from sqlmodel import select

from dashboard import schema
from dashboard.auth import scoped_filters
from dashboard.database import session
from dashboard.importer import normalise_header, parse_column, range_reasons
from dashboard.models import EstimateLine, EstimateSnapshot
from dashboard.readers import RawSheet, Source, error, read_package
from dashboard.upload_checks import Limits, UploadRejected
from metrics import api
from metrics.catalog import METRICS
from metrics.dimensions import DIMENSIONS

SHEET = "estimates"
CONFIDENCE = ("high", "medium", "low")
ASSET_CLASSES = ("hardware", "software", "cloud")
MEASURES = (
    ("count", "count_metric", "estimated_count", "count_margin_pct"),
    ("spend", "spend_metric", "estimated_spend", "spend_margin_pct"),
)

C = schema.Column
COLUMNS: tuple[schema.Column, ...] = (
    C("line_item", schema.TEXT, required=True),
    C("asset_class", schema.ENUM, values=ASSET_CLASSES),
    C("count_metric"),
    C("spend_metric"),
    C("filter"),
    C("estimated_count", schema.NUMBER, min=0),
    C("count_margin_pct", schema.NUMBER, min=0),
    C("estimated_spend", schema.NUMBER, min=0),
    C("spend_margin_pct", schema.NUMBER, min=0),
    C("confidence", schema.ENUM, required=True, values=CONFIDENCE),
    C("data_sources"),
    C("assumptions"),
    C("consulted"),
)
NAMES = tuple(c.name for c in COLUMNS)
# The columns a person fills in: a row with none of them is a template line left
# unestimated (skipped with a warning), not an error.
FILLED = (
    "estimated_count",
    "estimated_spend",
    "confidence",
    "data_sources",
    "assumptions",
    "consulted",
)

# The standard line items of the template: (line_item, asset_class, count_metric, spend_metric, filter).
STANDARD_LINES: tuple[tuple[str, str, str | None, str | None, str | None], ...] = (
    ("Laptops", "hardware", "active_devices", "hardware_spend_12m", "category=laptop"),
    ("Desktops", "hardware", "active_devices", "hardware_spend_12m", "category=desktop"),
    ("Tablets", "hardware", "active_devices", "hardware_spend_12m", "category=tablet"),
    ("Phones", "hardware", "active_devices", "hardware_spend_12m", "category=phone"),
    ("Monitors", "hardware", "active_devices", "hardware_spend_12m", "category=monitor"),
    ("Servers", "hardware", "active_devices", "hardware_spend_12m", "category=server"),
    ("Network devices", "hardware", "active_devices", "hardware_spend_12m", "category=network"),
    ("Printers", "hardware", "active_devices", "hardware_spend_12m", "category=printer"),
    ("All active devices", "hardware", "active_devices", None, None),
    ("Devices in stock", "hardware", "in_stock", None, None),
    (
        "Devices due for refresh (12 months)",
        "hardware",
        "refresh_due_12m",
        "refresh_forecast_12m",
        None,
    ),
    ("Software titles under contract", "software", "titles_managed", None, None),
    ("Software vendors", "software", "vendors_managed", None, None),
    ("Licences owned", "software", "entitled_licenses", None, None),
    ("Software installs", "software", "installs", None, None),
    ("Contracts renewing in 90 days", "software", "renewals_90d", "renewals_90d_value", None),
    ("Annual hardware spend", "hardware", None, "hardware_spend_12m", None),
    ("Annual software spend", "software", None, "software_spend_12m", None),
    ("Annual cloud spend", "cloud", None, "cloud_spend_12m", None),
)

INSTRUCTIONS = (
    "Estimation tracker: how to fill it in",
    "",
    "1. Time-box the exercise to one hour. The point is the first honest estimate, not a perfect one.",
    "2. For each line on the 'estimates' sheet, write how many (estimated_count) and/or how much per "
    "year (estimated_spend, a plain number in the organisation's currency).",
    "3. Add a margin of error in percent (count_margin_pct, spend_margin_pct): 20 means the truth is "
    "believed to lie within ±20 % of the estimate.",
    "4. Choose a confidence (high, medium, low) from the drop-down.",
    "5. Note your assumptions, the data sources you used and the people (subject-matter experts) you consulted.",
    "6. Lines you do not estimate can stay blank: they are skipped. Add your own lines at the bottom; "
    "count_metric and spend_metric name the metrics that measure them (see the 'metrics' sheet), and "
    "filter narrows them: dimension=value pairs separated by ';' (e.g. category=laptop;location=Paris).",
    "7. Upload it on the Estimates page (or `python -m dashboard estimates import FILE --name NAME`). "
    "Each upload is kept as a dated, named snapshot and compared with what the data shows.",
)


class EstimatesInvalid(ValueError):
    """An estimates upload was rejected; `.errors` lists every problem."""

    def __init__(self, errors: list[dict]):
        super().__init__(f"{len(errors)} problem(s) in the estimates upload")
        self.errors = errors


# ------------------------------------------------------------------ template


def template_bytes() -> bytes:
    """The template workbook: standard lines, drop-downs, the metrics list, instructions."""
    # openpyxl only to write the template (≈0.3 s to import; the CLI loads this module)
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill  # as above
    from openpyxl.worksheet.datavalidation import DataValidation  # as above

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(list(NAMES))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE7F3")
    for line in STANDARD_LINES:
        item, klass, count_metric, spend_metric, flt = line
        ws.append([item, klass, count_metric, spend_metric, flt])
    last = 500
    dv_conf = DataValidation(
        type="list",
        formula1='"high,medium,low"',
        allow_blank=True,
        errorTitle="Confidence",
        error="Choose high, medium or low.",
    )
    dv_class = DataValidation(type="list", formula1='"hardware,software,cloud"', allow_blank=True)
    dv_metric = DataValidation(
        type="list",
        formula1=f"=metrics!$A$2:$A${len(METRICS) + 1}",
        allow_blank=True,
        errorTitle="Metric",
        error="Choose a metric id from the 'metrics' sheet.",
    )
    dv_number = DataValidation(
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        errorTitle="Number",
        error="A plain number, 0 or more.",
    )
    col = {name: chr(ord("A") + i) for i, name in enumerate(NAMES)}
    dv_conf.add(f"{col['confidence']}2:{col['confidence']}{last}")
    dv_class.add(f"{col['asset_class']}2:{col['asset_class']}{last}")
    for name in ("count_metric", "spend_metric"):
        dv_metric.add(f"{col[name]}2:{col[name]}{last}")
    for name in ("estimated_count", "count_margin_pct", "estimated_spend", "spend_margin_pct"):
        dv_number.add(f"{col[name]}2:{col[name]}{last}")
    for dv in (dv_conf, dv_class, dv_metric, dv_number):
        ws.add_data_validation(dv)
    widths = {"line_item": 34, "filter": 20, "data_sources": 30, "assumptions": 40, "consulted": 24}
    for name, letter in col.items():
        ws.column_dimensions[letter].width = widths.get(name, 17)
    ws.freeze_panes = "B2"
    metrics_ws = wb.create_sheet("metrics")
    metrics_ws.append(["metric", "label", "unit", "dimensions (usable in filter)"])
    for m in METRICS.values():
        metrics_ws.append([m.id, m.label, m.unit, ", ".join(api.dimensions(m.id))])
    metrics_ws.column_dimensions["A"].width = 36
    metrics_ws.column_dimensions["B"].width = 44
    metrics_ws.column_dimensions["D"].width = 60
    notes = wb.create_sheet("instructions")
    for line in INSTRUCTIONS:
        notes.append([line])
    notes["A1"].font = Font(bold=True, size=14)
    notes.column_dimensions["A"].width = 140
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ------------------------------------------------------------------ filters


def parse_filter(text: str | None) -> tuple[dict[str, list[str]], str | None]:
    """`category=laptop;location=Paris` -> ({dim: [values]}, None), or ({}, why it is malformed)."""
    out: dict[str, list[str]] = {}
    if text is None or not str(text).strip():
        return out, None
    for part in str(text).split(";"):
        if not part.strip():
            continue
        dim, sep, value = part.partition("=")
        dim, value = dim.strip().lower(), value.strip()
        if not sep or not dim or not value:
            return {}, f"{part.strip()!r} is not dimension=value (pairs are separated by ';')"
        if dim not in DIMENSIONS:
            return {}, f"unknown dimension {dim!r} (known: {', '.join(DIMENSIONS)})"
        out.setdefault(dim, [])
        if value not in out[dim]:
            out[dim].append(value)
    return out, None


def filter_text(filters: dict[str, list[str]]) -> str | None:
    """The normalised form of a filter, as stored and shown."""
    parts = [f"{dim}={v}" for dim, values in filters.items() for v in values]
    return ";".join(parts) or None


# ------------------------------------------------------------------ reading and validation


@dataclass
class Checked:
    """A validated upload: the lines (one per kept row), errors, warnings."""

    lines: pd.DataFrame
    errors: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _pick_sheet(sheets: list[RawSheet]) -> RawSheet:
    named = [s for s in sheets if s.name.strip().lower() == SHEET]
    if named:
        return named[0]
    if len(sheets) == 1 and sheets[0].kind == "csv":
        return sheets[0]
    raise UploadRejected(f"no sheet named '{SHEET}' (the estimates are on a sheet of that name)")


def read_estimates(
    source: Source, *, filename: str | None = None, limits: Limits | None = None
) -> Checked:
    """Read and validate an estimates workbook or CSV (nothing is stored)."""
    if filename is None and isinstance(source, (bytes, bytearray)):
        filename = "estimates.xlsx" if bytes(source[:2]) == b"PK" else "estimates.csv"
    try:
        sheets, warns = read_package(source, filename=filename, limits=limits)
        raw = _pick_sheet(sheets)
    except UploadRejected as exc:
        return Checked(
            pd.DataFrame(columns=list(NAMES)),
            [error(filename or "upload", None, None, None, str(exc))],
        )
    checked = validate(raw)
    checked.warnings = warns + checked.warnings
    return checked


def validate(raw: RawSheet) -> Checked:
    """Every value against data-package.md's estimation tracker (the importer's parsers)."""
    errors = list(raw.errors)
    warns: list[str] = []
    position: dict[str, int] = {}
    header_of: dict[str, str] = {}
    for pos, header in enumerate(raw.headers):
        name = normalise_header(header)
        if name in NAMES and name not in position:
            position[name], header_of[name] = pos, header
        elif name:
            warns.append(f"{raw.name}: unknown column {header!r} ignored")
    for col in COLUMNS:
        if col.required and col.name not in position:
            errors.append(error(raw.name, 1, col.name, None, "a required column is missing"))
    if errors and any(e["row"] == 1 for e in errors):
        return Checked(pd.DataFrame(columns=list(NAMES)), errors, warns)

    def where(name: str) -> str:
        return header_of.get(name, name)

    frame = pd.DataFrame(index=pd.RangeIndex(len(raw.data)))
    blank = {}
    for col in COLUMNS:
        if col.name in position:
            parsed = parse_column(
                raw.data[position[col.name]].reset_index(drop=True),
                col,
                decimal_comma=raw.decimal_comma,
            )
            for i in np.flatnonzero(parsed.bad.to_numpy()):
                errors.append(
                    error(
                        raw.name,
                        int(raw.rows[i]),
                        where(col.name),
                        _shown(raw.data[position[col.name]].iat[i]),
                        parsed.reasons.iat[i],
                    )
                )
            frame[col.name] = parsed.values.astype(object).where(parsed.values.notna(), None)
            blank[col.name] = parsed.blank.to_numpy()
            if col.min is not None:
                reasons = range_reasons(parsed.values, col)
                for i in np.flatnonzero(reasons.notna().to_numpy()):
                    errors.append(
                        error(
                            raw.name,
                            int(raw.rows[i]),
                            where(col.name),
                            _shown(parsed.values.iat[i]),
                            reasons.iat[i],
                        )
                    )
        else:
            frame[col.name] = None
            blank[col.name] = np.ones(len(frame), dtype=bool)
    frame["row"] = raw.rows
    unfilled = np.logical_and.reduce([blank[c] for c in FILLED])
    for i in np.flatnonzero(unfilled):
        if not blank["line_item"][i]:
            warns.append(
                f"{raw.name}: row {int(raw.rows[i])} ({frame['line_item'].iat[i]}) is not estimated: skipped"
            )
    frame = frame[~unfilled].reset_index(drop=True)
    seen = {(e["row"], e["column"]) for e in errors}
    errors += [e for e in _row_rules(raw.name, frame, where) if (e["row"], e["column"]) not in seen]
    errors.sort(key=lambda e: e["row"] or 0)
    if not errors and frame.empty:
        errors.append(error(raw.name, None, None, None, "no line is estimated: nothing to import"))
    return Checked(frame, errors, warns)


def _shown(value) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return value.isoformat() if isinstance(value, (dt.date, dt.time)) else str(value)


def _row_rules(sheet: str, frame: pd.DataFrame, where) -> list[dict]:
    """Required values, known metric ids, well-formed filters, one estimate at least, unique items."""
    errors = []
    seen: dict[str, int] = {}
    for rec in frame.to_dict("records"):
        row = int(rec["row"])
        for name in ("line_item", "confidence"):
            if rec[name] is None:
                errors.append(error(sheet, row, where(name), None, "a required value is blank"))
        filters, why = parse_filter(rec["filter"])
        if why:
            errors.append(error(sheet, row, where("filter"), rec["filter"], why))
        for name in ("count_metric", "spend_metric"):
            metric = rec[name]
            if metric is None:
                continue
            if metric not in METRICS:
                errors.append(
                    error(
                        sheet,
                        row,
                        where(name),
                        metric,
                        "unknown metric id (the 'metrics' sheet of the template lists them)",
                    )
                )
            elif not why and not api.supports(metric, filters):
                errors.append(
                    error(
                        sheet,
                        row,
                        where("filter"),
                        rec["filter"],
                        f"{metric} cannot be filtered by {', '.join(d for d in filters if not api.supports(metric, [d]))}"
                        f" (it carries {', '.join(api.dimensions(metric)) or 'no dimension'})",
                    )
                )
        if rec["estimated_count"] is None and rec["estimated_spend"] is None:
            errors.append(
                error(
                    sheet,
                    row,
                    where("estimated_count"),
                    None,
                    "estimated_count or estimated_spend is required (both are blank)",
                )
            )
        item = rec["line_item"]
        if item is not None:
            if item in seen:
                errors.append(
                    error(
                        sheet,
                        row,
                        where("line_item"),
                        item,
                        f"duplicate line item: the same as row {seen[item]}",
                    )
                )
            seen.setdefault(item, row)
    return errors


# ------------------------------------------------------------------ snapshots


@dataclass
class Imported:
    ok: bool
    errors: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    snapshot: dict | None = None  # {"id", "name", "date", "lines", "replaced"}

    def to_json(self) -> dict:
        return {
            "ok": self.ok,
            "errors": self.errors,
            "warnings": self.warnings,
            "snapshot": self.snapshot,
        }


def import_estimates(
    engine: Engine,
    source: Source,
    name: str,
    *,
    date: dt.date | None = None,
    filename: str | None = None,
    user: str | None = None,
    limits: Limits | None = None,
) -> Imported:
    """Validate and keep an upload as the snapshot (name, date); an upload for the same pair replaces it."""
    name = (name or "").strip()
    date = date or dt.date.today()
    if not name:
        return Imported(False, [error(None, None, None, None, "a snapshot needs a name")])
    checked = read_estimates(source, filename=filename, limits=limits)
    if not checked.ok:
        return Imported(False, checked.errors, checked.warnings)
    snap_id, replaced = _store(engine, name, date, checked.lines, filename or _name(source), user)
    info = {
        "id": snap_id,
        "name": name,
        "date": date.isoformat(),
        "lines": len(checked.lines),
        "replaced": replaced,
    }
    return Imported(True, [], checked.warnings, info)


def _name(source) -> str:
    if isinstance(source, (bytes, bytearray)):
        return "upload"
    return str(getattr(source, "name", None) or source).rsplit("/", 1)[-1]


def _store(
    engine: Engine, name: str, date: dt.date, lines: pd.DataFrame, file_name: str, user: str | None
) -> tuple[int, bool]:
    with session(engine) as s:
        old = s.exec(
            select(EstimateSnapshot).where(
                EstimateSnapshot.name == name, EstimateSnapshot.taken_on == date
            )
        ).all()
        for snap in old:
            s.exec(delete(EstimateLine).where(EstimateLine.snapshot_id == snap.id))
            s.delete(snap)
        snap = EstimateSnapshot(
            name=name,
            taken_on=date,
            created_at=dt.datetime.now().replace(microsecond=0),
            created_by=user,
            file_name=file_name,
        )
        s.add(snap)
        s.flush()
        for i, rec in enumerate(lines.to_dict("records")):
            filters, _ = parse_filter(rec["filter"])
            s.add(
                EstimateLine(
                    snapshot_id=snap.id,
                    position=i,
                    row=int(rec["row"]),
                    line_item=rec["line_item"],
                    asset_class=rec["asset_class"],
                    count_metric=rec["count_metric"],
                    spend_metric=rec["spend_metric"],
                    filter=filter_text(filters),
                    estimated_count=_float(rec["estimated_count"]),
                    count_margin_pct=_float(rec["count_margin_pct"]),
                    estimated_spend=_float(rec["estimated_spend"]),
                    spend_margin_pct=_float(rec["spend_margin_pct"]),
                    confidence=rec["confidence"],
                    data_sources=rec["data_sources"],
                    assumptions=rec["assumptions"],
                    consulted=rec["consulted"],
                )
            )
        s.commit()
        return int(snap.id), bool(old)


def _float(v) -> float | None:
    return None if v is None or (isinstance(v, float) and np.isnan(v)) else float(v)


def list_snapshots(engine: Engine) -> list[dict]:
    """Every snapshot, oldest first: {"id", "name", "date", "created_at", "created_by", "file_name", "lines"}."""
    with session(engine) as s:
        snaps = s.exec(
            select(EstimateSnapshot).order_by(
                EstimateSnapshot.taken_on, EstimateSnapshot.created_at, EstimateSnapshot.id
            )
        ).all()
        counts: dict[int, int] = {}
        for line in s.exec(select(EstimateLine.snapshot_id)).all():
            counts[line] = counts.get(line, 0) + 1
    return [
        {
            "id": int(x.id),
            "name": x.name,
            "date": x.taken_on,
            "created_at": x.created_at,
            "created_by": x.created_by,
            "file_name": x.file_name,
            "lines": counts.get(int(x.id), 0),
        }
        for x in snaps
    ]


def find_snapshot(
    engine: Engine, name: str | None = None, date: dt.date | None = None
) -> dict | None:
    """The snapshot of `name` (its latest date, or `date`); the latest of all without a name."""
    snaps = [
        x
        for x in list_snapshots(engine)
        if (name is None or x["name"] == name) and (date is None or x["date"] == date)
    ]
    return snaps[-1] if snaps else None


def lines_of(engine: Engine, snapshot_id: int) -> list[dict]:
    with session(engine) as s:
        rows = s.exec(
            select(EstimateLine)
            .where(EstimateLine.snapshot_id == snapshot_id)
            .order_by(EstimateLine.position)
        ).all()
    return [r.model_dump() for r in rows]


# ------------------------------------------------------------------ comparison


def band(estimate: float, margin_pct: float | None) -> tuple[float, float]:
    """low = e x (1 - m/100), high = e x (1 + m/100); a blank margin is 0.

    Computed as e x (100 -/+ m) / 100: with whole-number inputs the product is
    exact, so a boundary such as 90 for 100 ± 10 % is exactly 90.
    """
    m = margin_pct or 0.0
    return estimate * (100.0 - m) / 100.0, estimate * (100.0 + m) / 100.0


def within(actual: float | None, low: float, high: float) -> bool | None:
    """low <= actual <= high; null without an actual. A relative 1e-9 absorbs float sums."""
    if actual is None:
        return None
    slack = 1e-9 * max(1.0, abs(low), abs(high))
    return low - slack <= actual <= high + slack


def _actuals(
    engine: Engine, lines: list[dict], as_of: dt.date, scope: dict[str, list[str]] | None
) -> dict[tuple[str, str | None], float | None]:
    """(metric, filter text) -> value as of `as_of`, one engine call per distinct filter."""
    wanted: dict[str | None, set[str]] = {}
    for line in lines:
        for _measure, metric_col, estimate_col, _m in MEASURES:
            if line[metric_col] and line[estimate_col] is not None:
                wanted.setdefault(line["filter"], set()).add(line[metric_col])
    out: dict[tuple[str, str | None], float | None] = {}
    for flt, metric_ids in wanted.items():
        filters = scoped_filters(parse_filter(flt)[0], scope)
        for metric_id in metric_ids:
            out[(metric_id, flt)] = None
        if filters is None:  # the line's filter lies outside the user's scope
            continue
        usable = [m for m in sorted(metric_ids) if m in METRICS and api.supports(m, filters)]
        if usable:
            out.update(
                {
                    (m, flt): v
                    for m, v in api.compute(engine, as_of, usable, filters or None).items()
                }
            )
    return out


def compare_lines(
    engine: Engine, lines: list[dict], as_of: dt.date, scope: dict[str, list[str]] | None = None
) -> list[dict]:
    """One entry per line item and measure estimated, in the sheet's order."""
    actuals = _actuals(engine, lines, as_of, scope)
    out = []
    for line in lines:
        for measure, metric_col, estimate_col, margin_col in MEASURES:
            estimate = line[estimate_col]
            if estimate is None:
                continue
            margin = line[margin_col] or 0.0
            low, high = band(estimate, margin)
            metric = line[metric_col]
            actual = actuals.get((metric, line["filter"])) if metric else None
            out.append(
                {
                    "line_item": line["line_item"],
                    "measure": measure,
                    "estimate": estimate,
                    "margin_pct": margin,
                    "low": low,
                    "high": high,
                    "metric": metric,
                    "filter": line["filter"],
                    "actual": actual,
                    "within_margin": within(actual, low, high),
                    "confidence": line["confidence"],
                }
            )
    return out


def compare(
    engine: Engine,
    name: str | None = None,
    as_of: dt.date | None = None,
    *,
    scope: dict[str, list[str]] | None = None,
    snapshot_id: int | None = None,
) -> dict | None:
    """The `estimates compare --json` document for a snapshot (the latest when no name), or None."""
    if snapshot_id is not None:
        snap = next((x for x in list_snapshots(engine) if x["id"] == snapshot_id), None)
    else:
        snap = find_snapshot(engine, name)
    if snap is None:
        return None
    as_of = as_of or dt.date.today()
    lines = compare_lines(engine, lines_of(engine, snap["id"]), as_of, scope)
    return {
        "snapshot": {"name": snap["name"], "date": snap["date"].isoformat()},
        "as_of": as_of.isoformat(),
        "lines": lines,
    }


def progress(
    engine: Engine, scope: dict[str, list[str]] | None = None, as_of: dt.date | None = None
) -> list[dict]:
    """Per snapshot (oldest first), compared as of its own date (or `as_of`): lines inside
    their margin and the confidence mix -- the estimation baseline followed over time."""
    out = []
    for snap in list_snapshots(engine):
        lines = lines_of(engine, snap["id"])
        compared = compare_lines(engine, lines, as_of or snap["date"], scope)
        judged = [c for c in compared if c["within_margin"] is not None]
        inside = sum(1 for c in judged if c["within_margin"])
        conf = {k: sum(1 for x in lines if x["confidence"] == k) for k in CONFIDENCE}
        out.append(
            {
                "name": snap["name"],
                "date": snap["date"].isoformat(),
                "estimates": len(compared),
                "with_actual": len(judged),
                "within_margin": inside,
                "within_pct": inside / len(judged) * 100.0 if judged else None,
                "confidence": conf,
            }
        )
    return out
