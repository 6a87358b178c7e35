"""The strategy's editable tables: their columns, the checks a saved row passes, the audit line.

Each section of the strategy page (findings, items, scope, RACI, ...) is a table
of rows stored as JSON (`strategy_rows`); SECTIONS declares its columns once, for
the page's editors, the validation and the documents. Every save is refused
whole (StrategyError lists every reason) or stored with one audit line.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
from sqlmodel import Session

from dashboard import store
from dashboard import strategy_seeds as seeds
from dashboard.models import AuditLog

RACI_LETTERS = ("R", "A", "C", "I", "A/R")


class StrategyError(ValueError):
    """A refused change; `errors` lists every reason."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


# ----------------------------------------------------------------- the tables


@dataclass(frozen=True)
class Col:
    name: str
    label: str
    kind: str = "text"  # text | enum | bool | ids | cells
    values: tuple[str, ...] = ()
    required: bool = False
    default: object = ""


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    columns: tuple[Col, ...]

    def col(self, name: str) -> Col:
        return next(c for c in self.columns if c.name == name)


def choice(name: str, label: str, values: tuple[str, ...], default: str) -> Col:
    """A required column of one of `values` (blank: `default`)."""
    return Col(name, label, "enum", tuple(values), True, default)


_GOAL = Col("goal", "Goal", "enum", ("",) + seeds.GOALS)
SECTIONS: dict[str, Section] = {
    s.key: s
    for s in (
        Section(
            "findings",
            "Key findings and next steps",
            (
                choice("kind", "Kind", ("finding", "next_step"), "finding"),
                Col("text", "Text", required=True),
            ),
        ),
        Section(
            "items",
            "Opportunities, challenges and tactics",
            (
                choice("kind", "Kind", ("challenge", "opportunity", "tactic"), "opportunity"),
                Col("text", "Text", required=True),
                _GOAL,
                Col("horizon", "Horizon", "enum", ("",) + seeds.HORIZONS),
                Col("painful", "Particularly painful", "bool", default=False),
                Col("kpis", "KPIs", "ids", default=()),
            ),
        ),
        Section(
            "scope",
            "Scope",
            (
                choice("kind", "Kind", ("category", "software_class", "location"), "category"),
                Col("name", "Name", required=True),
                Col("in_scope", "In scope", "bool", default=True),
                Col("reason", "Reason"),
            ),
        ),
        Section(
            "sourcing",
            "Sourcing",
            (
                Col("activity", "Activity", required=True),
                choice("group", "Group", ("itam", "adjacent"), "itam"),
                choice(
                    "decision",
                    "Decision",
                    ("outsource", "potentially_outsource", "insource", "undecided"),
                    "undecided",
                ),
                Col("note", "Note"),
            ),
        ),
        Section(
            "structure",
            "Centralize or decentralize",
            (
                choice("area", "Area", tuple(seeds.STRUCTURE_AREAS), "data"),
                choice("direction", "Direction", ("centralize", "decentralize"), "centralize"),
                Col("action", "Action", required=True),
            ),
        ),
        Section(
            "raci",
            "RACI",
            (
                choice("group", "Group", ("governance", "asset_management"), "governance"),
                Col("activity", "Activity", required=True),
                Col("cells", "Cells", "cells", default=None),
            ),
        ),
        Section(
            "audit_plan",
            "Internal audit plan",
            (
                Col("approach", "Audit approach", required=True),
                Col("frequency", "How often?"),
                Col("scope", "What scope?"),
                Col("who", "Who's involved?"),
                Col("comments", "Comments"),
            ),
        ),
        Section(
            "audit_response",
            "Vendor audit response checklist",
            (
                Col("step", "Step", required=True),
                Col("owner", "Owner"),
            ),
        ),
        Section(
            "documentation",
            "Documentation register",
            (
                Col("document", "Document", required=True),
                choice("kind", "Kind", ("governance", "operational", "tooling"), "operational"),
                choice("status", "Status", ("needed", "in_progress", "exists"), "needed"),
                Col("owner", "Owner"),
                Col("stored_in", "Stored in"),
                Col("accessible_by", "Accessible by"),
                Col("review_trigger", "Trigger for review"),
            ),
        ),
        Section(
            "communication",
            "Communication plan",
            (
                Col("group", "Group", required=True),
                Col("benefits", "ITAM benefits"),
                Col("impact", "Impact"),
                Col("channels", "Channel(s)"),
                Col("timing", "Timing"),
            ),
        ),
    )
}
LIMITS = {("findings", "finding"): 3, ("findings", "next_step"): 5}  # step 2.10


def raci_problems(rows: Iterable[dict]) -> dict[str, str]:
    """Activities breaking the rule (exactly one A, at least one R) -> why."""
    out: dict[str, str] = {}
    for row in rows:
        letters = [v for v in (row.get("cells") or {}).values() if v]
        a = sum("A" in v for v in letters)
        r = sum("R" in v for v in letters)
        why = []
        if a != 1:
            why.append(f"{a} A (needs exactly one)")
        if r < 1:
            why.append("no R (needs at least one)")
        if why:
            out[row.get("activity") or "(unnamed)"] = ", ".join(why)
    return out


def blank(v) -> bool:
    if v is None:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    try:
        return bool(pd.isna(v)) if not isinstance(v, (list, tuple, dict, set)) else False
    except (TypeError, ValueError):
        return False


def _clean(col: Col, v, where: str, errors: list[str]):
    if col.kind == "bool":
        return bool(col.default) if blank(v) else bool(v)
    if col.kind == "ids":
        if blank(v) or v == "":
            return []
        try:
            return sorted({int(x) for x in v})
        except (TypeError, ValueError):
            errors.append(f"{where}: {col.label}: {v!r} is not a list of KPI ids")
            return []
    if col.kind == "cells":
        cells = {}
        for role, letter in (v or {}).items():
            letter = "" if blank(letter) else str(letter).strip().upper().replace(" ", "")
            if letter in ("AR", "RA", "R/A"):
                letter = "A/R"
            if letter and letter not in RACI_LETTERS:
                errors.append(f"{where}: {role}: {letter!r} is not one of R, A, C, I, A/R")
            elif letter:
                cells[str(role)] = letter
        return cells
    value = "" if blank(v) else str(v).strip()
    if col.kind == "enum":
        value = value.lower().replace(" ", "_").replace("-", "_")
        if value == "" and col.required:
            value = str(col.default)
        if value not in col.values:
            shown = ", ".join(x or "(blank)" for x in col.values)
            errors.append(f"{where}: {col.label}: {v!r} is not one of {shown}")
    elif col.required and not value:
        errors.append(f"{where}: {col.label} is required")
    return value


def validate_rows(section: str, rows: Iterable[dict]) -> tuple[list[dict], list[str]]:
    """Clean rows of a section (blank rows dropped) and every reason to refuse them."""
    sec = SECTIONS[section]
    clean: list[dict] = []
    errors: list[str] = []
    for n, row in enumerate(rows, 1):
        if all(blank(row.get(c.name)) or row.get(c.name) in ("", [], {}) for c in sec.columns):
            continue  # an empty row left by the editor
        clean.append({c.name: _clean(c, row.get(c.name), f"row {n}", errors) for c in sec.columns})
    for (sec_key, kind), limit in LIMITS.items():
        count = sum(r.get("kind") == kind for r in clean)
        if sec_key == section and count > limit:
            errors.append(f"at most {limit} rows of kind {kind} (step 2.10), not {count}")
    if section == "scope":
        seen = set()
        for r in clean:
            key = (r["kind"], r["name"].lower())
            if key in seen:
                errors.append(f"{r['kind']} {r['name']!r} is listed twice")
            seen.add(key)
    if section == "raci":
        for activity, why in raci_problems(clean).items():
            errors.append(f"RACI: {activity}: {why}")
    return clean, errors


# ------------------------------------------------------------------ storage


def now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def audit(s: Session, entity: str, entity_id: str | None, action: str, old, new, user) -> None:
    s.add(
        AuditLog(
            created_at=now(),
            user=user,
            entity=entity,
            entity_id=entity_id,
            action=action,
            old=None if old is None else store.dumps(old),
            new=None if new is None else store.dumps(new),
        )
    )
