"""The strategy in the database: seeds, audited saves, refusals, scope exclusion, roadmap progress."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
from sqlalchemy import text

from dashboard import store
from dashboard import strategy as S
from dashboard import strategy_roadmap as R
from dashboard import strategy_rows as T
from dashboard import strategy_seeds as seeds
from tests.metric_fixtures import A, asset, load

api = pytest.importorskip(
    "metrics.api", reason="the metric engine (metrics.api) is not installed yet"
)


def audit_rows(engine, entity_id=None):
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT user, entity, entity_id, action, old, new FROM audit_log "
                "WHERE entity IN ('strategy', 'roadmap', 'setting') ORDER BY id"
            )
        ).all()
    return [r for r in rows if entity_id is None or r[2] == entity_id]


def test_seeded_once_with_the_blueprint_lists(engine):
    assert S.ensure_seeded(engine, "eve") is True
    assert S.ensure_seeded(engine, "eve") is False
    items = S.get_rows(engine, "items")
    assert [i["kind"] for i in items].count("challenge") == len(seeds.CHALLENGES) == 19
    assert [i["kind"] for i in items].count("opportunity") == len(seeds.OPPORTUNITIES)
    assert [i["kind"] for i in items].count("tactic") == len(seeds.TACTICS)
    assert len(S.get_rows(engine, "sourcing")) == 23
    assert T.raci_problems(S.get_rows(engine, "raci")) == {}
    assert S.raci_roles(engine) == list(seeds.RACI_ROLES)
    assert S.scope_exclusions(engine) == {"category": ["iot"]}
    assert [a["approach"] for a in S.get_rows(engine, "audit_plan")] == [
        "Compare tool records",
        "IT-led audit",
        "User-led audit",
    ]


def test_seed_links_items_to_default_kpis(engine):
    S.ensure_seeded(engine)
    kpis = S.kpi_choices(engine)
    if not kpis:
        pytest.skip("dashboard.kpis did not create the default KPIs")
    by_text = {i["text"]: i["kpis"] for i in S.get_rows(engine, "items")}
    linked = by_text["Develop reliable disposal processes."]
    assert len(linked) == 1 and "disposed_without_certificate" in kpis[linked[0]]


def test_priorities_saved_with_audit_and_order(engine):
    assert S.goal_order(engine) == ["optimize_spend", "manage_risk", "enhance_service"]
    S.save_priorities(
        engine,
        {"optimize_spend": 10, "manage_risk": 30, "enhance_service": 60},
        " Service first ",
        "eve",
    )
    assert S.priorities(engine) == {
        "weights": {"optimize_spend": 10, "manage_risk": 30, "enhance_service": 60},
        "notes": "Service first",
    }
    assert S.goal_order(engine) == ["enhance_service", "manage_risk", "optimize_spend"]
    ((user, entity, key, action, old, new),) = audit_rows(engine, "priorities")
    assert (user, entity, key, action, old) == ("eve", "strategy", "priorities", "update", None)
    assert json.loads(new)["weights"]["enhance_service"] == 60


def test_centre_of_the_triangle_refused_and_nothing_stored(engine):
    with pytest.raises(T.StrategyError, match="centre of the triangle"):
        S.save_priorities(
            engine, {"optimize_spend": 34, "manage_risk": 33, "enhance_service": 33}, "", "eve"
        )
    assert S.priorities(engine) is None
    assert audit_rows(engine) == []


def test_twenty_one_words_refused_and_nothing_stored(engine):
    S.save_statements(engine, "Maintain accurate data.", "One view.", "eve")
    too_long = " ".join(["word"] * 21)
    with pytest.raises(T.StrategyError, match="21 words"):
        S.save_statements(engine, "Still fine.", too_long, "eve")
    assert (S.get_value(engine, "mission"), S.get_value(engine, "vision")) == (
        "Maintain accurate data.",
        "One view.",
    )


def test_raci_with_two_a_refused_naming_the_activity(engine):
    S.ensure_seeded(engine)
    rows = S.get_rows(engine, "raci")
    rows[0]["cells"]["Finance"] = "A"  # the CIO is already accountable
    with pytest.raises(T.StrategyError) as exc:
        S.save_raci(engine, S.raci_roles(engine), rows, "eve")
    assert exc.value.errors == [f"RACI: {rows[0]['activity']}: 2 A (needs exactly one)"]
    assert S.get_rows(engine, "raci")[0]["cells"].get("Finance") == "C"


def test_raci_dropping_a_role_drops_its_cells(engine):
    S.ensure_seeded(engine)
    roles = [r for r in S.raci_roles(engine) if r != "Security"]
    S.save_raci(engine, roles, S.get_rows(engine, "raci"), "eve")
    assert all("Security" not in r["cells"] for r in S.get_rows(engine, "raci"))
    assert S.raci_roles(engine) == roles


def test_section_save_audited_with_old_and_new(engine):
    S.save_rows(engine, "communication", [{"group": "CFO", "benefits": "Spend predictions"}], "eve")
    S.save_rows(engine, "communication", [{"group": "CIO"}], "bob")
    rows = audit_rows(engine, "communication")
    assert [r[0] for r in rows] == ["eve", "bob"]
    assert (
        json.loads(rows[1][4])[0]["group"] == "CFO" and json.loads(rows[1][5])[0]["group"] == "CIO"
    )
    S.save_rows(engine, "communication", [{"group": "CIO"}], "bob")  # no change: no new entry
    assert len(audit_rows(engine, "communication")) == 2


def test_maturity_assessments_kept_by_date(engine):
    to = S.statement_ids("trusted_operator")
    first = S.save_assessment(
        engine, dt.date(2026, 1, 15), [], to, "firefighter", "firefighter", "", "eve"
    )
    assert (first["current_level"], first["target_level"]) == ("firefighter", "trusted_operator")
    S.save_assessment(
        engine,
        dt.date(2026, 6, 15),
        to,
        to + S.statement_ids("partner"),
        "firefighter",
        "firefighter",
        "half-year",
        "eve",
    )
    S.save_assessment(
        engine, dt.date(2026, 1, 15), [], [], "unreliable", "firefighter", "redo", "eve"
    )
    history = S.assessments(engine)
    assert [(h["assessed_on"], h["current_level"], h["target_level"]) for h in history] == [
        (dt.date(2026, 1, 15), "unreliable", "firefighter"),
        (dt.date(2026, 6, 15), "trusted_operator", "partner"),
    ]
    assert [r[3] for r in audit_rows(engine)] == ["create", "create", "update"]


# (what is saved twice, the audit actions it leaves): a save with nothing new writes nothing
SAVED_TWICE = [
    ("assessment", ["create"]),
    ("assessment by another user", ["create"]),
    ("statements", ["update"]),
    ("blank statements", []),
    ("scope switch off", []),
    ("scope switch on", ["update"]),
]


def _save(engine, what: str, user: str) -> None:
    to = S.statement_ids("trusted_operator")
    if what.startswith("assessment"):
        S.save_assessment(engine, A, to, to, "firefighter", "firefighter", "note", user)
    elif what == "statements":
        S.save_statements(engine, "Accurate data", "", user)
    elif what == "blank statements":
        S.save_statements(engine, "", "  ", user)
    else:
        S.set_scope_switch(engine, what.endswith("on"), user)


@pytest.mark.parametrize("what, actions", SAVED_TWICE)
def test_saving_the_same_again_writes_nothing(engine, what, actions):
    _save(engine, what, "eve")
    _save(engine, what, "bob" if "another" in what else "eve")
    assert [r[3] for r in audit_rows(engine)] == actions


def test_unknown_statement_refused(engine):
    with pytest.raises(T.StrategyError, match="unknown statement"):
        S.save_assessment(engine, A, ["trusted_operator.99"], [], "firefighter", "firefighter")


def test_scope_switch_off_by_default_and_audited(engine):
    assert S.scope_switch(engine) is False
    S.ensure_seeded(engine)
    assert S.active_exclusions(engine) is None
    S.set_scope_switch(engine, True, "eve")
    assert S.scope_switch(engine) is True
    assert S.active_exclusions(engine) == {"category": ["iot"]}
    ((user, entity, key, action, old, new),) = audit_rows(engine, "scope_filter_on")
    assert (user, old, new) == ("eve", "false", "true")


ESTATE = [
    asset("L1", "laptop", location="Paris"),
    asset("L2", "laptop", location="Lyon"),
    asset("S1", "server", location="Paris"),
    asset("I1", "iot", location="Paris"),
    asset("I2", "iot", status="retired", location="Lyon"),
]


@pytest.mark.parametrize(
    "out_of_scope, active_devices",
    [
        ([], 4),  # L1, L2, S1, I1 (I2 is retired)
        ([("category", "iot")], 3),
        ([("category", "iot"), ("category", "laptop")], 1),
        ([("location", "Lyon")], 3),
        ([("category", "iot"), ("location", "Lyon")], 2),
        ([("software_class", "Freeware & shareware")], 4),  # no metric dimension: no effect
    ],
)
def test_scope_exclusion_changes_metric_values(engine, out_of_scope, active_devices):
    load(engine, assets=ESTATE)
    rows = [{"kind": "category", "name": c, "in_scope": True} for c in ("laptop", "server", "iot")]
    rows += [{"kind": "location", "name": x, "in_scope": True} for x in ("Paris", "Lyon")]
    rows += [{"kind": "software_class", "name": "Freeware & shareware", "in_scope": True}]
    for row in rows:
        row["in_scope"] = (row["kind"], row["name"]) not in out_of_scope
    S.save_rows(engine, "scope", rows, "eve")
    whole = api.compute(engine, A, ["active_devices"])["active_devices"]
    scoped = api.compute(engine, A, ["active_devices"], exclude=S.scope_exclusions(engine) or None)
    assert (whole, scoped["active_devices"]) == (4, active_devices)
    effect = {e["metric"]: e for e in S.scope_effect(engine, A, ("active_devices",))}
    assert effect["active_devices"]["in_scope"] == active_devices


def test_new_data_locations_offered_for_scope(engine):
    load(engine, assets=ESTATE)
    S.save_rows(engine, "scope", [{"kind": "location", "name": "Paris"}], "eve")
    assert S.missing_locations(engine) == ["Lyon"]


def roadmap(*statuses):
    return pd.DataFrame(
        [
            {
                "item_id": f"R{i}",
                "initiative": "Data quality",
                "task": f"Task {i}",
                "owner": "Eve",
                "target_date": dt.date(2026, 1 + i, 1),
                "status": s,
                "completed_date": None,
            }
            for i, s in enumerate(statuses)
        ]
    )


def test_roadmap_edits_feed_progress_metrics(engine):
    assert R.save_roadmap(
        engine, roadmap("done", "done", "planned", "cancelled", "in_progress"), "eve"
    ) == {"added": 5, "changed": 0, "removed": 0}
    before = api.compute(engine, A, ["roadmap_done_pct", "roadmap_in_progress"])
    assert before == {
        "roadmap_done_pct": pytest.approx(50.0),
        "roadmap_in_progress": 1,
    }  # 2 of 4 not cancelled
    frame = R.roadmap_frame(engine)
    frame.loc[frame["item_id"] == "R2", "status"] = "done"
    frame.loc[frame["item_id"] == "R4", "status"] = "done"
    assert R.save_roadmap(engine, frame, "eve") == {"added": 0, "changed": 2, "removed": 0}
    after = R.roadmap_progress(engine, A)
    assert after == {"roadmap_done_pct": pytest.approx(100.0), "roadmap_in_progress": 0}
    assert store.last_import_at(engine) is not None  # stale snapshots and caches notice
    ((_, entity, _, _, old, new),) = [r for r in audit_rows(engine) if r[1] == "roadmap"][1:]
    assert sorted(json.loads(old)) == ["R2", "R4"] and json.loads(new)["R2"]["status"] == "done"


def test_roadmap_row_removed_and_refusal_changes_nothing(engine):
    R.save_roadmap(engine, roadmap("done", "planned"), "eve")
    assert R.save_roadmap(engine, roadmap("done"), "eve")["removed"] == 1
    bad = roadmap("done", "someday")
    with pytest.raises(T.StrategyError, match="status 'someday'"):
        R.save_roadmap(engine, bad, "eve")
    assert list(R.roadmap_frame(engine)["item_id"]) == ["R0"]
