"""Delivering the strategy: the roadmap, the findings and the strategy document, the change log."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import oplog
from dashboard import strategy as S
from dashboard import strategy_charts as charts
from dashboard import strategy_rows as R
from dashboard.strategy_content import gather
from dashboard.strategy_deck import build_deck
from dashboard.strategy_roadmap import (
    ROADMAP_STATUSES,
    roadmap_frame,
    roadmap_progress,
    save_roadmap,
)
from dashboard.strategy_rows import StrategyError
from dashboard.strategy_workbook import build_workbook
from dashboard.ui import data, state, widgets
from dashboard.ui.change_log import show as show_changes
from dashboard.ui.strategy.editors import Page, done, editor_key, label, refused, table_editor

DOCS = "_strategy_docs"  # the deck and workbook built for this session (never another user's)
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def roadmap(page: Page) -> None:
    """Progress, the timeline and the task table (the data package's `roadmap`)."""
    st.markdown(
        "Initiatives and their tasks (the data package's `roadmap` table). Saving here "
        "updates the progress metrics at once."
    )
    as_of = state.as_of()
    road = roadmap_frame(page.engine)
    progress = roadmap_progress(page.engine, as_of)
    p1, p2 = st.columns(2)
    done_pct = progress.get("roadmap_done_pct")
    p1.metric("Roadmap done", "no data" if done_pct is None else f"{done_pct:.1f} %")
    p2.metric("Tasks in progress", f"{progress.get('roadmap_in_progress') or 0:.0f}")
    chart = charts.roadmap_timeline(road, as_of)
    if chart is not None:
        st.altair_chart(chart, width="stretch")
    road_edit = road.copy()
    for c in ("target_date", "completed_date"):
        road_edit[c] = pd.to_datetime(road_edit[c]).dt.date
    edited = st.data_editor(
        road_edit,
        key=editor_key("roadmap"),
        hide_index=True,
        num_rows="dynamic" if page.edit else "fixed",
        disabled=not page.edit,
        column_config=_roadmap_columns(),
        width="stretch",
    )
    if page.edit and st.button("Save roadmap", type="primary", icon=":material/save:"):
        try:
            n = save_roadmap(page.engine, edited, page.who)
            data.clear_settings()
            done(
                f"Roadmap saved: {n['added']} added, {n['changed']} changed, {n['removed']} removed.",
                "roadmap",
            )
        except StrategyError as exc:
            refused(exc)


def _roadmap_columns() -> dict:
    return {
        "item_id": st.column_config.TextColumn("Item id", required=True),
        "initiative": st.column_config.TextColumn("Initiative", required=True),
        "task": st.column_config.TextColumn("Task", required=True, width="large"),
        "owner": st.column_config.TextColumn("Owner"),
        "target_date": st.column_config.DateColumn("Target date", format="YYYY-MM-DD"),
        "status": st.column_config.SelectboxColumn(
            "Status",
            options=list(ROADMAP_STATUSES),
            format_func=label,
            required=True,
            default="planned",
        ),
        "completed_date": st.column_config.DateColumn("Completed", format="YYYY-MM-DD"),
    }


def findings(page: Page) -> None:
    """The key findings and next steps, and the strategy document to download."""
    st.markdown(
        "Summarize **at most three key findings** and **at most five next steps** "
        "(say what you are asking for: approval, funding, resources)."
    )
    table_editor(page, "findings")
    st.markdown(
        "**The strategy document**: a presentation-ready deck and the same content as a workbook."
    )
    st.caption(f"KPI figures for {widgets.plain(page.access.scope_line())}.")
    ss = st.session_state
    if st.button("Build the deck and the workbook", icon=":material/slideshow:"):
        with st.spinner("Building the documents…"):
            # In the reader's scope (permissions.py); kept per user so a later login never sees them.
            content = gather(page.engine, state.as_of(), access=page.access)
            ss[DOCS] = (build_deck(content), build_workbook(content))
        # Built here, downloaded from memory below: the export line is written at build time.
        oplog.app_event("export", user=page.who, what="strategy deck and workbook")
    if ss.get(DOCS):
        deck, book = ss[DOCS]
        stamp = state.as_of().isoformat()
        c1, c2 = st.columns(2)
        c1.download_button(
            "Download the deck (.pptx)",
            deck,
            f"itam-strategy-{stamp}.pptx",
            PPTX,
            icon=":material/download:",
        )
        c2.download_button(
            "Download the workbook (.xlsx)",
            book,
            f"itam-strategy-{stamp}.xlsx",
            XLSX,
            icon=":material/download:",
        )


def change_log(page: Page) -> None:
    """The latest changes to the strategy, the roadmap and the scope switch."""
    log = S.audit_entries(page.engine)
    if log.empty:
        widgets.empty("No changes yet.")
    else:
        show_changes(log, name="strategy-changes", title="Strategy changes",
                        key="dl_strategy_changes", what=_changed_part)  # fmt: skip


def _changed_part(row) -> str:
    """The part of the strategy an audit row is about, in the page's words."""
    if row["entity"] == "setting":
        return "Scope switch (metrics in scope only)"
    if row["entity"] == "roadmap":
        return "Roadmap"
    key = str(row["entity_id"] or "")
    section = R.SECTIONS.get(key)
    return section.title if section else LOG_NAMES.get(key, key.replace("_", " ").capitalize())


# Strategy values outside the sections, as the change log names them.
LOG_NAMES = {"raci_roles": "RACI roles", "seeded_at": "Starting lists filled in"}
