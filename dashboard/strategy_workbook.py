"""The strategy workbook (.xlsx): the deck's content as one sheet per decision.

KPI trends are native openpyxl line charts. Built from strategy_content.Content;
nothing here reads or writes the database.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill

from dashboard import fmt, strategy
from dashboard import strategy_seeds as seeds
from dashboard.strategy_content import (
    STATUS_RGB,
    Content,
    date_text,
    kpi_names,
    label,
    level_name,
    section_table,
)
from dashboard.strategy_roadmap import ROADMAP_COLUMNS

SHEETS = (
    "Summary",
    "Priorities",
    "Mission and vision",
    "Opportunities",
    "Maturity",
    "KPIs",
    "KPI trends",
    "Scope",
    "Sourcing",
    "Structure",
    "RACI",
    "Audit plan",
    "Audit response",
    "Documentation",
    "Roadmap",
    "Communication",
)


def build_workbook(content: Content) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    s = content.strategy
    names = kpi_names(content)
    p = s["priorities"]
    a = s["maturity"]
    _sheet(
        wb,
        "Summary",
        ["Kind", "Text"],
        [
            ["Organisation", content.organisation],
            ["As of", content.as_of.isoformat()],
            ["Figures for", content.scope_line],
        ]
        + [[label(f["kind"]), f["text"]] for f in s["findings"]],
    )
    _sheet(
        wb,
        "Priorities",
        ["Goal", "Weight", "Rank"],
        [
            [seeds.GOAL_LABELS[g], p["weights"][g] if p else None, i]
            for i, g in enumerate(s["goal_order"], 1)
        ]
        + [["Why", p["notes"] if p else "", None]],
    )
    _sheet(
        wb,
        "Mission and vision",
        ["Statement", "Text", "Words"],
        [
            ["Mission", s["mission"], strategy.word_count(s["mission"])],
            ["Vision", s["vision"], strategy.word_count(s["vision"])],
        ],
    )
    _sheet(
        wb,
        "Opportunities",
        ["Kind", "Text", "Goal", "Horizon", "Painful", "KPIs"],
        [
            [
                label(i["kind"]),
                i["text"],
                label(i["goal"], seeds.GOAL_LABELS),
                label(i["horizon"], seeds.HORIZON_LABELS),
                "yes" if i["painful"] else "",
                ", ".join(names.get(str(k), f"#{k}") for k in i["kpis"]),
            ]
            for i in s["items"]
        ],
    )
    known = strategy.statements()
    rows = [
        ["Today", level_name(a["current_level"]) if a else "not assessed", None, None],
        ["In one year", level_name(a["target_level"]) if a else "not assessed", None, None],
    ]
    rows += [
        [
            level_name(sid.split(".")[0]),
            text,
            "yes" if a and sid in a["current"] else "",
            "yes" if a and sid in a["target"] else "",
        ]
        for sid, text in known.items()
    ]
    rows += [
        [
            f"Assessment {h['assessed_on']}",
            f"{level_name(h['current_level'])} → {level_name(h['target_level'])}",
            h["user"],
            h["note"],
        ]
        for h in s["maturity_history"]
    ]
    _sheet(wb, "Maturity", ["Level", "Statement", "True today", "Targeted in one year"], rows)
    _sheet(
        wb,
        "KPIs",
        ["Goal", "KPI", "Metric", "Target", "Value", "Status"],
        [
            [label(k.goal, seeds.GOAL_LABELS), k.label, k.metric, k.target, k.value, k.status]
            for k in content.kpis
        ]
        or [[content.kpi_note or "No KPIs defined.", None, None, None, None, None]],
        fills={i + 2: STATUS_RGB[k.status] for i, k in enumerate(content.kpis)},
        fill_cols=(6,),
    )
    _kpi_trend_sheet(wb, content)
    _sheet(
        wb,
        "Scope",
        ["Kind", "Name", "In scope", "Reason"],
        [
            [label(r["kind"]), r["name"], "yes" if r["in_scope"] else "no", r["reason"]]
            for r in s["scope"]
        ]
        + [["Scope switch", "on" if s["scope_switch"] else "off", None, None]],
    )
    _sheet(
        wb,
        "Sourcing",
        ["Activity", "Group", "Decision", "Note"],
        [
            [r["activity"], label(r["group"]), label(r["decision"]), r["note"]]
            for r in s["sourcing"]
        ],
    )
    arch = seeds.ARCHETYPES.get(s["structure_archetype"], ("not chosen", ""))
    _sheet(
        wb,
        "Structure",
        ["Area", "Direction", "Action"],
        [["Archetype", arch[0], arch[1]], ["Note", "", s["structure_note"]]]
        + [
            [seeds.STRUCTURE_AREAS[r["area"]], label(r["direction"]), r["action"]]
            for r in s["structure"]
        ],
    )
    roles = s["raci_roles"]
    _sheet(
        wb,
        "RACI",
        ["Group", "Activity", *roles, "Problem"],
        [
            [
                label(r["group"]),
                r["activity"],
                *[(r["cells"] or {}).get(x, "") for x in roles],
                s["raci_problems"].get(r["activity"], ""),
            ]
            for r in s["raci"]
        ],
        fills={
            i + 2: "FDECEA" for i, r in enumerate(s["raci"]) if r["activity"] in s["raci_problems"]
        },
    )
    _sheet(
        wb,
        "Audit plan",
        *section_table(s, "audit_plan"),
    )
    _sheet(
        wb,
        "Audit response",
        ["#", "Step", "Owner"],
        [[i, r["step"], r["owner"]] for i, r in enumerate(s["audit_response"], 1)],
    )
    _sheet(
        wb,
        "Documentation",
        *section_table(s, "documentation"),
    )
    _sheet(
        wb,
        "Roadmap",
        list(ROADMAP_COLUMNS),
        [
            [
                r["item_id"],
                r["initiative"],
                r["task"],
                r["owner"],
                date_text(r["target_date"]) or None,
                r["status"],
                date_text(r["completed_date"]) or None,
            ]
            for r in s["roadmap"]
        ],
    )
    _sheet(
        wb,
        "Communication",
        *section_table(s, "communication"),
    )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _sheet(wb, title, header, rows, fills: dict[int, str] | None = None, fill_cols=None):
    ws = wb.create_sheet(title)
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F3A5F")
    for row in rows:
        ws.append([_safe(v) for v in row])
    for r in range(2, ws.max_row + 1):
        for cell in ws[r]:
            if isinstance(cell.value, str) and cell.value[:1] in ("=", "+", "-", "@", "\t", "\r"):
                cell.data_type, cell.quotePrefix = "s", True  # text, never a formula
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        if fills and r in fills:
            for c, cell in enumerate(ws[r], 1):
                if fill_cols is None or c in fill_cols:
                    cell.fill = PatternFill("solid", fgColor=fills[r])
    for col in ws.columns:
        longest = max((len(str(c.value)) for c in col if c.value is not None), default=8)
        ws.column_dimensions[col[0].column_letter].width = max(10, min(70, longest + 2))
    ws.freeze_panes = "A2"
    return ws


def _safe(v):
    if isinstance(v, (list, tuple, dict)):
        return str(v)
    return v


def _kpi_trend_sheet(wb, content: Content) -> None:
    """Month by month values, one column per KPI, with a native line chart per KPI."""
    ws = wb.create_sheet("KPI trends")
    kpis = content.kpis
    ws.append(["Month", *[f"#{k.id} {k.label}" for k in kpis]])
    months = [d for d, _ in kpis[0].trend] if kpis else []
    for i, day in enumerate(months):
        ws.append([day, *[None if fmt.is_missing(k.trend[i][1]) else k.trend[i][1] for k in kpis]])
    for j, k in enumerate(kpis, 2):
        chart = LineChart()
        chart.title = f"{k.label} (target {k.target})"
        chart.height, chart.width = 6, 14
        chart.add_data(
            Reference(ws, min_col=j, min_row=1, max_row=len(months) + 1), titles_from_data=True
        )
        chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=len(months) + 1))
        chart.legend = None
        ws.add_chart(chart, f"{chr(ord('A') + len(kpis) + 2)}{1 + (j - 2) * 13}")
    if not kpis:
        ws.append([content.kpi_note or "No KPIs defined."])
    ws.column_dimensions["A"].width = 12
