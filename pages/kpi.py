"""KPI detail: the trend against the target, where a breach comes from, the breach records,
and (asset manager, admin) the target's editing with its audit log."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard import ui
from metrics.kpi import GOAL_LABELS, GOALS, TARGET_KINDS

user = ui.require("kpi")
ui.page_header("KPI detail", "Where does the value come from, and which records breach the target?")

rows = {str(r.id): r for r in ui.data.kpi_rows()}
ss = st.session_state
catalog = ui.data.catalog()

if not rows:
    ui.empty("No KPIs yet.")
else:
    kpi_id = st.selectbox(
        "KPI",
        list(rows),
        key="kpi_pick",
        index=ui.state.choice_index(
            "kpi_pick", list(rows), ui.state.param("kpi"), next(iter(rows))
        ),
        format_func=lambda k: (
            f"{GOAL_LABELS.get(rows[k].goal, rows[k].goal)} · {catalog[rows[k].metric].label}"
        ),
        on_change=lambda: ui.state.set_param("kpi", ss["kpi_pick"]),
    )
    ui.state.set_param("kpi", kpi_id)
    row = rows[kpi_id]
    m = catalog[row.metric]
    as_of = ui.state.as_of()
    # Filters outside the user's scope select nothing: no result, never the whole estate's.
    in_scope = ui.effective_filters()
    results = {} if in_scope is None else {r.id: r for r in ui.data.kpi_results(as_of, in_scope)}
    result = results.get(kpi_id)
    v = ui.mview(row.metric)
    cur = ui.data.currency()

    if result is not None and not ui.no_data_yet():
        left, right = st.columns([1, 2])
        with left:
            # a change target's own change; else the year-on-year one the Scorecard shows
            change = result.change if result.change is not None else ui.data.change_text(v, as_of)
            ui.widgets.kpi_tile(result, v, None, change, link=False)
            st.caption(m.description)
            if result.baseline_date:
                st.caption(
                    f"Baseline {result.baseline_date.isoformat()}: "
                    f"{ui.fmt.metric_value(result.baseline_value, m.unit, cur)}"
                )
        with right:
            series = ui.data.trend(v, as_of)
            target = result.target
            if row.target_kind.startswith("change_") and result.baseline_value is not None:
                target = result.baseline_value * (1 + result.target / 100)
            if v.reason:
                ui.empty(f"{m.label}: {v.reason}.")
            elif series["value"].notna().any():
                ui.widgets.chart(
                    ui.charts.trend(
                        series,
                        label=m.label,
                        unit=m.unit,
                        currency=cur,
                        target=target,
                        target_label="target",
                    ),
                    legend_below=True,
                )
        dims = [d for d in ui.data.dimensions(row.metric) if d in ui.DIM_LABELS]
        if dims and not v.reason:
            ui.section("Where it comes from")
            by = (
                st.segmented_control(
                    "Break down by",
                    dims,
                    default=dims[0],
                    format_func=lambda d: ui.DIM_LABELS[d],
                    key="kpi_by",
                )
                or dims[0]
            )
            ui.breakdown_chart(
                row.metric,
                by,
                key="kpi_breakdown",
                target=None if row.target_kind.startswith("change_") else None,
            )
        ui.section(
            "Breach records" if result.status in ("red", "amber") else "Records",
            "The records behind the value, under your filters and scope.",
        )
        if v.reason:
            ui.empty(f"{m.label}: {v.reason}.")
        else:
            frame = ui.data.breach_records(kpi_id, as_of, ui.effective_filters())
            ui.table(
                frame, name=f"kpi_{kpi_id}_{row.metric}", title=f"{m.label} — records", key="dl_kpi"
            )

    if ui.can_edit("kpi"):
        ui.section("Edit the target", "Changes are validated and written to the audit log.")
        with st.form("kpi_edit"):
            c = st.columns(4)
            kind = c[0].selectbox(
                "Target kind", TARGET_KINDS, index=TARGET_KINDS.index(row.target_kind)
            )
            target = c[1].number_input("Target", value=float(row.target), format="%.2f")
            tol = c[2].number_input(
                "Amber tolerance (blank: default)", value=row.tolerance, format="%.2f"
            )
            due = c[3].date_input("Due", value=row.due, min_value=dt.date(2000, 1, 1))
            c2 = st.columns(3)
            goal = c2[0].selectbox(
                "Goal", GOALS, index=GOALS.index(row.goal), format_func=GOAL_LABELS.get
            )
            owner = c2[1].text_input("Owner", value=row.owner or "")
            note = c2[2].text_input("Note", value=row.note or "")
            save = st.form_submit_button("Save", type="primary")
        if save:
            try:
                ui.data.update_kpi(
                    user.username,
                    kpi_id,
                    target_kind=kind,
                    target=target,
                    tolerance=tol,
                    due=due,
                    goal=goal,
                    owner=owner,
                    note=note,
                )
                st.success("Saved.")
                st.rerun()
            except ui.data.kpi_invalid() as exc:
                for err in exc.errors:
                    st.error(err)
        if st.button("Retire this KPI", key="kpi_retire", icon=":material/archive:"):
            ui.data.update_kpi(user.username, kpi_id, retired=True)
            ui.state.set_param("kpi", None)
            ss.pop("kpi_pick", None)
            st.rerun()
        with st.expander("Add a KPI"):
            with st.form("kpi_new"):
                c = st.columns(4)
                metric = c[0].selectbox(
                    "Metric", list(catalog), format_func=lambda k: catalog[k].label
                )
                ngoal = c[1].selectbox("Goal", GOALS, format_func=GOAL_LABELS.get)
                nkind = c[2].selectbox("Target kind", TARGET_KINDS)
                ntarget = c[3].number_input("Target", value=0.0, format="%.2f")
                add = st.form_submit_button("Add")
            if add:
                try:
                    new = ui.data.create_kpi(
                        user.username,
                        metric=metric,
                        goal=ngoal,
                        target_kind=nkind,
                        target=ntarget,
                        baseline_days=365 if nkind.startswith("change_") else None,
                    )
                    ui.state.set_param("kpi", str(new.id))
                    ss.pop("kpi_pick", None)
                    st.rerun()
                except ui.data.kpi_invalid() as exc:
                    for err in exc.errors:
                        st.error(err)
    ui.section("Audit log", "Who changed this KPI, when, and what.")
    log = ui.data.audit_entries(kpi_id)
    if log.empty:
        ui.empty("No changes recorded.")
    else:
        ui.change_log.show(log, name=f"kpi-{kpi_id}-changes", title="KPI changes", key="dl_kpi_log")
