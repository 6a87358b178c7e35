"""An audited change in words, for the change logs people read (KPI and strategy pages).

The audit log keeps a change's old and new values as JSON; a reader wants "target:
90 → 95" or "3 → 4 rows: added “Cloud FinOps”", not two JSON documents side by side.
"""

from __future__ import annotations

import json

EMPTY = "(empty)"
LONGEST = 60  # characters of a text value shown before it is cut with "…"


def parse(raw):
    """A stored old/new value: JSON text, an already decoded value, or None."""
    if isinstance(raw, str):
        try:
            return json.loads(raw)
        except ValueError:
            return raw
    return raw


def describe(old, new) -> str:
    """What changed from `old` to `new` (decoded values), in one line of words."""
    if isinstance(old, dict) or isinstance(new, dict):
        return _fields(old if isinstance(old, dict) else {}, new if isinstance(new, dict) else {})
    if isinstance(old, list) or isinstance(new, list):
        return _rows(old if isinstance(old, list) else [], new if isinstance(new, list) else [])
    if old is None:
        return f"set to {short(new)}"
    if new is None:
        return f"removed (was {short(old)})"
    return f"{short(old)} → {short(new)}"


def short(value) -> str:
    """A value as a reader sees it: empty, on/off, a number, a text cut at LONGEST."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, float) and value.is_integer():
        return f"{value:,.0f}"
    if isinstance(value, int | float):
        return f"{value:,}"
    if isinstance(value, list):
        return f"{len(value)} item{'' if len(value) == 1 else 's'}"
    if isinstance(value, dict):
        return row_name(value) or f"{len(value)} fields"
    text = " ".join(str(value).split())
    return f"“{text}”" if len(text) <= LONGEST else f"“{text[: LONGEST - 1]}…”"


def row_name(row: dict) -> str:
    """A table row's name: its first text value (a priority's title, an activity...)."""
    for value in row.values():
        if isinstance(value, str) and value.strip():
            return short(value)
    return ""


def _fields(old: dict, new: dict) -> str:
    if not new:
        return "deleted"
    if not old:
        shown = [f"{k.replace('_', ' ')}: {short(v)}" for k, v in new.items() if short(v) != EMPTY]
        return "created: " + "; ".join(shown[:4]) + ("; …" if len(shown) > 4 else "")
    keys = list(dict.fromkeys([*old, *new]))  # the stored order, old keys first
    return "; ".join(_field(k, old.get(k), new.get(k)) for k in keys if old.get(k) != new.get(k))


def _field(key: str, old, new) -> str:
    name = key.replace("_", " ")
    if isinstance(old, dict) and isinstance(new, dict):  # a row of a keyed table (the roadmap)
        return f"{name} ({_fields(old, new)})"
    if isinstance(new, dict) and old is None:
        return f"{name} added ({short(new)})"
    if isinstance(old, dict) and new is None:
        return f"{name} removed ({short(old)})"
    return f"{name}: {short(old)} → {short(new)}"


def _rows(old: list, new: list) -> str:
    if old == new:
        return "no change"

    def names(rows: list) -> list[str]:
        return [row_name(r) if isinstance(r, dict) else short(r) for r in rows]

    gone = [r for r in old if r not in new]
    came = [r for r in new if r not in old]
    changed = sorted(set(names(gone)) & set(names(came)))
    added = [n for n in names(came) if n not in changed]
    removed = [n for n in names(gone) if n not in changed]
    parts = [f"{len(old)} → {len(new)} rows" if len(old) != len(new) else _count(len(new))]
    for word, items in (("added", added), ("removed", removed), ("changed", changed)):
        if items:
            more = f" and {len(items) - 3} more" if len(items) > 3 else ""
            parts.append(f"{word} {', '.join(items[:3])}{more}")
    if len(parts) == 1:
        parts.append("reordered")
    return ": ".join([parts[0], "; ".join(parts[1:])]) if len(parts) > 1 else parts[0]


def _count(n: int) -> str:
    return f"{n} row{'' if n == 1 else 's'}"
