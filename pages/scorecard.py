"""Scorecard: every KPI by goal, with value, target, status colour, change and trend."""

from __future__ import annotations

import streamlit as st

from dashboard import oplog, permissions, ui
from metrics.kpi import GOAL_LABELS

ui.require("scorecard")
ui.page_header("Scorecard", "Which KPIs are green, amber or red, and why?")

in_scope = ui.effective_filters()
if in_scope is None:  # never the whole estate's KPIs for filters outside the user's scope
    ui.empty(
        "Your filters select nothing in your scope: clear them or choose values in your scope."
    )
elif not ui.no_data_yet():
    results = ui.data.kpi_results(ui.state.as_of(), in_scope)
    if not results:
        ui.empty(
            "No KPIs are defined yet: an asset manager or admin can add them on the KPI detail page."
        )
    counts = {s: sum(r.status == s for r in results) for s in ("green", "amber", "red", "grey")}
    st.markdown(
        " · ".join(
            f"{ui.widgets.STATUS_ICON[s]} {n} {ui.widgets.STATUS_WORD[s]}"
            for s, n in counts.items()
        )
    )
    # The goals in the order of the strategy's priorities (Strategy -> Priorities).
    for goal in ui.data.goal_order():
        members = [r for r in results if r.goal == goal]
        if not members:
            continue
        ui.section(GOAL_LABELS[goal])
        ui.widgets.kpi_tiles(members)

    # The executive pack: built only when the button is pressed (a callable), holding the sections
    # of the user's roles within their scope (permissions.py); a technician gets none.
    access = permissions.access_for(ui.current_user())
    pack_as_of = ui.state.as_of()
    if access.may("pack"):
        from dashboard import report

        st.download_button(
            "Download the executive pack (.xlsx)",
            oplog.logged_download(
                f"executive-pack-{pack_as_of.isoformat()}.xlsx",
                access.username,
                lambda: report.build_pack(
                    ui.data.engine(),
                    pack_as_of,
                    ui.state.filters() or None,
                    made_by=access.username,
                    access=access,
                ),
            ),
            f"executive-pack-{pack_as_of.isoformat()}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="dl_executive_pack",
            icon=":material/summarize:",
            on_click="ignore",
        )

        from dashboard.ui import pdf_download

        pdf_download.pack_button()
