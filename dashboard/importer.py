"""Import of the ITAM data package: validate every value, then load in bulk.

Three stages, each reusable on its own:

1. `readers.read_package` turns a container into `RawSheet`s (a preset for
   another tool's export produces RawSheets itself);
2. `validate_sheets` checks them against `schema` and returns typed frames,
   every rejected value as {sheet, row, column, value, reason}, and warnings;
3. `import_package` runs both and, when nothing was rejected, writes through
   `store.write_tables` (one transaction) and logs the import.

Validation is column-wise (pandas string and datetime kernels, DuckDB for
keys), so a million rows cost seconds; Python only touches rejected values.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Engine

from dashboard import (
    fx,
    import_log,
    leave_demo,
    oplog,
    references,
    schema,
    store,
    tolerant,
    valuemaps,
    vendors,
)
from dashboard.readers import RawSheet, Source, error, read_package
from dashboard.upload_checks import Limits, UploadRejected
from dashboard.valuemaps import ImportOptions

Progress = Callable[[float, str], None]

BOOL_WORDS = {
    "true": True, "yes": True, "y": True, "1": True,
    "false": False, "no": False, "n": False, "0": False,
}  # fmt: skip

_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_NUMBER_COMMA = r"[+-]?(?:\d+(?:,\d*)?|,\d+)(?:[eE][+-]?\d+)?"
_DATE = r"\d{4}-\d{2}-\d{2}(?:[ T]00:00(?::00(?:\.0+)?)?)?"
_DATETIME = r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?"
_MONTH = r"\d{4}-\d{2}(?:-\d{2})?"
MAX_INT = 2**53  # integers beyond this are not exact in a spreadsheet or a double


# ------------------------------------------------------------- value parsers


@dataclass
class Parsed:
    """A column parsed: typed values (NA where blank or bad) and why values were bad."""

    values: pd.Series
    blank: pd.Series  # bool: the cell was empty (after trimming)
    reasons: pd.Series  # object: a reason where the value was rejected, else None

    @property
    def bad(self) -> pd.Series:
        return self.reasons.notna()


_CODE = {
    type(None): 0, str: 1, bool: 2, int: 3, float: 3,
    dt.datetime: 4, pd.Timestamp: 4, dt.date: 5, dt.time: 6,
}  # fmt: skip
_KIND_NAMES = {2: "bool", 3: "number", 4: "datetime", 5: "date", 6: "time", 7: "other"}


@dataclass
class Cells:
    """A column's cells split into trimmed text and typed (Excel) cells."""

    text: pd.Series  # str dtype: trimmed, un-neutralised text; NaN elsewhere
    typed: pd.Series | None  # object: non-text cells (dates, numbers, booleans); NaN elsewhere
    blank: pd.Series  # bool
    codes: np.ndarray | None = None  # per cell: _CODE of its type (typed columns only)

    @classmethod
    def of(cls, cells: pd.Series | Cells) -> Cells:
        if isinstance(cells, Cells):
            return cells
        if _is_string_dtype(cells):
            stripped = cells.str.strip()
            blank = (stripped.isna() | (stripped == "")).to_numpy()
            return cls(
                _unneutralise(stripped.mask(blank)), None, pd.Series(blank, index=cells.index)
            )
        arr = cells.to_numpy(dtype=object)
        # One pass over the cells for their types; everything after is vectorised.
        codes = np.fromiter((_CODE.get(type(v), 7) for v in arr), dtype=np.int8, count=len(arr))
        is_str = codes == 1
        stripped = pd.Series(
            np.where(is_str, arr, None), index=cells.index, dtype="str"
        ).str.strip()
        blank = (codes == 0) | (is_str & (stripped == "").fillna(False).to_numpy(dtype=bool))
        if (codes == 3).any():
            blank |= (codes == 3) & pd.isna(arr)
        typed_mask = ~is_str & ~blank
        typed = (
            pd.Series(np.where(typed_mask, arr, None), index=cells.index, dtype=object)
            if typed_mask.any()
            else None
        )
        text = _unneutralise(stripped.mask(blank))
        return cls(text, typed, pd.Series(blank, index=cells.index), np.where(blank, 0, codes))

    def take(self, keep: np.ndarray) -> Cells:
        """The cells of the rows in `keep` (a bool mask), re-indexed from 0."""
        if keep.all() and self.text.index.equals(pd.RangeIndex(len(keep))):
            return self  # no blank rows: no copies

        def sub(s):
            return None if s is None else s[keep].reset_index(drop=True)

        return Cells(
            sub(self.text),
            sub(self.typed),
            sub(self.blank),
            None if self.codes is None else self.codes[keep],
        )


def _unneutralise(text: pd.Series) -> pd.Series:
    """Remove the one leading quote that `export` puts before formula-like text.

    `export` quotes text matching ^'*[=+-@\\t\\r] (also text that already starts
    with quotes before such a character), so exactly one quote comes off here.
    """
    maybe = text.str.startswith("'").fillna(False).to_numpy(dtype=bool)  # cheap first pass
    if not maybe.any():
        return text
    quoted = np.zeros(len(text), dtype=bool)
    quoted[maybe] = text[maybe].str.match(r"'+[=+\-@\t\r]").fillna(False).to_numpy(dtype=bool)
    if not quoted.any():
        return text
    text = text.copy()
    text[quoted] = text[quoted].str.slice(1)
    return text


def _is_string_dtype(s: pd.Series) -> bool:
    return isinstance(s.dtype, pd.StringDtype)


def _typed_groups(cells: Cells) -> dict[str, pd.Series]:
    """The typed cells grouped by kind (bool, number, datetime, date, time, other)."""
    if cells.typed is None or cells.codes is None:
        return {}
    groups = {}
    for code in np.unique(cells.codes):
        if code >= 2:
            groups[_KIND_NAMES[int(code)]] = cells.typed[cells.codes == code]
    return groups


def _reject(groups: dict[str, pd.Series], reasons: pd.Series, why: dict[str, str]) -> None:
    for kind, group in groups.items():
        if kind in why:
            reasons.loc[group.index] = why[kind]


def _none_reasons(index: pd.Index) -> pd.Series:
    return pd.Series(None, index=index, dtype=object)


def _reasons_where(
    bad: pd.Series, texts: pd.Series, why: Callable[[str], str], reasons: pd.Series
) -> None:
    """Fill `reasons` where `bad`: one call of `why` per distinct rejected value."""
    mask = bad.to_numpy(dtype=bool)
    if not mask.any():
        return
    rejected = texts[mask]
    memo = {v: why(v) for v in rejected.unique().tolist()}
    reasons[mask] = rejected.map(memo).to_numpy(dtype=object)


def parse_text(cells: pd.Series | Cells) -> Parsed:
    c = Cells.of(cells)
    values = c.text.copy()
    if c.typed is not None:
        typed = c.typed.dropna()
        values.loc[typed.index] = typed.map(_cell_as_text).astype("str")
    return Parsed(values, c.blank, _none_reasons(c.text.index))


def _cell_as_text(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat(sep=" ")
    if isinstance(v, (dt.date, dt.time)):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def parse_enum(cells: pd.Series | Cells, members: tuple[str, ...]) -> Parsed:
    c = Cells.of(cells)
    words = c.text.str.lower().str.replace(" ", "_", regex=False)
    ok = words.isin(members) | words.isna()
    reasons = _none_reasons(c.text.index)
    allowed = ", ".join(members)
    _reasons_where(~ok, c.text, lambda v: f"not one of: {allowed}", reasons)
    if c.typed is not None:
        reasons.loc[c.typed.dropna().index] = f"not one of: {allowed}"
    return Parsed(words.where(ok), c.blank, reasons)


def parse_bool(cells: pd.Series | Cells) -> Parsed:
    c = Cells.of(cells)
    words = c.text.str.lower()
    ok = words.isin(list(BOOL_WORDS)) | words.isna()
    truth = words.isin([w for w, b in BOOL_WORDS.items() if b]).to_numpy(dtype=bool)
    values = pd.Series(pd.array(truth, dtype="boolean"), index=c.text.index)
    values[~ok.to_numpy(dtype=bool) | words.isna().to_numpy()] = pd.NA
    reasons = _none_reasons(c.text.index)
    why = "not a boolean (true/false, yes/no, y/n, 1/0)"
    _reasons_where(~ok, c.text, lambda v: why, reasons)
    groups = _typed_groups(c)
    if "bool" in groups:
        values.loc[groups["bool"].index] = groups["bool"].astype(bool).to_numpy()
    if "number" in groups:
        num = groups["number"].astype(float)
        zero_one = num.isin([0.0, 1.0])
        values.loc[num.index[zero_one]] = (num[zero_one] == 1.0).to_numpy()
        reasons.loc[num.index[~zero_one]] = why
    _reject(groups, reasons, {k: why for k in ("datetime", "date", "time", "other")})
    return Parsed(values, c.blank, reasons)


def _to_float(plain: pd.Series) -> pd.Series:
    """Checked plain decimals to float64 (pyarrow's cast is many times faster)."""
    try:
        arr = (
            pa.array(plain.to_numpy(dtype=object, na_value=None), type=pa.string())
            if not _is_string_dtype(plain)
            else pa.array(plain.array)
        )
        return pd.Series(
            arr.cast(pa.float64()).to_numpy(zero_copy_only=False),
            index=plain.index,
            dtype="float64",
        )
    except Exception:  # anything pyarrow will not parse: pandas decides
        return pd.to_numeric(plain, errors="coerce").astype("float64")


def _number_reason(value: str, decimal_comma: bool) -> str:
    low = value.lower().lstrip("+-")
    if low in ("nan", "inf", "infinity", "-inf") or "nan" in low or "inf" in low:
        return "not a finite number (NaN and infinity are not numbers here)"
    if re.search(r"[$€£¥₹¢]|^[A-Za-z]{3}\s*\d|\d\s*[A-Za-z]{3}$", value):
        return "a currency sign or code: write a plain number (the currency is a setting)"
    if decimal_comma and re.fullmatch(r"[+-]?\d+(?:\.\d+)+(?:,\d*)?", value):
        return "a thousands separator or decimal point: this semicolon-separated file uses the decimal comma"
    if re.fullmatch(r"[+-]?\d{1,3}(?:[,. '\u00a0]\d{3})+(?:[.,]\d*)?", value):
        return "a thousands separator: write a plain number (1234.5)"
    if value.endswith("%"):
        return "a percent sign: write a plain number"
    return "not a number"


def parse_number(
    cells: pd.Series | Cells, *, integer: bool = False, decimal_comma: bool = False
) -> Parsed:
    """Plain decimals only; `integer` also requires whole numbers."""
    c = Cells.of(cells)
    pattern = _NUMBER_COMMA if decimal_comma else _NUMBER
    ok = c.text.str.fullmatch(pattern).fillna(False).astype(bool)
    plain = c.text.where(ok)
    if decimal_comma:
        plain = plain.str.replace(",", ".", regex=False)
    values = _to_float(plain)
    reasons = _none_reasons(c.text.index)
    bad_text = c.text.notna() & ~ok
    _reasons_where(bad_text, c.text, lambda v: _number_reason(v, decimal_comma), reasons)
    groups = _typed_groups(c)
    if "number" in groups:
        values.loc[groups["number"].index] = groups["number"].astype(float).to_numpy()
    date_cell = "a date cell, not a number"
    _reject(
        groups,
        reasons,
        {
            "bool": "a TRUE/FALSE cell, not a number",
            "datetime": date_cell,
            "date": date_cell,
            "time": date_cell,
            "other": "not a number",
        },
    )
    inf = ~np.isfinite(values) & values.notna()
    reasons = reasons.mask(inf & reasons.isna(), "not a finite number (too large)")
    if integer:
        whole = values.isna() | (values == np.floor(values))
        reasons = reasons.mask(~whole & reasons.isna(), "not a whole number")
        big = values.abs() > MAX_INT
        reasons = reasons.mask(big & reasons.isna(), "out of range for a whole number")
        values = values.where(reasons.isna())
        return Parsed(values.astype("Int64"), c.blank, reasons)
    return Parsed(values.where(reasons.isna()), c.blank, reasons)


def _date_reason(value: str) -> str:
    if re.fullmatch(r"\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}", value):
        return "a day-first or month-first date is ambiguous: write YYYY-MM-DD"
    if re.fullmatch(r"\d+(?:\.\d+)?", value):
        return "a serial number written as text is ambiguous: write YYYY-MM-DD or use a date cell"
    if re.fullmatch(_DATETIME, value):
        return "not a real date"
    return "not a date (YYYY-MM-DD)"


def _typed_dates(c: Cells, values: pd.Series, reasons: pd.Series, *, with_time: bool) -> None:
    """Date and datetime cells into `values`; a datetime cell in a date column gives its date."""
    groups = _typed_groups(c)
    for kind in ("datetime", "date"):
        if kind in groups:
            stamps = pd.to_datetime(pd.Series(list(groups[kind]), index=groups[kind].index)).astype(
                "datetime64[us]"
            )
            values.loc[stamps.index] = stamps if with_time else stamps.dt.normalize()
    _reject(
        groups,
        reasons,
        {
            "time": "a time without a date",
            "bool": "a TRUE/FALSE cell, not a date",
            "number": "a number, not a date cell: format the cell as a date or write YYYY-MM-DD",
            "other": "not a date",
        },
    )


def _iso_dates(text: pd.Series) -> pd.Series:
    """Checked `YYYY-MM-DD` text to datetime64 (pyarrow's strptime; impossible dates -> NaT)."""
    try:
        arr = (
            pa.array(text.array)
            if _is_string_dtype(text)
            else pa.array(text.to_numpy(dtype=object, na_value=None), pa.string())
        )
        parsed = pc.strptime(arr, format="%Y-%m-%d", unit="us", error_is_null=True)
        # strptime rolls 2023-02-29 over to March: keep only dates that print back the same.
        day = pc.cast(pc.utf8_slice_codeunits(arr, 8, 10), pa.int64())
        same = pc.equal(pc.day(parsed), day)
        parsed = pc.if_else(same, parsed, pa.scalar(None, parsed.type))
        return pd.Series(parsed.to_numpy(zero_copy_only=False), index=text.index).astype(
            "datetime64[us]"
        )
    except Exception:
        return pd.to_datetime(text, format="%Y-%m-%d", errors="coerce").astype("datetime64[us]")


def _parse_when(cells: pd.Series | Cells, pattern: str, *, with_time: bool) -> Parsed:
    c = Cells.of(cells)
    shape = c.text.str.fullmatch(pattern).fillna(False).astype(bool)
    candidate = c.text.where(shape)
    if with_time:
        values = pd.to_datetime(
            candidate.str.replace("T", " ", regex=False), format="ISO8601", errors="coerce"
        )
        values = values.astype("datetime64[us]")
    else:
        values = _iso_dates(candidate.str.slice(0, 10))
    bad = c.text.notna() & values.isna()
    reasons = _none_reasons(c.text.index)
    _reasons_where(bad, c.text, _date_reason, reasons)
    _typed_dates(c, values, reasons, with_time=with_time)
    return Parsed(values.where(reasons.isna()), c.blank, reasons)


def parse_date(cells: pd.Series | Cells) -> Parsed:
    """ISO YYYY-MM-DD text or date cells; a datetime cell gives its date."""
    return _parse_when(cells, _DATE, with_time=False)


def parse_datetime(cells: pd.Series | Cells) -> Parsed:
    """ISO `YYYY-MM-DD[ HH:MM[:SS]]` text or date/datetime cells."""
    return _parse_when(cells, _DATETIME, with_time=True)


def parse_month(cells: pd.Series | Cells) -> Parsed:
    """`YYYY-MM`, or the first day of a month (text or date cell)."""
    c = Cells.of(cells)
    shape = c.text.str.fullmatch(_MONTH).fillna(False).astype(bool)
    candidate = c.text.where(shape)
    candidate = candidate.where(candidate.str.len() == 10, candidate + "-01")
    values = pd.to_datetime(candidate, format="%Y-%m-%d", errors="coerce").astype("datetime64[us]")
    reasons = _none_reasons(c.text.index)
    _reasons_where(
        c.text.notna() & values.isna(), c.text, lambda v: "not a month (YYYY-MM)", reasons
    )
    _typed_dates(c, values, reasons, with_time=True)
    first = values.isna() | ((values.dt.day == 1) & (values == values.dt.normalize()))
    reasons = reasons.mask(~first & reasons.isna(), "not the first day of a month (write YYYY-MM)")
    return Parsed(values.where(reasons.isna()), c.blank, reasons)


def parse_column(
    cells: pd.Series | Cells, column: schema.Column, *, decimal_comma: bool = False
) -> Parsed:
    """Parse one column by its schema kind (range rules are checked by the caller)."""
    kind = column.kind
    if kind == schema.ENUM:
        return parse_enum(cells, column.values)
    if kind == schema.BOOL:
        return parse_bool(cells)
    if kind in (schema.INT, schema.NUMBER):
        return parse_number(cells, integer=kind == schema.INT, decimal_comma=decimal_comma)
    if kind == schema.DATE:
        return parse_date(cells)
    if kind == schema.DATETIME:
        return parse_datetime(cells)
    if kind == schema.MONTH:
        return parse_month(cells)
    return parse_text(cells)


def range_reasons(values: pd.Series, column: schema.Column) -> pd.Series:
    """Why numbers break the column's min/gt/max (None where fine)."""
    reasons = pd.Series(None, index=values.index, dtype=object)
    v = values.astype("float64")
    if column.min is not None:
        reasons = reasons.mask((v < column.min).fillna(False), f"must be at least {column.min:g}")
    if column.gt is not None:
        reasons = reasons.mask(
            (v <= column.gt).fillna(False), f"must be greater than {column.gt:g}"
        )
    if column.max is not None:
        reasons = reasons.mask((v > column.max).fillna(False), f"must be at most {column.max:g}")
    return reasons


def normalise_header(name: str) -> str:
    """`Purchase Date`, ` purchase-date ` -> `purchase_date`."""
    return re.sub(r"[ \-]+", "_", str(name).strip().lower())


# ------------------------------------------------------------------ validation


@dataclass
class Validated:
    """The outcome of validation: typed frames per table, errors, warnings."""

    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    rows: dict[str, np.ndarray] = field(default_factory=dict)  # spreadsheet row per frame row
    sheets: dict[str, str] = field(default_factory=dict)  # table -> sheet name as written
    errors: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unmapped: valuemaps.Unmapped = field(default_factory=dict)  # file's column -> {value: rows}
    questions: list[str] = field(default_factory=list)  # what only the user can settle
    choices: dict[str, list[str]] = field(default_factory=dict)  # unmapped column -> allowed values
    notes: list[str] = field(default_factory=list)  # what the readers inferred (also in warnings)

    @property
    def ok(self) -> bool:
        return not self.errors


class _Sheet:
    """Validation state of one sheet: its table, header map and collected errors."""

    def __init__(self, raw: RawSheet, table: schema.Table, options: ImportOptions | None = None):
        self.raw = raw
        self.table = table
        self.options = options or ImportOptions()
        self.values = valuemaps.merge(raw.value_map, self.options.values)
        self.defaults: dict[str, str] = {}  # package column -> value where missing or blank
        self.out: Validated | None = None
        self.errors: list[dict] = []
        self.header_of: dict[str, str] = {}  # column name -> header as written
        self.position: dict[str, int] = {}  # column name -> position in raw.data

    def add(self, rows, column: str, values, reasons) -> None:
        header = self.header_of.get(column, column)
        for r, v, why in zip(rows, values, reasons, strict=True):
            self.errors.append(error(self.raw.name, int(r), header, _shown(v), why))


def _shown(value) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def validate_sheets(
    raw_sheets: list[RawSheet],
    existing_engine: Engine | None = None,
    *,
    replace: bool = False,
    consume: bool = False,
    options: ImportOptions | None = None,
) -> Validated:
    """Check every sheet against the package schema (data-package.md).

    `existing_engine`, when given, supplies the rows already stored so that
    references to them are not reported as unknown (with `replace`, the tables
    in the upload are taken to be replaced). With `consume`, each raw column is
    dropped once parsed (half the peak memory of a large upload).
    """
    out = Validated()
    chosen: dict[str, RawSheet] = {}
    for raw in raw_sheets:
        name = (raw.table or raw.name).strip().lower()
        if name not in schema.BY_NAME:
            out.warnings.append(f"unknown sheet or file {raw.name!r} ignored")
            continue
        if name in chosen:
            out.errors.append(
                error(
                    raw.name,
                    None,
                    None,
                    None,
                    f"a second sheet or file for table '{name}' (the first is {chosen[name].name!r})",
                )
            )
            continue
        chosen[name] = raw
    for name, raw in chosen.items():
        out.warnings.extend(raw.notes)
        out.notes.extend(raw.notes)
        sheet = _Sheet(raw, schema.table(name), options)
        sheet.out = out
        frame, rows = _validate_table(sheet, out.warnings, consume)
        out.errors.extend(_merge_errors(raw.errors, sheet.errors))
        if frame is not None:
            out.frames[name] = frame
            out.rows[name] = rows
            out.sheets[name] = raw.name
    out.errors.extend(fx.check_currencies(out, existing_engine, replace))  # issue 15: rates
    if not out.errors and not any(len(f) for f in out.frames.values()):
        out.errors.append(
            error(
                None,
                None,
                None,
                None,
                "nothing to import: no sheet or file names a table of the package, or its tables hold no data rows",
            )
        )
    # One pass: references are checked even when values were refused.
    out.warnings.extend(references.warnings(out, existing_engine, replace))
    return out


def _merge_errors(read_errors: list[dict], found: list[dict]) -> list[dict]:
    """Reader errors first, no second error for a cell already reported; by row."""
    seen = {(e["row"], e["column"]) for e in read_errors}
    merged = read_errors + [e for e in found if (e["row"], e["column"]) not in seen]
    return sorted(merged, key=lambda e: e["row"] or 0)


def _map_headers(sheet: _Sheet, warnings: list[str]) -> bool:
    raw, table = sheet.raw, sheet.table
    hr = raw.header_row
    if not any(h.strip() for h in raw.headers):
        sheet.errors.append(
            error(raw.name, hr, None, None, f"row {hr} is blank: the header must be row {hr}")
        )
        return False
    known = set(table.names)
    first_seen: dict[str, str] = {}
    for pos, header in enumerate(raw.headers):
        name = raw.columns[pos] if raw.columns is not None else normalise_header(header)
        if not name:
            if raw.data[pos].notna().any() if pos in raw.data else False:
                warnings.append(f"{raw.name}: a column without a header (column {pos + 1}) ignored")
            continue
        if name in first_seen:
            sheet.errors.append(
                error(
                    raw.name,
                    hr,
                    header,
                    header,
                    f"the same column as {first_seen[name]!r} (headers match ignoring case, spaces and dashes)",
                )
            )
            continue
        first_seen[name] = header
        if name in known:
            sheet.header_of[name] = header
            sheet.position[name] = pos
        else:
            warnings.append(f"{raw.name}: unknown column {header!r} ignored")
    if not sheet.position:
        sheet.errors.append(
            error(
                raw.name,
                hr,
                None,
                None,
                f"row {hr} names none of the columns of '{table.name}': the header must be row {hr}",
            )
        )
        return False
    _resolve_defaults(sheet)
    present = set(sheet.position) | set(sheet.defaults)
    for col in table.columns:
        if col.required and col.name not in present:
            sheet.errors.append(error(raw.name, hr, col.name, None, "a required column is missing"))
    for group in table.one_of:
        if not any(c in present for c in group):
            sheet.errors.append(
                error(raw.name, hr, group[0], None, f"a column {' or '.join(group)} is required")
            )
    # One pass: the values are checked even when a column is missing.
    return True


def _resolve_defaults(sheet: _Sheet) -> None:
    """--default COLUMN=VALUE: COLUMN is the file's header or the package column."""
    by_header = {valuemaps.key(h): c for c, h in sheet.header_of.items()}
    names = set(sheet.table.names)
    for column, value in sheet.options.defaults.items():
        k = valuemaps.key(column)
        name = by_header.get(k) or (k.replace(" ", "_") if k.replace(" ", "_") in names else None)
        if name is not None:
            sheet.defaults[name] = value


def _validate_table(
    sheet: _Sheet, warnings: list[str], consume: bool = False
) -> tuple[pd.DataFrame | None, np.ndarray]:
    raw, table = sheet.raw, sheet.table
    if not _map_headers(sheet, warnings):
        return None, np.array([], dtype=np.int64)
    for name, pos in sheet.position.items():  # value maps before any value is checked
        pairs = valuemaps.for_column(sheet.values, raw.headers[pos], name)
        raw.data[pos] = valuemaps.apply(raw.data[pos], pairs)
    cells = {name: Cells.of(raw.data[pos]) for name, pos in sheet.position.items()}
    # Blank rows (every known column empty) are skipped, keeping their numbers.
    keep = ~np.logical_and.reduce([c.blank.to_numpy(dtype=bool) for c in cells.values()])
    rows = raw.rows[keep]
    frame = pd.DataFrame(index=pd.RangeIndex(len(rows)))
    blanks: dict[str, pd.Series] = {}
    for col in table.columns:
        if col.name in cells or col.name in sheet.defaults:
            column_cells = _cells_with_default(sheet, col.name, cells, keep, len(rows))
            parsed = _parse(sheet, column_cells, col, rows)
            bad = parsed.bad.to_numpy()
            if bad.any():
                written = _written(sheet, col.name, keep, len(rows))
                sheet.add(rows[bad], col.name, written[bad], parsed.reasons[bad])
                _note_unmapped(sheet, col, column_cells, written, bad)
            if consume and col.name in sheet.position:
                raw.data.drop(columns=sheet.position[col.name], inplace=True)
            values, blank = parsed.values, parsed.blank
        else:
            values = _empty(col, len(rows))
            blank = pd.Series(True, index=frame.index)
        frame[col.name] = values
        blanks[col.name] = blank
    _apply_defaults(sheet, frame, blanks, rows)
    _check_ranges(sheet, frame, rows)
    _check_one_of(sheet, frame, rows)
    _check_order(sheet, frame, rows)
    _check_duplicates(sheet, frame, rows)  # one pass: also beside value errors
    return frame, rows


def _cells_with_default(sheet: _Sheet, name: str, cells: dict, keep: np.ndarray, n: int) -> Cells:
    """The column's cells (blank rows dropped), blanks filled by its --default."""
    default = sheet.defaults.get(name)
    if name not in cells:
        return Cells.of(pd.Series([default] * n, dtype="str"))
    c = cells.pop(name).take(keep)  # pop: one column's copies at a time
    if default is None or not c.blank.any():
        return c
    blank = c.blank.to_numpy(dtype=bool)
    return Cells(
        c.text.mask(blank, default),
        c.typed,
        pd.Series(False, index=c.blank.index),
        None if c.codes is None else np.where(blank, 1, c.codes),
    )


def _written(sheet: _Sheet, name: str, keep: np.ndarray, n: int) -> pd.Series:
    if name not in sheet.position:
        return pd.Series([sheet.defaults.get(name)] * n, dtype=object)
    return sheet.raw.data[sheet.position[name]][keep].reset_index(drop=True)


def _parse(sheet: _Sheet, cells: Cells, col: schema.Column, rows: np.ndarray) -> Parsed:
    """parse_column with the tolerant rules (slashed dates, decimals); notes to the warnings."""
    read = tolerant.parse_with_rules(
        cells, col, sheet.header_of.get(col.name, col.name), rows,
        decimal_comma=sheet.raw.decimal_comma, date_order=sheet.options.date_order,
    )  # fmt: skip
    if sheet.out is not None:
        said = [f"{sheet.raw.name}: {n}" for n in read.notes]
        sheet.out.warnings.extend(said)
        sheet.out.notes.extend(said)
        if read.question:
            sheet.out.questions.append(f"{sheet.raw.name}: {read.question}")
    return read.parsed


def _note_unmapped(
    sheet: _Sheet, col: schema.Column, cells: Cells, written: pd.Series, bad
) -> None:
    """Values a column with a fixed set cannot place, counted per file column (one pass)."""
    if sheet.out is None or col.kind not in (schema.ENUM, schema.BOOL):
        return
    text = cells.text.notna().to_numpy(dtype=bool)
    header = sheet.header_of.get(col.name, f"({col.name})")
    valuemaps.add_unmapped(sheet.out.unmapped, header, written[bad & text])
    if header in sheet.out.unmapped:
        sheet.out.choices[header] = (
            list(col.values) if col.kind == schema.ENUM else ["true", "false"]
        )


def _empty(col: schema.Column, n: int) -> pd.Series:
    dtype = {
        schema.INT: "Int64", schema.NUMBER: "float64", schema.BOOL: "boolean",
        schema.DATE: "datetime64[us]", schema.MONTH: "datetime64[us]", schema.DATETIME: "datetime64[us]",
    }.get(col.kind, "str")  # fmt: skip
    return pd.Series([None] * n, dtype=dtype)


def _apply_defaults(sheet: _Sheet, frame: pd.DataFrame, blanks: dict, rows: np.ndarray) -> None:
    for col in sheet.table.columns:
        blank = blanks[col.name].to_numpy()
        if not blank.any():
            continue
        if col.required and col.name in sheet.position:  # a missing column is reported once
            sheet.add(
                rows[blank],
                col.name,
                [None] * int(blank.sum()),
                ["a required value is blank"] * int(blank.sum()),
            )
        elif col.default is not None:
            frame[col.name] = frame[col.name].mask(blank, col.default)
    if sheet.table.name == "assets":
        life = frame["expected_life_years"]
        default = frame["category"].map(schema.EXPECTED_LIFE_YEARS).astype("float64")
        frame["expected_life_years"] = life.where(
            ~blanks["expected_life_years"].to_numpy(), default
        )


def _check_ranges(sheet: _Sheet, frame: pd.DataFrame, rows: np.ndarray) -> None:
    for col in sheet.table.columns:
        if col.min is None and col.gt is None and col.max is None:
            continue
        reasons = range_reasons(frame[col.name], col)
        bad = reasons.notna().to_numpy()
        if bad.any():
            sheet.add(rows[bad], col.name, frame[col.name][bad], reasons[bad])


def _check_one_of(sheet: _Sheet, frame: pd.DataFrame, rows: np.ndarray) -> None:
    for group in sheet.table.one_of:
        if not any(c in sheet.position or c in sheet.defaults for c in group):
            continue  # reported once as a missing column
        missing = np.logical_and.reduce([frame[c].isna().to_numpy() for c in group])
        if missing.any():
            n = int(missing.sum())
            sheet.add(
                rows[missing],
                group[0],
                [None] * n,
                [f"{' or '.join(group)} is required (both are blank)"] * n,
            )


def _check_order(sheet: _Sheet, frame: pd.DataFrame, rows: np.ndarray) -> None:
    for table, later, earlier in schema.ORDERED_PAIRS:
        if table != sheet.table.name:
            continue
        wrong = (frame[later] < frame[earlier]).fillna(False).to_numpy(dtype=bool)
        if wrong.any():
            header = sheet.header_of.get(earlier, earlier)
            why = [f"before {header!r} ({_shown_when(e)})" for e in frame[earlier][wrong]]
            sheet.add(rows[wrong], later, frame[later][wrong].map(_shown_when), why)


def _shown_when(v) -> str | None:
    if pd.isna(v):
        return None
    ts = pd.Timestamp(v)
    return ts.date().isoformat() if ts == ts.normalize() else ts.isoformat(sep=" ")


def _check_duplicates(sheet: _Sheet, frame: pd.DataFrame, rows: np.ndarray) -> None:
    """A key twice in one upload: report the later row, naming the first (keys as stored)."""
    table = sheet.table
    keys = _keys(table, frame)
    # Rows whose key cells were refused have no key to compare.
    parts = {sheet.header_of.get(c, c) for c in table.names if c in table.key
             or any(c in e for e in table.key_exprs.values())}  # fmt: skip
    refused = {e["row"] for e in sheet.errors if e["column"] in parts}
    if refused:
        keys = keys.mask(pd.Series(np.isin(rows, list(refused)), index=keys.index))
    later = (keys.duplicated(keep="first") & keys.notna()).to_numpy()
    if not later.any():
        return
    first_row = (
        pd.Series(rows, index=keys.index).groupby(keys.to_numpy()).transform("min").to_numpy()
    )
    column = next((c for c in table.key if c in sheet.position), None)
    if column is None:  # a key part such as `device` (installs, discovery)
        column = next((c for g in table.one_of for c in g if c in sheet.position), table.key[0])
    what = "key" if not table.surrogate else "key (" + ", ".join(table.key) + ")"
    for key, row, first in zip(keys[later], rows[later], first_row[later], strict=True):
        shown = key.replace(store.KEY_SEP, ", ") if table.surrogate else key
        sheet.errors.append(
            error(
                sheet.raw.name,
                int(row),
                sheet.header_of.get(column, column),
                shown,
                f"duplicate {what}: the same as row {int(first)}",
            )
        )


def _keys(table: schema.Table, frame: pd.DataFrame) -> pd.Series:
    """Each row's key exactly as the store computes it (`store.key_expr`), via DuckDB."""
    if not table.surrogate:
        return frame[table.key[0]].astype("str")
    used = [
        c for c in table.names if c in table.key or any(c in e for e in table.key_exprs.values())
    ]
    con = duckdb.connect()
    try:
        con.register("_frame", frame[used])
        casts = ", ".join(f'CAST("{c}" AS {table.column(c).sql_type}) AS "{c}"' for c in used)
        return con.execute(
            f"SELECT {store.key_expr(table)} AS k FROM (SELECT {casts} FROM _frame)"
        ).df()["k"]
    finally:
        con.close()


# ---------------------------------------------------------------------- import


@dataclass
class ImportResult:
    """What an import did, in the shape of `import --json`."""

    ok: bool
    errors: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    tables: dict[str, store.Counts] = field(default_factory=dict)
    dry_run: bool = False
    unmapped: valuemaps.Unmapped = field(default_factory=dict)  # file's column -> {value: rows}
    questions: list[str] = field(default_factory=list)  # e.g. month-first or day-first?
    choices: dict[str, list[str]] = field(default_factory=dict)  # unmapped column -> allowed values
    notes: list[str] = field(default_factory=list)  # the warnings that are notes of the readers
    leaves_demo: bool = False  # the import replaces the demo estate (leave_demo.py)
    removed_users: list[str] = field(default_factory=list)  # demo users removed by it

    def to_json(self) -> dict:
        return {
            "ok": self.ok,
            "errors": self.errors,
            "warnings": self.warnings,
            "unmapped": self.unmapped,
            "questions": self.questions,
            "leaves_demo": self.leaves_demo,
            "tables": store.counts_json(self.tables),
        }


def import_package(
    engine: Engine,
    source: Source | list[RawSheet],
    *,
    filename: str | None = None,
    replace: bool = False,
    dry_run: bool = False,
    limits: Limits | None = None,
    user: str | None = None,
    progress: Progress | None = None,
    options: ImportOptions | None = None,
    log_source: str = "app",
) -> ImportResult:
    """Read, validate and (unless rejected or `dry_run`) load a data package.

    `source` is a path (file or folder), bytes, an uploaded file object, or
    RawSheets already read (presets). Nothing is written unless every value
    of every sheet is accepted; then all tables are written in one transaction.
    Into a demo database, the import replaces the whole demo (leave_demo.py).
    Each call is one `import` line of the operations log (`log_source`: app or cli).
    """
    result = _import_package(engine, source, filename, replace, dry_run, limits, user, progress,
                             options)  # fmt: skip
    oplog.import_event(log_source, user, filename or _name_of(source), replace, dry_run, result)
    return result


def _import_package(engine: Engine, source: Source | list[RawSheet], filename: str | None,
                    replace: bool, dry_run: bool, limits: Limits | None, user: str | None,
                    progress: Progress | None, options: ImportOptions | None) -> ImportResult:  # fmt: skip
    options = options or ImportOptions()
    report = progress or (lambda fraction, message: None)
    leaving = leave_demo.in_demo(engine)
    replace = replace or leaving
    report(0.0, "reading the file")
    try:
        if isinstance(source, list):
            raw, warns = source, []
        else:
            raw, warns = read_package(
                source, filename=filename, limits=limits, encoding=options.encoding
            )
    except UploadRejected as exc:
        return ImportResult(
            False, [error(filename or _name_of(source), None, None, None, str(exc))]
        )
    except (ValueError, KeyError, IndexError, TypeError, OSError, EOFError) as exc:
        # A parser tripping over a malformed file is a rejected upload, not a crash.
        reason = f"the file cannot be read ({type(exc).__name__}: {exc})"
        return ImportResult(False, [error(filename or _name_of(source), None, None, None, reason)])
    report(0.4, "checking every value")
    checked = validate_sheets(
        raw, engine, replace=replace, consume=not isinstance(source, list), options=options
    )
    del raw  # the raw cells are not needed for writing: free them first
    warns = warns + checked.warnings
    if leaving:
        warns.insert(0, leave_demo.announcement(engine))
    if checked.errors:
        return ImportResult(False, checked.errors, warns, dry_run=dry_run,
                            unmapped=checked.unmapped, questions=checked.questions,
                            choices=checked.choices, notes=checked.notes,
                            leaves_demo=leaving)  # fmt: skip
    originals, vendor_notes = vendors.normalise(checked.frames, vendors.mapping(engine))
    warns += vendor_notes
    notes = checked.notes + vendor_notes
    report(0.7, "dry run: counting changes" if dry_run else "writing")
    frames = leave_demo.with_every_table(checked.frames) if leaving else checked.frames
    counts = store.write_tables(engine, frames, replace=replace, dry_run=dry_run)
    counts = {t: c for t, c in counts.items() if t in checked.frames}
    removed: list[str] = []
    if not dry_run:
        vendors.keep_originals(engine, originals, list(frames), replace)
        import_log.record(engine, filename or _name_of(source), replace, counts, user)
        if leaving:
            removed = leave_demo.finish(engine)
    report(1.0, "done")
    return ImportResult(True, [], warns, counts, dry_run=dry_run, leaves_demo=leaving,
                        removed_users=removed, notes=notes)  # fmt: skip


def _name_of(source) -> str:
    if isinstance(source, (bytes, bytearray, list)):
        return "upload"
    name = getattr(source, "name", None) or str(source)
    return str(name).rstrip("/").rsplit("/", 1)[-1]
