"""The Strategy page under every role that may open it (AppTest)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import event, text
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


# ------------------------------------------------------- writes only what the user changed

WRITES = ("INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "ALTER")


@pytest.fixture
def writes(engine):
    """Every writing SQL statement the app sends to the test database, in order."""
    seen: list[str] = []

    def record(conn, cursor, statement, params, context, executemany):
        if statement.lstrip().split(None, 1)[0].upper() in WRITES:
            seen.append(statement.strip()[:80])

    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


def audit_lines(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM audit_log")).scalar_one()


def click(at: AppTest, label: str, key: str | None = None) -> AppTest:
    button = next(b for b in at.button if b.label == label and (key is None or b.key == key))
    return button.click().run()


@pytest.mark.parametrize("role", ["asset_manager", "cio"])
def test_a_rerun_writes_nothing(page, engine, writes, role):
    at = page(role)  # the first visit seeds the blueprint's suggestions
    assert writes and not at.exception
    seeded_lines = audit_lines(engine)
    writes.clear()
    at.run()
    at.run()
    assert writes == []
    assert audit_lines(engine) == seeded_lines


# (button, its key, writes on a first click on a freshly seeded strategy)
SAVES = [
    ("Save statements", None, False),  # mission and vision blank, saved blank: no change
    ("Save", "save_items", False),
    ("Save", "save_scope", False),
    ("Save", "save_findings", False),
    ("Save RACI", None, False),
    ("Save roadmap", None, False),
    ("Save priorities", None, True),  # the default weights become the saved priorities
    ("Save assessment", None, True),  # the first assessment of the day
]


@pytest.mark.parametrize("label, key, first_writes", SAVES)
def test_save_writes_only_a_change(page, engine, writes, label, key, first_writes):
    at = page("asset_manager")
    writes.clear()
    lines = audit_lines(engine)
    click(at, label, key)
    assert not at.exception and not at.error
    assert bool(writes) is first_writes
    assert audit_lines(engine) == lines + first_writes
    writes.clear()
    click(at, label, key)  # the same again: nothing changed since
    assert writes == []
    assert audit_lines(engine) == lines + first_writes


def test_an_edit_is_saved_and_logged_once(page, engine, writes):
    at = page("asset_manager")
    lines = audit_lines(engine)
    at.text_area(key="stmt_mission").set_value("Accurate   asset data for every decision").run()
    click(at, "Save statements")
    assert not at.exception
    assert S.get_value(engine, "mission") == "Accurate asset data for every decision"
    assert S.get_value(engine, "vision") is None  # left blank: not written
    assert audit_lines(engine) == lines + 1
    assert [s.value for s in at.success] == ["Mission and vision saved."]
    log = S.audit_entries(engine)
    assert (log.iloc[0]["entity_id"], log.iloc[0]["user"]) == ("mission", "asset_manager")
    # The Change log tab reads as words: when, who, which part, what changed (no JSON).
    at.run()
    shown = at.dataframe[-1].value
    assert list(shown.columns) == ["When", "Who", "What", "Change"]
    first = shown.iloc[0]
    assert (first["Who"], first["What"]) == ("asset_manager", "Mission")
    assert first["Change"] == "set to “Accurate asset data for every decision”"
