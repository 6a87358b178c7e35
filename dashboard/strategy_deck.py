"""The strategy deck (.pptx): one slide or more per decision, presentation-ready.

KPI charts are native python-pptx charts, so they stay editable. Built from
strategy_content.Content; nothing here reads or writes the database.
"""

from __future__ import annotations

import datetime as dt
import io

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import PP_ALIGN
from pptx.util import Emu, Inches, Pt

from dashboard import fmt, strategy
from dashboard import strategy_seeds as seeds
from dashboard.strategy_content import (
    STATUS_RGB,
    Content,
    KpiLine,
    date_text,
    kpi_names,
    label,
    level_name,
    section_table,
)

# The deck's sections, in order: a test reopens the deck and looks for each title.
DECK_SECTIONS = (
    "Key findings and next steps",
    "Priorities",
    "Mission and vision",
    "Opportunities and tactics",
    "Challenges",
    "Maturity: today and in one year",
    "KPIs: current status",
    "KPI trends",
    "Scope",
    "Sourcing",
    "Structure",
    "RACI",
    "Audit plan",
    "Documentation register",
    "Roadmap timeline",
    "Roadmap tasks",
    "Communication plan",
)

NAVY = RGBColor(0x1F, 0x3A, 0x5F)
GREY = RGBColor(0x59, 0x59, 0x59)
LIGHT = RGBColor(0xEE, 0xF2, 0xF7)
ROADMAP_RGB = {
    "planned": "90A4AE",
    "in_progress": "1E88E5",
    "done": "2E7D32",
    "cancelled": "BDBDBD",
}
LEVEL_RGB = {
    "unreliable": "C62828",
    "firefighter": "EF6C00",
    "trusted_operator": "F9A825",
    "partner": "43A047",
    "innovator": "1565C0",
}
W, H = Inches(13.333), Inches(7.5)


def build_deck(content: Content) -> bytes:
    prs = Presentation()
    prs.slide_width, prs.slide_height = W, H
    s = content.strategy
    _cover(prs, content)
    _findings(prs, s)
    _priorities(prs, s)
    _statements(prs, s)
    _items(prs, content)
    _maturity(prs, s)
    _kpi_status(prs, content)
    _kpi_trends(prs, content)
    _scope(prs, s)
    _sourcing(prs, s)
    _structure(prs, s)
    _raci(prs, s)
    _audit(prs, s)
    _table_slides(
        prs,
        "Documentation register",
        *section_table(s, "documentation"),
        widths=[2.6, 1.2, 1.1, 1.6, 2.3, 1.8, 2.1],
    )
    _roadmap(prs, s)
    _table_slides(
        prs,
        "Communication plan",
        *section_table(s, "communication"),
        widths=[1.5, 3.5, 3.5, 2.2, 2.0],
        per_slide=6,
    )
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


def _slide(prs, title: str):
    slide = prs.slides.add_slide(prs.slide_layouts[5])  # "Title Only": a real title for the outline
    t = slide.shapes.title
    t.left, t.top, t.width, t.height = Inches(0.5), Inches(0.25), Inches(12.3), Inches(0.9)
    t.text = title
    p = t.text_frame.paragraphs[0]
    p.alignment = PP_ALIGN.LEFT
    p.runs[0].font.size, p.runs[0].font.bold = Pt(28), True
    p.runs[0].font.color.rgb = NAVY
    return slide


def _text(slide, x, y, w, h, paragraphs, size=14, bold_first=False, color=None):
    """A text box; `paragraphs` strings, or (text, size, bold) tuples."""
    box = slide.shapes.add_textbox(Inches(x), Inches(y), Inches(w), Inches(h))
    tf = box.text_frame
    tf.word_wrap = True
    for i, para in enumerate(paragraphs):
        text, psize, bold = para if isinstance(para, tuple) else (para, size, bold_first and i == 0)
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        run = p.add_run()
        run.text = text
        run.font.size, run.font.bold = Pt(psize), bold
        if color is not None:
            run.font.color.rgb = color
    return box


def _table(slide, x, y, widths, header, rows, size=10, fills: dict[int, str] | None = None):
    """A table; `fills` colours whole rows (index into rows) to highlight them."""
    shape = slide.shapes.add_table(
        len(rows) + 1,
        len(header),
        Inches(x),
        Inches(y),
        Inches(sum(widths)),
        Inches(0.3 * (len(rows) + 1)),
    )
    table = shape.table
    for j, wdt in enumerate(widths):
        table.columns[j].width = Inches(wdt)
    for j, name in enumerate(header):
        _cell(table.cell(0, j), name, size, bold=True)
    for i, row in enumerate(rows, 1):
        for j, value in enumerate(row):
            cell = table.cell(i, j)
            _cell(cell, "" if value is None else str(value), size)
            if fills and (i - 1) in fills:
                cell.fill.solid()
                cell.fill.fore_color.rgb = RGBColor.from_string(fills[i - 1])
    return table


def _cell(cell, text, size, bold=False):
    cell.text = text
    for p in cell.text_frame.paragraphs:
        for r in p.runs:
            r.font.size, r.font.bold = Pt(size), bold
    cell.margin_top = cell.margin_bottom = Emu(30000)


def _table_slides(prs, title, header, rows, widths, per_slide=12, size=10, fills=None, note=None):
    """As many slides as the rows need; an empty table still gets its slide, saying so."""
    chunks = [rows[i : i + per_slide] for i in range(0, len(rows), per_slide)] or [[]]
    for n, chunk in enumerate(chunks):
        slide = _slide(prs, title if n == 0 else f"{title} (continued)")
        if not chunk:
            _text(slide, 0.6, 1.4, 12, 1, ["Nothing recorded yet."], 16, color=GREY)
            continue
        start = n * per_slide
        sub = {i - start: c for i, c in (fills or {}).items() if start <= i < start + len(chunk)}
        _table(slide, 0.5, 1.3, widths, header, chunk, size, sub)
        if note and n == 0:
            _text(slide, 0.5, 6.85, 12.3, 0.5, [note], 11, color=GREY)
    return slide


def _cover(prs, content: Content) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    slide.shapes.title.text = "ITAM Strategy"
    slide.placeholders[1].text = (
        f"{content.organisation} · as of {content.as_of.isoformat()}"
        f" · figures for {content.scope_line}"
    )


def _findings(prs, s) -> None:
    slide = _slide(prs, "Key findings and next steps")
    findings = [f["text"] for f in s["findings"] if f["kind"] == "finding"] or ["(none recorded)"]
    steps = [f["text"] for f in s["findings"] if f["kind"] == "next_step"] or ["(none recorded)"]
    _text(
        slide, 0.6, 1.3, 5.9, 5.5, [("Key findings", 20, True)] + [f"• {t}" for t in findings], 16
    )
    _text(
        slide,
        6.9,
        1.3,
        5.9,
        5.5,
        [("Next steps", 20, True)] + [f"{i}. {t}" for i, t in enumerate(steps, 1)],
        16,
    )


def _priorities(prs, s) -> None:
    slide = _slide(prs, "Priorities")
    p = s["priorities"]
    x0, y0, w = 0.9, 1.9, 5.2
    h = w * 0.8660254
    tri = slide.shapes.add_shape(
        MSO_SHAPE.ISOSCELES_TRIANGLE, Inches(x0), Inches(y0), Inches(w), Inches(h)
    )
    tri.fill.solid()
    tri.fill.fore_color.rgb = LIGHT
    tri.line.color.rgb = NAVY
    _text(slide, x0 + w / 2 - 1.3, y0 - 0.55, 2.6, 0.4, ["Enhance IT service"], 14)
    _text(slide, x0 - 0.6, y0 + h + 0.05, 2.4, 0.4, ["Optimize spend"], 14)
    _text(slide, x0 + w - 1.3, y0 + h + 0.05, 2.4, 0.4, ["Manage risk"], 14)
    if p:
        px, py = strategy.triangle_point(p["weights"])
        cx, cy = x0 + px * w, y0 + h - (py / 0.8660254) * h
        dot = slide.shapes.add_shape(
            MSO_SHAPE.OVAL, Inches(cx - 0.15), Inches(cy - 0.15), Inches(0.3), Inches(0.3)
        )
        dot.fill.solid()
        dot.fill.fore_color.rgb = RGBColor(0xC6, 0x28, 0x28)
        dot.line.fill.background()
        order = strategy.goal_order_from(p["weights"])
        lines = [("The priorities of the ITAM practice are to:", 16, True)]
        lines += [
            f"{i}. {seeds.GOAL_LABELS[g]} ({p['weights'][g]})" for i, g in enumerate(order, 1)
        ]
        lines += [("Why?", 16, True)] + [
            f"• {ln.strip()}" for ln in (p["notes"] or "").splitlines() if ln.strip()
        ]
    else:
        lines = [
            ("Priorities not set yet.", 16, True),
            "Place the organisation's point on the triangle in the Strategy page.",
        ]
    _text(slide, 7.0, 1.4, 5.8, 5.6, lines, 14)


def _statements(prs, s) -> None:
    slide = _slide(prs, "Mission and vision")
    for y, name, text in ((1.5, "Mission", s["mission"]), (4.2, "Vision", s["vision"])):
        _text(
            slide,
            0.8,
            y,
            11.7,
            2.4,
            [(name, 20, True), (text or "(not written yet)", 26, False)],
            20,
        )


def _items(prs, content: Content) -> None:
    s, names = content.strategy, kpi_names(content)

    def row(i):
        kpis = ", ".join(names.get(str(k), f"#{k}") for k in i["kpis"])
        return [
            label(i["kind"]),
            i["text"],
            label(i["goal"], seeds.GOAL_LABELS),
            label(i["horizon"], seeds.HORIZON_LABELS),
            kpis,
        ]

    rank = {g: n for n, g in enumerate(s["goal_order"])}
    items = sorted(
        (i for i in s["items"] if i["kind"] != "challenge"),
        key=lambda i: (i["horizon"] == "", rank.get(i["goal"], 9), i["kind"]),
    )
    _table_slides(
        prs,
        "Opportunities and tactics",
        ["Kind", "Opportunity / tactic", "Goal", "Horizon", "Measured by"],
        [row(i) for i in items],
        widths=[1.2, 5.4, 1.7, 1.3, 2.7],
        per_slide=11,
        size=9,
    )
    challenges = sorted(
        (i for i in s["items"] if i["kind"] == "challenge"), key=lambda i: not i["painful"]
    )
    _table_slides(
        prs,
        "Challenges",
        ["Challenge", "Painful", "Goal"],
        [
            [c["text"], "yes" if c["painful"] else "", label(c["goal"], seeds.GOAL_LABELS)]
            for c in challenges
        ],
        widths=[9.3, 1.2, 1.8],
        per_slide=12,
        size=10,
        fills={n: "FDECEA" for n, c in enumerate(challenges) if c["painful"]},
    )


def _maturity(prs, s) -> None:
    slide = _slide(prs, "Maturity: today and in one year")
    a = s["maturity"]
    levels = list(reversed(seeds.MATURITY))
    for n, (key, name, sub, _st) in enumerate(levels):
        y = 1.4 + n * 0.78
        box = slide.shapes.add_shape(
            MSO_SHAPE.RECTANGLE, Inches(0.6), Inches(y), Inches(4.6), Inches(0.68)
        )
        box.fill.solid()
        box.fill.fore_color.rgb = RGBColor.from_string(LEVEL_RGB[key])
        box.line.fill.background()
        box.text_frame.text = f"{name} – {sub}"
        box.text_frame.paragraphs[0].runs[0].font.size = Pt(13)
        marks = []
        if a and a["current_level"] == key:
            marks.append("◀ Today")
        if a and a["target_level"] == key:
            marks.append("◀ In one year")
        if marks:
            _text(slide, 5.3, y + 0.12, 2.0, 0.5, ["  ".join(marks)], 14, bold_first=True)
    known = strategy.statements()
    if a:
        gaps = [known[sid] for sid in a["target"] if sid not in a["current"]]
        lines = [
            (f"Today: {level_name(a['current_level'])}", 18, True),
            (f"In one year: {level_name(a['target_level'])}", 18, True),
            (f"Assessed {a['assessed_on']}", 11, False),
            ("To close in the year:", 14, True),
        ]
        lines += [f"• {g}" for g in gaps[:7]] or ["• (no gap recorded)"]
        if len(gaps) > 7:
            lines.append(f"… and {len(gaps) - 7} more")
        hist = s["maturity_history"]
        if len(hist) > 1:
            lines.append(
                (
                    "Progress: "
                    + " → ".join(
                        f"{h['assessed_on']}: {level_name(h['current_level'])}" for h in hist[-4:]
                    ),
                    11,
                    False,
                )
            )
    else:
        lines = [
            ("Not assessed yet.", 18, True),
            "Tick the statements true today in the Strategy page.",
        ]
    _text(slide, 7.4, 1.3, 5.5, 5.9, lines, 12)


def _kpi_status(prs, content: Content) -> None:
    slide = _slide(prs, "KPIs: current status")
    if not content.kpis:
        _text(slide, 0.6, 1.4, 12, 1, [content.kpi_note or "No KPIs defined."], 16, color=GREY)
        return
    rows = [
        [label(k.goal, seeds.GOAL_LABELS), k.label, k.target, k.value_text, k.status]
        for k in content.kpis
    ]
    fills = {
        i: {"green": "E8F5E9", "amber": "FFF8E1", "red": "FDECEA", "grey": "F5F5F5"}[k.status]
        for i, k in enumerate(content.kpis)
    }
    _table(
        slide,
        0.4,
        1.2,
        [1.6, 3.1, 1.7, 1.3, 0.8],
        ["Goal", "KPI", "Target", "Value", "Status"],
        rows[:14],
        9,
        fills,
    )
    data = CategoryChartData()
    goals = content.strategy["goal_order"]
    data.categories = [seeds.GOAL_LABELS[g] for g in goals]
    for status in ("green", "amber", "red", "grey"):
        data.add_series(
            status, [sum(k.goal == g and k.status == status for k in content.kpis) for g in goals]
        )
    chart = slide.shapes.add_chart(
        XL_CHART_TYPE.BAR_STACKED, Inches(9.0), Inches(1.2), Inches(4.1), Inches(4.5), data
    ).chart
    chart.has_title = True
    chart.chart_title.text_frame.text = "KPI status by goal"
    chart.has_legend, chart.legend.position, chart.legend.include_in_layout = (
        True,
        XL_LEGEND_POSITION.BOTTOM,
        False,
    )
    for series, status in zip(chart.series, ("green", "amber", "red", "grey"), strict=True):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = RGBColor.from_string(STATUS_RGB[status])
    if content.strategy["scope_switch"]:
        _text(
            slide,
            0.4,
            6.9,
            12,
            0.4,
            [
                "Note: the dashboard leaves out-of-scope categories and locations "
                "out of its metrics; KPI values here cover the whole estate."
            ],
            10,
            color=GREY,
        )


def _kpi_trends(prs, content: Content) -> None:
    kpis = content.kpis
    if not kpis:
        slide = _slide(prs, "KPI trends")
        _text(slide, 0.6, 1.4, 12, 1, [content.kpi_note or "No KPIs defined."], 16, color=GREY)
        return
    for n in range(0, len(kpis), 4):
        slide = _slide(prs, "KPI trends" if n == 0 else "KPI trends (continued)")
        for j, k in enumerate(kpis[n : n + 4]):
            x, y = 0.4 + (j % 2) * 6.4, 1.2 + (j // 2) * 3.1
            data = CategoryChartData()
            data.categories = [d.strftime("%b %y") for d, _ in k.trend]
            data.add_series(k.label, [None if fmt.is_missing(v) else float(v) for _, v in k.trend])
            chart = slide.shapes.add_chart(
                XL_CHART_TYPE.LINE_MARKERS, Inches(x), Inches(y), Inches(6.2), Inches(3.0), data
            ).chart
            chart.has_legend = False
            chart.has_title = True
            chart.chart_title.text_frame.text = (
                f"{k.label}: {k.value_text} (target {k.target}, {k.status})"
            )
            chart.chart_title.text_frame.paragraphs[0].runs[0].font.size = Pt(11)
            line = chart.series[0].format.line
            line.color.rgb = RGBColor.from_string(STATUS_RGB.get(k.status, "1F3A5F"))
            _mark_sources(chart.series[0], k)
        _text(slide, 0.4, 7.05, 12.5, 0.35, [SOURCES_NOTE], 9, color=GREY)


# issue 12 (helper C): the deck marks points as the dashboard's charts do.
SOURCES_NOTE = (
    "Filled points: recorded at the time (snapshot or imported); hollow points: "
    "recomputed from dated records; a gap: no record of that month."
)


def _mark_sources(series, k: KpiLine) -> None:
    """Recorded points filled in the status colour, recomputed ones hollow (white)."""
    color = RGBColor.from_string(STATUS_RGB.get(k.status, "1F3A5F"))
    for i, source in enumerate(k.sources):
        if source == "none":
            continue
        marker = series.points[i].marker
        marker.style, marker.size = XL_MARKER_STYLE.CIRCLE, 7
        marker.format.fill.solid()
        marker.format.fill.fore_color.rgb = (
            color if source == "recorded" else RGBColor(255, 255, 255)
        )
        marker.format.line.color.rgb = color


def _scope(prs, s) -> None:
    rows = sorted(s["scope"], key=lambda r: (not r["in_scope"], r["kind"], r["name"]))
    note = (
        "The scope switch is ON: out-of-scope categories and locations are left out of the dashboard's metrics."
        if s["scope_switch"]
        else "The scope switch is off: the dashboard's metrics cover the whole estate."
    )
    _table_slides(
        prs,
        "Scope",
        ["In scope", "Kind", "Name", "Reason"],
        [
            ["in" if r["in_scope"] else "OUT", label(r["kind"]), r["name"], r["reason"]]
            for r in rows
        ],
        widths=[1.0, 1.6, 3.6, 6.1],
        per_slide=16,
        size=9,
        fills={i: "FDECEA" for i, r in enumerate(rows) if not r["in_scope"]},
        note=note,
    )


def _sourcing(prs, s) -> None:
    slide = _slide(prs, "Sourcing")
    cols = ("outsource", "potentially_outsource", "insource", "undecided")
    for j, decision in enumerate(cols):
        acts = [r["activity"] for r in s["sourcing"] if r["decision"] == decision]
        _text(
            slide,
            0.5 + j * 3.15,
            1.3,
            3.0,
            5.8,
            [(label(decision), 18, True)] + ([f"• {a}" for a in acts] or ["(none)"]),
            11,
        )


def _structure(prs, s) -> None:
    slide = _slide(prs, "Structure")
    key = s["structure_archetype"]
    name, desc = seeds.ARCHETYPES.get(
        key, ("Not chosen yet", "Choose the archetype in the Strategy page.")
    )
    _text(
        slide,
        0.5,
        1.2,
        12.3,
        1.2,
        [(f"Archetype: {name}", 20, True), desc]
        + ([s["structure_note"]] if s["structure_note"] else []),
        13,
    )
    rows = []
    for area, area_name in seeds.STRUCTURE_AREAS.items():
        any_rows = any(r["area"] == area for r in s["structure"])
        cen = "\n".join(
            f"• {r['action']}"
            for r in s["structure"]
            if r["area"] == area and r["direction"] == "centralize"
        )
        dec = "\n".join(
            f"• {r['action']}"
            for r in s["structure"]
            if r["area"] == area and r["direction"] == "decentralize"
        )
        if any_rows:
            rows.append([area_name, cen, dec])
    if rows:
        _table(slide, 0.5, 2.9, [2.6, 4.85, 4.85], ["", "Centralize", "Decentralize"], rows, 11)


def _raci(prs, s) -> None:
    roles, problems = s["raci_roles"], s["raci_problems"]
    rows = s["raci"]
    width = max(0.75, min(1.2, 8.3 / max(1, len(roles))))
    note = (
        "Every activity has exactly one A and at least one R."
        if not problems
        else "Highlighted: " + "; ".join(f"{a}: {w}" for a, w in problems.items())
    )
    _table_slides(
        prs,
        "RACI",
        ["Activity", *roles],
        [[r["activity"], *[(r["cells"] or {}).get(role, "") for role in roles]] for r in rows],
        widths=[12.3 - width * len(roles), *[width] * len(roles)],
        per_slide=16,
        size=9,
        fills={i: "FDECEA" for i, r in enumerate(rows) if r["activity"] in problems},
        note=note,
    )


def _audit(prs, s) -> None:
    slide = _slide(prs, "Audit plan")
    header, rows = section_table(s, "audit_plan")
    if rows:
        _table(slide, 0.5, 1.2, [2.0, 1.2, 3.3, 3.0, 2.8], header, rows, 10)
    steps = [
        f"{i}. {r['step']}" + (f" ({r['owner']})" if r["owner"] else "")
        for i, r in enumerate(s["audit_response"], 1)
    ]
    _text(
        slide,
        0.5,
        1.5 + 0.55 * (len(rows) + 1),
        12.3,
        3.5,
        [("Vendor audit response", 16, True)] + steps,
        11,
    )


def _roadmap(prs, s) -> None:
    slide = _slide(prs, "Roadmap timeline")
    items = [r for r in s["roadmap"] if date_text(r["target_date"])]  # dated (not None, not NaT)
    if not items:
        _text(slide, 0.6, 1.4, 12, 1, ["No dated roadmap tasks yet."], 16, color=GREY)
    else:
        _timeline(slide, items)
    undated = len(s["roadmap"]) - len(items)
    if undated:
        _text(
            slide,
            0.5,
            6.9,
            8,
            0.4,
            [f"{undated} task(s) without a target date are listed in the table."],
            10,
            color=GREY,
        )
    _table_slides(
        prs,
        "Roadmap tasks",
        ["Initiative", "Task", "Owner", "Target", "Status", "Completed"],
        [
            [
                r["initiative"],
                r["task"],
                r["owner"] or "",
                date_text(r["target_date"]),
                label(r["status"]),
                date_text(r["completed_date"]),
            ]
            for r in s["roadmap"]
        ],
        widths=[2.8, 4.4, 1.7, 1.2, 1.1, 1.1],
        per_slide=14,
        size=9,
    )


def _quarter_start(d: dt.date) -> dt.date:
    return dt.date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)


def _timeline(slide, items) -> None:
    """Initiatives as rows, tasks as markers at their target date coloured by status."""
    dates = [_as_date(r["target_date"]) for r in items]
    start = _quarter_start(min(dates))
    q = _quarter_start(max(dates))
    end = dt.date(q.year + (q.month + 3 > 12), (q.month + 2) % 12 + 1, 1)
    span = (end - start).days or 1
    inits = list(
        dict.fromkeys(
            r["initiative"] for r in sorted(items, key=lambda r: _as_date(r["target_date"]))
        )
    )
    x0, x1, y0 = 3.2, 12.8, 1.6
    row_h = min(0.8, 4.6 / max(1, len(inits)))

    def xpos(d: dt.date) -> float:
        return x0 + (x1 - x0) * (d - start).days / span

    d = start
    while d < end:
        _text(
            slide, xpos(d), 1.15, 1.2, 0.3, [f"Q{(d.month - 1) // 3 + 1} {d.year}"], 10, color=GREY
        )
        tick = slide.shapes.add_connector(
            1, Inches(xpos(d)), Inches(y0 - 0.05), Inches(xpos(d)), Inches(y0 + row_h * len(inits))
        )
        tick.line.color.rgb = RGBColor(0xDD, 0xDD, 0xDD)
        d = dt.date(d.year + (d.month + 3 > 12), (d.month + 2) % 12 + 1, 1)
    for n, name in enumerate(inits):
        y = y0 + n * row_h
        _text(slide, 0.4, y + 0.05, 2.7, row_h, [name], 11, bold_first=True)
        mine = [r for r in items if r["initiative"] == name]
        ds = [_as_date(r["target_date"]) for r in mine]
        bar = slide.shapes.add_shape(
            MSO_SHAPE.ROUNDED_RECTANGLE,
            Inches(xpos(min(ds)) - 0.1),
            Inches(y + row_h * 0.3),
            Inches(xpos(max(ds)) - xpos(min(ds)) + 0.2),
            Inches(row_h * 0.4),
        )
        bar.fill.solid()
        bar.fill.fore_color.rgb = LIGHT
        bar.line.fill.background()
        for r in mine:
            cx = xpos(_as_date(r["target_date"]))
            dot = slide.shapes.add_shape(
                MSO_SHAPE.DIAMOND,
                Inches(cx - 0.11),
                Inches(y + row_h * 0.5 - 0.11),
                Inches(0.22),
                Inches(0.22),
            )
            dot.fill.solid()
            dot.fill.fore_color.rgb = RGBColor.from_string(ROADMAP_RGB.get(r["status"], "90A4AE"))
            dot.line.fill.background()
    for j, (status, rgb) in enumerate(ROADMAP_RGB.items()):
        mark = slide.shapes.add_shape(
            MSO_SHAPE.DIAMOND, Inches(3.2 + j * 2.0), Inches(6.5), Inches(0.2), Inches(0.2)
        )
        mark.fill.solid()
        mark.fill.fore_color.rgb = RGBColor.from_string(rgb)
        mark.line.fill.background()
        _text(slide, 3.45 + j * 2.0, 6.4, 1.6, 0.35, [label(status)], 11)


def _as_date(v) -> dt.date:
    return v.date() if isinstance(v, dt.datetime) else v
