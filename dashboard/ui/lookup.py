"""The technician's look-up for the pages: `dashboard.lookup`, cached per data version, and
its tables with worded headers (the asset card's words) and dates as dates."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import lookup
from dashboard.ui import asset_card, columns, data, widgets

STOCK_TAGS = lookup.STOCK_TAGS
# Headers where the column's name is not its word (columns.header words the rest):
# the equipment table says what the card says.
EQUIPMENT_HEADERS = dict(asset_card.FIELDS)
STOCK_HEADERS = {"first_asset_tags": f"Asset tags (first {STOCK_TAGS})"}
# Lists of names get the width; the rest fit their values.
WIDE = {
    name: st.column_config.TextColumn(name, width="large")
    for name in ("Titles", "Contracts", STOCK_HEADERS["first_asset_tags"])
}


@st.cache_data(show_spinner=False, max_entries=200)
def _search(query: str, scope: data.FKey, ver: str) -> pd.DataFrame:
    return lookup.search(data.engine(), query, data.fdict(scope))


def search(query: str, scope: dict | None) -> pd.DataFrame:
    """People, locations and assets that `query` names (kind, key, label, assets)."""
    return _search(query, data.fkey(scope), data.version())


@st.cache_data(show_spinner=False, max_entries=200)
def _equipment(kind: str, key: str, as_of: dt.date, scope: data.FKey, ver: str):
    return lookup.equipment(data.engine(), kind, key, as_of, data.fdict(scope))


def equipment(kind: str, key: str, as_of: dt.date, scope: dict | None) -> tuple[pd.DataFrame, dict]:
    """The devices in use there (the first MAX_ROWS) and totals over all of them."""
    return _equipment(kind, key, as_of, data.fkey(scope), data.version())


@st.cache_data(show_spinner=False, max_entries=200)
def _stock(categories: tuple[str, ...], scope: data.FKey, ver: str) -> pd.DataFrame:
    return lookup.stock(data.engine(), list(categories), data.fdict(scope))


def stock(categories: list[str], scope: dict | None) -> pd.DataFrame:
    """In-stock assets of these categories by model and location."""
    return _stock(tuple(sorted(set(categories))), data.fkey(scope), data.version())


def equipment_table(items: pd.DataFrame, title: str) -> None:
    """The devices listed, formatted like every table, with their .xlsx download."""
    widgets.table(
        items.rename(columns=EQUIPMENT_HEADERS),
        name="equipment",
        title=title,
        key="dl_tech_items",
        config=WIDE,
    )


def equipment_sheet(items: pd.DataFrame, currency: str) -> tuple[pd.DataFrame, dict[str, str]]:
    """The devices as the download holds them: worded headers, and each column's Excel format."""
    shown, kinds = columns.readable(items.rename(columns=EQUIPMENT_HEADERS))
    return shown, columns.xlsx_formats(kinds, currency)


def equipment_download(items: pd.DataFrame, title: str) -> None:
    """The download alone (one device: the card shows it), as the table's download."""
    shown, formats = equipment_sheet(items, data.currency())
    widgets.download(shown, "equipment", title, key="dl_tech_items", formats=formats)


def stock_table(spare: pd.DataFrame) -> None:
    """In-stock assets by model and location, formatted like every table."""
    widgets.table(
        spare.rename(columns=STOCK_HEADERS),
        name="in-stock",
        title="In stock to replace it",
        key="dl_tech_stock",
        config=WIDE,
    )
