"""The Strategy page under every role that may open it (AppTest)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import auth
from dashboard import strategy as S

PAGE = str(Path(__file__).resolve().parent.parent / "pages" / "strategy.py")


@pytest.fixture
def page(engine, tmp_path, monkeypatch):
    """Run the page as a role against the test database (the UI caches one engine per URL: the fixture's)."""
    monkeypatch.setenv("DATABASE_URL", f"duckdb:///{(tmp_path / 'test.duckdb').resolve()}")

    def run(role: str) -> AppTest:
        at = AppTest.from_file(PAGE, default_timeout=90)
        at.session_state["_user"] = auth.User(role, role.title(), None, (role,))
        at.session_state["_page"] = "strategy"
        return at.run()

    return run


@pytest.mark.parametrize(
    "role, editable", [("asset_manager", True), ("admin", True), ("cio", False), ("cfo", False)]
)
def test_page_opens_for_each_role(page, engine, role, editable):
    at = page(role)
    assert not at.exception
    assert len(at.tabs) == 11
    labels = [b.label for b in at.button]
    assert ("Save priorities" in labels) is editable
    assert ("Save RACI" in labels) is editable
    assert "Build the deck and the workbook" in labels
    assert any("reading the strategy" in i.value for i in at.info) is (not editable)
    triangle = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    assert "layer" in triangle
    assert S.get_rows(engine, "items")  # seeded on first open


def test_centre_refused_then_priorities_saved(page, engine):
    at = page("asset_manager")
    for goal, value in zip(S.GOALS, (34, 33, 33), strict=True):
        at.number_input(key=f"w_{goal}").set_value(value)
    at.run()
    assert any("centre of the triangle" in e.value for e in at.error)
    save = next(b for b in at.button if b.label == "Save priorities")
    assert save.disabled
    for goal, value in zip(S.GOALS, (20, 20, 60), strict=True):
        at.number_input(key=f"w_{goal}").set_value(value)
    at.run()
    next(b for b in at.button if b.label == "Save priorities").click().run()
    assert not at.exception
    assert S.goal_order(engine) == ["enhance_service", "optimize_spend", "manage_risk"]


def test_twenty_one_word_mission_flagged(page, engine):
    at = page("asset_manager")
    at.text_area(key="stmt_mission").set_value(" ".join(["word"] * 21)).run()
    assert any("21 / 20 words" in e.value for e in at.error)
    assert next(b for b in at.button if b.label == "Save statements").disabled


def test_scope_switch_toggled_and_noted(page, engine):
    at = page("asset_manager")
    at.toggle[0].set_value(True).run()
    assert not at.exception
    assert S.scope_switch(engine) is True
    assert any("scope switch is **on**" in w.value for w in at.warning)
