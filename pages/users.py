"""Users (admin): who may log in, their roles and scopes, their sessions and login delays,
and the audit log of logins and changes. The users file is the truth for users."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import audit, auth, navigation, sessions, ui

me = ui.require("users")
ui.page_header("Users", "Who may log in, with which roles, seeing which part of the organisation.")
st.caption(f"Users file: `{auth.auth_file()}` (also managed with `python -m dashboard users`).")

engine = ui.data.engine()
config = auth.load_config()
users = auth.list_users(config, demo_mode=True)
live = sessions.live_sessions(engine)
delays = sessions.locked_users(engine)


def _delay(username: str) -> str:
    info = delays.get(username)
    if not info:
        return ""
    wait = f", next try in {info['wait_s']:.0f} s" if info["wait_s"] >= 1 else ""
    return f"{info['failures']} failed{wait}"


frame = pd.DataFrame(
    [
        {
            "username": u.username,
            "name": u.name,
            "email": u.email or "",
            "roles": ", ".join(u.roles),
            "scope": "; ".join(f"{k}={', '.join(v)}" for k, v in u.scope.items()) or "everything",
            "demo": u.demo,
            "sessions": live.get(u.username, 0),
            "login delay": _delay(u.username),
        }
        for u in users
    ]
)
st.dataframe(frame, hide_index=True)


def _note(
    change: str, username: str, detail: dict | None = None, *, end_sessions: bool = False
) -> None:
    """Audit an admin's change; end the user's sessions when it calls for it."""
    detail = dict(detail or {})
    if end_sessions:
        ended = sessions.revoke_user(engine, username)
        if ended:
            detail["sessions_ended"] = ended
    audit.record(engine, change, username, actor=me.username, detail=detail or None)


def _scope_inputs(prefix: str, current: dict[str, list[str]] | None = None) -> dict[str, list[str]]:
    current = current or {}
    cols = st.columns(len(auth.SCOPE_DIMS))  # one per user-scope dimension (the registry's)
    out = {}
    for col, dim in zip(cols, auth.SCOPE_DIMS, strict=True):
        options = list(
            dict.fromkeys(ui.data.members(dim, ui.data.version()) + current.get(dim, []))
        )
        out[dim] = col.multiselect(
            f"Scope: {ui.DIM_LABELS[dim].lower()}",
            options,
            default=current.get(dim, []),
            key=f"{prefix}_{dim}",
            placeholder="everything",
        )
    return {k: v for k, v in out.items() if v}


def _save(message: str) -> None:
    auth.save_config(config)
    st.success(message)


with st.expander("Add a user", icon=":material/person_add:"):
    with st.form("user_add", clear_on_submit=True):
        c = st.columns(3)
        username = c[0].text_input("Username")
        name = c[1].text_input("Name")
        email = c[2].text_input("E-mail")
        c = st.columns(2)
        password = c[0].text_input("Password (8 characters or more)", type="password")
        roles = c[1].multiselect("Roles", auth.ROLES, format_func=navigation.ROLE_LABELS.get)
        scope = _scope_inputs("add")
        add = st.form_submit_button("Add user", type="primary")
    if add:
        try:
            had_demo = any(u.demo for u in users)
            auth.add_user(
                config, username, password, roles, name=name or None, email=email, scope=scope
            )
            _save(f"Added {username.strip().lower()}.")
            _note(
                "user_added",
                username.strip().lower(),
                {"roles": list(roles), "scope": scope or "everything"},
            )
            if had_demo or ui.data.demo_mode():
                ui.data.end_demo_mode()
                st.warning(
                    "Demo mode has ended: the demo users are removed. Log in as a real user."
                )
        except auth.UserError as exc:
            st.error(str(exc))

if users:
    names = [u.username for u in users]
    pick = st.selectbox("Change a user", names, key="users_pick")
    target = next(u for u in users if u.username == pick)
    with st.form("user_edit"):
        roles = st.multiselect(
            "Roles", auth.ROLES, default=list(target.roles), format_func=navigation.ROLE_LABELS.get
        )
        scope = _scope_inputs("edit", target.scope)
        password = st.text_input("New password (blank: unchanged)", type="password")
        save = st.form_submit_button("Save changes", type="primary")
    if save:
        try:
            auth.set_roles(config, pick, roles)
            auth.set_scope(config, pick, scope)
            if password:
                auth.set_password(config, pick, password)
            _save(f"Saved {pick}.")
            new_roles = auth.parse_roles(roles)
            if tuple(new_roles) != tuple(target.roles):
                _note("roles_changed", pick, {"roles": new_roles}, end_sessions=True)
            if auth.clean_scope(scope) != target.scope:
                _note("scope_changed", pick, {"scope": auth.clean_scope(scope) or "everything"})
            if password:
                _note("password_changed", pick, end_sessions=True)
            if pick == me.username and (password or tuple(new_roles) != tuple(target.roles)):
                st.info("Your own sessions have ended with this change: log in again.")
        except auth.UserError as exc:
            st.error(str(exc))
    cols = st.columns(3)
    if pick != me.username and cols[0].button(f"Remove {pick}", icon=":material/person_remove:"):
        auth.remove_user(config, pick)
        _save(f"Removed {pick}.")
        _note("user_removed", pick, end_sessions=True)
        st.rerun()
    if pick in delays and cols[1].button(
        f"Unlock {pick}",
        icon=":material/lock_open:",
        help="Lift the login delay after failed attempts",
    ):
        sessions.unlock(engine, pick)
        _note("unlocked", pick)
        st.rerun()
    if (
        pick != me.username
        and live.get(pick)
        and cols[2].button(f"Log {pick} out everywhere", icon=":material/logout:")
    ):
        _note("sessions_revoked", pick, end_sessions=True)
        st.rerun()

addresses = sessions.locked_addresses(engine)
if addresses:  # an office behind one address is slowed as one: lift it here (issue 17)
    st.subheader("Addresses with a login delay")
    st.caption(
        "Failed logins from one address slow every login from it; lift the delay once you know "
        "who it was."
    )
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "address": ip,
                    "failed logins": d["failures"],
                    "next try in (s)": round(d["wait_s"]),
                }
                for ip, d in addresses.items()
            ]
        ),
        hide_index=True,
    )
    address = st.selectbox("Address", list(addresses), key="unlock_address_pick")
    if st.button("Unlock address", icon=":material/lock_open:", key="unlock_address"):
        sessions.unlock(engine, "", key=sessions.address_key(address))
        audit.record(engine, "unlocked", None, actor=me.username, detail={"ip": address})
        st.rerun()

st.subheader("Audit log")
st.caption(
    "Logins, failed logins, login delays, log-outs and user changes, newest first "
    "(passwords are never recorded)."
)
entries = audit.recent(engine, 500)
if entries:
    st.dataframe(
        pd.DataFrame(entries).rename(
            columns={
                "when": "When",
                "by": "By",
                "action": "What",
                "user": "User",
                "detail": "Detail",
            }
        ),
        hide_index=True,
        column_config={"When": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm:ss")},
    )
else:
    st.info(
        "Nothing recorded yet: logins and user changes will appear here.", icon=":material/history:"
    )
