"""Tables as .xlsx downloads that say what they were made with (pure, no streamlit)."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd

from dashboard.exporter import NEEDS_QUOTE, neutralise_csv

MAX_XLSX_ROWS = 1_048_576 - 10  # a sheet's limit, less the header block


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Excel takes no time zones and no pandas extension types."""
    out = frame.copy()
    for col in out.columns:
        if isinstance(out[col].dtype, pd.DatetimeTZDtype):
            out[col] = out[col].dt.tz_localize(None)
    return out


def xlsx_bytes(
    frame: pd.DataFrame,
    *,
    title: str,
    filters_line: str,
    made_by: str | None = None,
    made_at: dt.datetime | None = None,
    sheet: str = "data",
    formats: dict[str, str] | None = None,
) -> bytes:
    """One sheet: the title, the filters and scope it was made with, who and when, then the table.
    `formats` maps a column to an Excel number format ("#,##0", "yyyy-mm-dd"): cells stay numbers."""
    made_at = made_at or dt.datetime.now().replace(microsecond=0)
    header = [
        [title],
        [f"Filters: {filters_line}"],
        [f"Exported {made_at.isoformat(sep=' ')}" + (f" by {made_by}" if made_by else "")],
        [f"Rows: {len(frame)}"],
    ]
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        pd.DataFrame(header).to_excel(writer, sheet_name=sheet, header=False, index=False)
        _plain(frame.head(MAX_XLSX_ROWS)).to_excel(
            writer, sheet_name=sheet, startrow=len(header) + 1, index=False
        )
        _neutralise_sheet(writer.sheets[sheet])
        _number_formats(writer.sheets[sheet], frame, formats or {}, first_row=len(header) + 3)
    return buf.getvalue()


def _number_formats(ws, frame: pd.DataFrame, formats: dict[str, str], first_row: int) -> None:
    """Each formatted column's data cells get their number format; headers get a width."""
    # openpyxl only once a table is downloaded (≈0.3 s; every page loads this module)
    from openpyxl.utils import get_column_letter

    for i, col in enumerate(frame.columns, start=1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = max(12, min(40, len(str(col)) + 4))
        number = formats.get(col)
        if not number:
            continue
        for (cell,) in ws.iter_rows(
            min_row=first_row,
            max_row=first_row + min(len(frame), MAX_XLSX_ROWS) - 1,
            min_col=i,
            max_col=i,
        ):
            cell.number_format = number


def _neutralise_sheet(ws) -> None:
    """Formula-like text as text with the quote prefix: a download never runs a formula."""
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and NEEDS_QUOTE.match(cell.value):
                cell.data_type = "s"
                cell.quotePrefix = True


def csv_bytes(frame: pd.DataFrame, *, title: str, filters_line: str) -> bytes:
    """For tables beyond a sheet's limit: the same header as comment lines."""
    head = f"# {title}\n# Filters: {filters_line}\n"
    safe = frame.copy()
    for col in safe.columns:
        if safe[col].dtype == object or isinstance(safe[col].dtype, pd.StringDtype):
            safe[col] = safe[col].map(lambda v: neutralise_csv(v) if isinstance(v, str) else v)
    safe.columns = [neutralise_csv(str(c)) for c in safe.columns]
    return (head + safe.to_csv(index=False)).encode("utf-8")
