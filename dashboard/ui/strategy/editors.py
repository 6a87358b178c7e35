"""What the strategy tabs share: the page's reader, the section editor, the save messages."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from dashboard import auth, permissions
from dashboard import strategy as S
from dashboard import strategy_seeds as seeds
from dashboard.strategy_rows import SECTIONS, StrategyError
from dashboard.ui import data, widgets

FLASH = "_strategy_flash"
WIDE = ("text", "action", "benefits", "impact", "step")  # text columns given the width


@dataclass(frozen=True)
class Page:
    """Who is reading the strategy page and what they may do, for every tab."""

    user: auth.User
    access: permissions.Access
    edit: bool
    engine: Engine

    @property
    def who(self) -> str:
        return self.user.username


def open_page() -> Page:
    """Check the role, seed the strategy on a first visit, say whether the reader edits."""
    user = widgets.require("strategy")
    page = Page(user, permissions.access_for(user), widgets.can_edit("strategy"), data.engine())
    widgets.page_header("Strategy", "Where is the ITAM practice going, and why?")
    S.ensure_seeded(page.engine, page.who)  # writes once: later runs only read `seeded_at`
    if not page.edit:
        st.info(
            "You are reading the strategy: asset managers and admins edit it.",
            icon=":material/visibility:",
        )
    if st.session_state.get(FLASH):
        st.success(st.session_state.pop(FLASH), icon=":material/check_circle:")
    return page


def label(value: str) -> str:
    """A stored code (`optimize_spend`, `next_step`, `in_progress`) in words."""
    return (
        seeds.GOAL_LABELS.get(value)
        or seeds.HORIZON_LABELS.get(value)
        or (value or "–").replace("_", " ").capitalize()
    )


def done(message: str, key: str | None = None) -> None:
    """After a save: say so on the next run and give the editor fresh data."""
    ss = st.session_state
    ss[FLASH] = message
    if key:
        ss[f"v_{key}"] = ss.get(f"v_{key}", 0) + 1
    st.rerun()


def refused(exc: StrategyError) -> None:
    # The reasons quote what was typed into the tables: plain text in the markdown list.
    st.error(
        "Not saved:\n\n" + "\n".join(f"- {widgets.plain(e)}" for e in exc.errors),
        icon=":material/block:",
    )


def editor_key(section: str) -> str:
    """The editor's widget key: a new one after each save, so it shows what is stored."""
    return f"ed_{section}_{st.session_state.get(f'v_{section}', 0)}"


def column_config(section: str, kpis: dict[int, str]) -> dict:
    """The editor's columns for a section, from its declaration (strategy_rows.SECTIONS)."""
    config = {}
    for col in SECTIONS[section].columns:
        if col.kind == "enum":
            config[col.name] = st.column_config.SelectboxColumn(
                col.label, options=list(col.values), format_func=label, required=col.required
            )
        elif col.kind == "bool":
            config[col.name] = st.column_config.CheckboxColumn(col.label)
        elif col.kind == "ids":
            config[col.name] = st.column_config.MultiselectColumn(
                col.label,
                options=[str(k) for k in kpis],
                format_func=lambda k: kpis.get(int(k), k),
                help="The KPIs that measure it",
            )
        else:
            config[col.name] = st.column_config.TextColumn(
                col.label,
                required=col.required,
                width="large" if col.name in WIDE else None,
            )
    return config


def table_editor(
    page: Page, section: str, *, kpis: dict[int, str] | None = None, height: int | str = "auto"
) -> None:
    """A section's rows in an editor (dynamic rows), with Save and Restore suggestions."""
    rows = S.get_rows(page.engine, section)
    cols = [c.name for c in SECTIONS[section].columns]
    frame = pd.DataFrame(rows, columns=cols)
    if "kpis" in cols:
        frame["kpis"] = frame["kpis"].map(lambda ids: [str(i) for i in ids])
    edited = st.data_editor(
        frame,
        key=editor_key(section),
        hide_index=True,
        num_rows="dynamic" if page.edit else "fixed",
        disabled=not page.edit,
        column_config=column_config(section, kpis or {}),
        width="stretch",
        height=height,
    )
    if not page.edit:
        return
    left, right = st.columns([1, 4])
    title = SECTIONS[section].title
    if left.button("Save", key=f"save_{section}", type="primary", icon=":material/save:"):
        try:
            S.save_rows(page.engine, section, edited.to_dict("records"), page.who)
            done(f"{title}: saved.", section)
        except StrategyError as exc:
            refused(exc)
    if right.button(
        "Restore the blueprint's suggestions",
        key=f"restore_{section}",
        help="Replace this table with the blueprint's starting list (the change is logged)",
    ):
        S.restore_suggestions(page.engine, section, page.who)
        done(f"{title}: suggestions restored.", section)
