"""The Streamlit entry script and router: `streamlit run dashboard/app.py`.

Every run: read the URL into the session (so a deep link survives the login),
check the cookie key, log the user in (cookie or form), then build
`st.navigation` from the pages the user's roles may open and run the chosen
one. A logged-out visitor gets a hidden navigation of every page path, each
showing only the login form, so the requested path and its parameters are
still there once the form is sent.
"""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st
import streamlit_authenticator as stauth

from dashboard import auth, history, store
from dashboard.ui import data, state, widgets

ROOT = Path(__file__).resolve().parent.parent
COOKIE_NAME = "itam_dashboard_auth"
COOKIE_DAYS = 7.0


# --------------------------------------------------------------- cookie key


def _secrets_key() -> str | None:
    try:
        value = st.secrets.get("cookie_key")
    except Exception:  # noqa: BLE001 - no secrets file at all
        return None
    return str(value) if value else None


@st.cache_resource(show_spinner=False)
def _ephemeral_key() -> str:
    """Demo mode without a key: one per server process (logins end with a restart)."""
    return auth.new_cookie_key()


def cookie_key(demo: bool) -> str | None:
    """The signing key, or None after saying why the app will not start."""
    key = os.environ.get("ITAM_COOKIE_KEY") or _secrets_key()
    problem = auth.cookie_key_problem(key)
    if problem is None:
        return key
    if demo:
        return _ephemeral_key()
    st.error(f"**The dashboard cannot start.** {problem}", icon=":material/key_off:")
    return None


# --------------------------------------------------------------- demo mode


def demo_state() -> bool:
    """Demo mode as the database says, ended by a real user in the users file; users file synced."""
    demo = data.demo_mode()
    config = auth.load_config()
    if demo and auth.has_real_users(config):
        store.set_setting(data.engine(), "demo_mode", "false")
        data.clear_settings()
        demo = False
    auth.sync_demo_users(demo)
    return demo


# --------------------------------------------------------------- login


def _authenticator(config: dict, key: str, demo: bool) -> stauth.Authenticate:
    # A deep copy (it mutates what it gets); no api_key (it would call a remote server);
    # login_sleep_time=0 so its cookie component's rerun cannot beat st.navigation.
    return stauth.Authenticate(
        auth.authenticator_credentials(config, demo),
        cookie_name=COOKIE_NAME,
        cookie_key=key,
        cookie_expiry_days=COOKIE_DAYS,
        auto_hash=False,
        login_sleep_time=0,
    )


def _cookie_login(authenticator: stauth.Authenticate) -> None:
    try:
        authenticator.login(location="unrendered")
    except stauth.LoginError:
        # A cookie for a user who is gone (removed, or a demo user after demo mode).
        _logout(authenticator)


def _logout(authenticator: stauth.Authenticate) -> None:
    try:
        authenticator.logout(location="unrendered")
    except stauth.LogoutError:
        pass
    for k in ("authentication_status", "username", "name", "roles", "_user"):
        st.session_state[k] = None


def _try_password(authenticator: stauth.Authenticate, username: str, password: str) -> str | None:
    """Log in with the form's values; an error message when that fails."""
    name = username.strip().lower()
    if not name or not password:
        return "Enter a username and a password."
    wait = auth.wait_seconds(name)
    if wait > 0:
        return f"Too many failed attempts for this username: try again in {wait:.0f} s."
    ok = authenticator.authentication_controller.login(name, password)
    if ok:
        auth.record_success(name)
        return None
    st.session_state["authentication_status"] = None
    count = auth.record_failure(name)
    delay = auth.delay_for(count)
    extra = f" Next attempt possible in {delay:.0f} s." if delay else ""
    return "Wrong username or password." + extra


def login_form(authenticator: stauth.Authenticate, demo: bool) -> None:
    """The login form (and the demo credentials in demo mode); cleared once logged in."""
    box = st.empty()
    with box.container():
        st.title(f"{data.organisation()} · IT asset dashboard")
        with st.form("login_form"):
            st.subheader("Log in")
            username = st.text_input("Username", autocomplete="username")
            password = st.text_input("Password", type="password", autocomplete="current-password")
            sent = st.form_submit_button("Log in", type="primary")
        if demo:
            st.info(
                "**Demo mode**: these accounts exist only while the demo data is loaded "
                "(importing your data or adding a real user removes them).",
                icon=":material/science:",
            )
            st.table(
                [
                    {"Role": auth.ROLE_LABELS[role], "Username": u, "Password": p}
                    for u, p, role, _ in auth.DEMO_USERS
                ]
            )
        message = _try_password(authenticator, username, password) if sent else None
        if message:
            st.error(message)
    if st.session_state.get("authentication_status"):
        box.empty()
        # Outside the emptied box: the cookie component must stay on the page to set the cookie.
        authenticator.cookie_controller.set_cookie()


def _blank() -> None:
    """The page behind every path while logged out: the form is drawn by the router."""


def logged_out_navigation() -> None:
    # Every real path exists (hidden), so /cfo?... stays /cfo?... until the user logs in.
    # The neutral default ("/") is no real page, so a plain login lands on the role's page.
    pages = [st.Page(_blank, title="Log in", url_path="login", default=True)] + [
        st.Page(_blank, title=spec.title, url_path=spec.key) for spec in auth.PAGES
    ]
    st.navigation(pages, position="hidden").run()


# --------------------------------------------------------------- the app


def user_box(authenticator: stauth.Authenticate, user: auth.User) -> bool:
    """Who is logged in, their scope, and the log-out button; False once logged out."""
    sb = st.sidebar
    roles = ", ".join(auth.ROLE_LABELS[r] for r in user.roles) or "no role"
    sb.markdown(f"**{user.name}**  \n{roles}")
    if user.scope:
        sb.caption("Scope: " + "; ".join(f"{k.replace('_', ' ')} = {', '.join(v)}" for k, v in user.scope.items()))
    if sb.button("Log out", key="logout_button", icon=":material/logout:"):
        _logout(authenticator)
        return False
    return True


def build_navigation(user: auth.User):
    specs = auth.pages_for(user.roles, ROOT)
    landing = auth.landing_page(user.roles)
    sections: dict[str, list] = {}
    objects = {}
    for spec in specs:
        page = st.Page(auth.page_file(spec, ROOT), title=spec.title, icon=spec.icon, url_path=spec.key)
        objects[spec.key] = page
        sections.setdefault(spec.section, []).append(page)
        if spec.key == landing:
            # The root URL shows the landing page through a hidden twin: Streamlit serves a
            # default page only at "/", and every real page must stay reachable by its path
            # (a shared /cio?department=... link opens for a CIO too).
            home = st.Page(auth.page_file(spec, ROOT), title=spec.title, icon=spec.icon,
                           url_path=f"{spec.key}-home", default=True, visibility="hidden")
            sections[spec.section].append(home)
    st.session_state["_pages_obj"] = objects
    current = st.navigation(sections)
    key = next((k for k, p in objects.items() if p.url_path == current.url_path), landing)
    return current, auth.PAGE_BY_KEY[key]


def _resolve_user(authenticator: stauth.Authenticate, config: dict, demo: bool) -> auth.User | None:
    """The logged-in user from the users file (roles and scope as they are now), or None."""
    if not st.session_state.get("authentication_status"):
        return None
    user = auth.get_user(config, st.session_state.get("username"), demo)
    if user is None or not user.roles:
        _logout(authenticator)
        st.error("This account has no access (no role, or it has been removed).")
        return None
    return user


def main() -> None:
    st.set_page_config(page_title="ITAM dashboard", page_icon=":material/monitoring:", layout="wide")
    # today's metric snapshot on the first request of the day (a thread; cheap afterwards)
    history.ensure_today(data.engine(), background=True)
    state.absorb_url()
    demo = demo_state()
    key = cookie_key(demo)
    if key is None:
        st.stop()
    config = auth.load_config()
    authenticator = _authenticator(config, key, demo)
    _cookie_login(authenticator)
    user = _resolve_user(authenticator, config, demo)
    if user is not None and not user_box(authenticator, user):
        user = None
    if user is None:
        login_form(authenticator, demo)
        user = _resolve_user(authenticator, config, demo)
        if user is None:
            logged_out_navigation()
            return
        user_box(authenticator, user)
    st.session_state["_user"] = user
    data.snapshot_today_in_background()
    page, spec = build_navigation(user)
    st.session_state["_page"] = spec.key
    if spec.filters:
        widgets.filter_bar()
    page.run()
    state.write_url(spec.key, always_as_of=spec.key == "explore")


main()
