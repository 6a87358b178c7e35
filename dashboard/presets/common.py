"""What every preset shares: finding a tool's headers, cleaning its cells, building RawSheets.

A preset keeps the file's own names and row numbers: each RawSheet it builds
carries the file's headers (so an error names "Purchase Cost", not
"purchase_cost") and, through `RawSheet.value_map`, the tool's own words for
the importer to translate. Words it does not know are left as written: the
importer lists them under `unmapped` for the user's value map.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dashboard.readers import RawSheet


class PresetError(ValueError):
    """The file cannot be read as this preset's format (a whole-file problem)."""


@dataclass
class Translated:
    """A preset's output: RawSheets for the importer, and what it noticed."""

    sheets: list[RawSheet]
    warnings: list[str] = field(default_factory=list)


@dataclass
class Context:
    """What a preset may know beyond its file: stored keys, the user's value map and options."""

    known_people: set[str] = field(default_factory=set)
    known_titles: set[str] = field(default_factory=set)
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # the user's value map
    date_order: str | None = None  # mdy | dmy, when the user said
    # The stored people (person_id, department, cost_center, location, active), read when needed.
    stored_people: Callable[[], pd.DataFrame] | None = None


def position(raw: RawSheet) -> dict[str, int]:
    """Header (trimmed, lower case) -> position; the first of repeated headers wins."""
    out: dict[str, int] = {}
    for pos, header in enumerate(raw.headers):
        out.setdefault(str(header).strip().lower(), pos)
    return out


def pick(pos: dict[str, int], *names: str) -> int | None:
    """The position of the first of `names` (lower case) the file has."""
    return next((pos[n] for n in names if n in pos), None)


def text(raw: RawSheet, p: int | None) -> pd.Series:
    """A column as trimmed text, NaN where blank (or where the file lacks it)."""
    if p is None:
        return pd.Series([np.nan] * len(raw.data), dtype=object)
    s = raw.data[p].astype("object")
    try:
        stripped = s.str.strip()  # vectorised; non-text cells come back NaN
    except AttributeError:  # no text at all in the column (all blank)
        stripped = pd.Series([np.nan] * len(s), index=s.index, dtype=object)
    other = s.notna() & stripped.isna()  # numbers, dates: kept as they are
    out = stripped.where(~other, s).astype(object)
    return out.where(out.notna() & (out != ""), np.nan)


def lower(values: pd.Series) -> pd.Series:
    return values.map(lambda v: v.lower() if isinstance(v, str) else v)


def first_of(*series: pd.Series) -> pd.Series:
    """Cell by cell, the first non-blank of several columns."""
    out = series[0]
    for s in series[1:]:
        out = out.where(out.notna(), s)
    return out


def unread(raw: RawSheet, pos: dict[str, int], read: set[str], tool: str) -> list[str]:
    """One warning naming every column of the file the preset does not read (none if it reads all)."""
    names = [
        repr(raw.headers[p])
        for h, p in pos.items()
        if h not in read and str(raw.headers[p]).strip()
    ]
    if not names:
        return []
    if len(names) == 1:
        return [f"{raw.name}: column {names[0]} is not read by the {tool} preset"]
    listed = ", ".join(names[:-1]) + " and " + names[-1]
    return [f"{raw.name}: columns {listed} are not read by the {tool} preset"]


class Builder:
    """Collects (header as written, package column, values) and makes one RawSheet."""

    def __init__(self, raw: RawSheet, table: str) -> None:
        self.raw, self.table = raw, table
        self.headers: list[str] = []
        self.columns: list[str] = []
        self.data: dict[int, pd.Series] = {}
        self.value_map: dict[str, dict[str, str]] = {}

    def add(
        self, header: str, column: str, values: pd.Series, words: dict[str, str] | None = None
    ) -> None:
        self.data[len(self.headers)] = values.reset_index(drop=True)
        self.headers.append(header)
        self.columns.append(column)
        if words:
            self.value_map[header] = dict(words)

    def column(
        self,
        pos: dict[str, int],
        names: tuple[str, ...],
        column: str,
        fix=None,
        words: dict[str, str] | None = None,
    ) -> int | None:
        """Add the first of `names` the file has as `column` (through `fix`); its position."""
        p = pick(pos, *names)
        if p is not None:
            values = text(self.raw, p)
            self.add(self.raw.headers[p], column, fix(values) if fix else values, words)
        return p

    def constant(self, column: str, value: str) -> None:
        self.add(f"({column})", column, pd.Series([value] * len(self.raw.data), dtype=object))

    def build(
        self,
        rows: np.ndarray | None = None,
        errors: list[dict] | None = None,
        keep: np.ndarray | None = None,
    ) -> RawSheet:
        """The RawSheet; `keep` (a boolean mask) drops rows (e.g. duplicates of one person)."""
        frame = pd.DataFrame(self.data)
        rows = self.raw.rows if rows is None else rows
        if keep is not None:
            frame, rows = frame[keep].reset_index(drop=True), rows[keep]
        sheet = RawSheet(
            self.raw.name,
            self.headers,
            frame,
            np.asarray(rows),
            list(errors or []),
            self.raw.decimal_comma,
            self.raw.kind,
            table=self.table,
            columns=self.columns,
        )
        if self.value_map:
            sheet.value_map = self.value_map
        sheet.header_row = getattr(self.raw, "header_row", 1)
        sheet.notes = list(getattr(self.raw, "notes", []))
        return sheet


# ------------------------------------------------------------------ values

_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
# A currency sign or code around a plain number, as tools format money: "$12.58 ", "USD 1,200.00".
_MONEY = re.compile(r"^(?:[A-Z]{3}\s*|[$€£¥]\s*)?(?P<n>[+-]?[\d.,]+)\s*(?:[A-Z]{3}|[$€£¥])?$")


def strip_thousands(values: pd.Series) -> pd.Series:
    """`1,234.50` -> `1234.50`; anything else is left to the validator."""
    return values.map(
        lambda v: v.replace(",", "") if isinstance(v, str) and _THOUSANDS.match(v) else v
    )


def money(values: pd.Series) -> pd.Series:
    """`$1,234.50`, `USD 12.58` -> `1234.50`, `12.58`; anything else is left to the validator."""

    def one(v):
        if not isinstance(v, str):
            return v
        m = _MONEY.match(v.strip())
        if not m:
            return v
        n = m.group("n")
        return n.replace(",", "") if _THOUSANDS.match(n) else n

    return values.map(one)


_ISO_STAMP = re.compile(
    r"^(\d{4}-\d{2}-\d{2})(?:(?:[ T]|\s+at\s+)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*"
    r"(?:[AaPp][Mm])?\s*(?:Z|[+-]\d{2}:?\d{2}|UTC)?)?$"
)
_SLASH_STAMP = re.compile(
    r"^(\d{1,2}/\d{1,2}/\d{2,4})(?:,?\s+\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AaPp][Mm])?)?$"
)


def date_part(v):
    """The date of a timestamp as the tool wrote it (`2026-06-28 09:14:03` -> `2026-06-28`,
    `6/28/2026 9:14 AM` -> `6/28/2026`); the importer's date reader does the rest."""
    if not isinstance(v, str):
        return v
    m = _ISO_STAMP.match(v) or _SLASH_STAMP.match(v)
    return m.group(1) if m else v


def dates(values: pd.Series) -> pd.Series:
    return values.map(date_part)
