"""PDFs of the executive pack and of a page digest (issue 13), composed with fpdf2.

A4 landscape, like a board paper: a cover (organisation, as-of date, filters and
scope, who it is for), the scorecard by goal with status marks, the page charts
rendered from the pages' own Altair specs (dashboard/pdf_charts.py), and tables
formatted as on screen. Everything is computed under the filters given (the
recipient's scope already applied), and sections follow the pages the roles may
open: a CFO's pack has no CIO section.

The built-in Helvetica covers Windows-1252 (so "€", "–" and "·" print); the
few signs outside it ("≤", "≥") are written as words.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

import pandas as pd
from fpdf import FPDF
from fpdf.fonts import FontFace
from PIL import Image
from sqlalchemy import Engine

from dashboard import fmt, kpis, navigation, pdf_charts, permissions, report, store, strategy
from dashboard.permissions import Access
from metrics import api, cfo_year, dimensions
from metrics.catalog import METRICS
from metrics.kpi import GOAL_LABELS

Filters = dict[str, list[str]] | None

STATUS_RGB = {
    "green": (198, 239, 206),
    "amber": (255, 235, 156),
    "red": (255, 199, 206),
    "grey": (237, 237, 237),
}
STATUS_WORD = {"green": "on target", "amber": "near target", "red": "breached", "grey": "no data"}
INK, MUTED, ACCENT, HEAD = (33, 33, 33), (110, 110, 110), (21, 101, 192), (221, 231, 243)
ROLE_SECTIONS = (("cio", "CIO"), ("cfo", "CFO"), ("asset_manager", "Asset manager"))
BREAKDOWN_BY = dimensions.by_label(in_pdf=True)
BREAKDOWN_METRICS = (
    "active_devices",
    "hardware_spend_12m",
    "software_spend_12m",
    "cloud_spend_12m",
    "refresh_forecast_12m",
    "renewals_90d_value",
)
TOP_MEMBERS = 15
_SIGNS = {"≤": "at most", "≥": "at least", "→": "->", "“": '"', "”": '"'}


def text(value) -> str:
    """Text the built-in font can print (Windows-1252), signs outside it in words."""
    out = str(value)
    for sign, word in _SIGNS.items():
        out = out.replace(sign, word)
    return out.encode("cp1252", errors="replace").decode("cp1252")


@dataclass
class Context:
    """What every page of a document shares: whose, when, under which filters and scope."""

    title: str
    organisation: str
    as_of: dt.date
    currency: str
    filters: Filters
    access: Access = field(default_factory=permissions.operator)
    made_for: str | None = None

    @property
    def scope(self) -> dict[str, list[str]]:
        return self.access.scope

    @property
    def roles(self) -> tuple[str, ...]:
        return self.access.roles

    def scope_line(self) -> str:
        if not self.scope:
            return "Whole estate (no scope)."
        parts = [f"{k.replace('_', ' ')} = {' or '.join(v)}" for k, v in self.scope.items()]
        holds = " and ".join(" or ".join(v) for v in self.scope.values())
        return f"Scoped to {'; '.join(parts)}: this document holds {holds} only."


def context(
    engine: Engine,
    title: str,
    as_of: dt.date,
    filters: Filters,
    access: Access,
    made_for: str | None = None,
) -> Context:
    return Context(
        title=title,
        organisation=store.get_setting(engine, "organisation") or "Your organisation",
        as_of=as_of,
        currency=(store.get_setting(engine, "currency") or fmt.DEFAULT_CURRENCY).upper(),
        filters=filters or None,
        access=access,
        made_for=made_for,
    )


def filters_line(filters: Filters) -> str:
    if not filters:
        return "none (the whole estate)"
    return "; ".join(f"{k.replace('_', ' ')} = {' or '.join(v)}" for k, v in filters.items())


# ------------------------------------------------------------------ the document


class Document(FPDF):
    """A4 landscape with a running head (organisation, title, as-of) and page numbers."""

    def __init__(self, ctx: Context):
        super().__init__(orientation="L", unit="mm", format="A4")
        self.ctx = ctx
        self.core_fonts_encoding = "windows-1252"
        self.set_margins(15, 16, 15)
        self.set_auto_page_break(True, margin=15)
        self.set_title(text(f"{ctx.title} - {ctx.organisation} - {ctx.as_of.isoformat()}"))
        self.set_author(text(ctx.organisation))
        self.set_creator("ITAM KPI dashboard")

    @property
    def width(self) -> float:
        return self.w - self.l_margin - self.r_margin

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font("helvetica", size=8)
        self.set_text_color(*MUTED)
        self.set_y(8)
        self.cell(
            0,
            4,
            text(
                f"{self.ctx.organisation} · {self.ctx.title} · as of {self.ctx.as_of.isoformat()}"
            ),
        )
        self.set_y(8)
        self.cell(0, 4, text(self.ctx.scope_line() if self.ctx.scope else ""), align="R")
        self.set_y(self.t_margin)
        self.set_text_color(*INK)

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font("helvetica", size=8)
        self.set_text_color(*MUTED)
        self.cell(0, 4, f"Page {self.page_no()} of {{nb}}", align="R")

    # -------------------------------------------------------------- blocks

    def h1(self, title: str, lead: str | None = None) -> None:
        self.set_font("helvetica", "B", 18)
        self.set_text_color(*ACCENT)
        self.multi_cell(0, 9, text(title), new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*INK)
        if lead:
            self.para(lead, size=10, color=MUTED)
        self.ln(2)

    def h2(self, title: str, lead: str | None = None) -> None:
        if (
            self.get_y() > self.h - self.b_margin - 45
        ):  # never a heading alone at the foot of a page
            self.add_page()
        self.ln(3)
        self.set_font("helvetica", "B", 13)
        self.multi_cell(0, 7, text(title), new_x="LMARGIN", new_y="NEXT")
        if lead:
            self.para(lead, size=9, color=MUTED)
        self.ln(1)

    def para(self, body: str, size: float = 10, color=INK, bold: bool = False) -> None:
        self.set_font("helvetica", "B" if bold else "", size)
        self.set_text_color(*color)
        self.multi_cell(0, size * 0.5, text(body), new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*INK)

    def image_png(
        self, data: bytes, width: float | None = None, caption: str | None = None
    ) -> None:
        """A chart picture `width` mm wide (the text width by default) and its caption, on one page."""
        width = width or self.width
        px_w, px_h = Image.open(io.BytesIO(data)).size
        height = width * px_h / px_w
        room = self.h - self.b_margin - self.get_y() - (6 if caption else 0)
        if height > room:
            if height > self.h - self.t_margin - self.b_margin:  # taller than a page: shrink
                height = self.h - self.t_margin - self.b_margin - 5
                width = height * px_w / px_h
            self.add_page()
        if caption:
            self.para(caption, size=9, color=MUTED)
        self.image(io.BytesIO(data), x=self.l_margin, w=width, h=height)
        self.ln(3)

    def tiles(self, items: list[tuple[str, str, str | None]], per_row: int = 4) -> None:
        """Boxes of (label, value, note) as the pages' metric tiles."""
        gap = 4
        w = (self.width - gap * (per_row - 1)) / per_row
        h = 22
        for start in range(0, len(items), per_row):
            if self.get_y() + h > self.h - self.b_margin:
                self.add_page()
            y = self.get_y()
            for i, (label, value, note) in enumerate(items[start : start + per_row]):
                x = self.l_margin + i * (w + gap)
                self.set_fill_color(245, 247, 250)
                self.set_draw_color(210, 215, 222)
                self.rect(x, y, w, h, style="DF")
                self.set_xy(x + 3, y + 2)
                self.set_font("helvetica", size=8)
                self.set_text_color(*MUTED)
                self.cell(w - 6, 4, text(label)[:60])
                self.set_xy(x + 3, y + 7)
                self.set_font("helvetica", "B", 15)
                self.set_text_color(*INK)
                self.cell(w - 6, 8, text(value))
                if note:
                    self.set_xy(x + 3, y + 16)
                    self.set_font("helvetica", size=7)
                    self.set_text_color(*MUTED)
                    self.cell(w - 6, 4, text(note)[:70])
            self.set_text_color(*INK)
            self.set_xy(self.l_margin, y + h + gap)

    def grid(
        self,
        headings: list[str],
        rows: list[list[str]],
        widths: list[float],
        right: set[int] = frozenset(),
        fills: dict[tuple[int, int], tuple] | None = None,
        bold_last: bool = False,
    ) -> None:
        """A table with a shaded head, numbers right-aligned, optional cell fills (status marks)."""
        self.set_font("helvetica", size=9)
        self.set_draw_color(200, 205, 212)
        self.set_fill_color(255, 255, 255)
        head = FontFace(emphasis="BOLD", fill_color=HEAD)
        with self.table(
            col_widths=widths,
            headings_style=head,
            line_height=5.5,
            text_align="LEFT",
            width=self.width,
            padding=1.2,
            borders_layout="HORIZONTAL_LINES",
        ) as table:
            row = table.row()
            for j, name in enumerate(headings):
                row.cell(text(name), align="RIGHT" if j in right else "LEFT")
            for i, values in enumerate(rows):
                row = table.row()
                last = bold_last and i == len(rows) - 1
                for j, value in enumerate(values):
                    fill = (fills or {}).get((i, j))
                    style = FontFace(
                        emphasis="BOLD" if last or fill else None,
                        fill_color=fill or (255, 255, 255),
                    )
                    row.cell(text(value), align="RIGHT" if j in right else "LEFT", style=style)
        self.ln(3)


# ------------------------------------------------------------------ shared sections


def cover(
    doc: Document,
    lines: list[tuple[str, str]],
    summary: str | None = None,
    chart: bytes | None = None,
) -> None:
    """The first page: organisation, title, date, scope and filters; the KPIs at a glance."""
    ctx = doc.ctx
    doc.add_page()
    doc.set_fill_color(*ACCENT)
    doc.rect(0, 0, doc.w, 8, style="F")
    doc.set_y(35 if chart else 45)
    doc.set_font("helvetica", size=14)
    doc.set_text_color(*MUTED)
    doc.cell(0, 8, text(ctx.organisation), new_x="LMARGIN", new_y="NEXT")
    doc.set_font("helvetica", "B", 32)
    doc.set_text_color(*ACCENT)
    doc.cell(0, 16, text(ctx.title), new_x="LMARGIN", new_y="NEXT")
    doc.set_font("helvetica", size=16)
    doc.set_text_color(*INK)
    doc.cell(0, 9, text(f"As of {ctx.as_of.strftime('%d %B %Y')}"), new_x="LMARGIN", new_y="NEXT")
    doc.ln(10)
    for key, value in [("Scope", ctx.scope_line()), ("Filters", filters_line(ctx.filters))] + lines:
        doc.set_font("helvetica", "B", 10)
        doc.cell(40, 6, text(key))
        doc.set_font("helvetica", size=10)
        doc.multi_cell(0, 6, text(value), new_x="LMARGIN", new_y="NEXT")
    if summary:
        doc.ln(8)
        doc.para(summary, size=12, bold=True)
    if chart:
        doc.ln(2)
        doc.image_png(chart, width=doc.width * 0.6)


def status_chart(engine: Engine, results: list) -> bytes | None:
    """The CIO page's KPI status by goal as a picture (None without KPIs)."""
    from dashboard.ui import charts  # the UI layer above; its package loads every widget

    if not results:
        return None
    frame = pd.DataFrame(
        [{"goal": GOAL_LABELS.get(r.goal, r.goal), "status": r.status} for r in results]
    )
    chart = charts.status_by_goal(frame, [GOAL_LABELS[g] for g in strategy.goal_order(engine)])
    return pdf_charts.png(chart, width=640, scale=3)


def made_lines(ctx: Context) -> list[tuple[str, str]]:
    roles = ", ".join(navigation.ROLE_LABELS.get(r, r) for r in ctx.roles)
    return [
        ("Prepared for", f"{ctx.made_for} ({roles})" if ctx.made_for else roles),
        ("Currency", ctx.currency),
        ("Made", dt.datetime.now().strftime("%Y-%m-%d %H:%M")),
    ]


def kpi_results(engine: Engine, as_of: dt.date, filters: Filters) -> list:
    kpis.ensure_default_kpis(engine)
    return kpis.evaluate(engine, as_of, filters or None)


def status_summary(results: list) -> str:
    counts = {s: sum(r.status == s for r in results) for s in STATUS_WORD}
    return "KPIs: " + " · ".join(f"{n} {STATUS_WORD[s]}" for s, n in counts.items() if n)


def scorecard(doc: Document, engine: Engine, results: list) -> None:
    """Every KPI by goal: value, target, status (a coloured mark) and change."""
    ctx = doc.ctx
    doc.add_page()
    doc.h1(
        "KPI scorecard",
        status_summary(results)
        if results
        else "No KPIs are defined: an asset manager or admin adds them on the KPI detail page.",
    )
    for goal in strategy.goal_order(engine):
        members = [r for r in results if r.goal == goal]
        if not members:
            continue
        doc.h2(GOAL_LABELS.get(goal, goal))
        rows, fills = [], {}
        for i, r in enumerate(members):
            m = METRICS[r.metric]
            rows.append(
                [
                    m.label,
                    fmt.metric_value(r.value, m.unit, ctx.currency),
                    fmt.target_text(r.target_kind, r.target, m.unit, ctx.currency),
                    STATUS_WORD.get(r.status, r.status),
                    fmt.change_text(r.change),
                ]
            )
            fills[(i, 3)] = STATUS_RGB.get(r.status, (255, 255, 255))
        doc.grid(
            ["KPI", "Value", "Target", "Status", "Change"], rows, [88, 32, 62, 28, 57], {1}, fills
        )


def metric_items(
    engine: Engine, ids: list[str], as_of: dt.date, filters: Filters, currency: str
) -> list[tuple[str, str, str | None]]:
    """(label, shown value, why missing) for tiles, computed in one engine call."""
    usable = [m for m in ids if api.supports(m, tuple(filters or ()))]
    values = api.compute(engine, as_of, usable, filters or None) if usable else {}
    out = []
    for mid in ids:
        m = METRICS[mid]
        if mid in usable:
            out.append((m.label, fmt.metric_value(values.get(mid), m.unit, currency), None))
        else:
            out.append((m.label, "–", "not available in this scope"))
    return out


# ------------------------------------------------------------------ page sections

# What each page shows, as in pages/<key>.py: (section, tile metrics, chart).
PAGE_SECTIONS: dict[str, tuple[tuple[str, tuple[str, ...], str | None], ...]] = {
    "cio": (
        ("What to budget for next year", ("refresh_forecast_12m", "refresh_due_12m", "renewals_90d_value",
                                          "cloud_run_rate"), "refresh"),
        ("The next 12 months", ("warranty_expiring_180d", "contracts_ending_365d",
                                "contracts_ending_365d_value", "end_of_support_12m"), None),
        ("Where money can be found", ("license_surplus_units", "unused_install_value_90d",
                                      "harvest_savings_12m", "pool_cost_avoidance_30d"), None),
        ("What we manage, against last year", ("active_devices", "itam_records", "titles_managed",
                                               "vendors_managed"), None),
    ),
    "cfo": (
        ("Spend against budget", ("spend_vs_budget_pct", "hardware_spend_12m", "software_spend_12m",
                                  "cloud_spend_12m"), "spend"),
        ("The fiscal year: budget against actual", ("spend_ytd", "budget_ytd", "budget_variance_ytd",
                                                    "spend_projection_fy"), None),
        ("Book value and depreciation", ("net_book_value", "depreciation_12m", "fully_depreciated_active"), None),
        ("The next 12 months", ("contracts_ending_365d_value", "warranty_expiring_90d", "refresh_due_12m",
                                "end_of_support_12m"), "horizon"),
        ("Run-rate and forecast", ("cloud_run_rate", "refresh_forecast_12m", "renewals_90d_value",
                                   "top10_contract_spend"), None),
        ("Savings and true-ups", ("negotiation_savings_12m", "harvest_savings_12m", "pool_cost_avoidance_30d",
                                  "true_up_cost_12m"), None),
        ("Top contracts and capital assets", ("capital_assets", "avg_laptop_cost_12m"), None),
    ),
    "asset_manager": (
        ("Data quality", ("discovery_discrepancies", "deployed_not_discovered_30d_pct", "audit_accuracy_pct_12m",
                          "elp_current_pct"), None),
        ("The next 12 months", ("warranty_expiring_30d", "warranty_expiring_90d", "contracts_ending_180d",
                                "end_of_support_12m"), None),
        ("Licence position", ("titles_under_licensed", "license_shortfall_exposure", "license_surplus_units",
                              "unused_installs_90d"), None),
        ("Stock", ("in_stock", "nonstandard_devices", "devices_retired_12m", "refresh_due_12m"), "stock"),
        ("Audits and roadmap", ("devices_audited_12m", "roadmap_done_pct", "roadmap_in_progress",
                                "integrations_connected"), None),
    ),
    # The look-up page has no tiles: a technician's digest is the stock they issue from.
    "technician": (
        ("Stock", ("in_stock", "devices_retired_12m", "refresh_due_12m", "nonstandard_devices"),
         "stock_by_location"),
    ),
}  # fmt: skip
PAGE_TITLES = {
    "cio": "CIO",
    "cfo": "CFO",
    "asset_manager": "Asset manager",
    "technician": "Technician",
    "scorecard": "Scorecard",
}
PAGE_LEADS = {
    "cio": "What to budget next year, where money can be found, and how we are doing.",
    "cfo": "Are we spending to budget, what is coming, and what have we saved?",
    "asset_manager": "Can the data be trusted, what needs action this quarter, what is in stock?",
    "technician": "What is in stock to issue or to replace a device.",
}


def chart_png(engine: Engine, key: str, ctx: Context) -> tuple[bytes | None, str | None]:
    """A page chart as PNG and its caption; (None, why) when there is nothing to draw."""
    from dashboard.ui import charts  # the UI layer above; its package loads every widget

    cur, as_of, flt = ctx.currency, ctx.as_of, ctx.filters
    if key == "refresh":
        frame = pdf_charts.refresh_quarters(engine, as_of, flt)
        if frame.empty:
            return None, "No device is due for refresh in the next 12 months."
        chart = charts.by_period(
            frame,
            x="quarter",
            y="cost",
            x_title="Refresh due",
            y_title=f"Purchase cost ({cur})",
            unit="money",
            currency=cur,
        )
        return pdf_charts.png(
            chart
        ), "Refresh forecast by quarter (purchase cost of the devices due)."
    if key == "spend":
        if not ctx.access.may("pack:spend"):
            return None, None
        frame, skipped = pdf_charts.monthly_spend(engine, as_of, flt)
        if frame.empty:
            return None, "No spend in the last 12 months."
        budget = (
            pdf_charts.monthly_budget(engine, as_of.year, flt) if ctx.access.may("budget") else None
        )
        chart = charts.spend_by_month(frame, currency=cur, monthly_budget=budget)
        note = "Spend of the last 12 months by month and type."
        if budget:
            note += f" Dashed line: {as_of.year} budget / 12 = {fmt.money(budget, cur)} a month."
        if skipped:
            note += " Left out: " + "; ".join(skipped) + "."
        return pdf_charts.png(chart), note
    if key == "horizon":
        # the CFO page's chart, from the UI layer above (as `charts`)
        from dashboard.ui.finance import horizon_chart

        frame, skipped = cfo_year.horizon(engine, as_of, flt)
        if frame.empty:
            return None, "Nothing ends or falls due in the next 12 months."
        note = (
            "Warranties ending, contracts ending and refreshes due in each of the next 12 months."
        )
        if skipped:
            note += f" Left out under these filters: {', '.join(skipped).lower()}."
        frame = frame.assign(month=pd.to_datetime(frame["month"]))  # JSON for the renderer
        return pdf_charts.png(horizon_chart(frame, cur)), note
    by = "location" if key == "stock_by_location" else "category"
    frame = pdf_charts.breakdown(engine, "in_stock", by, as_of, flt)
    if frame.empty:
        return None, "Nothing in stock."
    m = METRICS["in_stock"]
    chart = charts.bars(
        frame, label=m.label, unit=m.unit, dim_label=by.capitalize(), currency=cur, top=15
    )
    return pdf_charts.png(chart), f"Assets in stock by {by} (the 15 largest)."


def page_sections(doc: Document, engine: Engine, page: str) -> None:
    ctx = doc.ctx
    doc.add_page()
    doc.h1(PAGE_TITLES[page], PAGE_LEADS.get(page))
    for title, ids, chart in PAGE_SECTIONS[page]:
        doc.h2(title)
        doc.tiles(metric_items(engine, list(ids), ctx.as_of, ctx.filters, ctx.currency))
        if chart:
            data, caption = chart_png(engine, chart, ctx)
            if data:
                doc.image_png(data, width=doc.width * 0.75, caption=caption)
            elif caption:
                doc.para(caption, size=9, color=MUTED)


def breakdowns(doc: Document, engine: Engine) -> None:
    """Additive metrics by department and cost center, largest first, with the total."""
    from dashboard.ui import charts  # the UI layer above; its package loads every widget

    ctx = doc.ctx
    for by, title in BREAKDOWN_BY:
        if not ctx.access.may(f"pack:by_{by}"):
            continue
        ids = [
            m for m in BREAKDOWN_METRICS if api.supports(m, tuple(list(ctx.filters or {}) + [by]))
        ]
        if not ids:
            continue
        cols = {m: api.breakdown(engine, m, by, ctx.as_of, ctx.filters) for m in ids}
        lead = cols[ids[1] if len(ids) > 1 else ids[0]]
        members = sorted(
            {k for c in cols.values() for k in c}, key=lambda k: (-(lead.get(k) or 0), k)
        )
        doc.add_page()
        doc.h1(
            f"{title}",
            "Additive metrics: the members add up to the total. "
            f"The {TOP_MEMBERS} largest by 12-month hardware spend; the rest together."
            if len(members) > TOP_MEMBERS
            else "Additive metrics: the members add up to the total.",
        )
        rows = [
            [k] + [_cell(cols[m].get(k), m, ctx.currency) for m in ids]
            for k in members[:TOP_MEMBERS]
        ]
        rest = members[TOP_MEMBERS:]
        if rest:
            rows.append(
                [f"{len(rest)} more"]
                + [_cell(sum(cols[m].get(k) or 0 for k in rest), m, ctx.currency) for m in ids]
            )
        rows.append(
            ["Total"] + [_cell(sum(v or 0 for v in cols[m].values()), m, ctx.currency) for m in ids]
        )
        label_w = 55
        widths = [label_w] + [(doc.width - label_w) / len(ids)] * len(ids)
        doc.grid(
            [by.replace("_", " ").capitalize()] + [METRICS[m].label for m in ids],
            rows,
            widths,
            set(range(1, len(ids) + 1)),
            bold_last=True,
        )
        if "hardware_spend_12m" in ids and members:
            m = METRICS["hardware_spend_12m"]
            frame = pdf_charts.breakdown(engine, m.id, by, ctx.as_of, ctx.filters)
            chart = charts.bars(
                frame,
                label=m.label,
                unit=m.unit,
                dim_label=by.replace("_", " ").capitalize(),
                currency=ctx.currency,
                top=TOP_MEMBERS,
            )
            doc.image_png(pdf_charts.png(chart, width=760), width=doc.width * 0.8)


def _cell(value, metric_id: str, currency: str) -> str:
    unit = METRICS[metric_id].unit
    if fmt.is_missing(value):
        return "–"
    return (
        fmt.money(value, currency, compact=False)
        if unit == "money"
        else fmt.metric_value(value, unit, currency)
    )


def notes(doc: Document) -> None:
    doc.h2("Notes")
    for line in (
        "Every metric as defined in the metric catalogue (docs/metrics.md), as of the date on the cover.",
        "Status: on target (green), near target (amber: missed by at most the tolerance), breached (red), "
        "no data (grey). Change: against the value one year before.",
        "Charts are drawn from the same specifications as the dashboard's pages.",
    ):
        doc.para("- " + line, size=9, color=MUTED)


# ------------------------------------------------------------------ the two documents


def pack_pdf(
    engine: Engine,
    as_of: dt.date,
    filters: Filters = None,
    *,
    access: Access | None = None,
    made_for: str | None = None,
) -> bytes:
    """The executive pack as PDF bytes for `access` (default: the operator, every section).

    As `report.build_pack`: only the sections the roles may have, every figure within the
    scope; no pack role raises permissions.Refused, filters outside the scope OutsideScope.
    """
    access = access or permissions.operator()
    filters = report.pack_filters(access, filters) or None
    ctx = context(engine, "Executive pack", as_of, filters, access, made_for)
    doc = Document(ctx)
    results = kpi_results(engine, as_of, filters) if access.may("pack:scorecard") else []
    cover(
        doc,
        made_lines(ctx),
        status_summary(results) if results else None,
        status_chart(engine, results),
    )
    if access.may("pack:scorecard"):
        scorecard(doc, engine, results)
    for page, _title in ROLE_SECTIONS:
        if access.may(f"pack:{page}"):
            page_sections(doc, engine, page)
    breakdowns(doc, engine)
    notes(doc)
    return bytes(doc.output())


def digest_pdf(
    engine: Engine,
    as_of: dt.date,
    filters: Filters = None,
    *,
    access: Access | None = None,
    page: str | None = None,
    made_for: str | None = None,
) -> bytes:
    """A page digest as PDF bytes: the landing page's tiles and charts (the Scorecard's KPIs
    for users whose landing page it is), within the scope (OutsideScope as `Access.scoped`)."""
    access = access or permissions.operator()
    filters = access.scoped(filters) or None
    page = page or navigation.landing_page(access.roles)
    if not navigation.can_open(access.roles, page):
        raise permissions.Refused(
            f"the {PAGE_TITLES.get(page, page)} page is not open to these roles"
        )
    ctx = context(engine, f"{PAGE_TITLES.get(page, page)} digest", as_of, filters, access, made_for)
    doc = Document(ctx)
    results = kpi_results(engine, as_of, filters) if page in ("scorecard", "cio") else []
    cover(
        doc,
        made_lines(ctx),
        status_summary(results) if results else None,
        status_chart(engine, results),
    )
    if page in PAGE_SECTIONS:
        page_sections(doc, engine, page)
    if page in ("scorecard", "cio"):
        scorecard(doc, engine, results)
    notes(doc)
    return bytes(doc.output())
