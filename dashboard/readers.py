"""The raw stage of an import: any container into `RawSheet`s.

A RawSheet is a sheet as written: its name, its headers, its cells (text from a
CSV, typed cells from a workbook) and the row number a spreadsheet shows for
each data row. Nothing is interpreted here beyond the container and the text
encoding; `importer.validate_sheets` does the rest, so a preset that reads
another tool's export only has to produce RawSheets.
"""

from __future__ import annotations

import codecs
import csv
import datetime as _dt
import html
import io
import itertools
import os
import re
import warnings
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO

import numpy as np
import pandas as pd
import pyarrow as pa
from pyarrow import csv as pacsv

from dashboard import tolerant
from dashboard.upload_checks import (
    HEAD_BYTES,
    MB,
    Limits,
    UploadRejected,
    check_csv,
    check_size,
    check_xlsx,
    check_zip,
    open_zip,
    sniff,
)
from dashboard.valuemaps import ENCODINGS

Source = str | os.PathLike | bytes | IO[bytes]


@dataclass
class RawSheet:
    """One sheet or CSV file before validation."""

    name: str  # sheet name, or the CSV's file name without `.csv`, as written
    headers: list[str]  # row 1 as written ('' for a blank header cell)
    data: pd.DataFrame  # column i holds the cells under headers[i]; None/NaN = empty
    rows: np.ndarray  # spreadsheet row number of each data row (header = 1)
    errors: list[dict] = field(default_factory=list)  # found while reading
    decimal_comma: bool = False  # a semicolon-separated CSV (European Excel)
    kind: str = "csv"  # csv | xlsx
    # Presets (dashboard/presets.py): the package table this sheet feeds when its
    # name is another tool's file name, and the package column under each header
    # when the headers are that tool's own (errors still name the header as written).
    table: str | None = None
    columns: list[str] | None = None
    # A preset's own translations (dashboard/valuemaps.py: file's column -> {as written: value});
    # the user's value map wins over it. The importer applies both before checking values.
    value_map: dict[str, dict[str, str]] | None = None
    header_row: int = 1  # the row the headers were taken from (a title block above is skipped)
    notes: list[str] = field(
        default_factory=list
    )  # what the reader inferred (shown in the preview)


def error(sheet, row, column, value, reason) -> dict:
    """One rejected value, in the shape the CLI and the Data page report."""
    return {"sheet": sheet, "row": row, "column": column, "value": value, "reason": reason}


# ------------------------------------------------------------------------ CSV


def decode_csv(data: bytes, what: str, encoding: str | None = None) -> tuple[bytes, str]:
    """The file as UTF-8 bytes, and the encoding it was read as.

    Accepted (data-package.md): UTF-8 with or without a BOM, UTF-16 with a BOM,
    Windows-1252 when not valid UTF-8; Latin-1 or Mac Roman only when chosen
    (`encoding`, --encoding), since any bytes decode in them. Anything else is
    refused by name, naming the byte.
    """
    if encoding is not None and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        try:
            _validate_utf8(data)
        except UnicodeDecodeError:
            utf8 = data.decode(ENCODINGS[encoding]).encode("utf-8")
            _refuse_binary(utf8, what)
            return utf8, {"latin-1": "Latin-1", "mac-roman": "Mac Roman"}[encoding]
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise UploadRejected(f"{what}: UTF-32 text is not supported (save it as UTF-8)")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise UploadRejected(
                f"{what}: not valid UTF-16 text ({exc.reason} at byte {exc.start})"
            ) from None
        utf8 = text.lstrip("\ufeff").encode("utf-8")
        _refuse_binary(utf8, what)
        return utf8, "UTF-16"
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    _refuse_binary(data, what)
    try:
        _validate_utf8(data)
        return data, "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        byte = data[exc.start]
        raise UploadRejected(
            f"{what}: neither UTF-8 nor Windows-1252 text (byte 0x{byte:02x} at offset "
            f"{exc.start} is not a character in either); save it as UTF-8, or choose how to "
            "read it: Latin-1 or Mac Roman (--encoding latin-1 or --encoding mac-roman)"
        ) from None
    return text.encode("utf-8"), "Windows-1252"


def _validate_utf8(data: bytes) -> None:
    # Incremental, so a large file is never held twice as a str.
    decoder = codecs.getincrementaldecoder("utf-8")()
    step = 8 * MB
    for start in range(0, len(data), step):
        decoder.decode(data[start : start + step], final=start + step >= len(data))
    if not data:
        decoder.decode(b"", final=True)


def _refuse_binary(data: bytes, what: str) -> None:
    """Refuse control bytes (NUL, ...): binary data, or UTF-16/32 without a BOM."""
    view = np.frombuffer(data, dtype=np.uint8)
    step = 16 * MB
    for start in range(0, len(view), step):
        chunk = view[start : start + step]
        low = chunk < 0x20
        bad = (low & (chunk != 0x09) & (chunk != 0x0A) & (chunk != 0x0D)) | (chunk == 0x7F)
        hits = np.flatnonzero(bad)
        if hits.size:
            offset = start + int(hits[0])
            _binary_error(data[offset], offset, what)


def _binary_error(byte: int, offset: int, what: str) -> None:
    if byte == 0:
        hint = "binary data, or UTF-16/UTF-32 text without a byte-order mark"
    else:
        hint = "binary data, not text"
    raise UploadRejected(
        f"{what}: control byte 0x{byte:02x} at offset {offset} ({hint}); "
        "a CSV must be UTF-8, UTF-16 with a BOM, or Windows-1252 text"
    )


def _first_line(data: bytes) -> bytes:
    end = data.find(b"\n")
    return data if end < 0 else data[:end]


def read_csv_bytes(data: bytes, name: str, encoding: str | None = None) -> RawSheet:
    """One CSV file (already size-checked) into a RawSheet named `name`."""
    what = f"{name}.csv"
    utf8, read_as = decode_csv(data, what, encoding)
    del data
    if not re.search(rb"\S", utf8):
        raise UploadRejected(f"{what} is empty")
    skipped, utf8 = _title_block(utf8)
    header_line = _first_line(utf8)
    semicolon = b";" in header_line and b"," not in header_line
    sep = ";" if semicolon else ","
    sheet = _fast_csv(utf8, sep, name)
    if sheet is None:  # ragged, blank lines, ...: the careful parser finds what and where
        sheet = _careful_csv(utf8, sep, name)
    sheet.decimal_comma = semicolon
    if read_as not in ("UTF-8", "UTF-16"):
        sheet.notes.append(f"{what}: read as {read_as} text (it is not UTF-8)")
    if skipped:
        sheet.rows = sheet.rows + skipped
        for e in sheet.errors:
            e["row"] = e["row"] + skipped if e["row"] is not None else None
        sheet.header_row = skipped + 1
        sheet.notes.append(tolerant.title_note(what, sheet.header_row))
    return sheet


def _title_block(utf8: bytes) -> tuple[int, bytes]:
    """Lines above the header (a report title, blank lines) and the file without them."""
    head = utf8[: 64 * 1024].decode("utf-8", "replace")
    lines = head.splitlines(keepends=True)[: tolerant.TITLE_ROWS]
    records = []
    for line in lines:
        sep = ";" if ";" in line and "," not in line else ","
        records.append(next(csv.reader([line], delimiter=sep), []))
    index = tolerant.header_index(records)
    if index == 0:
        return 0, utf8
    offset = len("".join(lines[:index]).encode("utf-8"))
    return index, utf8[offset:]


def _fast_csv(utf8: bytes, sep: str, name: str) -> RawSheet | None:
    """pyarrow's parser: fast and compact; None when a row does not fit the header."""
    headers = next(
        csv.reader(
            io.StringIO(utf8[: 1 << 20].decode("utf-8", "replace"), newline=""), delimiter=sep
        ),
        [],
    )
    n = len(headers)
    if n == 0:
        return None
    names = [f"c{i}" for i in range(n)]
    try:
        table = pacsv.read_csv(
            io.BytesIO(utf8),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=8 << 20),
            parse_options=pacsv.ParseOptions(
                delimiter=sep, newlines_in_values=True, ignore_empty_lines=False
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.string() for c in names},
                strings_can_be_null=True,
                null_values=[""],
                quoted_strings_can_be_null=True,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowException):
        return None
    columns = {
        i: pd.Series(pd.array(table.column(c), dtype=pd.StringDtype("pyarrow", na_value=np.nan)))
        for i, c in enumerate(names)
    }
    del table
    frame = pd.DataFrame(columns)
    rows = np.arange(2, len(frame) + 2, dtype=np.int64)
    return RawSheet(name, headers, frame, rows)


def _careful_csv(utf8: bytes, sep: str, name: str) -> RawSheet:
    """pandas' C parser with blank lines kept (row numbers stay right); short rows are padded."""
    try:
        frame = pd.read_csv(
            io.BytesIO(utf8),
            sep=sep,
            header=None,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            engine="c",
            encoding="utf-8",
        )
    except pd.errors.ParserError as exc:
        return _ragged_csv(utf8, sep, name, str(exc))
    except pd.errors.EmptyDataError:
        raise UploadRejected(f"{name}.csv is empty") from None
    headers = ["" if pd.isna(v) else str(v) for v in frame.iloc[0].tolist()]
    data_frame = frame.iloc[1:].reset_index(drop=True)
    data_frame.columns = range(len(headers))
    rows = np.arange(2, len(data_frame) + 2, dtype=np.int64)
    return RawSheet(name, headers, data_frame, rows)


def _ragged_csv(utf8: bytes, sep: str, name: str, message: str) -> RawSheet:
    """The fast parser stopped: find every record with more fields than the header."""
    reader = csv.reader(io.StringIO(utf8.decode("utf-8"), newline=""), delimiter=sep)
    headers = next(reader, [])
    errors = []
    for number, record in enumerate(reader, start=2):
        if len(record) > len(headers):
            extra = next((v for v in record[len(headers) :] if v.strip()), record[len(headers)])
            errors.append(
                error(
                    name,
                    number,
                    f"(field {len(headers) + 1})",
                    extra,
                    f"this row has {len(record)} fields, the header has {len(headers)}",
                )
            )
    if not errors:
        errors.append(error(name, None, None, None, f"the CSV cannot be parsed: {message}"))
    empty = pd.DataFrame({i: pd.Series([], dtype=object) for i in range(len(headers))})
    return RawSheet(name, headers, empty, np.array([], dtype=np.int64), errors=errors)


# ----------------------------------------------------------------------- xlsx

_FORMULA = re.compile(rb"<(?:[A-Za-z0-9_]+:)?f[\s>/]")
_ERROR_CELL = re.compile(rb"\st=\"e\"")


def _scan_member(zf: zipfile.ZipFile, name: str) -> tuple[bool, bool]:
    """Whether a sheet's XML holds formula cells, error cells (cheap byte scan)."""
    formulas = errors = False
    tail = b""
    with zf.open(name) as fh:
        while chunk := fh.read(4 * MB):
            buf = tail + chunk
            formulas = formulas or bool(_FORMULA.search(buf))
            errors = errors or bool(_ERROR_CELL.search(buf))
            tail = buf[-16:]
    return formulas, errors


def read_xlsx(data: bytes, what: str, limits: Limits) -> tuple[list[RawSheet], list[str]]:
    """Every worksheet of a workbook (checked first) into RawSheets."""

    zf = open_zip(io.BytesIO(data), what)
    check_xlsx(zf, limits, what)
    try:
        return read_xlsx_fast(zf), []
    except Exception:  # noqa: BLE001 (unusual or broken: openpyxl, slower and thorough, decides)
        pass
    return read_xlsx_openpyxl(data, zf, what)


def read_xlsx_openpyxl(
    data: bytes, zf: zipfile.ZipFile, what: str
) -> tuple[list[RawSheet], list[str]]:
    """The reference reading with openpyxl (read-only, data-only, plus a formula pass)."""
    # openpyxl only when a workbook is read (≈0.3 s to import; the CLI loads this module)
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a broken workbook
        raise UploadRejected(
            f"{what} is not a readable Excel workbook ({type(exc).__name__}: {exc})"
        ) from None
    sheets = []
    try:
        for ws in wb.worksheets:
            path = ws._worksheet_path  # noqa: SLF001 (openpyxl keeps the part name here)
            try:
                has_formulas, has_errors = _scan_member(zf, path)
            except KeyError:
                has_formulas = has_errors = False
            sheets.append(_read_worksheet(ws, data, path if (has_formulas or has_errors) else None))
    except UploadRejected:
        raise
    except Exception as exc:
        raise UploadRejected(
            f"{what} is not a readable Excel workbook ({type(exc).__name__}: {exc})"
        ) from None
    finally:
        wb.close()
    return sheets, []


def _cell_text(value) -> str:
    return "" if value is None else str(value)


def _read_worksheet(ws, data: bytes, formula_path: str | None) -> RawSheet:
    # A forged <dimension ref="A1:XFD1048576"> would make openpyxl pad every row to
    # 16,384 cells: ignore the declared size and read the cells that are there.
    ws.reset_dimensions()
    sheet = _collect(ws.title, enumerate(ws.iter_rows(values_only=True), start=1), [])
    if formula_path is not None:
        _formula_and_error_cells(sheet, ws, data)
    return sheet


def _collect(title: str, numbered_rows, errors: list[dict]) -> RawSheet:
    """A RawSheet from (row number, cell values) pairs: row 1 is the header.

    A title block (a title, blank rows) above the header is skipped when a
    later row holds the headers (tolerant.header_index); `header_row` says which.
    """
    peek: list[tuple[int, tuple]] = []
    for pair in numbered_rows:
        peek.append(pair)
        if pair[0] >= tolerant.TITLE_ROWS:
            break
    by_number = dict(peek)
    top = max((n for n, _ in peek if n <= tolerant.TITLE_ROWS), default=0)
    index = tolerant.header_index([list(by_number.get(n, ())) for n in range(1, top + 1)])
    header_row = index + 1
    header = list(by_number[header_row]) if header_row in by_number else []
    pending = [(n, r) for n, r in peek if n > header_row]
    while header and header[-1] is None:
        header.pop()
    headers = [_cell_text(v) for v in header]
    width = len(headers)
    records: list[tuple] = []
    numbers: list[int] = []
    for number, row in itertools.chain(pending, numbered_rows):
        if not row:
            continue
        if len(row) > width:
            extra = [
                (i, v) for i, v in enumerate(row[width:], start=width) if v is not None and v != ""
            ]
            if extra:
                i, v = extra[0]
                errors.append(
                    error(
                        title,
                        number,
                        f"(column {_letter(i)})",
                        v,
                        f"a value beyond the last header column ({_letter(width - 1) if width else 'none'})",
                    )
                )
            row = row[:width]
        if all(v is None for v in row):
            continue
        if len(row) < width:
            row = tuple(row) + (None,) * (width - len(row))
        records.append(row)
        numbers.append(number)
    # An object array keeps every cell as read (no dtype inference by pandas).
    cells = np.empty((len(records), width), dtype=object)
    for i, record in enumerate(records):
        cells[i, :] = record
    frame = pd.DataFrame(cells, columns=range(width), dtype=object)
    sheet = RawSheet(title, headers, frame, np.array(numbers, dtype=np.int64), errors, kind="xlsx")
    if header_row > 1:
        sheet.header_row = header_row
        sheet.notes.append(tolerant.title_note(f"sheet {title!r}", header_row))
    return sheet


def _letter(index: int) -> str:
    # openpyxl only when a workbook is read (≈0.3 s to import; the CLI loads this module)
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _formula_and_error_cells(sheet: RawSheet, ws, data: bytes) -> None:
    """Second pass, only for sheets whose XML holds formulas or error cells.

    Error cells show in the data-only reading (type 'e'); formulas only in the
    other one (type 'f'), so both are walked side by side.
    """
    # openpyxl only when a workbook is read (≈0.3 s to import; the CLI loads this module)
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb_f = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        position = {int(n): i for i, n in enumerate(sheet.rows)}
        width = len(sheet.headers)
        pairs = zip(ws.iter_rows(min_row=2), wb_f[ws.title].iter_rows(min_row=2), strict=False)
        for number, (row_d, row_f) in enumerate(pairs, start=2):
            for col in range(min(width, max(len(row_d), len(row_f)))):
                cell_d = row_d[col] if col < len(row_d) else None
                cell_f = row_f[col] if col < len(row_f) else None
                kind_d = getattr(cell_d, "data_type", None)
                kind_f = getattr(cell_f, "data_type", None)
                if kind_d == "e":
                    reason = "an Excel error cell"
                    if kind_f == "f":
                        reason = f"a formula ({cell_f.value}) whose value is an Excel error"
                    sheet.errors.append(
                        error(sheet.name, number, sheet.headers[col], cell_d.value, reason)
                    )
                elif kind_f == "f" and getattr(cell_d, "value", None) is None:
                    sheet.errors.append(
                        error(
                            sheet.name,
                            number,
                            sheet.headers[col],
                            cell_f.value,
                            "a formula without a cached value (formulas are never evaluated: "
                            "save the file in Excel first, or paste values)",
                        )
                    )
                else:
                    continue
                if number in position:
                    sheet.data.iat[position[number], col] = None
    finally:
        wb_f.close()


# ------------------------------------------------------ fast xlsx sheet reading

_ROW = re.compile(rb"<row\b([^>]*?)(?:/>|>(.*?)</row>)", re.S)
_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_ATTR = re.compile(rb'([\w:]+)="([^"]*)"')
_V = re.compile(rb"<v>(.*?)</v>", re.S)
_F = re.compile(rb"<f\b[^>]*?(?:/>|>(.*?)</f>)", re.S)
_T = re.compile(rb"<t\b[^>]*?(?:/>|>(.*?)</t>)", re.S)
_REF = re.compile(rb"([A-Z]+)(\d+)")
_PREFIXED = re.compile(rb"<\w+:(?:row|c|v|f|is|t|si|sheetData)\b|<rPh\b|<!ENTITY|<!DOCTYPE")
_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


class _Unusual(Exception):
    """A workbook the fast reader leaves to openpyxl (prefixed XML, phonetic runs, ...)."""


def _text(raw: bytes) -> str:
    text = raw.decode("utf-8")
    return html.unescape(text) if "&" in text else text


def _string_item(body: bytes) -> str:
    return "".join(_text(m.group(1) or b"") for m in _T.finditer(body))


def _fast_shared_strings(zf: zipfile.ZipFile, part: str | None) -> list[str]:
    if not part or part not in zf.namelist():
        return []
    data = zf.read(part)
    if _PREFIXED.search(data):
        raise _Unusual("shared strings")
    return [
        _string_item(m.group(1) or b"")
        for m in re.finditer(rb"<si\b[^>]*?(?:/>|>(.*?)</si>)", data, re.S)
    ]


def _fast_date_styles(zf: zipfile.ZipFile, part: str | None) -> list[bool]:
    # openpyxl only when a workbook is read (≈0.3 s to import; the CLI loads this module)
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format

    if not part or part not in zf.namelist():
        return []
    root = ET.fromstring(zf.read(part))
    custom = {
        int(n.get("numFmtId")): n.get("formatCode") or ""
        for n in root.iterfind(".//m:numFmts/m:numFmt", _NS)
    }
    out = []
    for xf in root.iterfind("m:cellXfs/m:xf", _NS):
        fmt_id = int(xf.get("numFmtId", "0"))
        code = custom.get(fmt_id, BUILTIN_FORMATS.get(fmt_id, "General"))
        out.append(bool(is_date_format(code)))
    return out


def _fast_parts(zf: zipfile.ZipFile) -> tuple[list[tuple[str, str]], str | None, str | None, bool]:
    wb = ET.fromstring(zf.read("xl/workbook.xml"))
    if wb.tag != f"{{{_NS['m']}}}workbook":
        raise _Unusual("strict or unknown workbook namespace")
    pr = wb.find("m:workbookPr", _NS)
    date1904 = pr is not None and pr.get("date1904") in ("1", "true")
    rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets, by_type = {}, {}
    for rel in rels:
        target = rel.get("Target") or ""
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        targets[rel.get("Id")] = target
        by_type[(rel.get("Type") or "").rsplit("/", 1)[-1]] = target
    rid = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    sheets = []
    for node in wb.iterfind("m:sheets/m:sheet", _NS):
        part = targets.get(node.get(rid))
        if part is None or part not in zf.namelist():
            raise _Unusual("a sheet without its part")
        if "/worksheets/" in part:  # not chart or dialog sheets
            sheets.append((node.get("name"), part))
    return sheets, by_type.get("sharedStrings"), by_type.get("styles"), date1904


def read_xlsx_fast(zf: zipfile.ZipFile) -> list[RawSheet]:
    """Every worksheet, read from the sheet XML with regular expressions.

    About five times openpyxl's speed on the workbooks Excel, LibreOffice and
    openpyxl write; the same cells as openpyxl's data-only reading (cached
    formula values, date-formatted numbers as datetimes, TRUE/FALSE as
    booleans). Formula cells without a cached value and error cells are
    reported as errors here. Anything unusual raises _Unusual (openpyxl reads it).
    """
    sheets, strings_part, styles_part, date1904 = _fast_parts(zf)
    strings = _fast_shared_strings(zf, strings_part)
    dates = _fast_date_styles(zf, styles_part)
    out = []
    for name, part in sheets:
        data = zf.read(part)
        if _PREFIXED.search(data):
            raise _Unusual("prefixed sheet XML")
        _check_balanced(data)
        errors: list[dict] = []
        sheet = _collect(name, _fast_rows(data, strings, dates, date1904, name, errors), errors)
        for e in sheet.errors:  # cell errors were noted with column indexes
            if isinstance(e["column"], int):
                i = e["column"]
                e["column"] = (
                    sheet.headers[i]
                    if i < len(sheet.headers) and sheet.headers[i]
                    else f"(column {_letter(i)})"
                )
        out.append(sheet)
    return out


def _check_balanced(data: bytes) -> None:
    """Every <row>/<c> closed: lazy patterns over unclosed tags would take quadratic time."""
    for tag in (b"row", b"c"):
        opened = len(re.findall(rb"<" + tag + rb"\b", data))
        closed = data.count(b"</" + tag + b">") + len(re.findall(rb"<" + tag + rb"\b[^>]*/>", data))
        if opened != closed:
            raise _Unusual(f"unbalanced <{tag.decode()}> tags")


def _fast_rows(data: bytes, strings, dates, date1904, name, errors):
    # openpyxl only when a workbook is read (≈0.3 s to import; the CLI loads this module)
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

    epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
    columns: dict[bytes, int] = {}
    last = 0
    start = data.find(b"<sheetData")
    for row in _ROW.finditer(data, max(start, 0)):
        attrs = dict(_ATTR.findall(row.group(1)))
        number = int(attrs.get(b"r", last + 1))
        last = number
        values: list = []
        for cell in _CELL.finditer(row.group(2) or b""):
            cattrs = dict(_ATTR.findall(cell.group(1)))
            ref = cattrs.get(b"r")
            if ref:
                letters = _REF.match(ref).group(1)
                index = columns.get(letters)
                if index is None:
                    index = 0
                    for ch in letters:
                        index = index * 26 + ch - 64
                    index -= 1
                    columns[letters] = index
            else:
                index = len(values)
            if index > 16_383:
                raise _Unusual("a column beyond XFD")
            if index >= len(values):
                values.extend([None] * (index + 1 - len(values)))
            body = cell.group(2) or b""
            kind = cattrs.get(b"t", b"n")
            v_match = _V.search(body) if b"<v" in body else None
            v = v_match.group(1) if v_match else None
            formula = _F.search(body) if b"<f" in body else None
            if kind == b"s":
                value = strings[int(v)] if v else None
            elif kind == b"inlineStr":
                value = _string_item(body) if b"<is" in body else None
            elif kind == b"str":
                value = _text(v) if v else None  # as openpyxl: an empty <v> is no value
            elif kind == b"b":
                value = None if not v else v.strip() in (b"1", b"true")
            elif kind == b"e":
                reason = "an Excel error cell"
                if formula is not None:
                    reason = f"a formula (={_text(formula.group(1) or b'')}) whose value is an Excel error"
                errors.append(error(name, number, index, _text(v or b""), reason))
                values[index] = None
                continue
            elif kind == b"d":
                value = dt_from_iso(_text(v)) if v else None
            elif not v:
                value = None
            elif kind == b"n":
                num = float(v) if (b"." in v or b"e" in v or b"E" in v) else int(v)
                style = int(cattrs.get(b"s", b"0"))
                value = from_excel(num, epoch) if style < len(dates) and dates[style] else num
            else:
                raise _Unusual(f"cell type {kind!r}")
            if value is None and formula is not None:
                errors.append(
                    error(
                        name,
                        number,
                        index,
                        "=" + _text(formula.group(1) or b""),
                        "a formula without a cached value (formulas are never evaluated: "
                        "save the file in Excel first, or paste values)",
                    )
                )
            values[index] = value
        yield number, tuple(values)


def dt_from_iso(text: str):
    return _dt.datetime.fromisoformat(text.replace("Z", ""))


# ------------------------------------------------------------------ containers


def _table_name(filename: str) -> str | None:
    base = PurePosixPath(filename.replace("\\", "/")).name
    if base.lower().endswith(".csv"):
        return base[:-4]
    return None


def read_csv_files(
    files: list[tuple[str, bytes]], what: str, encoding: str | None = None
) -> tuple[list[RawSheet], list[str]]:
    """`(entry name, bytes)` pairs of a folder or zip: `<table>.csv` in the root or one folder."""
    warnings_: list[str] = []
    chosen: list[tuple[str, bytes]] = []
    dirs = {
        PurePosixPath(n).parent.as_posix() for n, _ in files if _table_name(n) and not _ignored(n)
    }
    if len(dirs) > 1:
        raise UploadRejected(
            f"{what} holds CSV files in several folders ({', '.join(sorted(dirs))}); "
            "put the <table>.csv files in its root or in one folder"
        )
    for name, content in files:
        if _ignored(name) or _table_name(name) is None:
            warnings_.append(f"{what}: entry {name!r} ignored (not a <table>.csv file)")
            continue
        chosen.append((name, content))
    sheets = [
        read_csv_bytes(content, _table_name(name) or name, encoding) for name, content in chosen
    ]
    return sheets, warnings_


def _ignored(name: str) -> bool:
    parts = PurePosixPath(name.replace("\\", "/")).parts
    return any(p == "__MACOSX" or p.startswith(".") for p in parts)


def read_zip(
    data: bytes, what: str, limits: Limits, encoding: str | None = None
) -> tuple[list[RawSheet], list[str]]:
    zf = open_zip(io.BytesIO(data), what)
    check_zip(zf, limits, what)
    files = []
    skipped = []
    for info in zf.infolist():
        if info.is_dir():
            continue
        if _ignored(info.filename) or _table_name(info.filename) is None:
            skipped.append(f"{what}: entry {info.filename!r} ignored (not a <table>.csv file)")
            continue
        try:
            files.append((info.filename, zf.read(info)))
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
            raise UploadRejected(
                f"{what}: the entry {info.filename!r} cannot be read ({exc})"
            ) from None
    sheets, warns = read_csv_files(files, what, encoding)
    return sheets, skipped + warns


def read_folder(
    path: Path, limits: Limits, encoding: str | None = None
) -> tuple[list[RawSheet], list[str]]:
    files = sorted(p for p in path.iterdir() if p.is_file())
    csvs = [p for p in files if p.suffix.lower() == ".csv"]
    check_size(sum(p.stat().st_size for p in csvs), limits, f"the CSV files in {path.name}")
    warns = [
        f"{path.name}: file {p.name!r} ignored (not a <table>.csv file)"
        for p in files
        if p not in csvs
    ]
    for p in csvs:
        with p.open("rb") as f:
            check_csv(f.read(HEAD_BYTES), limits, p.name)
    sheets = [read_csv_bytes(p.read_bytes(), p.stem, encoding) for p in csvs]
    return sheets, warns


def read_package(
    source: Source,
    *,
    filename: str | None = None,
    limits: Limits | None = None,
    encoding: str | None = None,
) -> tuple[list[RawSheet], list[str]]:
    """Any container (.xlsx, .csv, .zip of CSVs, folder of CSVs) into RawSheets.

    `source` is a path, bytes or a binary file object (an uploaded file);
    `filename` names it when it is not a path. Raises UploadRejected.
    """
    limits = limits or Limits()
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if path.is_dir():
            return read_folder(path, limits, encoding)
        if not path.is_file():
            raise UploadRejected(f"{path} does not exist")
        check_size(path.stat().st_size, limits, path.name)
        filename = filename or path.name
        data = path.read_bytes()
    elif isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    else:
        data = source.read()
        filename = filename or getattr(source, "name", None)
    filename = filename or "upload"
    check_size(len(data), limits, filename)
    return read_bytes(data, filename, limits, encoding)


def read_bytes(
    data: bytes, filename: str, limits: Limits, encoding: str | None = None
) -> tuple[list[RawSheet], list[str]]:
    suffix = PurePosixPath(filename).suffix.lower()
    kind = sniff(data[:8])
    if suffix in (".xlsx", ".xlsm"):
        if kind == "ole":
            raise UploadRejected(
                f"{filename} is an old-format .xls (or encrypted) workbook: save it as .xlsx"
            )
        if kind != "zip":
            raise UploadRejected(f"{filename} is not an .xlsx workbook (not a zip archive)")
        return read_xlsx(data, filename, limits)
    if suffix == ".zip":
        if kind != "zip":
            raise UploadRejected(f"{filename} is not a zip archive")
        return read_zip(data, filename, limits, encoding)
    if suffix == ".csv":
        if kind in ("zip", "ole"):
            raise UploadRejected(
                f"{filename} is not a CSV text file (it is a {'zip archive' if kind == 'zip' else 'binary Office file'})"
            )
        check_csv(data, limits, filename)  # one refusal for 10,000 columns, before parsing
        return [read_csv_bytes(data, PurePosixPath(filename).stem, encoding)], []
    if suffix == ".xls":
        raise UploadRejected(f"{filename}: the old .xls format is not read; save it as .xlsx")
    raise UploadRejected(
        f"{filename}: unknown kind of file ({suffix or 'no extension'}); upload an .xlsx "
        "workbook, a <table>.csv file, a .zip of them or a folder of them"
    )
