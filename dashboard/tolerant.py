"""Tolerant reading, never guessing silently (issue 11, item 4).

Each rule reads what a file's own evidence settles and says what it did (a
note shown in the preview and in `import --json` warnings); what the evidence
does not settle is refused with the rows named, or with a question the user
answers (`--date-order`).

- a title block above the header (a report title, blank lines): `header_index`;
- the decimal convention of a semicolon-separated file, per column: `decimals`;
- a date column written wholly as 10/1/22 or 1/23/2023: `slashed_dates`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dashboard import schema

TITLE_ROWS = 20  # a header further down than this is not looked for
_SLASHED = r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})"
_SLASHED_TIME = r"(?:[ T](\d{1,2}:\d{2}(?::\d{2})?))?"
_COMMA_THOUSANDS = r"[+-]?\d{1,3}(?:\.\d{3})+(?:,\d*)?"  # 1.250,00 and 1.250
_POINT_DECIMAL = r"[+-]?\d*\.\d+(?:[eE][+-]?\d+)?"  # 1250.0, .5


# ------------------------------------------------------------------ title block


def header_index(rows: list[list]) -> int:
    """Which of the first rows holds the headers (0 = the first row, as always).

    The first row is the header unless it has fewer than two filled cells (a
    title, or blank); then the first later row with two or more filled cells is.
    """

    def filled(row) -> int:
        return sum(1 for v in row if v is not None and str(v).strip() != "")

    if not rows or filled(rows[0]) >= 2:
        return 0
    for i, row in enumerate(rows[1:TITLE_ROWS], start=1):
        if filled(row) >= 2:
            return i
    return 0


def title_note(sheet: str, header_row: int) -> str:
    return (
        f"{sheet}: the headers are taken from row {header_row}; "
        f"row(s) 1-{header_row - 1} above them (a title or blank lines) are skipped"
    )


# ------------------------------------------------------------------ decimals


@dataclass
class Decimals:
    """A number column of a semicolon file, read by its own convention."""

    text: pd.Series  # rewritten in the chosen convention (thousands dots removed)
    comma: bool  # the column uses a decimal comma
    note: str | None = None
    reasons: dict[int, str] = field(default_factory=dict)  # position -> why refused


def decimals(text: pd.Series, header: str, rows: np.ndarray) -> Decimals:
    """Infer the decimal convention of one column of a semicolon-separated file.

    No comma anywhere: a decimal point (1250.0). Commas: a decimal comma, dots
    only as thousands separators (1.250,00). A column with both a decimal
    comma and a decimal point (1250.5 beside 99,5) is refused, rows named.
    """
    filled = text.dropna()
    has_comma = filled.str.contains(",", regex=False)
    if not has_comma.any():
        if filled.str.contains(".", regex=False).any():
            note = f"column {header!r}: numbers read with a decimal point (no comma anywhere in it)"
            return Decimals(text, False, note)
        return Decimals(text, True)
    point = filled.str.fullmatch(_POINT_DECIMAL) & ~filled.str.fullmatch(_COMMA_THOUSANDS)
    grouped = filled.str.fullmatch(_COMMA_THOUSANDS)
    out = text.copy()
    out.loc[grouped[grouped].index] = filled[grouped].str.replace(".", "", regex=False)
    result = Decimals(out, True)
    if point.any():
        first_comma = int(rows[text.index.get_loc(has_comma[has_comma].index[0])])
        for idx in point[point].index:
            result.reasons[text.index.get_loc(idx)] = (
                f"a decimal point, but this column also has decimal commas (row {first_comma}): "
                "write every number of the column one way"
            )
    if grouped.any() or not point.any():
        result.note = f"column {header!r}: numbers read with a decimal comma (1.250,00 = 1250)"
    return result


# ------------------------------------------------------------------ slashed dates


@dataclass
class Slashed:
    """A date column written wholly in one slashed form, and how it was read."""

    text: pd.Series  # ISO text where read, else the value as written
    note: str | None = None
    question: str | None = None  # asked when the column's own values do not settle the order
    reason: str | None = None  # for every row when refused


def slashed_dates(text: pd.Series, header: str, date_order: str | None, with_time: bool) -> Slashed:
    """Read a column of 10/1/22-style dates month- or day-first from its own evidence.

    Only when every filled value is slashed: a column that mixes forms (or one
    odd value among ISO dates) is left to the ISO parser, which refuses it.
    """
    every = text.dropna()
    pattern = _SLASHED + (_SLASHED_TIME if with_time else "")
    if every.empty or "/" not in str(every.iloc[0]):
        return Slashed(text)  # cheap: ISO columns (the usual case) are not scanned with a regex
    # The distinct values only (a date column repeats its dates): same evidence, far less work.
    filled = pd.Series(pd.unique(every), dtype=object)
    parts = filled.str.extract("^" + pattern + "$")
    if parts[0].isna().any():
        return Slashed(text)
    first, second = parts[0].astype(int), parts[1].astype(int)
    day_first, month_first = bool((first > 12).any()), bool((second > 12).any())
    if day_first and month_first:
        r1 = filled.index[first > 12][0]
        r2 = filled.index[second > 12][0]
        return Slashed(
            text,
            reason=f"this column has day-first ({filled[r1]}) and month-first ({filled[r2]}) "
            "dates: write YYYY-MM-DD",
        )
    evidence = "dmy" if day_first else "mdy" if month_first else None
    order = evidence or date_order
    example = filled.iloc[0]
    if order is None:
        question = (
            f"column {header!r}: is {example} month-first or day-first? No value settles it "
            "(answer with --date-order mdy or dmy, or in the preview)"
        )
        return Slashed(text, question=question, reason="month-first or day-first? " + question)
    month, day = (first, second) if order == "mdy" else (second, first)
    year = parts[2].astype(int).map(lambda y: y + 2000 if y < 100 else y)
    iso = (
        year.map("{:04d}".format)
        + "-"
        + month.map("{:02d}".format)
        + "-"
        + day.map("{:02d}".format)
    )
    if with_time:
        iso = iso + parts[3].map(lambda t: f" {t}" if isinstance(t, str) else "")
    out = text.map(dict(zip(filled, iso, strict=True)))
    out = out.where(text.notna(), text)
    how = "month-first" if order == "mdy" else "day-first"
    why = (
        f"a value like {_evidence_example(filled, first, second, order)} settles it"
        if evidence
        else f"as chosen (--date-order {order})"
    )
    two_digit = " two-digit years as 20xx;" if (parts[2].str.len() == 2).any() else ""
    return Slashed(out, note=f"column {header!r}: dates read {how} ({why});{two_digit}".rstrip(";"))


def _evidence_example(filled: pd.Series, first: pd.Series, second: pd.Series, order: str) -> str:
    settles = (first > 12) if order == "dmy" else (second > 12)
    return str(filled[settles].iloc[0])


def looks_slashed(value: str) -> bool:
    return re.fullmatch(_SLASHED, value) is not None


# ------------------------------------------------------------------ one column


@dataclass
class ColumnRead:
    """A column parsed with the tolerant rules, and what they noticed."""

    parsed: object  # importer.Parsed
    notes: list[str] = field(default_factory=list)
    question: str | None = None


def parse_with_rules(
    cells, column, header: str, rows: np.ndarray, *, decimal_comma: bool, date_order: str | None
) -> ColumnRead:
    """`importer.parse_column` after the slashed-date and decimal rules (importer.Cells in)."""
    from dashboard import importer  # cycle: importer imports this module at its top

    notes: list[str] = []
    override: dict[int, str] = {}
    refuse_all: str | None = None
    question = None
    if column.kind in (schema.DATE, schema.DATETIME) and cells.text.notna().any():
        s = slashed_dates(cells.text, header, date_order, column.kind == schema.DATETIME)
        cells = importer.Cells(s.text, cells.typed, cells.blank, cells.codes)
        notes += [s.note] if s.note else []
        refuse_all, question = s.reason, s.question
    elif column.kind in (schema.INT, schema.NUMBER) and decimal_comma and cells.text.notna().any():
        d = decimals(cells.text, header, rows)
        cells = importer.Cells(d.text, cells.typed, cells.blank, cells.codes)
        decimal_comma, override = d.comma, d.reasons
        notes += [d.note] if d.note else []
    parsed = importer.parse_column(cells, column, decimal_comma=decimal_comma)
    if refuse_all is not None:
        where = cells.text.notna().to_numpy(dtype=bool)
        parsed.reasons[where] = refuse_all
        parsed.values[where] = None
    for pos, why in override.items():
        parsed.reasons.iat[pos] = why
        parsed.values.iat[pos] = None
    return ColumnRead(parsed, notes, question)
