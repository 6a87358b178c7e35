"""The executive pack: one workbook with the scorecard, each role's headline
metrics, breakdowns by department, vendor and cost center, a spend trend, and
native Excel charts (openpyxl charts that reference the cells, so they stay
live in Excel and LibreOffice).

Headless and pure of streamlit: the Scorecard page and `python -m dashboard
report` both call `build_pack`. Text that could run as a formula is written
as text with the cell's quote prefix (data-package.md, "Export").
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from sqlalchemy import Engine

from dashboard import fmt, kpis, permissions, store
from dashboard.exporter import NEEDS_QUOTE
from dashboard.permissions import PACK_KINDS, Access
from metrics import api, dimensions
from metrics.catalog import METRICS
from metrics.dimensions import NONE_MEMBER
from metrics.kpi import GOAL_LABELS

Filters = dict[str, list[str]] | None

ROLE_SHEETS = (("cio", "CIO"), ("cfo", "CFO"), ("asset_manager", "Asset manager"))
BREAKDOWNS = dimensions.by_label(in_pack=True)
# Additive metrics shown by member (counts and money sums: members add up to the total).
BREAKDOWN_METRICS = (
    "active_devices", "hardware_spend_12m", "software_spend_12m", "cloud_spend_12m",
    "refresh_forecast_12m", "renewals_90d_value", "license_shortfall_exposure", "top10_contract_spend",
)  # fmt: skip
TREND_METRICS = ("hardware_spend_12m", "software_spend_12m", "cloud_spend_12m")
STATUS_FILL = {"green": "C6EFCE", "amber": "FFEB9C", "red": "FFC7CE", "grey": "EDEDED"}
STATUS_WORD = {"green": "on target", "amber": "near target", "red": "breached", "grey": "no data"}
BOLD = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="DDE7F3")
SECTION_NAMES = {
    "pack:scorecard": "Scorecard", "pack:cio": "CIO", "pack:cfo": "CFO", "pack:asset_manager": "Asset manager",
    **{f"pack:by_{by}": title for by, title in BREAKDOWNS},
    "pack:spend": "Spend trend",
}  # fmt: skip


# ------------------------------------------------------------------ cells


def put(ws, row: int, col: int, value, *, bold: bool = False, number_format: str | None = None):
    """One cell; formula-like text is written as text with the quote prefix (never run)."""
    cell = ws.cell(row=row, column=col)
    cell.value = value
    if isinstance(value, str) and NEEDS_QUOTE.match(value):
        cell.data_type = "s"  # openpyxl would take a leading "=" for a formula
        cell.quotePrefix = True
    if bold:
        cell.font = BOLD
    if number_format:
        cell.number_format = number_format
    return cell


def _header(ws, row: int, names: list[str]) -> None:
    for i, name in enumerate(names, start=1):
        c = put(ws, row, i, name, bold=True)
        c.fill = HEAD_FILL


def _widths(ws, widths: dict[int, float]) -> None:
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = width


def _number_format(unit: str) -> str:
    return {"money": "#,##0", "count": "#,##0", "%": "0.0", "score": "0.00"}.get(unit, "#,##0.0")


def _title(ws, title: str, context: str) -> int:
    put(ws, 1, 1, title).font = Font(bold=True, size=14)
    put(ws, 2, 1, context)
    return 4


# ------------------------------------------------------------------ values


def _usable(metric_id: str, filters: Filters) -> bool:
    return api.supports(metric_id, list(filters or {}))


def _values(
    engine: Engine, as_of: dt.date, ids: list[str], filters: Filters
) -> dict[str, float | None]:
    ok = [m for m in ids if _usable(m, filters)]
    return api.compute(engine, as_of, ok, filters or None) if ok else {}


# ------------------------------------------------------------------ sheets


def _scorecard(
    wb: Workbook, engine: Engine, as_of: dt.date, filters: Filters, context: str, cur: str
) -> None:
    ws = wb.active
    ws.title = "Scorecard"
    row = _title(ws, "KPI scorecard", context)
    _header(
        ws,
        row,
        ["Goal", "KPI", "Value", "Shown", "Target", "Status", "Change vs one year before (%)"],
    )
    kpis.ensure_default_kpis(engine)
    results = kpis.evaluate(engine, as_of, filters or None)
    for r in results:
        row += 1
        m = METRICS[r.metric]
        put(ws, row, 1, GOAL_LABELS.get(r.goal, r.goal))
        put(ws, row, 2, m.label)
        put(ws, row, 3, r.value, number_format=_number_format(m.unit))
        put(ws, row, 4, fmt.metric_value(r.value, m.unit, cur))
        put(ws, row, 5, fmt.target_text(r.target_kind, r.target, m.unit, cur))
        status = put(ws, row, 6, STATUS_WORD.get(r.status, r.status))
        status.fill = PatternFill("solid", fgColor=STATUS_FILL.get(r.status, "FFFFFF"))
        put(ws, row, 7, None if r.change is None else round(r.change, 1), number_format="0.0")
    # The status counts, and a chart of them beside the table.
    top = row + 2
    _header(ws, top, ["Status", "KPIs"])
    for i, status in enumerate(("green", "amber", "red", "grey"), start=1):
        put(ws, top + i, 1, STATUS_WORD[status]).fill = PatternFill(
            "solid", fgColor=STATUS_FILL[status]
        )
        put(ws, top + i, 2, sum(r.status == status for r in results))
    chart = BarChart()
    chart.type = "col"
    chart.title = "KPIs by status"
    chart.y_axis.title = "KPIs"
    chart.legend = None
    chart.add_data(Reference(ws, min_col=2, min_row=top, max_row=top + 4), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=top + 1, max_row=top + 4))
    ws.add_chart(chart, "I4")
    _widths(ws, {1: 22, 2: 44, 3: 14, 4: 16, 5: 34, 6: 14, 7: 16})


def _role(
    wb: Workbook,
    engine: Engine,
    role: str,
    title: str,
    as_of: dt.date,
    filters: Filters,
    context: str,
    cur: str,
) -> None:
    ws = wb.create_sheet(title)
    ids = [m.id for m in METRICS.values() if role in m.roles]
    values = _values(engine, as_of, ids, filters)
    row = _title(ws, f"{title}: headline metrics", context)
    _header(ws, row, ["Metric", "Value", "Shown", "Unit", "Category", "What it counts"])
    money_rows = []
    for mid in ids:
        row += 1
        m = METRICS[mid]
        value = values.get(mid)
        put(ws, row, 1, m.label)
        put(ws, row, 2, value, number_format=_number_format(m.unit))
        put(
            ws,
            row,
            3,
            fmt.metric_value(value, m.unit, cur)
            if mid in values
            else "not available in this scope",
        )
        put(ws, row, 4, m.unit)
        put(ws, row, 5, m.category)
        put(ws, row, 6, m.description)
        if m.unit == "money" and value is not None:
            money_rows.append(row)
    if money_rows:
        _money_chart(ws, money_rows, f"{title}: money metrics ({cur})")
    _widths(ws, {1: 44, 2: 14, 3: 18, 4: 8, 5: 12, 6: 80})


def _money_chart(ws, rows: list[int], title: str) -> None:
    """A bar chart of the money metrics, from a contiguous copy of their label and value
    (values, not formulas: a file without cached formula results shows blanks in some readers)."""
    col = 8
    put(ws, 4, col, "Money metric", bold=True)
    put(ws, 4, col + 1, "Value", bold=True)
    for i, r in enumerate(rows, start=5):
        put(ws, i, col, ws.cell(row=r, column=1).value)
        put(ws, i, col + 1, ws.cell(row=r, column=2).value, number_format="#,##0")
    chart = BarChart()
    chart.type = "bar"
    chart.title = title
    chart.legend = None
    chart.height = max(7.5, 0.7 * len(rows) + 3)
    chart.width = 18
    chart.add_data(
        Reference(ws, min_col=col + 1, min_row=4, max_row=4 + len(rows)), titles_from_data=True
    )
    chart.set_categories(Reference(ws, min_col=col, min_row=5, max_row=4 + len(rows)))
    ws.add_chart(chart, "K4")


def _breakdown(
    wb: Workbook,
    engine: Engine,
    by: str,
    title: str,
    as_of: dt.date,
    filters: Filters,
    context: str,
    cur: str,
) -> None:
    ws = wb.create_sheet(title)
    row = _title(ws, f"{title}: additive metrics (members add up to the total)", context)
    ids = [m for m in BREAKDOWN_METRICS if _usable(m, list(filters or {}) + [by])]
    columns = {mid: api.breakdown(engine, mid, by, as_of, filters or None) for mid in ids}
    members = sorted(
        {k for c in columns.values() for k in c},
        key=lambda k: (-(columns[ids[0]].get(k) or 0) if ids else 0, k),
    )
    _header(ws, row, [by.replace("_", " ").capitalize()] + [f"{METRICS[m].label}" for m in ids])
    first = row + 1
    for member in members:
        row += 1
        put(ws, row, 1, member)
        for j, mid in enumerate(ids, start=2):
            put(
                ws,
                row,
                j,
                columns[mid].get(member, 0.0),
                number_format=_number_format(METRICS[mid].unit),
            )
    if members:
        row += 1
        put(ws, row, 1, "Total", bold=True)
        for j, mid in enumerate(ids, start=2):
            total = sum(v or 0.0 for v in columns[mid].values())
            put(ws, row, j, total, bold=True, number_format=_number_format(METRICS[mid].unit))
        last = min(first + 14, row - 1)  # the largest 15 members
        chart = BarChart()
        chart.type = "bar"
        chart.title = f"{title}: 12-month hardware spend ({cur})"
        chart.y_axis.title = "value"
        spend = ids.index("hardware_spend_12m") + 2 if "hardware_spend_12m" in ids else 2
        chart.add_data(
            Reference(ws, min_col=spend, min_row=first - 1, max_row=last), titles_from_data=True
        )
        chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
        chart.height = max(7.5, 0.6 * (last - first + 1) + 3)
        chart.width = 20
        ws.add_chart(chart, f"{get_column_letter(len(ids) + 3)}4")
    else:
        put(
            ws,
            row + 1,
            1,
            "No metric can be broken down this way in this scope, or there is no data.",
        )
    _widths(ws, {1: 28, **{j: 18 for j in range(2, len(ids) + 2)}})
    for cell in ws[4]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _trend(
    wb: Workbook, engine: Engine, as_of: dt.date, filters: Filters, context: str, cur: str
) -> None:
    ws = wb.create_sheet("Spend trend")
    row = _title(ws, f"12-month spend, as of each month end ({cur})", context)
    ids = [m for m in TREND_METRICS if _usable(m, filters)]
    _header(ws, row, ["Month end"] + [METRICS[m].label for m in ids])
    # One engine call for the three metrics and the twelve month ends.
    days = api.month_ends(as_of, 12) if ids else []
    per_day = api.compute_days(engine, days, ids, filters or None) if ids else {}
    for i, day in enumerate(days):
        values = per_day[day]
        put(ws, row + 1 + i, 1, day, number_format="yyyy-mm-dd")
        for j, mid in enumerate(ids, start=2):
            put(ws, row + 1 + i, j, values[mid], number_format="#,##0")
    if days:
        chart = LineChart()
        chart.title = f"Spend over the last 12 months ({cur})"
        chart.y_axis.title = cur
        chart.x_axis.number_format = "yyyy-mm"
        chart.add_data(
            Reference(ws, min_col=2, max_col=len(ids) + 1, min_row=row, max_row=row + len(days)),
            titles_from_data=True,
        )
        chart.set_categories(Reference(ws, min_col=1, min_row=row + 1, max_row=row + len(days)))
        chart.width = 22
        ws.add_chart(chart, "F4")
    _widths(ws, {1: 14, 2: 24, 3: 24, 4: 24})


def _notes(
    wb: Workbook,
    engine: Engine,
    as_of: dt.date,
    filters: Filters,
    made_by: str | None,
    access: Access,
) -> None:
    ws = wb.create_sheet("Notes")
    lines = [
        ("Executive pack", None),
        ("Organisation", store.get_setting(engine, "organisation") or "Your organisation"),
        ("As of", as_of.isoformat()),
        ("Filters and scope", _filters_line(filters)),
        ("Scope", access.scope_line()),
        ("Sections", ", ".join(SECTION_NAMES[k] for k in PACK_KINDS if access.may(k))),
        ("Made", dt.datetime.now().replace(microsecond=0).isoformat(sep=" ")),
        ("Made by", made_by or "python -m dashboard report"),
        ("Currency", (store.get_setting(engine, "currency") or fmt.DEFAULT_CURRENCY).upper()),
        ("Last import", store.get_setting(engine, "last_import_at") or "none"),
        (
            "Definitions",
            "Every metric as in the metric catalogue (metrics.md); values as of the date above.",
        ),
        (
            "Breakdowns",
            "Additive metrics only (counts and money sums): their members add up to the total; "
            f"'{NONE_MEMBER}' collects the rows with a blank value.",
        ),
        (
            "Status colours",
            "green on target, amber within the tolerance, red breached, grey no data.",
        ),
    ]
    for i, (k, v) in enumerate(lines, start=1):
        put(ws, i, 1, k, bold=True)
        put(ws, i, 2, v)
    ws["A1"].font = Font(bold=True, size=14)
    _widths(ws, {1: 20, 2: 100})


def _filters_line(filters: Filters) -> str:
    if not filters:
        return "none (the whole estate)"
    return "; ".join(f"{k.replace('_', ' ')} = {' or '.join(v)}" for k, v in filters.items())


# ------------------------------------------------------------------ the pack


def pack_filters(access: Access, filters: Filters) -> dict[str, list[str]]:
    """The filters a pack for `access` is built with: refused without a pack role, narrowed
    to the scope (OutsideScope when they select nothing in it)."""
    access.require("pack")
    return access.scoped(filters)


def build_pack(
    engine: Engine,
    as_of: dt.date | None = None,
    filters: Filters = None,
    made_by: str | None = None,
    *,
    access: Access | None = None,
) -> bytes:
    """The executive pack as .xlsx bytes for `access` (default: the operator, every section).

    Only the sections the user's roles may have are written, every figure within their scope;
    a user with no pack role is refused (permissions.Refused), filters outside the scope raise
    permissions.OutsideScope. Every sheet's second line says the filters and the scope.
    """
    access = access or permissions.operator()
    filters = pack_filters(access, filters) or None
    as_of = as_of or dt.date.today()
    cur = (store.get_setting(engine, "currency") or fmt.DEFAULT_CURRENCY).upper()
    org = store.get_setting(engine, "organisation") or "Your organisation"
    context = (
        f"{org} · as of {as_of.isoformat()} · filters: {_filters_line(filters)}"
        f" · scope: {access.scope_line()}"
    )
    wb = Workbook()
    if access.may("pack:scorecard"):
        _scorecard(wb, engine, as_of, filters, context, cur)
    for role, title in ROLE_SHEETS:
        if access.may(f"pack:{role}"):
            _role(wb, engine, role, title, as_of, filters, context, cur)
    for by, title in BREAKDOWNS:
        if access.may(f"pack:by_{by}"):
            _breakdown(wb, engine, by, title, as_of, filters, context, cur)
    if access.may("pack:spend"):
        _trend(wb, engine, as_of, filters, context, cur)
    _notes(wb, engine, as_of, filters, made_by, access)
    if wb.worksheets[0].title == "Sheet":  # the default sheet when no scorecard was written
        wb.remove(wb.worksheets[0])
    for ws in wb.worksheets:  # printed (or as PDF): one page wide, landscape
        ws.page_setup.orientation = "landscape"
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_pack(
    engine: Engine,
    out: str | Path,
    as_of: dt.date | None = None,
    filters: Filters = None,
    *,
    access: Access | None = None,
) -> Path:
    data = build_pack(engine, as_of, filters, access=access)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    return out
