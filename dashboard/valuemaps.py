"""Value maps: an organisation's own words translated into the package's values.

A value map says, per column *of the file* (its header as written), which
value to use instead of a value as written: Snipe-IT's "Misc Software" is the
package's `other`, a status label "Active" is `deployed`. The importer applies
the map after the columns are mapped and before any value is checked, so a
mapped value is validated like any other. Values the importer cannot place in a
column with a fixed set of values (category, status, ...) are collected per
file column with their row counts (`Unmapped`), all in one pass, so one map
fixes a file at once.

Matching ignores case and surrounding spaces, both for the column and the
value. A preset brings its own map (RawSheet.value_map); the user's map wins
over it. `--default COLUMN=VALUE` fills a column that is missing or blank.
"""

from __future__ import annotations

import argparse
import io
import json
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import pandas as pd

from dashboard import store

ValueMap = dict[str, dict[str, str]]  # file's column -> {value as written: value to use}
Unmapped = dict[str, dict[str, int]]  # file's column -> {value as written: rows}
DATE_ORDERS = ("mdy", "dmy")
ENCODINGS = {"latin-1": "latin-1", "mac-roman": "mac_roman"}  # --encoding choice -> codec


class ValueMapError(ValueError):
    """A values file or a --default that cannot be used (names the row)."""


@dataclass
class ImportOptions:
    """What the user told the importer about a file beyond its contents."""

    values: ValueMap = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)  # column (file's or package's) -> value
    date_order: str | None = None  # mdy | dmy: how to read a slashed date column without evidence
    encoding: str | None = None  # latin-1 | mac-roman: for text neither UTF-8 nor Windows-1252

    def __post_init__(self) -> None:
        if self.date_order is not None and self.date_order not in DATE_ORDERS:
            raise ValueMapError(f"date order {self.date_order!r}: use mdy or dmy")
        if self.encoding is not None and self.encoding not in ENCODINGS:
            raise ValueMapError(f"encoding {self.encoding!r}: use {' or '.join(ENCODINGS)}")


def key(text: object) -> str:
    """How columns and values are matched: trimmed, case-folded, inner spaces collapsed."""
    return " ".join(str(text).split()).casefold()


def normalise(vmap: ValueMap | None) -> ValueMap:
    """Keys matched as `key` does; later entries win; empty columns dropped."""
    out: ValueMap = {}
    for column, pairs in (vmap or {}).items():
        target = out.setdefault(key(column), {})
        for source, to in pairs.items():
            target[key(source)] = "" if to is None else str(to).strip()
    return {c: p for c, p in out.items() if p}


def merge(*maps: ValueMap | None) -> ValueMap:
    """One map from several; a later map wins for the same column and value."""
    out: ValueMap = {}
    for vmap in maps:
        for column, pairs in normalise(vmap).items():
            out.setdefault(column, {}).update(pairs)
    return out


def for_column(vmap: ValueMap, *names: str) -> dict[str, str]:
    """The pairs for a column known by any of `names` (its header, its package column)."""
    pairs: dict[str, str] = {}
    for name in reversed(names):  # the first name (the file's header) wins
        pairs.update(vmap.get(key(name), {}))
    return pairs


def apply(cells: pd.Series, pairs: dict[str, str]) -> pd.Series:
    """`cells` with every text value found in `pairs` replaced (blank when mapped to '')."""
    if not pairs or cells.empty:
        return cells
    # Keys of the distinct values only: a million cells hold a few hundred words.
    memo = {v: pairs.get(key(v)) for v in pd.unique(cells.dropna()) if isinstance(v, str)}
    memo = {v: t for v, t in memo.items() if t is not None}
    if not memo:
        return cells
    hit = cells.isin(list(memo)).to_numpy(dtype=bool)
    out = cells.astype(object)
    mapped = cells[hit].map(memo)
    out[hit] = mapped.map(lambda v: v if v != "" else None).to_numpy(dtype=object)
    return out


# ------------------------------------------------------------------ values files

VALUES_COLUMNS = ("column", "from", "to")


def read_values_file(source: str | os.PathLike | bytes, filename: str | None = None) -> ValueMap:
    """A CSV or .xlsx with columns `column`, `from`, `to` (`column` is the file's own header)."""
    name = filename or (str(source) if not isinstance(source, bytes) else "values.csv")
    data = Path(source).read_bytes() if not isinstance(source, bytes) else source
    suffix = PurePosixPath(name).suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            frame = pd.read_excel(io.BytesIO(data), dtype=str, keep_default_na=False)
        else:
            frame = pd.read_csv(
                io.BytesIO(data), dtype=str, keep_default_na=False, sep=None, engine="python"
            )
    except Exception as exc:  # noqa: BLE001 (any parser failure is one clear refusal)
        raise ValueMapError(
            f"{_base(name)}: cannot be read ({type(exc).__name__}: {exc})"
        ) from None
    return values_from_frame(frame, _base(name))


def values_from_frame(frame: pd.DataFrame, what: str = "values") -> ValueMap:
    """Rows of (column, from, to) into a ValueMap; a row without column or from is refused."""
    columns = {key(c): c for c in frame.columns}
    missing = [c for c in VALUES_COLUMNS if c not in columns]
    if missing:
        raise ValueMapError(
            f"{what}: row 1 must name the columns column, from, to (missing: {', '.join(missing)})"
        )
    out: ValueMap = {}
    seen: dict[tuple[str, str], int] = {}
    for i, (column, source, to) in enumerate(
        frame[[columns[c] for c in VALUES_COLUMNS]].itertuples(index=False), start=2
    ):
        column, source, to = (("" if pd.isna(v) else str(v)).strip() for v in (column, source, to))
        if not column and not source and not to:
            continue
        if not column:
            raise ValueMapError(f"{what}, row {i}, column 'column': blank (name the file's column)")
        if not source:
            raise ValueMapError(f"{what}, row {i}, column 'from': blank (the value as written)")
        where = (key(column), key(source))
        if where in seen and out[where[0]][where[1]] != to:
            raise ValueMapError(
                f"{what}, row {i}: {column!r} {source!r} is mapped twice (row {seen[where]} too)"
            )
        seen[where] = i
        out.setdefault(where[0], {})[where[1]] = to
    return out


def to_rows(vmap: ValueMap) -> list[dict[str, str]]:
    """The map as rows of a values file (sorted), e.g. to download or save."""
    return [
        {"column": c, "from": f, "to": t}
        for c, pairs in sorted(vmap.items())
        for f, t in sorted(pairs.items())
    ]


def dumps(vmap: ValueMap) -> str:
    return json.dumps(normalise(vmap), sort_keys=True, ensure_ascii=False)


def loads(text: str | None) -> ValueMap:
    return normalise(json.loads(text)) if text else {}


def parse_default(text: str) -> tuple[str, str]:
    """`COLUMN=VALUE` (argparse type of --default)."""
    column, sep, value = text.partition("=")
    if not sep or not column.strip():
        raise argparse.ArgumentTypeError(f"expected COLUMN=VALUE, got {text!r}")
    return column.strip(), value.strip()


def add_unmapped(unmapped: Unmapped, column: str, values: pd.Series) -> None:
    """Count each value as written (trimmed) under the file's column."""
    if values.empty:
        return
    counts = values.map(lambda v: str(v).strip()).value_counts(sort=False)
    target = unmapped.setdefault(column, {})
    for value, n in counts.items():
        target[value] = target.get(value, 0) + int(n)


# ------------------------------------------------------------------ saved maps


def _setting_key(fmt: str) -> str:
    return f"value_map:{fmt}"


def saved(engine, fmt: str) -> ValueMap:
    """The value map kept for an import format (package, a preset, profile:NAME)."""
    return loads(store.get_setting(engine, _setting_key(fmt)))


def save(engine, fmt: str, vmap: ValueMap) -> ValueMap:
    """Merge `vmap` into the map kept for `fmt` (the next import of that format reuses it)."""
    merged = merge(saved(engine, fmt), vmap)
    store.set_setting(engine, _setting_key(fmt), dumps(merged))
    return merged


def _base(name: str) -> str:
    return PurePosixPath(str(name).replace("\\", "/")).name
