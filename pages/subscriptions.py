"""Subscriptions: the executive pack or your page digest by mail on a schedule, and KPI alerts.

Everyone manages their own; an administrator may manage anyone's. The mail goes to the
address in the users file; `python -m dashboard notify` (cron or a timer) sends it.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard import oplog, ui
from dashboard.ui import columns
from dashboard.ui import subscriptions as subs

me = ui.require("subscriptions")
ui.page_header("Subscriptions", "What comes to your inbox, and when?")
admin = ui.can_edit("subscriptions")

people = {u.username: u for u in subs.users()}
people.setdefault(me.username, me)
who = me.username
if admin:
    names = sorted(people)
    who = st.selectbox(
        "For user",
        names,
        index=names.index(me.username),
        key="subs_user",
        format_func=lambda n: f"{people[n].name} ({n})",
        help="As an administrator you may subscribe anyone and remove anyone's subscriptions.",
    )
user = people[who]
if user.email:
    st.caption(
        f"Mail goes to **{ui.widgets.plain(user.email)}** (the address in the users file), "
        "sent by `python -m dashboard notify`, which runs on a schedule on the server."
    )
else:
    st.warning(
        f"{ui.widgets.plain(user.name)} has no email address in the users file: nothing can be "
        "sent until an administrator adds one on the Users page.",
        icon=":material/mail_off:",
    )

ui.section("Subscribed")
flash = st.session_state.pop("subs_flash", None)  # said after the rerun that shows the change
if flash:
    st.success(flash, icon=":material/check_circle:")
frame = subs.table(who)
if frame.empty:
    ui.empty("No subscriptions yet: choose what you want below.")
else:
    st.dataframe(columns.readable(frame.drop(columns=["id", "user"]))[0], hide_index=True)
    with st.form("subs_remove"):
        pick = st.selectbox(
            "Subscription",
            list(frame["id"]),
            key="subs_remove_pick",
            format_func=lambda i: " · ".join(frame.loc[frame["id"] == i, ["what", "when"]].iloc[0]),
        )
        if st.form_submit_button("Unsubscribe", icon=":material/unsubscribe:"):
            try:
                gone = subs.remove(int(pick), None if admin else me.username)
                st.session_state["subs_flash"] = (
                    f"Unsubscribed from {subs.WHAT_WORDS[gone.what]} ({subs.describe(gone)})."
                )
                st.rerun()
            except subs.SubscriptionError as exc:
                st.error(str(exc))
if admin:
    everyone = subs.table(None)
    with st.expander(f"Everyone's subscriptions ({len(everyone)})", icon=":material/group:"):
        if everyone.empty:
            st.caption("Nobody has subscribed yet.")
        else:
            st.dataframe(
                columns.readable(everyone.drop(columns="id"))[0],
                hide_index=True,
                key="subs_everyone",
            )

ui.section(
    "Subscribe",
    "The pack and the digest come as a PDF on a schedule; alerts when a KPI changes status.",
)
whats = subs.whats_for(user)
what = st.radio(
    "What",
    whats,
    format_func=lambda w: {
        "pack": "Executive pack (PDF: scorecard, your role pages, breakdowns)",
        "digest": "Page digest (PDF: your landing page's tiles and charts)",
        "alerts": "KPI alerts (a mail when a KPI turns amber or red, or comes back to green)",
    }[w],
    key="subs_what",
)
if "pack" not in whats:
    st.caption("The executive pack is for the CIO, CFO, asset manager and administrator roles.")
every = day = at = None
if what != "alerts":
    c = st.columns(3)
    every = c[0].selectbox("Every", subs.EVERY, key="subs_every")
    if every == "weekly":
        day = c[1].selectbox("On", subs.WEEKDAYS, key="subs_weekday")
    else:
        day = c[1].selectbox(
            "On day",
            range(1, 32),
            key="subs_monthday",
            help="Past the month's end (31 in April) it comes on the month's last day.",
        )
    at = c[2].time_input("At (server time)", value=dt.time(7, 0), key="subs_at", step=900)
else:
    st.caption(
        "Alerts have no schedule: every run of `notify` compares each KPI's status with the last "
        "one you were told about. The first mail lists every KPI now amber or red."
    )
if st.button("Subscribe", type="primary", icon=":material/mail:", key="subs_add"):
    try:
        row = subs.add(who, what, every, day, at, by=me.username)
        st.session_state["subs_flash"] = (
            f"Subscribed to {subs.WHAT_WORDS[row.what]}, {subs.describe(row)}."
        )
        st.rerun()
    except subs.SubscriptionError as exc:
        st.error(str(exc))

if what != "alerts":
    as_of = ui.state.as_of()
    st.download_button(
        f"Preview {subs.WHAT_WORDS[what]} (PDF)",
        oplog.logged_download(
            f"{what} preview for {user.username}",
            me.username,
            lambda: subs.preview(user, what, as_of),
        ),
        f"{what}-preview-{as_of.isoformat()}.pdf",
        "application/pdf",
        key="subs_preview",
        icon=":material/picture_as_pdf:",
        on_click="ignore",
        help="What the mail would carry now, built for this user's roles and scope.",
    )
