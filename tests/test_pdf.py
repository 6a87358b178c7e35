"""The PDFs (dashboard/pdf.py), read back with pypdf: cover, scorecard, the sections a
role may have, values within the scope, charts as pictures, text the font can print.

The estate (as of A = 2026-06-30), by hand:
- L1, L2 laptops deployed to Finance (cost center CC-110), 1,000 each, bought 10 days ago;
- L3 laptop in stock for Sales (CC-140), 500, bought 20 days ago;
- D1 desktop deployed with no department, bought 400 days ago (outside 12 months), 800.
- active_devices by department: Finance 2, Sales 1, (none) 1 = 4.
- hardware_spend_12m by department: Finance 2,000, Sales 500, (none) 0 = 2,500.
- in_stock = 1 (L3). standard_devices_pct: every device meets the standard = 100 (on target).
"""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from dashboard import pdf, permissions
from dashboard.permissions import Access
from tests.metric_fixtures import A, asset, day, load

FINANCE = Access(("cfo",), {"department": ["Finance"]}, "frances")


@pytest.fixture
def estate(engine):
    load(engine, assets=[
        asset("L1", department="Finance", cost_center="CC-110", purchase_date=day(-10), purchase_cost=1000.0),
        asset("L2", department="Finance", cost_center="CC-110", purchase_date=day(-10), purchase_cost=1000.0),
        asset("L3", status="in_stock", department="Sales", cost_center="CC-140", purchase_date=day(-20),
              purchase_cost=500.0),
        asset("D1", "desktop", purchase_date=day(-400), purchase_cost=800.0),
    ])  # fmt: skip
    return engine


def read(data: bytes) -> tuple[str, int, int]:
    """(text, pages, pictures) of a PDF."""
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(p.extract_text() for p in reader.pages)
    return text, len(reader.pages), sum(len(p.images) for p in reader.pages)


def row(text: str, first: str) -> list[str]:
    """The words of the table line that starts with `first`."""
    line = next(ln for ln in text.splitlines() if ln.startswith(first + " "))
    return line.split()


def test_whole_estate_pack(estate):
    text, pages, pictures = read(pdf.pack_pdf(estate, A, made_for="Casey"))
    assert text.startswith("Your organisation\nExecutive pack\nAs of 30 June 2026")
    assert "Scope Whole estate (no scope)." in text and "Filters none (the whole estate)" in text
    assert "Prepared for Casey (CIO, CFO, Asset manager, Technician, Administrator)" in text
    # The scorecard, with its status words; standard devices is on target at 100 %.
    assert "KPI scorecard" in text
    assert re.search(r"Standard devices 100\.0 % at least 97\.0 % on target", text)
    # By department: active devices, then 12-month hardware spend, in full money.
    assert row(text, "Finance")[1:3] == ["2", "€2,000"]
    assert row(text, "Sales")[1:3] == ["1", "€500"]
    assert row(text, "Total")[1:3] == ["4", "€2,500"]
    assert row(text, "CC-110")[1:3] == ["2", "€2,000"]
    # Charts as pictures: KPI status by goal, CFO spend by month, stock by category and the
    # two hardware-spend breakdowns (nothing is due for refresh: no CIO chart, a sentence).
    assert "No device is due for refresh in the next 12 months." in text
    assert pictures == 5
    assert text.count("Page 1 of") == 1 and f"Page {pages} of {pages}" in text


def test_finance_scoped_pack_holds_finance_only(estate):
    text, _, _ = read(pdf.pack_pdf(estate, A, access=FINANCE, made_for="Frances"))
    assert "Scope Scoped to department = Finance: this document holds Finance only." in text
    assert "Filters department = Finance" in text
    assert row(text, "Finance")[1:3] == ["2", "€2,000"]
    assert row(text, "Total")[1:3] == ["2", "€2,000"]
    assert "Sales" not in text and "CC-140" not in text and "(none)" not in text
    # A CFO's sections only: the CFO page, no CIO or Asset manager page.
    assert "Are we spending to budget" in text
    assert "What to budget for next year" not in text and "Data quality" not in text


@pytest.mark.parametrize(
    ("roles", "sections"),
    [
        (
            ("cio",),
            {
                "KPI scorecard",
                "What to budget for next year",
                "Spend against budget",
                "Data quality",
            },
        ),
        (("cfo",), {"KPI scorecard", "Spend against budget"}),
        (("asset_manager",), {"KPI scorecard", "Data quality"}),
        (
            ("admin",),
            {
                "KPI scorecard",
                "What to budget for next year",
                "Spend against budget",
                "Data quality",
            },
        ),
    ],
)
def test_sections_follow_the_roles(estate, roles, sections):
    text, _, _ = read(pdf.pack_pdf(estate, A, access=Access(roles)))
    every = {
        "KPI scorecard",
        "What to budget for next year",
        "Spend against budget",
        "Data quality",
    }
    # The pages' headings (the KPI "Spend against budget" is on the scorecard too: its lead line).
    text = text.replace("Spend against budget", "").replace(
        "Are we spending to budget", "Spend against budget"
    )
    assert {s for s in every if s in text} == sections


def test_no_pack_for_a_technician_nor_filters_outside_the_scope(estate):
    with pytest.raises(permissions.Refused):
        pdf.pack_pdf(estate, A, access=Access(("technician",)))
    with pytest.raises(permissions.OutsideScope):
        pdf.pack_pdf(estate, A, {"department": ["Sales"]}, access=FINANCE)


@pytest.mark.parametrize(
    ("roles", "title", "has", "lacks"),
    [
        (("technician",), "Technician digest", "In stock", "KPI scorecard"),
        (("asset_manager",), "Asset manager digest", "Licence position", "KPI scorecard"),
        (("cfo",), "CFO digest", "Savings and true-ups", "KPI scorecard"),
        (("cio",), "CIO digest", "KPI scorecard", "Savings and true-ups"),
        (("admin",), "Scorecard digest", "KPI scorecard", "In stock"),
    ],
)
def test_digest_is_the_landing_page(estate, roles, title, has, lacks):
    text, _, _ = read(pdf.digest_pdf(estate, A, access=Access(roles)))
    assert f"\n{title}\n" in text and has in text and lacks not in text


def test_cfo_digest_draws_the_12_month_horizon(estate):
    """The CFO page's horizon chart is in the CFO digest, after its tiles, with its caption;
    an empty horizon says so in words instead of a blank chart."""
    charts = [c for *_, c in pdf.PAGE_SECTIONS["cfo"] if c]
    assert charts == ["spend", "horizon"]
    text, _, before = read(pdf.digest_pdf(estate, A, access=Access(("cfo",))))
    assert "Nothing ends or falls due in the next 12 months." in text
    load(estate, assets=[asset("W1", warranty_end=day(40), purchase_date=day(-300),
                               purchase_cost=900.0)])  # fmt: skip
    text, _, after = read(pdf.digest_pdf(estate, A, access=Access(("cfo",))))
    caption = "Warranties ending, contracts ending and refreshes due in each of the next 12 months."
    assert caption in text.replace("\n", " ")
    assert text.index("The next 12 months") < text.index("Warranties ending, contracts")
    assert after == before + 1  # the horizon chart


def test_digest_tiles_have_the_values(estate):
    text, _, _ = read(pdf.digest_pdf(estate, A, access=Access(("technician",)), made_for="Toni"))
    # The tiles print label then value: in stock 1 (L3).
    assert re.search(r"In stock\s+1\b", text)


@pytest.mark.parametrize(
    ("raw", "printed"),
    [("≤ 5 %", "at most 5 %"), ("≥ 97.0 %", "at least 97.0 %"), ("€1.2M – £3 · ¥4", "€1.2M – £3 · ¥4"),
     ("a → b", "a -> b"), ("“quoted”", '"quoted"'), ("✓ done", "? done")],
)  # fmt: skip
def test_text_the_font_can_print(raw, printed):
    assert pdf.text(raw) == printed


def page_tiles(page: str) -> list[tuple[str, tuple[str, ...]]]:
    """(section title, tile metric ids) of pages/<page>.py, in order, read from its source."""
    import ast
    from pathlib import Path

    source = Path(__file__).resolve().parent.parent / "pages" / f"{page}.py"
    calls = sorted(
        (n for n in ast.walk(ast.parse(source.read_text())) if isinstance(n, ast.Call)
         and isinstance(n.func, ast.Attribute) and n.func.attr in ("section", "metric_tiles")),
        key=lambda n: n.lineno,
    )  # fmt: skip
    out, title = [], None
    for call in calls:
        if call.func.attr == "section":
            title = ast.literal_eval(call.args[0])
        else:
            out.append((title, tuple(ast.literal_eval(call.args[0]))))
    return out


@pytest.mark.parametrize("page", ["cio", "cfo", "asset_manager"])
def test_digest_sections_are_the_pages_tiles(page):
    """A page that gains or changes tiles fails here until its digest follows."""
    tiles = [(title, ids) for title, ids, _chart in pdf.PAGE_SECTIONS[page]]
    if page == "cio":  # its "What we manage" tiles are drawn one by one (with their changes)
        tiles = [t for t in tiles if t[0] != "What we manage, against last year"]
    assert tiles == page_tiles(page)
