"""The ITAM strategy: priorities, statements, maturity, scope, RACI, plans, roadmap.

The decisions of the blueprint's Phases 1 and 2 (see strategy_seeds.py), kept in
the database next to the KPIs that measure them. Validations are pure functions;
every saving function validates first, writes nothing when anything is wrong,
and records who changed what in the audit log (old and new values as JSON).

Storage: single values (priorities, mission, ...) in `strategy_values`, the
editable tables in `strategy_rows` (one JSON object per row, its columns
declared in strategy_rows.SECTIONS), dated maturity assessments in
`strategy_maturity`, the roadmap in the data package's own `roadmap` table
(strategy_roadmap.py).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable

import pandas as pd
from sqlalchemy import Engine, text
from sqlmodel import Session, delete, select

from dashboard import kpis, store
from dashboard import strategy_seeds as seeds
from dashboard.models import Kpi, MaturityAssessment, StrategyRow, StrategyValue
from dashboard.strategy_roadmap import roadmap_frame
from dashboard.strategy_rows import (
    SECTIONS,
    StrategyError,
    audit,
    now,
    raci_problems,
    validate_rows,
)
from metrics import api
from metrics.materialize import EXCLUSIONS_KEY

GOALS = seeds.GOALS
MAX_WORDS = 20
CENTRE_LIMIT = 40  # no weight above this = the centre of the triangle
SCOPE_SWITCH_KEY = "scope_filter_on"
EDIT_ROLES = ("asset_manager", "admin")
READ_ROLES = ("asset_manager", "admin", "cio", "cfo")
LEVELS = tuple(m[0] for m in seeds.MATURITY)
LEVEL_NAMES = {m[0]: m[1] for m in seeds.MATURITY}
BASE_LEVELS = ("unreliable", "firefighter")
TICKED_LEVELS = ("trusted_operator", "partner", "innovator")


# ---------------------------------------------------------------- validations


def word_count(statement: str) -> int:
    """Words as the 20x20 rule counts them: whitespace-separated."""
    return len((statement or "").split())


def validate_statement(statement: str, what: str = "statement") -> list[str]:
    n = word_count(statement)
    if n > MAX_WORDS:
        return [f"the {what} has {n} words; the 20x20 rule allows at most {MAX_WORDS}"]
    return []


def validate_weights(weights: dict[str, object]) -> list[str]:
    """Three non-negative integer weights summing to 100, not at the centre."""
    if set(weights) != set(GOALS):
        return [f"weights must name exactly the goals {', '.join(GOALS)}"]
    errors = []
    for goal in GOALS:
        w = weights[goal]
        if isinstance(w, bool) or not isinstance(w, int) or w < 0:
            errors.append(f"{seeds.GOAL_LABELS[goal]}: {w!r} is not a whole number >= 0")
    if errors:
        return errors
    total = sum(weights.values())  # type: ignore[arg-type]
    if total != 100:
        return [f"the weights add up to {total}, not 100"]
    if max(weights.values()) <= CENTRE_LIMIT:  # type: ignore[type-var]
        return [
            f"no goal is above {CENTRE_LIMIT}: that is the centre of the triangle, which is "
            "off limits (it is very rarely possible to deliver on all three at once)"
        ]
    return []


def triangle_point(weights: dict[str, int]) -> tuple[float, float]:
    """The point for the weights in a triangle with spend at left, risk at right, service at top."""
    corners = {
        "optimize_spend": (0.0, 0.0),
        "manage_risk": (1.0, 0.0),
        "enhance_service": (0.5, math.sqrt(3) / 2),
    }
    x = sum(weights[g] * corners[g][0] for g in GOALS) / 100
    y = sum(weights[g] * corners[g][1] for g in GOALS) / 100
    return x, y


def maturity_level(ticked: Iterable[str], base: str) -> str:
    """The highest level from Trusted Operator up whose statements (and those below) are all ticked."""
    if base not in BASE_LEVELS:
        raise StrategyError([f"below Trusted Operator pick one of {', '.join(BASE_LEVELS)}"])
    ticked = set(ticked)
    level = base
    for key in TICKED_LEVELS:
        if all(sid in ticked for sid in statement_ids(key)):
            level = key
        else:
            break
    return level


def statement_ids(level: str) -> list[str]:
    statements = next(m[3] for m in seeds.MATURITY if m[0] == level)
    return [f"{level}.{i}" for i in range(1, len(statements) + 1)]


def statements() -> dict[str, str]:
    """Statement id -> text for the levels the team ticks."""
    return {
        f"{m[0]}.{i}": s
        for m in seeds.MATURITY
        if m[0] in TICKED_LEVELS
        for i, s in enumerate(m[3], 1)
    }


# ------------------------------------------------------------------ storage


def get_value(engine: Engine, key: str, default=None):
    with Session(engine, expire_on_commit=False) as s:
        row = s.get(StrategyValue, key)
        return default if row is None or row.value is None else json.loads(row.value)


def _put_value(s: Session, key: str, value, user: str | None) -> None:
    row = s.get(StrategyValue, key)
    old = None if row is None or row.value is None else json.loads(row.value)
    if old == value or (old is None and value == ""):  # an empty text over nothing: no change
        return
    if row is None:
        row = StrategyValue(key=key)
    row.value, row.updated_at, row.updated_by = store.dumps(value), now(), user
    s.add(row)
    audit(s, "strategy", key, "update", old, value, user)


def set_values(engine: Engine, values: dict, user: str | None) -> None:
    with Session(engine, expire_on_commit=False) as s:
        for key, value in values.items():
            _put_value(s, key, value, user)
        s.commit()


def get_rows(engine: Engine, section: str) -> list[dict]:
    with Session(engine, expire_on_commit=False) as s:
        rows = s.exec(
            select(StrategyRow).where(StrategyRow.section == section).order_by(StrategyRow.position)
        ).all()
        return [json.loads(r.data) for r in rows]


def _replace_rows(s: Session, section: str, rows: list[dict]) -> None:
    s.exec(delete(StrategyRow).where(StrategyRow.section == section))
    for i, row in enumerate(rows):
        s.add(StrategyRow(section=section, position=i, data=store.dumps(row)))


def save_rows(engine: Engine, section: str, rows: Iterable[dict], user: str | None) -> list[dict]:
    """Validate and store a section's rows (replacing them); StrategyError when refused."""
    clean, errors = validate_rows(section, rows)
    if errors:
        raise StrategyError(errors)
    old = get_rows(engine, section)
    if old == clean:
        return clean
    with Session(engine, expire_on_commit=False) as s:
        _replace_rows(s, section, clean)
        audit(s, "strategy", section, "update", old, clean, user)
        s.commit()
    if section == "scope":
        sync_metric_exclusions(engine)
    return clean


# ---------------------------------------------------------- priorities, goals


def priorities(engine: Engine) -> dict | None:
    """{"weights": {goal: int}, "notes": str} or None when not set."""
    return get_value(engine, "priorities")


def save_priorities(engine: Engine, weights: dict[str, int], notes: str, user: str | None) -> None:
    errors = validate_weights(weights)
    if errors:
        raise StrategyError(errors)
    value = {"weights": {g: weights[g] for g in GOALS}, "notes": (notes or "").strip()}
    set_values(engine, {"priorities": value}, user)


def goal_order(engine: Engine) -> list[str]:
    """Goals by weight, heaviest first (ties and no priorities: the default order)."""
    p = priorities(engine)
    return goal_order_from(p["weights"]) if p else list(GOALS)


def goal_order_from(weights: dict[str, int]) -> list[str]:
    return sorted(GOALS, key=lambda g: (-weights.get(g, 0), GOALS.index(g)))


def save_statements(engine: Engine, mission: str, vision: str, user: str | None) -> None:
    errors = validate_statement(mission, "mission") + validate_statement(vision, "vision")
    if errors:
        raise StrategyError(errors)
    set_values(
        engine, {"mission": " ".join(mission.split()), "vision": " ".join(vision.split())}, user
    )


def save_structure(engine: Engine, archetype: str, note: str, user: str | None) -> None:
    if archetype not in seeds.ARCHETYPES:
        raise StrategyError([f"structure must be one of {', '.join(seeds.ARCHETYPES)}"])
    set_values(
        engine, {"structure_archetype": archetype, "structure_note": (note or "").strip()}, user
    )


# ------------------------------------------------------------------- maturity


def save_assessment(
    engine: Engine,
    assessed_on: dt.date,
    current: Iterable[str],
    target: Iterable[str],
    base_current: str,
    base_target: str,
    note: str = "",
    user: str | None = None,
) -> dict:
    """Store the assessment of a date (one per date: a second save replaces it)."""
    known = statements()
    current, target = sorted(set(current)), sorted(set(target))
    errors = [f"unknown statement {sid!r}" for sid in current + target if sid not in known]
    for name, base in (("today", base_current), ("in one year", base_target)):
        if base not in BASE_LEVELS:
            errors.append(f"{name}: below Trusted Operator pick one of {', '.join(BASE_LEVELS)}")
    if errors:
        raise StrategyError(errors)
    new = MaturityAssessment(
        assessed_on=assessed_on,
        current=json.dumps(current),
        target=json.dumps(target),
        base_current=base_current,
        base_target=base_target,
        current_level=maturity_level(current, base_current),
        target_level=maturity_level(target, base_target),
        note=(note or "").strip(),
        user=user,
        saved_at=now(),
    )
    with Session(engine, expire_on_commit=False) as s:
        old = s.get(MaturityAssessment, assessed_on)
        old_d = _assessment_dict(old) if old else None
        if old_d and _same_assessment(old_d, _assessment_dict(new)):
            return old_d  # saved again unchanged: nothing to write or to log
        if old:
            s.delete(old)
            s.flush()
        s.add(new)
        audit(
            s,
            "strategy",
            f"maturity {assessed_on}",
            "update" if old else "create",
            old_d,
            _assessment_dict(new),
            user,
        )
        s.commit()
    return _assessment_dict(new)


def _same_assessment(a: dict, b: dict) -> bool:
    """The same answers (who saved it aside)."""
    return {k: v for k, v in a.items() if k != "user"} == {
        k: v for k, v in b.items() if k != "user"
    }


def _assessment_dict(a: MaturityAssessment) -> dict:
    return {
        "assessed_on": a.assessed_on,
        "current": json.loads(a.current),
        "target": json.loads(a.target),
        "base_current": a.base_current,
        "base_target": a.base_target,
        "current_level": a.current_level,
        "target_level": a.target_level,
        "note": a.note or "",
        "user": a.user,
    }


def assessments(engine: Engine) -> list[dict]:
    """Every assessment, the oldest first."""
    with Session(engine, expire_on_commit=False) as s:
        rows = s.exec(select(MaturityAssessment).order_by(MaturityAssessment.assessed_on)).all()
        return [_assessment_dict(a) for a in rows]


# ----------------------------------------------------------------------- scope


def scope_exclusions(engine: Engine) -> dict[str, list[str]]:
    """Out-of-scope categories and locations, as `exclude` for metrics.api (empty keys left out)."""
    out: dict[str, list[str]] = {}
    for row in get_rows(engine, "scope"):
        if not row["in_scope"] and row["kind"] in ("category", "location"):
            out.setdefault(row["kind"], []).append(row["name"])
    return {k: sorted(v) for k, v in out.items()}


def scope_switch(engine: Engine) -> bool:
    """Whether the dashboard leaves out-of-scope categories and locations out (off by default)."""
    return store.get_setting(engine, SCOPE_SWITCH_KEY, "false") == "true"


def set_scope_switch(engine: Engine, on: bool, user: str | None) -> None:
    old = scope_switch(engine)
    if old != bool(on):  # set to what it is: nothing to write or to log
        store.set_setting(engine, SCOPE_SWITCH_KEY, "true" if on else "false")
        with Session(engine, expire_on_commit=False) as s:
            audit(s, "setting", SCOPE_SWITCH_KEY, "update", old, bool(on), user)
            s.commit()
    sync_metric_exclusions(engine)


def sync_metric_exclusions(engine: Engine) -> None:
    """Tell the metric engine what to leave out: every metric call honours it.

    The setting holds the out-of-scope categories and locations while the switch
    is on; a change marks the data changed, so stored snapshots are recomputed.
    """
    wanted = store.dumps(scope_exclusions(engine)) if scope_switch(engine) else None
    if wanted == "{}":
        wanted = None
    if store.get_setting(engine, EXCLUSIONS_KEY) != wanted:
        store.set_setting(engine, EXCLUSIONS_KEY, wanted)
        store.mark_data_changed(engine)


def active_exclusions(engine: Engine) -> dict[str, list[str]] | None:
    """The exclusions to pass to every metric call: None when the switch is off."""
    return scope_exclusions(engine) or None if scope_switch(engine) else None


SCOPE_PREVIEW = (
    "active_devices",
    "hardware_spend_12m",
    "deployed_not_discovered_30d_pct",
    "refresh_due_12m",
)


def scope_effect(
    engine: Engine, as_of: dt.date, metric_ids=SCOPE_PREVIEW, filters=None
) -> list[dict]:
    """Each metric over the whole estate and with the out-of-scope rows left out.

    `filters` (a reader's scope, permissions.Access.scoped) narrow both columns: a scoped
    reader sees their part of the estate, never the whole one.
    """
    exclude = scope_exclusions(engine)
    ids = [m for m in metric_ids if api.supports(m, list(exclude) + list(filters or {}))]
    whole = api.compute(engine, as_of, ids, filters=filters or None, in_scope=False)
    scoped = api.compute(
        engine, as_of, ids, filters=filters or None, exclude=exclude or None, in_scope=False
    )
    return [{"metric": m, "whole": whole.get(m), "in_scope": scoped.get(m)} for m in ids]


def data_locations(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT DISTINCT location FROM (SELECT location FROM assets UNION ALL "
                "SELECT location FROM people) WHERE location IS NOT NULL AND trim(location) <> '' "
                "ORDER BY 1"
            )
        ).all()
    return [r[0] for r in rows]


def missing_locations(engine: Engine) -> list[str]:
    """Locations in the data that the scope table does not list yet (in scope until listed)."""
    listed = {r["name"] for r in get_rows(engine, "scope") if r["kind"] == "location"}
    return [loc for loc in data_locations(engine) if loc not in listed]


# ------------------------------------------------------------------------ RACI


def raci_roles(engine: Engine) -> list[str]:
    return get_value(engine, "raci_roles", list(seeds.RACI_ROLES))


def save_raci(engine: Engine, roles: list[str], rows: Iterable[dict], user: str | None) -> None:
    roles = [r.strip() for r in roles if r and r.strip()]
    errors = [] if roles else ["the RACI needs at least one role"]
    if len(set(roles)) != len(roles):
        errors.append("a role is listed twice")
    rows = [
        dict(r, cells={k: v for k, v in (r.get("cells") or {}).items() if k in roles}) for r in rows
    ]
    clean, row_errors = validate_rows("raci", rows)
    if errors + row_errors:
        raise StrategyError(errors + row_errors)
    set_values(engine, {"raci_roles": roles}, user)
    save_rows(engine, "raci", clean, user)


def raci_frame(rows: list[dict], roles: list[str]) -> pd.DataFrame:
    """The wide table the editor shows: group, activity, one column per role."""
    data = [
        {
            "group": r["group"],
            "activity": r["activity"],
            **{role: (r.get("cells") or {}).get(role, "") for role in roles},
        }
        for r in rows
    ]
    return pd.DataFrame(data, columns=["group", "activity", *roles])


def raci_rows(frame: pd.DataFrame, roles: list[str]) -> list[dict]:
    """The wide table back into rows."""
    out = []
    for rec in frame.to_dict("records"):
        out.append(
            {
                "group": rec.get("group"),
                "activity": rec.get("activity"),
                "cells": {role: rec.get(role) for role in roles},
            }
        )
    return out


# ---------------------------------------------------------------------- roadmap


# ------------------------------------------------------------ KPIs to link to


def kpi_choices(engine: Engine) -> dict[int, str]:
    """KPI id -> a short label, for linking items to the KPIs that measure them."""
    with Session(engine, expire_on_commit=False) as s:
        kpis = s.exec(select(Kpi).where(Kpi.retired == False).order_by(Kpi.id)).all()  # noqa: E712
        return {k.id: f"#{k.id} {k.metric} ({k.target_kind} {k.target:g})" for k in kpis}


def _kpi_ids_by_metric(engine: Engine) -> dict[str, list[int]]:
    with Session(engine, expire_on_commit=False) as s:
        kpis = s.exec(select(Kpi).where(Kpi.retired == False)).all()  # noqa: E712
    out: dict[str, list[int]] = {}
    for k in kpis:
        out.setdefault(k.metric, []).append(k.id)
    return out


# ---------------------------------------------------------------------- seeding


def _item(kind: str, text: str, goal: str = "", kpi_ids: list[int] | None = None) -> dict:
    """A row of the opportunities, challenges and tactics table, as the blueprint suggests it."""
    return {
        "kind": kind,
        "text": text,
        "goal": goal,
        "horizon": "",
        "painful": False,
        "kpis": kpi_ids or [],
    }


def seed_rows(engine: Engine, section: str) -> list[dict]:
    """The blueprint's suggestions for a section, as rows."""
    if section == "items":
        by_metric = _kpi_ids_by_metric(engine)

        def ids(metrics):
            return sorted({i for m in metrics for i in by_metric.get(m, [])})

        return (
            [_item("challenge", t) for t in seeds.CHALLENGES]
            + [_item("opportunity", t, g, ids(m)) for t, g, m in seeds.OPPORTUNITIES]
            + [_item("tactic", t, g, ids(m)) for t, g, m in seeds.TACTICS]
        )
    if section == "scope":
        return (
            [
                {"kind": "category", "name": n, "in_scope": i, "reason": r}
                for n, i, r in seeds.SCOPE_CATEGORIES
            ]
            + [
                {"kind": "software_class", "name": n, "in_scope": i, "reason": r}
                for n, i, r in seeds.SCOPE_SOFTWARE
            ]
            + [
                {"kind": "location", "name": n, "in_scope": True, "reason": ""}
                for n in data_locations(engine)
            ]
        )
    simple = {
        "findings": (seeds.FINDINGS, ("kind", "text")),
        "sourcing": (seeds.SOURCING, ("activity", "group", "decision")),
        "structure": (seeds.STRUCTURE, ("area", "direction", "action")),
        "raci": (seeds.RACI, ("group", "activity", "cells")),
        "audit_plan": (seeds.AUDIT_PLAN, ("approach", "frequency", "scope", "who", "comments")),
        "audit_response": (seeds.AUDIT_RESPONSE, ("step", "owner")),
        "documentation": (
            seeds.DOCUMENTATION,
            ("document", "kind", "status", "owner", "stored_in", "accessible_by", "review_trigger"),
        ),
        "communication": (
            seeds.COMMUNICATION,
            ("group", "benefits", "impact", "channels", "timing"),
        ),
    }
    data, names = simple[section]
    clean, _ = validate_rows(section, [dict(zip(names, row, strict=True)) for row in data])
    return clean


def ensure_seeded(engine: Engine, user: str | None = None) -> bool:
    """Fill the strategy with the blueprint's suggestions once (True when it did)."""
    if get_value(engine, "seeded_at") is not None:
        return False
    kpis.ensure_default_kpis(engine)  # the seeds link items to the default KPIs
    with Session(engine, expire_on_commit=False) as s:
        for section in SECTIONS:
            clean, errors = validate_rows(section, seed_rows(engine, section))
            assert not errors, errors  # the seeds are ours: a failure is a bug
            _replace_rows(s, section, clean)
        _put_value(s, "raci_roles", list(seeds.RACI_ROLES), user)
        _put_value(s, "seeded_at", now().isoformat(sep=" "), user)
        s.commit()
    return True


def restore_suggestions(engine: Engine, section: str, user: str | None) -> None:
    """Put a section back to the blueprint's suggestions (audited like any edit)."""
    if section == "raci":
        save_raci(engine, list(seeds.RACI_ROLES), seed_rows(engine, "raci"), user)
    else:
        save_rows(engine, section, seed_rows(engine, section), user)


# ------------------------------------------------------------------ the whole


def snapshot(engine: Engine) -> dict:
    """The whole strategy as plain data (show --json, the deck and the workbook)."""
    roles = raci_roles(engine)
    raci = get_rows(engine, "raci")
    history = assessments(engine)
    return {
        "priorities": priorities(engine),
        "goal_order": goal_order(engine),
        "mission": get_value(engine, "mission", ""),
        "vision": get_value(engine, "vision", ""),
        "maturity": history[-1] if history else None,
        "maturity_history": history,
        "scope_switch": scope_switch(engine),
        "scope_exclusions": scope_exclusions(engine),
        "structure_archetype": get_value(engine, "structure_archetype"),
        "structure_note": get_value(engine, "structure_note", ""),
        "raci_roles": roles,
        "raci_problems": raci_problems(raci),
        **{section: get_rows(engine, section) for section in SECTIONS},
        "roadmap": roadmap_frame(engine).to_dict("records"),
    }


def audit_entries(engine: Engine, limit: int = 200) -> pd.DataFrame:
    """The latest strategy changes (strategy, roadmap, the scope switch), newest first."""
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT created_at, user, entity, entity_id, action, old, new FROM audit_log "
                "WHERE entity IN ('strategy', 'roadmap') OR (entity = 'setting' AND entity_id = :k) "
                "ORDER BY created_at DESC, id DESC LIMIT :n"
            ),
            {"k": SCOPE_SWITCH_KEY, "n": limit},
        ).all()
    return pd.DataFrame(
        [tuple(r) for r in rows],
        columns=["created_at", "user", "entity", "entity_id", "action", "old", "new"],
    )
