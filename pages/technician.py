"""Technician look-up: who or where, and the equipment there, with what is in stock to replace it."""

from __future__ import annotations

import streamlit as st

from dashboard import ui
from dashboard.ui import asset_card, lookup

ui.require("technician")
ui.page_header(
    "Technician lookup", "What equipment does this person or place have, and what can replace it?"
)

ss = st.session_state
# The URL's search is the widget's default, not preset in the session state (see
# state.choice_index): a browser re-creating the widget after a login reports that default.
query = st.text_input(
    "Person, location, asset tag, serial or hostname",
    key="tech_q",
    value=ui.state.param("q", "") or "",
    placeholder="e.g. Larsen, Rotterdam, LT-000123",
    on_change=lambda: ui.state.set_param("q", ss["tech_q"]),
)
ui.state.set_param("q", query)

if not ui.no_data_yet() and query.strip():
    as_of = ui.state.as_of()
    found = lookup.search(query, ui.scope())
    if len(query.strip()) < 2:
        ui.empty("Type at least two characters.")
    elif found.empty:
        ui.empty(
            f"Nothing matches “{ui.widgets.plain(query)}” in your scope. Try part of a name, a location, or a full "
            "asset tag, serial or hostname."
        )
    else:
        # Names come from the data: plain text, never markdown (a radio label renders markdown).
        # The detail (department, location, id; "has left") tells apart two people of one name.
        labels = {
            i: f"{r.kind.capitalize()}: {ui.widgets.plain(r.label)}"
            + (f" — {ui.widgets.plain(r.detail)}" if isinstance(r.detail, str) and r.detail else "")
            + (f" ({r.assets:,} asset{'s' if r.assets != 1 else ''})" if r.kind != "asset" else "")
            for i, r in found.iterrows()
        }
        pick = (
            st.radio("Matches", list(labels), format_func=labels.get, key="tech_pick")
            if len(found) > 1
            else 0
        )
        row = found.loc[pick]
        items, totals = lookup.equipment(row.kind, row.key, as_of, ui.scope())
        ui.section(
            f"Equipment — {ui.widgets.plain(row.label)}", f"In use as of {as_of.isoformat()}."
        )
        if items.empty:
            ui.empty("No equipment in use here.")
        else:
            if (
                totals["devices"] > 1
            ):  # one device: its card says all of it (four tiles fill a phone)
                c = st.columns(4)
                c[0].metric("Devices", f"{totals['devices']:,}", border=True)
                c[1].metric("Out of warranty", f"{totals['out_of_warranty']:,}", border=True)
                c[2].metric("Open tickets", f"{totals['open_tickets']:,}", border=True)
                c[3].metric("Installed titles", f"{totals['installed_titles']:,}", border=True)
            leavers = int(items["assigned_to"].fillna("").str.endswith("(has left)").sum())
            if leavers and len(items) > 1:
                st.warning(
                    f"{leavers:,} of these devices {'is' if leavers == 1 else 'are'} assigned to someone "
                    "who has left (marked “has left”): recover or reassign them.",
                    icon=":material/person_off:",
                )
            if totals["devices"] > len(items):
                st.caption(
                    f"Listing the first {len(items):,} of {totals['devices']:,} devices, by category "
                    "and asset tag: search a person or an asset to narrow it down."
                )
            title = f"Equipment — {row.label}"
            if len(items) == 1:  # one device reads as a card (a phone cannot show 15 columns)
                asset_card.asset_card(items.iloc[0])
                lookup.equipment_download(items, title)
            else:
                lookup.equipment_table(items, title)
            ui.section("In stock to replace it", "Assets in stock of the same categories.")
            spare = lookup.stock(list(items["category"].unique()), ui.scope())
            if spare.empty:
                ui.empty(
                    "Nothing of these categories is in stock: raise a request with procurement."
                )
            else:
                lookup.stock_table(spare)
