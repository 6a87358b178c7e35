"""A change log as people read it: when, who, what, and the change in words."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from dashboard import changes
from dashboard.ui import widgets


def readable(frame: pd.DataFrame, what: Callable[[pd.Series], str] | None = None) -> pd.DataFrame:
    """Audit rows (created_at, user, action, old, new, ...) as When, Who, [What], Change."""
    rows = []
    for _, r in frame.iterrows():
        row = {"When": r["created_at"], "Who": r["user"] or ""}
        if what is not None:
            row["What"] = what(r)
        row["Change"] = changes.describe(changes.parse(r["old"]), changes.parse(r["new"]))
        rows.append(row)
    return pd.DataFrame(rows, columns=["When", "Who", *(["What"] if what else []), "Change"])


def show(
    frame: pd.DataFrame,
    *,
    name: str,
    title: str,
    key: str,
    what: Callable[[pd.Series], str] | None = None,
) -> None:
    """The log as a formatted table with its .xlsx download."""
    widgets.table(
        readable(frame, what),
        name=name,
        title=title,
        key=key,
        config={"Change": st.column_config.TextColumn("Change", width="large")},
    )
