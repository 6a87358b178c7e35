"""One asset as a card (the technician's look-up): a phone shows a device as lines of
"what: value" instead of a 15-column table (issue 16)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard.ui.widgets import plain

# The look-up's columns (dashboard/lookup.equipment) in reading order, with their labels.
FIELDS = (
    ("assigned_to", "Assigned to"),
    ("location", "Location"),
    ("status", "Status"),
    ("serial", "Serial"),
    ("hostname", "Hostname"),
    ("warranty_end", "Warranty end"),
    ("contracts", "Contracts"),
    ("installed_titles", "Installed titles"),
    ("titles", "Titles"),
    ("open_tickets", "Open tickets"),
    ("ticket_ids", "Tickets"),
    ("last_seen", "Last discovery"),
)
# Status is an icon and a word, never a colour alone.
WARRANTY = {
    "in warranty": ":green[:material/verified:] in warranty",
    "out of warranty": ":red[:material/report:] out of warranty",
    "unknown": ":gray[:material/help:] warranty unknown",
}


def field_text(value) -> str | None:
    """A cell as the card shows it: dates as dates, nothing for blanks."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp | dt.datetime):
        return (
            value.date().isoformat()
            if value.time() == dt.time()
            else value.strftime("%Y-%m-%d %H:%M")
        )
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def card_lines(row: pd.Series) -> list[str]:
    """The card's markdown lines: title, warranty (icon and word), then each known field."""
    name = " ".join(str(v) for v in (row.get("manufacturer"), row.get("model")) if field_text(v))
    lines = [
        f"**{plain(row['asset_tag'])}** · {plain(row.get('category'))}"
        + (f" · {plain(name)}" if name else "")
    ]
    lines.append(WARRANTY.get(row.get("warranty"), plain(row.get("warranty"))))
    for col, label in FIELDS:
        text = field_text(row.get(col))
        if text is not None:
            lines.append(f"{label}: {plain(text)}")
    return lines


def asset_card(row: pd.Series) -> None:
    """Draw `row` (one line of lookup.equipment) as a bordered card."""
    with st.container(border=True):
        st.markdown("  \n".join(card_lines(row)))
        if str(row.get("assigned_to") or "").endswith("(has left)"):
            st.warning(
                "Assigned to someone who has left: recover the device or reassign it.",
                icon=":material/person_off:",
            )
