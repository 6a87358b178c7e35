"""The strategy's validations as pure functions: 20 words, the triangle, RACI, maturity, rows."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard import strategy as S
from dashboard import strategy_roadmap as R
from dashboard import strategy_rows as T

TWENTY = " ".join(f"w{i}" for i in range(20))


@pytest.mark.parametrize(
    "text, words, ok",
    [
        ("", 0, True),
        ("Maintain accurate, actionable, accessible data on all IT assets.", 9, True),
        (TWENTY, 20, True),
        (TWENTY + " one-more", 21, False),
        ("  spaced\tout\n\nwords  ", 3, True),
        ("well-hyphenated co-operative words", 3, True),  # a hyphenated word is one word
        (" ".join(["x"] * 35), 35, False),
    ],
)
def test_twenty_words(text, words, ok):
    assert S.word_count(text) == words
    assert (S.validate_statement(text) == []) is ok


def test_twenty_one_words_message_names_the_count():
    assert S.validate_statement(TWENTY + " z", "vision") == [
        "the vision has 21 words; the 20x20 rule allows at most 20"
    ]


def w(spend, risk, service):
    return {"optimize_spend": spend, "manage_risk": risk, "enhance_service": service}


@pytest.mark.parametrize(
    "weights, problem",
    [
        (w(50, 30, 20), None),
        (w(41, 40, 19), None),  # just off the centre
        (w(100, 0, 0), None),
        (w(0, 0, 100), None),
        (w(40, 40, 20), "centre"),  # no goal above 40
        (w(34, 33, 33), "centre"),
        (w(40, 30, 30), "centre"),
        (w(50, 30, 19), "add up to 99"),
        (w(60, 30, 20), "add up to 110"),
        (w(110, -10, 0), "whole number >= 0"),
        (w(50.0, 30, 20), "whole number >= 0"),
        (w(True, 79, 20), "whole number >= 0"),
        ({"optimize_spend": 60, "manage_risk": 40}, "exactly the goals"),
    ],
)
def test_triangle_weights(weights, problem):
    errors = S.validate_weights(weights)
    if problem is None:
        assert errors == []
    else:
        assert len(errors) == 1 and problem in errors[0]


@pytest.mark.parametrize(
    "weights, point",
    [
        (w(100, 0, 0), (0.0, 0.0)),
        (w(0, 100, 0), (1.0, 0.0)),
        (w(0, 0, 100), (0.5, 0.8660254)),
        (w(50, 50, 0), (0.5, 0.0)),
    ],
)
def test_triangle_point(weights, point):
    assert S.triangle_point(weights) == pytest.approx(point)


@pytest.mark.parametrize(
    "weights, order",
    [
        (w(60, 30, 10), ["optimize_spend", "manage_risk", "enhance_service"]),
        (w(10, 30, 60), ["enhance_service", "manage_risk", "optimize_spend"]),
        (
            w(20, 20, 60),
            ["enhance_service", "optimize_spend", "manage_risk"],
        ),  # ties keep the default order
    ],
)
def test_goal_order_from_weights(weights, order):
    assert S.goal_order_from(weights) == order


def raci(activity, **cells):
    return {"group": "governance", "activity": activity, "cells": cells}


@pytest.mark.parametrize(
    "rows, problems",
    [
        ([raci("a", CIO="A", PM="R", X="C")], {}),
        ([raci("a", CIO="A/R")], {}),  # accountable and doing it
        ([raci("a", CIO="A", PM="A", X="R")], {"a": "2 A (needs exactly one)"}),
        ([raci("a", PM="R")], {"a": "0 A (needs exactly one)"}),
        ([raci("a", CIO="A", X="C", Y="I")], {"a": "no R (needs at least one)"}),
        ([raci("a")], {"a": "0 A (needs exactly one), no R (needs at least one)"}),
        (
            [raci("ok", CIO="A", PM="R"), raci("bad", CIO="A", PM="A/R")],
            {"bad": "2 A (needs exactly one)"},
        ),
        ([raci("a", CIO="A", PM="R", Z="")], {}),
    ],
)
def test_raci_one_a_at_least_one_r(rows, problems):
    assert T.raci_problems(rows) == problems


def test_raci_rows_refused_with_offending_activity():
    _, errors = T.validate_rows(
        "raci", [raci("Approve policies", CIO="A", PM="A"), raci("Tag assets", AM="A", T="R")]
    )
    assert errors == ["RACI: Approve policies: 2 A (needs exactly one), no R (needs at least one)"]


def test_raci_letters_normalised_and_unknown_refused():
    clean, errors = T.validate_rows("raci", [raci("a", CIO="ar", PM=" r ", X="Z")])
    assert clean[0]["cells"] == {"CIO": "A/R", "PM": "R"}
    assert errors == ["row 1: X: 'Z' is not one of R, A, C, I, A/R"]


def test_raci_wide_frame_round_trip():
    rows = [raci("a", CIO="A", PM="R")]
    frame = S.raci_frame(rows, ["CIO", "PM", "CFO"])
    assert list(frame.columns) == ["group", "activity", "CIO", "PM", "CFO"]
    back = T.validate_rows("raci", S.raci_rows(frame, ["CIO", "PM", "CFO"]))[0]
    assert back == [{"group": "governance", "activity": "a", "cells": {"CIO": "A", "PM": "R"}}]


TO = S.statement_ids("trusted_operator")
BP = S.statement_ids("partner")
IN = S.statement_ids("innovator")


@pytest.mark.parametrize(
    "ticked, base, level",
    [
        ([], "unreliable", "unreliable"),
        ([], "firefighter", "firefighter"),
        (TO[:-1], "firefighter", "firefighter"),  # one Trusted Operator statement missing
        (TO, "unreliable", "trusted_operator"),
        (TO + BP[:3], "firefighter", "trusted_operator"),
        (TO + BP, "firefighter", "partner"),
        (TO + IN, "firefighter", "trusted_operator"),  # each level includes the ones below
        (BP + IN, "firefighter", "firefighter"),
        (TO + BP + IN, "firefighter", "innovator"),
    ],
)
def test_maturity_level(ticked, base, level):
    assert S.maturity_level(ticked, base) == level


def test_maturity_base_must_be_below_trusted_operator():
    with pytest.raises(T.StrategyError):
        S.maturity_level(TO, "partner")


def test_ladder_has_the_blueprint_levels():
    assert [S.LEVEL_NAMES[k] for k in S.LEVELS] == [
        "Unreliable",
        "Firefighter",
        "Trusted Operator",
        "Business & Technology Partner",
        "Innovator",
    ]
    assert (len(TO), len(BP), len(IN)) == (6, 6, 2)


@pytest.mark.parametrize(
    "section, rows, errors",
    [
        (
            "items",
            [{"kind": "Opportunity", "text": "x", "goal": "manage risk", "horizon": "next_year"}],
            [],
        ),
        (
            "items",
            [{"kind": "wish", "text": "x"}],
            ["row 1: Kind: 'wish' is not one of challenge, opportunity, tactic"],
        ),
        ("items", [{"kind": "tactic", "text": " "}], ["row 1: Text is required"]),
        (
            "items",
            [{"kind": "tactic", "text": "x", "horizon": "someday"}],
            ["row 1: Horizon: 'someday' is not one of (blank), next_year, three_years"],
        ),
        (
            "findings",
            [{"kind": "finding", "text": f"f{i}"} for i in range(4)],
            ["at most 3 rows of kind finding (step 2.10), not 4"],
        ),
        ("findings", [{"kind": "next_step", "text": f"s{i}"} for i in range(5)], []),
        (
            "scope",
            [{"kind": "category", "name": "laptop"}, {"kind": "category", "name": "Laptop"}],
            ["category 'Laptop' is listed twice"],
        ),
        (
            "sourcing",
            [{"activity": "Asset tagging", "group": "itam", "decision": "maybe"}],
            [
                "row 1: Decision: 'maybe' is not one of outsource, potentially_outsource, insource, undecided"
            ],
        ),
    ],
)
def test_validate_rows(section, rows, errors):
    assert T.validate_rows(section, rows)[1] == errors


def test_validate_rows_cleans_and_drops_blank_rows():
    clean, errors = T.validate_rows(
        "items",
        [
            {
                "kind": "Opportunity",
                "text": " Increase asset utilization. ",
                "goal": "Optimize Spend",
                "horizon": None,
                "painful": None,
                "kpis": ["3", 1],
            },
            {
                "kind": None,
                "text": None,
                "goal": None,
                "horizon": None,
                "painful": None,
                "kpis": None,
            },
        ],
    )
    assert errors == []
    assert clean == [
        {
            "kind": "opportunity",
            "text": "Increase asset utilization.",
            "goal": "optimize_spend",
            "horizon": "",
            "painful": False,
            "kpis": [1, 3],
        }
    ]


def road(**kw):
    row = {
        "item_id": "R1",
        "initiative": "Data quality",
        "task": "Audit",
        "owner": None,
        "target_date": "2026-03-31",
        "status": "planned",
        "completed_date": None,
    }
    return {**row, **kw}


@pytest.mark.parametrize(
    "rows, errors",
    [
        ([road()], []),
        ([road(status="In Progress")], []),
        ([road(task="")], ["row 1: task is required"]),
        (
            [road(status="started")],
            ["row 1: status 'started' is not one of planned, in_progress, done, cancelled"],
        ),
        ([road(), road()], ["row 2: item_id 'R1' appears twice"]),
        (
            [road(target_date="31/03/2026")],
            ["row 1: target_date: '31/03/2026' is not a date (YYYY-MM-DD)"],
        ),
    ],
)
def test_validate_roadmap(rows, errors):
    assert R.validate_roadmap(pd.DataFrame(rows))[1] == errors


def test_validate_roadmap_values():
    rows, _ = R.validate_roadmap(
        pd.DataFrame([road(status="In Progress", target_date=dt.date(2026, 3, 31))])
    )
    assert rows == [
        {
            "item_id": "R1",
            "initiative": "Data quality",
            "task": "Audit",
            "owner": None,
            "status": "in_progress",
            "target_date": dt.date(2026, 3, 31),
            "completed_date": None,
        }
    ]
