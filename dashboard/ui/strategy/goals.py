"""Phase 1, where the ITAM practice is going: priorities, opportunities, mission, maturity."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import strategy as S
from dashboard import strategy_charts as charts
from dashboard import strategy_seeds as seeds
from dashboard.strategy_rows import StrategyError
from dashboard.ui.strategy.editors import Page, done, label, refused, table_editor

DEFAULT_PRIORITIES = {
    "weights": {"optimize_spend": 50, "manage_risk": 30, "enhance_service": 20},
    "notes": "",
}
STATEMENTS = (  # (key, title, placeholder)
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
)


def priorities(page: Page) -> None:
    """The goals triangle: three weights, the point they place, the reasons."""
    st.markdown(
        "Place the organisation's point between the three goals of ITAM: the closer to a "
        "corner, the more that goal matters. **The centre is off limits**: it is very rarely "
        "possible to deliver on all three at once, so one goal must be above "
        f"{S.CENTRE_LIMIT}."
    )
    saved = S.priorities(page.engine)
    current = saved or DEFAULT_PRIORITIES
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
                    disabled=not page.edit,
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
            disabled=not page.edit,
            placeholder="We believe there is significant opportunity to consolidate key software contracts.",
        )
        if page.edit and st.button(
            "Save priorities", type="primary", disabled=bool(problems), icon=":material/save:"
        ):
            try:
                S.save_priorities(page.engine, weights, notes, page.who)
                done("Priorities saved: the Scorecard now lists the dominant goals first.")
            except StrategyError as exc:
                refused(exc)
    with right:
        st.altair_chart(charts.triangle(weights, valid=not problems), width="content")
    if not saved:
        st.caption(
            "Not saved yet: the Scorecard uses the default goal order until priorities are saved."
        )


def opportunities(page: Page) -> None:
    """Challenges, opportunities and tactics, tagged with a goal, a horizon and KPIs."""
    st.markdown(
        "The blueprint's common **challenges** (step 1.1) and its **opportunities** and **tactics** "
        "(steps 1.3–1.4) are here as a start: keep, edit or delete rows, add your own, tag each "
        "with a goal and a horizon (next year / three years), and link the KPIs that measure it."
    )
    table_editor(page, "items", kpis=S.kpi_choices(page.engine), height=560)
    items = S.get_rows(page.engine, "items")
    if items:
        st.caption("Rows by goal and horizon")
        st.dataframe(
            pd.crosstab(
                pd.Series([label(i["goal"]) for i in items], name="goal"),
                pd.Series([label(i["horizon"]) for i in items], name="horizon"),
            ),
            width="content",
        )


def statements(page: Page) -> None:
    """Mission and vision, at most twenty words each."""
    st.markdown(
        "Two short statements, **at most 20 words each** (the 20x20 rule: no more than 20 "
        "minutes, no more than 20 words)."
    )
    texts = {}
    for key, title, hint in STATEMENTS:
        texts[key] = st.text_area(
            title,
            S.get_value(page.engine, key, ""),
            height=80,
            disabled=not page.edit,
            placeholder=hint,
            key=f"stmt_{key}",
        )
        n = S.word_count(texts[key])
        (st.error if n > S.MAX_WORDS else st.caption)(
            f"{n} / {S.MAX_WORDS} words"
            + (" – too long: cross out words" if n > S.MAX_WORDS else "")
        )
    if page.edit and st.button(
        "Save statements",
        type="primary",
        icon=":material/save:",
        disabled=any(S.word_count(t) > S.MAX_WORDS for t in texts.values()),
    ):
        try:
            S.save_statements(page.engine, texts["mission"], texts["vision"], page.who)
            done("Mission and vision saved.")
        except StrategyError as exc:
            refused(exc)


def maturity(page: Page) -> None:
    """The maturity statements ticked today and in a year, the levels, the assessments."""
    history = S.assessments(page.engine)
    last = history[-1] if history else None
    st.markdown(
        "Tick the statements that are **true today** and those **targeted in one year**. The "
        "level is the highest from Trusted Operator up whose statements are all ticked (each "
        "level includes those below it); below that, pick Unreliable or Firefighter."
    )
    ticked_now, ticked_target = _statement_ticks(page, last)
    bases = _base_levels(page, last)
    now_level = S.maturity_level(ticked_now, bases["today"])
    target_level = S.maturity_level(ticked_target, bases["in one year"])
    m1, m2 = st.columns(2)
    m1.metric("Today", S.LEVEL_NAMES[now_level])
    m2.metric("In one year", S.LEVEL_NAMES[target_level])
    if page.edit:
        day = st.date_input("Assessment date", dt.date.today(), format="YYYY-MM-DD")
        note = st.text_input("Note (optional)", "")
        if st.button("Save assessment", type="primary", icon=":material/save:"):
            try:
                S.save_assessment(
                    page.engine,
                    day,
                    ticked_now,
                    ticked_target,
                    bases["today"],
                    bases["in one year"],
                    note,
                    page.who,
                )
                done(f"Assessment of {day} saved.")
            except StrategyError as exc:
                refused(exc)
    if history:
        st.markdown("**Progress** (one assessment per date)")
        st.dataframe(_progress(history), hide_index=True, width="stretch")


def _statement_ticks(page: Page, last: dict | None) -> tuple[list[str], list[str]]:
    """A row per statement of the ticked levels: true today, targeted in one year."""
    texts_by_id = S.statements()
    cur = set(last["current"]) if last else set()
    tgt = set(last["target"]) if last else set()
    ticked_now, ticked_target = [], []
    for key, name, sub, _statements in seeds.MATURITY:
        if key not in S.TICKED_LEVELS:
            continue
        st.markdown(f"**{name}** – {sub}")
        for sid in S.statement_ids(key):
            c1, c2, c3 = st.columns([8, 1, 1])
            c1.write(texts_by_id[sid])
            if c2.checkbox("Today", sid in cur, key=f"m_now_{sid}", disabled=not page.edit):
                ticked_now.append(sid)
            if c3.checkbox(
                "In 1 year", sid in tgt or sid in cur, key=f"m_tgt_{sid}", disabled=not page.edit
            ):
                ticked_target.append(sid)
    return ticked_now, ticked_target


def _base_levels(page: Page, last: dict | None) -> dict[str, str]:
    """Below Trusted Operator: Unreliable or Firefighter, today and in one year."""
    st.markdown("**Below Trusted Operator**, which describes you best?")
    defaults = (
        last["base_current"] if last else "firefighter",
        last["base_target"] if last else "firefighter",
    )
    bases = {}
    for col, which, default in zip(st.columns(2), ("today", "in one year"), defaults, strict=True):
        with col:
            bases[which] = st.radio(
                which.capitalize(),
                S.BASE_LEVELS,
                S.BASE_LEVELS.index(default),
                format_func=lambda k: S.LEVEL_NAMES[k],
                key=f"m_base_{which}",
                disabled=not page.edit,
                horizontal=True,
            )
    with st.expander("What Unreliable and Firefighter mean"):
        for _key, name, sub, sts in seeds.MATURITY[:2]:
            st.markdown(f"**{name}** – {sub}\n" + "\n".join(f"- {s}" for s in sts))
    return bases


def _progress(history: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(
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
