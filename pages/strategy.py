"""Strategy: where the ITAM practice is going and why, next to the KPIs that measure it.

One tab per decision of the blueprint (Phases 1 and 2). Asset managers and
admins edit; CIO and CFO read. Every save goes through dashboard.strategy
(validated, audited); this script only lays out widgets.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import oplog, permissions, ui
from dashboard import strategy as S
from dashboard import strategy_charts as charts
from dashboard import strategy_export as export
from dashboard import strategy_seeds as seeds

user = ui.require("strategy")
ACCESS = permissions.access_for(user)
EDIT = ui.can_edit("strategy")
ENGINE = ui.data.engine()
WHO = user.username
ss = st.session_state

ui.page_header("Strategy", "Where is the ITAM practice going, and why?")
S.ensure_seeded(ENGINE, WHO)
if not EDIT:
    st.info(
        "You are reading the strategy: asset managers and admins edit it.",
        icon=":material/visibility:",
    )
if ss.get("_strategy_flash"):
    st.success(ss.pop("_strategy_flash"), icon=":material/check_circle:")


# ---------------------------------------------------------------- helpers


def label(value: str) -> str:
    return (
        seeds.GOAL_LABELS.get(value)
        or seeds.HORIZON_LABELS.get(value)
        or (value or "–").replace("_", " ").capitalize()
    )


def done(message: str, key: str | None = None) -> None:
    """After a save: say so on the next run and give the editor fresh data."""
    ss["_strategy_flash"] = message
    if key:
        ss[f"v_{key}"] = ss.get(f"v_{key}", 0) + 1
    st.rerun()


def refused(exc: S.StrategyError) -> None:
    # The reasons quote what was typed into the tables: plain text in the markdown list.
    st.error(
        "Not saved:\n\n" + "\n".join(f"- {ui.widgets.plain(e)}" for e in exc.errors),
        icon=":material/block:",
    )


def column_config(section: str, kpis: dict[int, str]) -> dict:
    config = {}
    for col in S.SECTIONS[section].columns:
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
                width="large"
                if col.name in ("text", "action", "benefits", "impact", "step")
                else None,
            )
    return config


def table_editor(
    section: str, *, kpis: dict[int, str] | None = None, height: int | str = "auto"
) -> None:
    """A section's rows in an editor (dynamic rows), with Save and Restore suggestions."""
    rows = S.get_rows(ENGINE, section)
    cols = [c.name for c in S.SECTIONS[section].columns]
    frame = pd.DataFrame(rows, columns=cols)
    if "kpis" in cols:
        frame["kpis"] = frame["kpis"].map(lambda ids: [str(i) for i in ids])
    key = f"ed_{section}_{ss.get(f'v_{section}', 0)}"
    edited = st.data_editor(
        frame,
        key=key,
        hide_index=True,
        num_rows="dynamic" if EDIT else "fixed",
        disabled=not EDIT,
        column_config=column_config(section, kpis or {}),
        width="stretch",
        height=height,
    )
    if not EDIT:
        return
    left, right = st.columns([1, 4])
    if left.button("Save", key=f"save_{section}", type="primary", icon=":material/save:"):
        try:
            S.save_rows(ENGINE, section, edited.to_dict("records"), WHO)
            done(f"{S.SECTIONS[section].title}: saved.", section)
        except S.StrategyError as exc:
            refused(exc)
    if right.button(
        "Restore the blueprint's suggestions",
        key=f"restore_{section}",
        help="Replace this table with the blueprint's starting list (the change is logged)",
    ):
        S.restore_suggestions(ENGINE, section, WHO)
        done(f"{S.SECTIONS[section].title}: suggestions restored.", section)


# ---------------------------------------------------------------- tabs

tabs = st.tabs(
    [
        "Priorities",
        "Opportunities & challenges",
        "Mission & vision",
        "Maturity",
        "Scope",
        "Sourcing & structure",
        "RACI",
        "Audits, documents, communication",
        "Roadmap",
        "Findings & document",
        "Change log",
    ]
)

# 1. the goals triangle ------------------------------------------------------
with tabs[0]:
    st.markdown(
        "Place the organisation's point between the three goals of ITAM: the closer to a "
        "corner, the more that goal matters. **The centre is off limits**: it is very rarely "
        "possible to deliver on all three at once, so one goal must be above "
        f"{S.CENTRE_LIMIT}."
    )
    current = S.priorities(ENGINE) or {
        "weights": {"optimize_spend": 50, "manage_risk": 30, "enhance_service": 20},
        "notes": "",
    }
    left, right = st.columns([2, 3])
    with left:
        weights = {
            g: int(
                st.number_input(
                    seeds.GOAL_LABELS[g],
                    0,
                    100,
                    int(current["weights"][g]),
                    5,
                    key=f"w_{g}",
                    disabled=not EDIT,
                )
            )
            for g in S.GOALS
        }
        problems = S.validate_weights(weights)
        total = sum(weights.values())
        (st.error if problems else st.caption)(
            "; ".join(problems)
            if problems
            else f"Total {total} · order: "
            + " › ".join(seeds.GOAL_LABELS[g] for g in S.goal_order_from(weights))
        )
        notes = st.text_area(
            "Why? (one reason per line)",
            current["notes"],
            height=140,
            disabled=not EDIT,
            placeholder="We believe there is significant opportunity to consolidate key software contracts.",
        )
        if EDIT and st.button(
            "Save priorities", type="primary", disabled=bool(problems), icon=":material/save:"
        ):
            try:
                S.save_priorities(ENGINE, weights, notes, WHO)
                done("Priorities saved: the Scorecard now lists the dominant goals first.")
            except S.StrategyError as exc:
                refused(exc)
    with right:
        st.altair_chart(charts.triangle(weights, valid=not problems), width="content")
    if not S.priorities(ENGINE):
        st.caption(
            "Not saved yet: the Scorecard uses the default goal order until priorities are saved."
        )

# 2. opportunities, challenges, tactics --------------------------------------
with tabs[1]:
    st.markdown(
        "The blueprint's common **challenges** (step 1.1) and its **opportunities** and **tactics** "
        "(steps 1.3–1.4) are here as a start: keep, edit or delete rows, add your own, tag each "
        "with a goal and a horizon (next year / three years), and link the KPIs that measure it."
    )
    kpis = S.kpi_choices(ENGINE)
    table_editor("items", kpis=kpis, height=560)
    items = S.get_rows(ENGINE, "items")
    counts = (
        pd.crosstab(
            pd.Series([label(i["goal"]) for i in items], name="goal"),
            pd.Series([label(i["horizon"]) for i in items], name="horizon"),
        )
        if items
        else None
    )
    if counts is not None:
        st.caption("Rows by goal and horizon")
        st.dataframe(counts, width="content")

# 3. mission and vision ------------------------------------------------------
with tabs[2]:
    st.markdown(
        "Two short statements, **at most 20 words each** (the 20x20 rule: no more than 20 "
        "minutes, no more than 20 words)."
    )
    texts = {}
    for key, title, hint in (
        (
            "mission",
            "Mission: what ITAM brings to the organisation today",
            "Maintain accurate, actionable, accessible data on all IT assets.",
        ),
        (
            "vision",
            "Vision: what the ITAM practice aspires to become",
            "Develop the single accurate view of IT assets, available to anyone who needs it.",
        ),
    ):
        texts[key] = st.text_area(
            title,
            S.get_value(ENGINE, key, ""),
            height=80,
            disabled=not EDIT,
            placeholder=hint,
            key=f"stmt_{key}",
        )
        n = S.word_count(texts[key])
        (st.error if n > S.MAX_WORDS else st.caption)(
            f"{n} / {S.MAX_WORDS} words"
            + (" – too long: cross out words" if n > S.MAX_WORDS else "")
        )
    if EDIT and st.button(
        "Save statements",
        type="primary",
        icon=":material/save:",
        disabled=any(S.word_count(t) > S.MAX_WORDS for t in texts.values()),
    ):
        try:
            S.save_statements(ENGINE, texts["mission"], texts["vision"], WHO)
            done("Mission and vision saved.")
        except S.StrategyError as exc:
            refused(exc)

# 4. maturity ---------------------------------------------------------------------
with tabs[3]:
    history = S.assessments(ENGINE)
    last = history[-1] if history else None
    st.markdown(
        "Tick the statements that are **true today** and those **targeted in one year**. The "
        "level is the highest from Trusted Operator up whose statements are all ticked (each "
        "level includes those below it); below that, pick Unreliable or Firefighter."
    )
    texts_by_id = S.statements()
    cur, tgt = set(last["current"]) if last else set(), set(last["target"]) if last else set()
    ticked_now, ticked_target = [], []
    for key, name, sub, _st in seeds.MATURITY:
        if key not in S.TICKED_LEVELS:
            continue
        st.markdown(f"**{name}** – {sub}")
        for sid in S.statement_ids(key):
            c1, c2, c3 = st.columns([8, 1, 1])
            c1.write(texts_by_id[sid])
            if c2.checkbox("Today", sid in cur, key=f"m_now_{sid}", disabled=not EDIT):
                ticked_now.append(sid)
            if c3.checkbox(
                "In 1 year", sid in tgt or sid in cur, key=f"m_tgt_{sid}", disabled=not EDIT
            ):
                ticked_target.append(sid)
    st.markdown("**Below Trusted Operator**, which describes you best?")
    bases = {}
    for col, which, default in zip(
        st.columns(2),
        ("today", "in one year"),
        (
            last["base_current"] if last else "firefighter",
            last["base_target"] if last else "firefighter",
        ),
        strict=True,
    ):
        with col:
            bases[which] = st.radio(
                which.capitalize(),
                S.BASE_LEVELS,
                S.BASE_LEVELS.index(default),
                format_func=lambda k: S.LEVEL_NAMES[k],
                key=f"m_base_{which}",
                disabled=not EDIT,
                horizontal=True,
            )
    with st.expander("What Unreliable and Firefighter mean"):
        for _key, name, sub, sts in seeds.MATURITY[:2]:
            st.markdown(f"**{name}** – {sub}\n" + "\n".join(f"- {s}" for s in sts))
    now_level = S.maturity_level(ticked_now, bases["today"])
    target_level = S.maturity_level(ticked_target, bases["in one year"])
    m1, m2 = st.columns(2)
    m1.metric("Today", S.LEVEL_NAMES[now_level])
    m2.metric("In one year", S.LEVEL_NAMES[target_level])
    if EDIT:
        day = st.date_input("Assessment date", dt.date.today(), format="YYYY-MM-DD")
        note = st.text_input("Note (optional)", "")
        if st.button("Save assessment", type="primary", icon=":material/save:"):
            try:
                S.save_assessment(
                    ENGINE,
                    day,
                    ticked_now,
                    ticked_target,
                    bases["today"],
                    bases["in one year"],
                    note,
                    WHO,
                )
                done(f"Assessment of {day} saved.")
            except S.StrategyError as exc:
                refused(exc)
    if history:
        st.markdown("**Progress** (one assessment per date)")
        frame = pd.DataFrame(
            [
                {
                    "date": h["assessed_on"],
                    "today": S.LEVEL_NAMES[h["current_level"]],
                    "in one year": S.LEVEL_NAMES[h["target_level"]],
                    "by": h["user"],
                    "note": h["note"],
                }
                for h in history
            ]
        )
        st.dataframe(frame, hide_index=True, width="stretch")

# 5. scope -------------------------------------------------------------------------
with tabs[4]:
    st.markdown(
        "Which asset categories, software classes and locations the ITAM practice tracks, "
        "and why (step 2.1)."
    )
    on = S.scope_switch(ENGINE)
    new_on = st.toggle(
        "Leave out-of-scope categories and locations out of the dashboard's metrics",
        on,
        disabled=not EDIT,
        help="Off by default. When on, every page notes it.",
    )
    if EDIT and new_on != on:
        S.set_scope_switch(ENGINE, new_on, WHO)
        ui.data.clear_settings()
        done(
            "Scope switch " + ("on: metrics now leave out-of-scope rows out." if new_on else "off.")
        )
    excl = S.scope_exclusions(ENGINE)
    # Category and location names are data: plain text in markdown.
    shown = ui.widgets.plain(
        "; ".join(f"{k}: {', '.join(v)}" for k, v in excl.items()) or "nothing"
    )
    if on:
        st.warning(
            f"The scope switch is **on**: the dashboard leaves out {shown}.",
            icon=":material/filter_alt:",
        )
    else:
        st.caption(f"The switch is off: metrics cover the whole estate (out of scope: {shown}).")
    missing = S.missing_locations(ENGINE)
    # The data's location names are the whole estate's: not offered to a scoped user.
    if (
        missing
        and EDIT
        and not ACCESS.is_scoped
        and st.button(
            f"Add {len(missing)} location(s) found in the data: {ui.widgets.plain(', '.join(missing[:5]))}"
        )
    ):
        rows = S.get_rows(ENGINE, "scope") + [
            {"kind": "location", "name": m, "in_scope": True, "reason": ""} for m in missing
        ]
        S.save_rows(ENGINE, "scope", rows, WHO)
        done("Locations added to the scope table.", "scope")
    table_editor("scope", height=480)
    if excl:
        try:
            # Within the reader's own scope (permissions.py): a Finance-scoped CFO sees Finance.
            effect = S.scope_effect(ENGINE, ui.state.as_of(), filters=ACCESS.scoped(None) or None)
            whole = "whole estate" if not ACCESS.is_scoped else f"all of {ACCESS.scope_line()}"
            st.markdown(f"**Effect on the metrics** ({ui.widgets.plain(whole)} → in scope only)")
            st.dataframe(
                pd.DataFrame(
                    [
                        {
                            "metric": ui.data.metric(e["metric"]).label,
                            whole: e["whole"],
                            "in scope": e["in_scope"],
                        }
                        for e in effect
                    ]
                ),
                hide_index=True,
                width="content",
            )
        except ImportError:
            pass

# 6. sourcing and structure --------------------------------------------------------
with tabs[5]:
    st.markdown(
        "**Sourcing** (step 2.2): mark each activity outsource, potentially outsource or insource. "
        "Standardized, automatable work suits outsourcing; critical, hard-to-standardize work stays in-house."
    )
    table_editor("sourcing", height=420)
    st.markdown("**Structure** (step 2.3): which archetype should ITAM follow?")
    arch = S.get_value(ENGINE, "structure_archetype")
    keys = list(seeds.ARCHETYPES)
    choice = st.radio(
        "Archetype",
        keys,
        keys.index(arch) if arch in keys else None,
        format_func=lambda k: seeds.ARCHETYPES[k][0],
        disabled=not EDIT,
        horizontal=True,
    )
    if choice:
        st.caption(seeds.ARCHETYPES[choice][1])
    snote = st.text_input(
        "Why this structure?", S.get_value(ENGINE, "structure_note", ""), disabled=not EDIT
    )
    if EDIT and st.button("Save structure", disabled=choice is None, icon=":material/save:"):
        S.save_structure(ENGINE, choice, snote, WHO)
        done("Structure saved.")
    st.markdown("Opportunities to **centralize or decentralize**, by area")
    table_editor("structure")

# 7. RACI ---------------------------------------------------------------------------
with tabs[6]:
    st.markdown(
        "Who is **R**esponsible, **A**ccountable, **C**onsulted and **I**nformed (step 2.4). "
        "Each activity needs exactly one A and at least one R (`A/R`: accountable and doing it)."
    )
    roles = S.raci_roles(ENGINE)
    roles_text = st.text_input("Roles (comma-separated)", ", ".join(roles), disabled=not EDIT)
    new_roles = [r.strip() for r in roles_text.split(",") if r.strip()]
    frame = S.raci_frame(S.get_rows(ENGINE, "raci"), new_roles)
    config = {
        "group": st.column_config.SelectboxColumn(
            "Group", options=["governance", "asset_management"], format_func=label, required=True
        ),
        "activity": st.column_config.TextColumn("Activity", required=True, width="large"),
        **{r: st.column_config.SelectboxColumn(r, options=list(S.RACI_LETTERS)) for r in new_roles},
    }
    edited = st.data_editor(
        frame,
        key=f"ed_raci_{ss.get('v_raci', 0)}",
        hide_index=True,
        num_rows="dynamic" if EDIT else "fixed",
        disabled=not EDIT,
        column_config=config,
        width="stretch",
        height=600,
    )
    rows = S.raci_rows(edited, new_roles)
    bad = S.raci_problems([r for r in rows if r.get("activity")])
    if bad:
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
    else:
        st.caption("Every activity has exactly one A and at least one R.")
    if EDIT:
        left, right = st.columns([1, 4])
        if left.button("Save RACI", type="primary", icon=":material/save:"):
            try:
                S.save_raci(ENGINE, new_roles, rows, WHO)
                done("RACI saved.", "raci")
            except S.StrategyError as exc:
                refused(exc)
        if right.button("Restore the blueprint's suggestions", key="restore_raci"):
            S.restore_suggestions(ENGINE, "raci", WHO)
            done("RACI: suggestions restored.", "raci")

# 8. audit plan, documentation, communication ------------------------------------
with tabs[7]:
    st.markdown(
        "**Internal data audits** (step 2.7): which approaches, how often, what scope, who."
    )
    table_editor("audit_plan")
    st.markdown(
        "**Vendor audit response**: the checklist to follow when a vendor sends an audit request."
    )
    table_editor("audit_response")
    st.markdown(
        "**Documentation register** (step 2.9): what to create, who owns it, where it lives, "
        "who can read it, what triggers a review."
    )
    table_editor("documentation")
    st.markdown(
        "**Communication plan** (step 2.10): what each group gains, how and when you tell them."
    )
    table_editor("communication")

# 9. roadmap ------------------------------------------------------------------------
with tabs[8]:
    st.markdown(
        "Initiatives and their tasks (the data package's `roadmap` table). Saving here "
        "updates the progress metrics at once."
    )
    as_of = ui.state.as_of()
    road = S.roadmap_frame(ENGINE)
    try:
        progress = S.roadmap_progress(ENGINE, as_of)
        p1, p2 = st.columns(2)
        done_pct = progress.get("roadmap_done_pct")
        p1.metric("Roadmap done", "no data" if done_pct is None else f"{done_pct:.1f} %")
        p2.metric("Tasks in progress", f"{progress.get('roadmap_in_progress') or 0:.0f}")
    except ImportError:
        pass
    chart = charts.roadmap_timeline(road, as_of)
    if chart is not None:
        st.altair_chart(chart, width="stretch")
    road_edit = road.copy()
    for c in ("target_date", "completed_date"):
        road_edit[c] = pd.to_datetime(road_edit[c]).dt.date
    rconfig = {
        "item_id": st.column_config.TextColumn("Item id", required=True),
        "initiative": st.column_config.TextColumn("Initiative", required=True),
        "task": st.column_config.TextColumn("Task", required=True, width="large"),
        "owner": st.column_config.TextColumn("Owner"),
        "target_date": st.column_config.DateColumn("Target date", format="YYYY-MM-DD"),
        "status": st.column_config.SelectboxColumn(
            "Status",
            options=list(S.ROADMAP_STATUSES),
            format_func=label,
            required=True,
            default="planned",
        ),
        "completed_date": st.column_config.DateColumn("Completed", format="YYYY-MM-DD"),
    }
    edited_road = st.data_editor(
        road_edit,
        key=f"ed_roadmap_{ss.get('v_roadmap', 0)}",
        hide_index=True,
        num_rows="dynamic" if EDIT else "fixed",
        disabled=not EDIT,
        column_config=rconfig,
        width="stretch",
    )
    if EDIT and st.button("Save roadmap", type="primary", icon=":material/save:"):
        try:
            n = S.save_roadmap(ENGINE, edited_road, WHO)
            ui.data.clear_settings()
            done(
                f"Roadmap saved: {n['added']} added, {n['changed']} changed, {n['removed']} removed.",
                "roadmap",
            )
        except S.StrategyError as exc:
            refused(exc)

# 10. findings and the document -----------------------------------------------------
with tabs[9]:
    st.markdown(
        "Summarize **at most three key findings** and **at most five next steps** "
        "(say what you are asking for: approval, funding, resources)."
    )
    table_editor("findings")
    st.markdown(
        "**The strategy document**: a presentation-ready deck and the same content as a workbook."
    )
    st.caption(f"KPI figures for {ui.widgets.plain(ACCESS.scope_line())}.")
    if st.button("Build the deck and the workbook", icon=":material/slideshow:"):
        with st.spinner("Building the documents…"):
            # In the reader's scope (permissions.py); kept per user so a later login never sees them.
            content = export.gather(ENGINE, ui.state.as_of(), access=ACCESS)
            ss["_strategy_docs"] = (export.build_deck(content), export.build_workbook(content))
        # Built here, downloaded from memory below: the export line is written at build time.
        oplog.app_event("export", user=user.username, what="strategy deck and workbook")
    if ss.get("_strategy_docs"):
        deck, book = ss["_strategy_docs"]
        stamp = ui.state.as_of().isoformat()
        c1, c2 = st.columns(2)
        c1.download_button(
            "Download the deck (.pptx)",
            deck,
            f"itam-strategy-{stamp}.pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            icon=":material/download:",
        )
        c2.download_button(
            "Download the workbook (.xlsx)",
            book,
            f"itam-strategy-{stamp}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            icon=":material/download:",
        )

# 11. change log -------------------------------------------------------------------
with tabs[10]:
    log = S.audit_entries(ENGINE)
    if log.empty:
        ui.empty("No changes yet.")
    else:
        st.dataframe(log, hide_index=True, width="stretch")
