"""Phase 2, how the ITAM practice works: scope, sourcing and structure, RACI, audits and documents."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import strategy as S
from dashboard import strategy_seeds as seeds
from dashboard.strategy_rows import RACI_LETTERS, StrategyError
from dashboard.ui import data, state, widgets
from dashboard.ui.strategy.editors import Page, done, editor_key, label, refused, table_editor

# The audits tab: (section, its introduction), one editor each.
PLANS = (
    (
        "audit_plan",
        "**Internal data audits** (step 2.7): which approaches, how often, what scope, who.",
    ),
    (
        "audit_response",
        "**Vendor audit response**: the checklist to follow when a vendor sends an audit request.",
    ),
    (
        "documentation",
        "**Documentation register** (step 2.9): what to create, who owns it, where it lives, "
        "who can read it, what triggers a review.",
    ),
    (
        "communication",
        "**Communication plan** (step 2.10): what each group gains, how and when you tell them.",
    ),
)


def scope(page: Page) -> None:
    """What the practice tracks, the switch that leaves the rest out, and its effect."""
    st.markdown(
        "Which asset categories, software classes and locations the ITAM practice tracks, "
        "and why (step 2.1)."
    )
    on = S.scope_switch(page.engine)
    new_on = st.toggle(
        "Leave out-of-scope categories and locations out of the dashboard's metrics",
        on,
        disabled=not page.edit,
        help="Off by default. When on, every page notes it.",
    )
    if page.edit and new_on != on:  # the user moved it: a plain rerun never gets here
        S.set_scope_switch(page.engine, new_on, page.who)
        data.clear_settings()
        done(
            "Scope switch " + ("on: metrics now leave out-of-scope rows out." if new_on else "off.")
        )
    excl = S.scope_exclusions(page.engine)
    # Category and location names are data: plain text in markdown.
    shown = widgets.plain("; ".join(f"{k}: {', '.join(v)}" for k, v in excl.items()) or "nothing")
    if on:
        st.warning(
            f"The scope switch is **on**: the dashboard leaves out {shown}.",
            icon=":material/filter_alt:",
        )
    else:
        st.caption(f"The switch is off: metrics cover the whole estate (out of scope: {shown}).")
    _add_missing_locations(page)
    table_editor(page, "scope", height=480)
    if excl:
        _scope_effect(page)


def _add_missing_locations(page: Page) -> None:
    missing = S.missing_locations(page.engine)
    # The data's location names are the whole estate's: not offered to a scoped user.
    if (
        missing
        and page.edit
        and not page.access.is_scoped
        and st.button(
            f"Add {len(missing)} location(s) found in the data: {widgets.plain(', '.join(missing[:5]))}"
        )
    ):
        rows = S.get_rows(page.engine, "scope") + [
            {"kind": "location", "name": m, "in_scope": True, "reason": ""} for m in missing
        ]
        S.save_rows(page.engine, "scope", rows, page.who)
        done("Locations added to the scope table.", "scope")


def _scope_effect(page: Page) -> None:
    """A few metrics over the reader's whole estate and in scope only."""
    access = page.access
    # Within the reader's own scope (permissions.py): a Finance-scoped CFO sees Finance.
    effect = S.scope_effect(page.engine, state.as_of(), filters=access.scoped(None) or None)
    whole = "whole estate" if not access.is_scoped else f"all of {access.scope_line()}"
    st.markdown(f"**Effect on the metrics** ({widgets.plain(whole)} → in scope only)")
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "metric": data.metric(e["metric"]).label,
                    whole: e["whole"],
                    "in scope": e["in_scope"],
                }
                for e in effect
            ]
        ),
        hide_index=True,
        width="content",
    )


def sourcing(page: Page) -> None:
    """What to outsource, the structure archetype, what to centralize or decentralize."""
    st.markdown(
        "**Sourcing** (step 2.2): mark each activity outsource, potentially outsource or insource. "
        "Standardized, automatable work suits outsourcing; critical, hard-to-standardize work stays in-house."
    )
    table_editor(page, "sourcing", height=420)
    st.markdown("**Structure** (step 2.3): which archetype should ITAM follow?")
    arch = S.get_value(page.engine, "structure_archetype")
    keys = list(seeds.ARCHETYPES)
    choice = st.radio(
        "Archetype",
        keys,
        keys.index(arch) if arch in keys else None,
        format_func=lambda k: seeds.ARCHETYPES[k][0],
        disabled=not page.edit,
        horizontal=True,
    )
    if choice:
        st.caption(seeds.ARCHETYPES[choice][1])
    note = st.text_input(
        "Why this structure?",
        S.get_value(page.engine, "structure_note", ""),
        disabled=not page.edit,
    )
    if page.edit and st.button("Save structure", disabled=choice is None, icon=":material/save:"):
        S.save_structure(page.engine, choice, note, page.who)
        done("Structure saved.")
    st.markdown("Opportunities to **centralize or decentralize**, by area")
    table_editor(page, "structure")


def raci(page: Page) -> None:
    """Who is responsible, accountable, consulted and informed, checked as it is typed."""
    st.markdown(
        "Who is **R**esponsible, **A**ccountable, **C**onsulted and **I**nformed (step 2.4). "
        "Each activity needs exactly one A and at least one R (`A/R`: accountable and doing it)."
    )
    roles = S.raci_roles(page.engine)
    roles_text = st.text_input("Roles (comma-separated)", ", ".join(roles), disabled=not page.edit)
    new_roles = [r.strip() for r in roles_text.split(",") if r.strip()]
    edited = st.data_editor(
        S.raci_frame(S.get_rows(page.engine, "raci"), new_roles),
        key=editor_key("raci"),
        hide_index=True,
        num_rows="dynamic" if page.edit else "fixed",
        disabled=not page.edit,
        column_config=_raci_columns(new_roles),
        width="stretch",
        height=600,
    )
    rows = S.raci_rows(edited, new_roles)
    _raci_problems(edited, S.raci_problems([r for r in rows if r.get("activity")]))
    if page.edit:
        left, right = st.columns([1, 4])
        if left.button("Save RACI", type="primary", icon=":material/save:"):
            try:
                S.save_raci(page.engine, new_roles, rows, page.who)
                done("RACI saved.", "raci")
            except StrategyError as exc:
                refused(exc)
        if right.button("Restore the blueprint's suggestions", key="restore_raci"):
            S.restore_suggestions(page.engine, "raci", page.who)
            done("RACI: suggestions restored.", "raci")


def _raci_columns(roles: list[str]) -> dict:
    return {
        "group": st.column_config.SelectboxColumn(
            "Group", options=["governance", "asset_management"], format_func=label, required=True
        ),
        "activity": st.column_config.TextColumn("Activity", required=True, width="large"),
        **{r: st.column_config.SelectboxColumn(r, options=list(RACI_LETTERS)) for r in roles},
    }


def _raci_problems(edited: pd.DataFrame, bad: dict[str, str]) -> None:
    """The activities breaking the rule, highlighted; or a line saying every one keeps it."""
    if not bad:
        st.caption("Every activity has exactly one A and at least one R.")
        return
    st.error(
        f"{len(bad)} activit{'y breaks' if len(bad) == 1 else 'ies break'} the rule:",
        icon=":material/error:",
    )
    offending = edited[edited["activity"].isin(list(bad))].copy()
    offending.insert(2, "problem", offending["activity"].map(bad))
    st.dataframe(
        offending.style.apply(lambda r: ["background-color: #fdecea"] * len(r), axis=1),
        hide_index=True,
        width="stretch",
    )


def plans(page: Page) -> None:
    """The audit plan, the vendor audit checklist, the documentation and communication plans."""
    for section, intro in PLANS:
        st.markdown(intro)
        table_editor(page, section)
