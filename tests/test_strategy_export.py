"""The strategy document: deck and workbook reopened and checked for every section; the CLI."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pandas as pd
import pytest
from openpyxl import load_workbook
from pptx import Presentation

from dashboard import database, strategy_deck, strategy_workbook
from dashboard import strategy as S
from dashboard import strategy_export as X
from dashboard import strategy_roadmap as R
from dashboard.cli import main

pytest.importorskip("metrics.api", reason="the metric engine (metrics.api) is not installed yet")
demo = pytest.importorskip("dashboard.demo", reason="the demo generator is not installed yet")

AS_OF = dt.date(2026, 6, 30)
MISSION = "Maintain accurate, actionable, accessible data on all IT assets."


@pytest.fixture
def filled(engine):
    """The small demo with a strategy filled in the way a user would."""
    demo.small_demo(engine, AS_OF)
    S.ensure_seeded(engine, "eve")
    S.save_priorities(
        engine,
        {"optimize_spend": 55, "manage_risk": 35, "enhance_service": 10},
        "Contracts to consolidate.\nAcquisitions ahead.",
        "eve",
    )
    S.save_statements(
        engine, MISSION, "Indispensable data brokers that support strategic decisions.", "eve"
    )
    to = S.statement_ids("trusted_operator")
    S.save_assessment(
        engine, dt.date(2026, 6, 1), to[:3], to, "firefighter", "firefighter", "", "eve"
    )
    S.save_structure(engine, "federated", "Subsidiaries keep their tools.", "eve")
    return engine


def titles(prs) -> list[str]:
    return [s.shapes.title.text for s in prs.slides if s.shapes.title is not None]


def test_deck_has_every_section_and_native_kpi_charts(filled):
    content = X.gather(filled, AS_OF)
    assert content.kpis, "the default KPIs should be evaluated"
    prs = Presentation(pd.io.common.BytesIO(X.build_deck(content)))
    shown = titles(prs)
    for section in strategy_deck.DECK_SECTIONS:
        assert section in shown, section
    charts = [
        (t, [sh.chart for sh in s.shapes if sh.has_chart])
        for s, t in zip(prs.slides, shown, strict=True)
    ]
    trend_charts = [c for t, cs in charts if t.startswith("KPI trends") for c in cs]
    assert len(trend_charts) == len(content.kpis)
    for chart, kpi in zip(trend_charts, content.kpis, strict=True):
        assert len(list(chart.plots[0].categories)) == len(kpi.trend) >= 12  # a year of month ends
    (status,) = dict(charts)["KPIs: current status"]
    assert sum(sum(s.values) for s in status.plots[0].series) == len(content.kpis)
    text = {
        t: " ".join(sh.text_frame.text for sh in s.shapes if sh.has_text_frame)
        for s, t in zip(prs.slides, shown, strict=True)
    }
    assert MISSION in text["Mission and vision"]
    assert "1. Optimize spend (55)" in text["Priorities"]
    assert "Today: Firefighter" in text["Maturity: today and in one year"]
    assert "In one year: Trusted Operator" in text["Maturity: today and in one year"]
    assert "Archetype: Hybrid: federated" in text["Structure"]


def test_deck_highlights_raci_rows_and_notes_scope(filled):
    rows = S.get_rows(filled, "raci")
    rows[1]["cells"] = {"CIO": "C"}  # bypass validation: stored by an older version, say
    with database.session(filled) as s:
        S._replace_rows(s, "raci", rows)
        s.commit()
    S.set_scope_switch(filled, True, "eve")
    prs = Presentation(pd.io.common.BytesIO(X.build_deck(X.gather(filled, AS_OF))))
    slide = next(s for s in prs.slides if s.shapes.title.text == "RACI")
    notes = " ".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
    assert f"Highlighted: {rows[1]['activity']}: 0 A (needs exactly one), no R" in notes
    scope = next(s for s in prs.slides if s.shapes.title.text == "Scope")
    assert "The scope switch is ON" in " ".join(
        sh.text_frame.text for sh in scope.shapes if sh.has_text_frame
    )


def test_workbook_has_one_sheet_per_section(filled):
    content = X.gather(filled, AS_OF)
    wb = load_workbook(pd.io.common.BytesIO(X.build_workbook(content)))
    assert wb.sheetnames == list(strategy_workbook.SHEETS)
    assert [c.value for c in wb["Mission and vision"][2]] == ["Mission", MISSION, 9]
    assert [c.value for c in wb["Priorities"][2]][:2] == ["Optimize spend", 55]
    assert wb["Maturity"]["B1"].value == "Statement" and wb["Maturity"]["B2"].value == "Firefighter"
    assert wb["KPIs"].max_row == len(content.kpis) + 1
    assert len(wb["KPI trends"]._charts) == len(content.kpis)
    assert wb["Roadmap"].max_row == len(R.roadmap_frame(filled)) + 1
    assert wb["RACI"]["A1"].value == "Group"


def test_workbook_neutralises_formula_text(filled):
    S.save_rows(filled, "communication", [{"group": '=HYPERLINK("x")', "benefits": "+1"}], "eve")
    wb = load_workbook(pd.io.common.BytesIO(X.build_workbook(X.gather(filled, AS_OF))))
    cell = wb["Communication"]["A2"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == ('=HYPERLINK("x")', "s", True)


def test_cli_export_by_extension(filled, tmp_path):
    db = tmp_path / "test.duckdb"
    deck, book = tmp_path / "s.pptx", tmp_path / "s.xlsx"
    assert (
        main(["strategy", "export", "--db", str(db), "--out", str(deck), "--as-of", "2026-06-30"])
        == 0
    )
    assert (
        main(["strategy", "export", "--db", str(db), "--out", str(book), "--as-of", "2026-06-30"])
        == 0
    )
    assert "Priorities" in titles(Presentation(deck))
    assert "Roadmap" in load_workbook(book).sheetnames
    assert main(["strategy", "export", "--db", str(db), "--out", str(tmp_path / "s.pdf")]) == 1


def test_cli_show_json(filled, tmp_path, capsys):
    assert main(["strategy", "show", "--json", "--db", str(tmp_path / "test.duckdb")]) == 0
    out = capsys.readouterr().out
    assert '"mission": "Maintain accurate' in out and '"goal_order": [' in out


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_deck_opens_in_libreoffice(filled, tmp_path):
    deck = X.export(filled, tmp_path / "strategy.pptx", AS_OF)
    slides = len(Presentation(deck).slides)
    done = subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(deck)],
        capture_output=True,
        timeout=240,
    )
    pdf = tmp_path / "strategy.pdf"
    assert done.returncode == 0 and pdf.exists()
    pages = len([1 for _ in __import__("re").finditer(rb"/Type\s*/Page[^s]", pdf.read_bytes())])
    assert pages == slides
