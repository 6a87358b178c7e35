"""Tables people read: headers in words, money with its currency and thousands separators,
percentages with %, dates without a midnight time; the same in the .xlsx download, as real
number formats rather than text (issue 16)."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import streamlit as st

from dashboard import fmt

# Column names that are not their words.
HEADERS = {
    "value_rank": "Rank",
    "asset_tag": "Asset tag",
    "title_id": "Title id",
    "person_id": "Person id",
    "pct": "%",
    "fx_rate": "FX rate",
    "sku": "SKU",
    "po_number": "PO number",
}
MONEY = re.compile(
    r"(^|_)(cost|value|amount|spend|price|budget|savings|exposure|book_value|depreciation)$"
)
PERCENT = re.compile(r"(_pct|_percent|^pct)$")


def header(name: str) -> str:
    """`annual_value` → "Annual value", `value_rank` → "Rank"."""
    if name in HEADERS:
        return HEADERS[name]
    words = str(name).replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def kind(name: str, series: pd.Series) -> str:
    """How a column reads: money, percent, count, number, date, datetime or text."""
    if pd.api.types.is_bool_dtype(series):
        return "text"
    if pd.api.types.is_datetime64_any_dtype(series):
        times = series.dropna()
        return "date" if (times == times.dt.normalize()).all() else "datetime"
    if series.dtype == object and _dates(series):
        return "date"
    if pd.api.types.is_numeric_dtype(series):
        if name == "value_rank" or name.endswith(("_id", "_rank", "year")):
            return "number"
        if MONEY.search(name):
            return "money"
        if PERCENT.search(name):
            return "percent"
        return "count" if pd.api.types.is_integer_dtype(series) else "number"
    return "text"


def _dates(series: pd.Series) -> bool:
    """Whether an object column holds dates (a DATE read from the database comes as
    `datetime.date` objects, not as datetime64): at least one, and nothing else."""
    values = series.dropna()
    return len(values) > 0 and all(
        isinstance(v, dt.date) and not isinstance(v, dt.datetime) for v in values
    )


def readable(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """The frame with worded headers and midnight datetimes as dates, and each new header's kind."""
    out = frame.copy()
    kinds = {}
    for col in frame.columns:
        k = kind(str(col), frame[col])
        if k == "date" and pd.api.types.is_datetime64_any_dtype(frame[col]):
            out[col] = frame[col].dt.date
        kinds[header(str(col))] = k
    out.columns = [header(str(c)) for c in frame.columns]
    return out, kinds


def whole_money(frame: pd.DataFrame, kinds: dict[str, str]) -> pd.DataFrame:
    """Money to whole units for the screen (the cents of a sum are noise; downloads keep them)."""
    return frame.round({c: 0 for c, k in kinds.items() if k == "money" and c in frame.columns})


def money_header(name: str, currency: str) -> str:
    return f"{name} ({currency})"


def column_config(kinds: dict[str, str], currency: str) -> dict:
    """Streamlit column settings for `readable`'s kinds."""
    cfg = {}
    for name, k in kinds.items():
        if k == "money":
            cfg[name] = st.column_config.NumberColumn(
                money_header(name, currency), format="localized", width="medium"
            )
        elif k == "percent":
            cfg[name] = st.column_config.NumberColumn(name, format="%.1f %%")
        elif k == "count":
            cfg[name] = st.column_config.NumberColumn(name, format="localized")
        elif k == "date":
            cfg[name] = st.column_config.DateColumn(name, format="YYYY-MM-DD")
        elif k == "datetime":
            cfg[name] = st.column_config.DatetimeColumn(name, format="YYYY-MM-DD HH:mm")
    return cfg


def xlsx_formats(kinds: dict[str, str], currency: str) -> dict[str, str]:
    """Excel number formats per header: the cells stay numbers and dates."""
    symbol = fmt.SYMBOLS.get(currency, currency + " ").strip()
    formats = {
        "money": f'"{symbol}"#,##0.00',
        "percent": '0.0" %"',
        "count": "#,##0",
        "date": "yyyy-mm-dd",
        "datetime": "yyyy-mm-dd hh:mm",
    }
    return {name: formats[k] for name, k in kinds.items() if k in formats}


UNIT_KIND = {"money": "money", "%": "percent", "count": "count"}


def metric_kinds(label: str, unit: str) -> dict[str, str]:
    """The kind of a metric's value column (Explore's breakdown table) from its unit."""
    return {label: UNIT_KIND.get(unit, "number")}
