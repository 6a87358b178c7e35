"""Export of the whole data package: one `.xlsx` workbook or a folder of CSVs.

Columns in schema order, rows in key order, no internal columns (`row_key`).
Text a spreadsheet could run as a formula is neutralised (data-package.md,
"Export") so that export -> import -> export gives the same file.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, text

from dashboard import schema
from dashboard.database import is_duckdb, raw_cursor

SHEET_ROWS = 1_048_576  # rows in a worksheet, the header included
SHEET_DATA_ROWS = SHEET_ROWS - 1  # beyond, the package is a .zip of CSVs
# Excel serial dates before 1900-03-01 are wrong (its 1900 leap-year bug) or negative: ISO text.
EXCEL_FIRST_DAY = dt.datetime(1900, 3, 1)

# Text that starts like a formula, or like text already neutralised (so that a
# quote the data really starts with survives: import removes exactly one).
NEEDS_QUOTE = re.compile(r"^'*[=+\-@\t\r]")
NEEDS_QUOTE_SQL = r"^'*[=+\-@\t\r]"


class ExportRefused(ValueError):
    """The export cannot be written in the asked form."""


def _q(name: str) -> str:
    return f'"{name}"'


def neutralise_csv(value: str) -> str:
    """The text as a CSV cell: one leading `'` before formula-like text."""
    return "'" + value if NEEDS_QUOTE.match(value) else value


def table_sizes(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            t.name: conn.execute(text(f"SELECT count(*) FROM {_q(t.name)}")).scalar_one()
            for t in schema.TABLES
        }


def _select(table: schema.Table) -> str:
    cols = ", ".join(_q(c) for c in table.names)
    return f"SELECT {cols} FROM {_q(table.name)} ORDER BY {_q(table.pk)}"


def export_package(
    engine: Engine, out: str | Path, *, progress: Callable[[float, str], None] | None = None
) -> dict[str, int]:
    """Write every package table to `out` (`.xlsx`, else a folder); rows per table."""
    out = Path(out)
    sizes = table_sizes(engine)
    if out.suffix.lower() == ".xlsx":
        too_big = {t: n for t, n in sizes.items() if n > SHEET_ROWS - 1}
        if too_big:
            listed = ", ".join(f"{t} ({n:,} rows)" for t, n in too_big.items())
            raise ExportRefused(
                f"{listed}: more rows than an Excel sheet holds ({SHEET_ROWS:,} with the header); "
                "export to a folder of CSV files instead (--out FOLDER)"
            )
        write_xlsx(engine, out, progress=progress)
    else:
        write_csv_folder(engine, out, progress=progress)
    return sizes


def package_bytes(engine: Engine) -> tuple[bytes, str]:
    """The whole data package for download: .xlsx, or a .zip of CSVs beyond a sheet's size."""
    with tempfile.TemporaryDirectory() as tmp:
        try:
            path = Path(tmp) / "itam-data-package.xlsx"
            export_package(engine, path)
            return path.read_bytes(), path.name
        except ExportRefused:
            folder = Path(tmp) / "csv"
            export_package(engine, folder)
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
                for f in sorted(folder.glob("*.csv")):
                    zf.write(f, f.name)
            return buf.getvalue(), "itam-data-package.zip"


# ------------------------------------------------------------------------ CSV


def _csv_expr(col: schema.Column) -> str:
    c = _q(col.name)
    if col.kind in (schema.TEXT, schema.ENUM):
        pattern = NEEDS_QUOTE_SQL.replace("'", "''")
        return f"CASE WHEN regexp_matches({c}, '{pattern}') THEN '''' || {c} ELSE {c} END AS {c}"
    if col.kind == schema.BOOL:
        return f"CASE WHEN {c} THEN 'true' WHEN NOT {c} THEN 'false' END AS {c}"
    if col.kind in (schema.DATE, schema.MONTH):
        return f"strftime({c}, '%Y-%m-%d') AS {c}"
    return f"CAST({c} AS VARCHAR) AS {c}"


def write_csv_folder(engine: Engine, folder: Path, *, progress=None) -> None:
    """One `<table>.csv` per table: UTF-8, comma-separated, header in row 1."""
    folder.mkdir(parents=True, exist_ok=True)
    for i, table in enumerate(schema.TABLES):
        if progress:
            progress(i / len(schema.TABLES), f"writing {table.name}.csv")
        if is_duckdb(engine):
            _copy_csv(engine, table, folder / f"{table.name}.csv")
        else:  # pragma: no cover (server databases)
            _pandas_csv(engine, table, folder / f"{table.name}.csv")


def _copy_csv(engine: Engine, table: schema.Table, path: Path) -> None:
    exprs = ", ".join(_csv_expr(c) for c in table.columns)
    sql = f"SELECT {exprs} FROM {_q(table.name)} ORDER BY {_q(table.pk)}"
    cur = raw_cursor(engine)
    try:
        target = str(path).replace("'", "''")
        cur.execute(f"COPY ({sql}) TO '{target}' (FORMAT csv, HEADER true, DELIMITER ',')")
    finally:
        cur.close()


def _pandas_csv(engine: Engine, table: schema.Table, path: Path) -> None:  # pragma: no cover
    import pandas as pd  # only on PostgreSQL (DuckDB's COPY needs none; ≈0.3 s to import)

    with engine.connect() as conn:
        frame = pd.read_sql(text(_select(table)), conn)
    for col in table.columns:
        s = frame[col.name]
        if col.kind in (schema.TEXT, schema.ENUM):
            frame[col.name] = s.map(lambda v: neutralise_csv(v) if isinstance(v, str) else v)
        elif col.kind == schema.BOOL:
            frame[col.name] = s.map({True: "true", False: "false"})
    frame.to_csv(path, index=False, date_format="%Y-%m-%d")


# ----------------------------------------------------------------------- xlsx


def _rows(engine: Engine, table: schema.Table, chunk: int = 50_000):
    if is_duckdb(engine):
        cur = raw_cursor(engine)
        try:
            cur.execute(_select(table))
            while batch := cur.fetchmany(chunk):
                yield from batch
        finally:
            cur.close()
    else:  # pragma: no cover
        with engine.connect() as conn:
            yield from conn.execute(text(_select(table)))


def write_xlsx(engine: Engine, path: Path, *, progress=None) -> None:
    """One sheet per table (write-only openpyxl: rows are streamed)."""
    # openpyxl only when a workbook is written (≈0.3 s to import)
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell  # as above

    wb = Workbook(write_only=True)
    for i, table in enumerate(schema.TABLES):
        if progress:
            progress(i / len(schema.TABLES), f"writing sheet {table.name}")
        ws = wb.create_sheet(table.name)
        ws.append(list(table.names))
        text_cols = [c.kind in (schema.TEXT, schema.ENUM) for c in table.columns]
        for row in _rows(engine, table):
            ws.append(
                [
                    _xlsx_cell(ws, v, is_text, WriteOnlyCell)
                    for v, is_text in zip(row, text_cols, strict=True)
                ]
            )
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def _xlsx_cell(ws, value, is_text: bool, cell_type):
    if value is None:
        return None
    if is_text:
        if not NEEDS_QUOTE.match(value):
            return value
        # Quote prefix: Excel shows the text and never runs it. Text that starts
        # with a quote, a tab or a CR (which trimming would lose) also gets the
        # one leading quote that import removes.
        cell = cell_type(ws, value if value[0] in "=+-@" else "'" + value)
        cell.data_type = "s"  # never "f": openpyxl reads a leading "=" as a formula
        cell.quotePrefix = True
        return cell
    # Beyond a spreadsheet's precision or calendar: ISO text, which import reads back.
    if isinstance(value, dt.datetime):
        if value.microsecond or value < EXCEL_FIRST_DAY:
            return value.isoformat(sep=" ")
    elif isinstance(value, dt.date) and value < EXCEL_FIRST_DAY.date():
        return value.isoformat()
    return value
