"""Operations (admin): is the database answering, and what ran with which outcome."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import health, operations, ui

me = ui.require("operations")
ui.page_header(
    "Operations", "Is the database answering, and did imports, scheduled runs and sends work?"
)
engine = ui.data.engine()

status, body = health.readiness()
if status == 200:
    st.success(
        f"The database answers ({body['engine']}, schema {body['schema_version']}, "
        f"{body['ms']:.0f} ms). Readiness check for monitoring: `GET {health.HEALTH_PATH}`.",
        icon=":material/check_circle:",
    )
else:
    st.error(f"{body['message']} (error id {body['error_id']})", icon=":material/error:")

LABELS = {"created_at": "When", "at": "When", "error_id": "Error id", "file_name": "File"}


def _readable(frame: pd.DataFrame) -> pd.DataFrame:
    """Times to the second without a zone suffix, blanks for missing values, column labels."""
    for column in frame.columns:
        if column in ("created_at", "at"):
            frame[column] = pd.to_datetime(frame[column]).dt.strftime("%Y-%m-%d %H:%M:%S")
    frame = frame.astype(object).where(frame.notna(), "")
    return frame.rename(columns=lambda c: LABELS.get(c, c.replace("_", " ").capitalize()))


SECTIONS = (
    (
        "Imports",
        operations.imports,
        "No import yet: upload a data package on the Data page or run `python -m dashboard import`.",
    ),
    (
        "Scheduled runs and commands",
        operations.runs,
        "Nothing has run yet: the daily snapshot runs on the first visit of the day; CLI commands "
        "and backups appear here too.",
    ),
    (
        "Sends",
        operations.sends,
        "No mail sent yet: subscriptions are set up on the Subscriptions page.",
    ),
    ("Logins", operations.logins, "No login recorded yet."),
)
for tab, (title, read, empty) in zip(st.tabs([s[0] for s in SECTIONS]), SECTIONS, strict=True):
    with tab:
        rows = read(engine)
        if not rows:
            st.info(empty, icon=":material/info:")
            continue
        frame = _readable(pd.DataFrame(rows))
        st.caption(f"The last {len(frame):,} {title.lower()}, newest first.")
        st.dataframe(frame, hide_index=True, width="stretch")
