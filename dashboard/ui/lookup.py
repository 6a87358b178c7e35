"""The technician's look-up for the pages: `dashboard.lookup`, cached per data version."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import lookup
from dashboard.ui import data

STOCK_TAGS = lookup.STOCK_TAGS


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
