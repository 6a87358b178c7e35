"""The strategy reaches the dashboard: the scope switch (noted, applied) and the goal order."""

from __future__ import annotations

import pytest

from dashboard import database
from dashboard import strategy as S
from metrics.kpi import GOAL_LABELS
from tests.test_app import metrics, open_app


@pytest.fixture
def estate(estate):
    """conftest's copy of the hand-made estate, with a strategy."""
    engine = database.get_engine(estate)
    # Desktops out of scope (A3, the one in stock), switch on; manage risk weighs most.
    S.save_rows(
        engine, "scope", [{"kind": "category", "name": "desktop", "in_scope": False}], "eve"
    )
    S.set_scope_switch(engine, True, "eve")
    S.save_priorities(
        engine,
        {"optimize_spend": 20, "manage_risk": 60, "enhance_service": 20},
        "risk first",
        "eve",
    )
    database.dispose(estate)
    return estate.parent


def test_scope_switch_is_noted_and_applied(estate):
    at = open_app("cio1", "cio")
    assert not at.exception, at.exception
    assert any("Scope switch on" in w.value and "desktop" in w.value for w in at.warning)
    # Active devices: A1, A2 (laptops); A3, a desktop, is out of scope (A4 is retired).
    assert metrics(at)["Active devices"] == "2"


def test_scorecard_follows_the_priorities(estate):
    at = open_app("admin1")
    assert not at.exception, at.exception
    headings = [h.value for h in at.subheader]
    order = [GOAL_LABELS[g] for g in ("manage_risk", "optimize_spend", "enhance_service")]
    assert [h for h in headings if h in order] == order
