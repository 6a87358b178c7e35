"""Scorecard: every KPI by goal, with value, target, status colour, change and trend."""

from __future__ import annotations

import streamlit as st

from dashboard import ui
from metrics.kpi import GOAL_LABELS, GOALS

ui.require("scorecard")
ui.page_header("Scorecard", "Which KPIs are green, amber or red, and why?")

if not ui.no_data_yet():
    results = ui.data.kpi_results(ui.state.as_of(), ui.effective_filters())
    if not results:
        ui.empty("No KPIs are defined yet: an asset manager or admin can add them on the KPI detail page.")
    counts = {s: sum(r.status == s for r in results) for s in ("green", "amber", "red", "grey")}
    st.markdown(
        " · ".join(f"{ui.widgets.STATUS_ICON[s]} {n} {ui.widgets.STATUS_WORD[s]}" for s, n in counts.items())
    )
    for goal in GOALS:
        members = [r for r in results if r.goal == goal]
        if not members:
            continue
        ui.section(GOAL_LABELS[goal])
        ui.widgets.kpi_tiles(members)
