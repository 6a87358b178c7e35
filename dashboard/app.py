"""The Streamlit entry script and router: `streamlit run dashboard/app.py`.

Every run: read the URL into the session (so a deep link survives the login),
check the cookie key, find the user's server-side session (this tab's token or
the HttpOnly cookie's; else the login form), then build
`st.navigation` from the pages the user's roles may open and run the chosen
one. A logged-out visitor gets a hidden navigation of every page path, each
showing only the login form, so the requested path and its parameters are
still there once the form is sent.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import streamlit as st
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime.scriptrunner import get_script_run_ctx

if __name__ != "__main__":
    # Imported to build the ASGI app (the end of this file): Streamlit checks the cached
    # functions of the modules below before its runtime exists and warns once for each.
    import logging

    logging.getLogger("streamlit.runtime.caching.cache_data_api").setLevel(logging.ERROR)

from dashboard import auth, history, login, navigation, oidc, oplog, sessions, store, web
from dashboard.ui import data, state, widgets

ROOT = Path(__file__).resolve().parent.parent
COOKIE_NAME = web.COOKIE_NAME


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
    if auth.sync_demo_users(demo) and not demo:
        # The demo users are gone: so are their sessions (a demo `admin` never opens a real one).
        for username, *_ in auth.DEMO_USERS:
            sessions.revoke_user(data.engine(), username)
    return demo


# --------------------------------------------------------------- login
#
# The browser holds only a signed, random session token in an HttpOnly cookie;
# the session itself (user, times, revocation) is a row in the database, read
# on every run (dashboard/sessions.py). The script cannot set an HttpOnly cookie,
# so after the form's password is checked the browser is sent once through a
# small server route (dashboard/web.py) that sets it from a one-time ticket.

TOKEN = "_session_token"  # this browser tab's token, once known


def _engine():
    return data.engine()


def _in_browser() -> bool:
    """A real browser session (AppTest has no request headers and no redirects)."""
    try:
        return isinstance(st.context.headers.get("host"), str)
    except Exception:  # noqa: BLE001 - no context outside a server
        return False


def client_ip() -> str | None:
    """The client's address; behind a trusted reverse proxy (ITAM_TRUST_PROXY=1) its X-Forwarded-For."""
    if os.environ.get("ITAM_TRUST_PROXY", "").strip() in ("1", "true", "yes"):
        forwarded = st.context.headers.get("x-forwarded-for", "")
        if isinstance(forwarded, str) and forwarded.strip():
            return forwarded.split(",")[0].strip()[:64]
    ip = st.context.ip_address
    return ip if isinstance(ip, str) else None  # AppTest has a stand-in object here


def _redirect(url: str) -> None:
    """Send the browser to `url` (Streamlit's own st.login/st.logout message)."""
    ctx = get_script_run_ctx()
    if ctx is None:
        return
    msg = ForwardMsg()
    msg.auth_redirect.url = url
    ctx.enqueue(msg)


def _here() -> str:
    """This page's path and query, to come back to after the cookie route."""
    path = urlsplit(st.context.url or "/").path or "/"
    query = urlencode([(k, v) for k in st.query_params for v in st.query_params.get_all(k)])
    return path + (f"?{query}" if query else "")


def send_cookie(token: str, key: str) -> None:
    """Have the browser fetch its HttpOnly cookie for `token`, then come back here.

    Also used after a single sign-on login: create_session(source="oidc") then this.
    """
    if not _in_browser():
        return
    ticket = sessions.issue_ticket(_engine(), web.sign(token, key))
    _redirect(f"{web.url_path(web.START_PATH)}?{urlencode({'ticket': ticket, 'next': _here()})}")
    with st.spinner("Logging in…"):
        st.stop()


def _legacy_login() -> str | None:
    """Server code (and tests) may mark this session logged in with `authentication_status`
    and `username`; it becomes a real database session at once (the browser cannot set these)."""
    if st.session_state.get("authentication_status") is True and st.session_state.get("username"):
        username = str(st.session_state["username"])
        for k in ("authentication_status", "username"):
            st.session_state.pop(k, None)
        return sessions.create_session(_engine(), username, ip=client_ip())
    return None


def session_username(key: str) -> str | None:
    """Who this run belongs to: the tab's token, else the cookie's; None when neither is live.

    A token presented but no longer live (logged out, revoked, timed out) is kept in
    `_ended_token`, so a single sign-on identity cannot quietly open a new session over it.
    """
    st.session_state.pop("_ended_token", None)
    fresh = None if st.session_state.get(TOKEN) else _legacy_login()
    token = st.session_state.get(TOKEN) or fresh
    if token is None:
        token = web.unsign(st.context.cookies.get(COOKIE_NAME), key)  # not a str: None
    username = sessions.resolve_session(_engine(), token) if token else None
    if username is None:
        st.session_state.pop(TOKEN, None)
        if token:
            st.session_state["_ended_token"] = token
        return None
    st.session_state[TOKEN] = token
    if fresh:  # made by server code (leaving the demo logs its new admin in): the cookie too
        send_cookie(fresh, key)
    return username


def _forget_sso_identity() -> None:
    """Delete the session cookie and Streamlit's provider identity (its /auth/logout), then home."""
    if _in_browser():
        _redirect(
            f"{web.url_path(web.END_PATH)}?{urlencode({'next': web.url_path('/auth/logout')})}"
        )
    else:
        st.logout()


def _logout() -> None:
    user = st.session_state.get("_user")
    login.logout(_engine(), st.session_state.pop(TOKEN, None), user.username if user else None)
    st.session_state["_user"] = None
    if oidc.signed_in():
        _forget_sso_identity()  # also the provider's identity here, or the next run signs in again
        st.stop()  # nothing after it in this run (it would sign the user in again)
    if _in_browser():
        _redirect(f"{web.url_path(web.END_PATH)}?next={web.url_path('/')}")


def login_form(key: str, config: dict, demo: bool) -> None:
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
                    {"Role": navigation.ROLE_LABELS[role], "Username": u, "Password": p}
                    for u, p, role, _ in auth.DEMO_USERS
                ]
            )
        oidc.login_button()
        if not sent:
            return
        outcome = login.attempt(
            _engine(), config, username, password, ip=client_ip(), demo_mode=demo
        )
        if outcome.message:
            st.error(outcome.message)
            return
    box.empty()
    st.session_state[TOKEN] = outcome.token
    send_cookie(outcome.token, key)


def _blank() -> None:
    """The page behind every path while logged out: the form is drawn by the router."""


def logged_out_navigation() -> None:
    # Every real path exists (hidden), so /cfo?... stays /cfo?... until the user logs in.
    # The neutral default ("/") is no real page, so a plain login lands on the role's page.
    pages = [st.Page(_blank, title="Log in", url_path="login", default=True)] + [
        st.Page(_blank, title=spec.title, url_path=spec.key) for spec in navigation.PAGES
    ]
    st.navigation(pages, position="hidden").run()


# --------------------------------------------------------------- the app


def user_box(user: auth.User) -> bool:
    """Who is logged in, their scope, and the log-out button; False once logged out."""
    sb = st.sidebar
    roles = ", ".join(navigation.ROLE_LABELS[r] for r in user.roles) or "no role"
    sb.markdown(f"**{widgets.plain(user.name)}**  \n{roles}")  # names come from the data / SSO
    if user.scope:
        scope = "; ".join(f"{k.replace('_', ' ')} = {', '.join(v)}" for k, v in user.scope.items())
        sb.caption("Scope: " + widgets.plain(scope))
    if sb.button("Log out", key="logout_button", icon=":material/logout:"):
        _logout()
        return False
    return True


def build_navigation(user: auth.User):
    specs = navigation.pages_for(user.roles, ROOT)
    landing = navigation.landing_page(user.roles)
    sections: dict[str, list] = {}
    objects = {}
    for spec in specs:
        page = st.Page(
            navigation.page_file(spec, ROOT), title=spec.title, icon=spec.icon, url_path=spec.key
        )
        objects[spec.key] = page
        sections.setdefault(spec.section, []).append(page)
        if spec.key == landing:
            # The root URL shows the landing page through a hidden twin: Streamlit serves a
            # default page only at "/", and every real page must stay reachable by its path
            # (a shared /cio?department=... link opens for a CIO too).
            home = st.Page(
                navigation.page_file(spec, ROOT),
                title=spec.title,
                icon=spec.icon,
                url_path=f"{spec.key}-home",
                default=True,
                visibility="hidden",
            )
            sections[spec.section].append(home)
    st.session_state["_pages_obj"] = objects
    current = st.navigation(sections)
    key = next((k for k, p in objects.items() if p.url_path == current.url_path), landing)
    return current, navigation.PAGE_BY_KEY[key]


def _ended_for(username: str) -> bool:
    ended = st.session_state.get("_ended_token")
    return bool(ended) and sessions.session_owner(_engine(), ended) == username


def _resolve_user(key: str, config: dict, demo: bool) -> auth.User | None:
    """The logged-in user from the users file (roles and scope as they are now), or None."""
    username = session_username(key)
    sso = oidc.current_user()  # single sign-on: roles and scope from the token's claims, now
    if isinstance(sso, oidc.Refused):
        oidc.refusal(sso)  # with a button to sign out of the provider's account (then the form)
        st.stop()
    if username is None and sso is not None and _ended_for(sso.username):
        # This browser's session of that user has ended (logout elsewhere, revoked, timed out):
        # the provider's sign-in predates that, so it must happen again.
        _forget_sso_identity()
        st.stop()
    if username is None and sso is not None:  # back from the provider: a session like a local one
        token = sessions.create_session(_engine(), sso.username, source="oidc", ip=client_ip())
        # The JSON line of a local login (audit.record) has its single sign-on twin here.
        oplog.app_event(
            "login", user=sso.username, what=f"ip {client_ip() or 'local'}, source oidc"
        )
        st.session_state[TOKEN] = token
        send_cookie(token, key)
        username = sso.username
    if username is None:
        return None
    if sso is not None and sso.username == username:
        return sso
    user = auth.get_user(config, username, demo)
    if user is None or not user.roles:
        sessions.revoke_session(_engine(), st.session_state.pop(TOKEN, None))
        st.error("This account has no access (no role, or it has been removed).")
        return None
    return user


def main() -> None:
    st.set_page_config(
        page_title="ITAM dashboard", page_icon=":material/monitoring:", layout="wide"
    )
    # today's metric snapshot on the first request of the day (a thread; cheap afterwards)
    history.ensure_today(data.engine(), background=True)
    state.absorb_url()
    demo = demo_state()
    key = cookie_key(demo)
    if key is None:
        st.stop()
    config = auth.load_config()
    user = _resolve_user(key, config, demo)
    if user is not None and not user_box(user):
        user = None
    if user is None:
        login_form(key, config, demo)
        user = _resolve_user(key, config, demo)
        if user is None:
            logged_out_navigation()
            return
        user_box(user)
    st.session_state["_user"] = user
    data.snapshot_today_in_background()
    page, spec = build_navigation(user)
    st.session_state["_page"] = spec.key
    if spec.filters:
        widgets.filter_bar()
    page.run()
    state.write_url(spec.key, always_as_of=spec.key == "explore")


if __name__ == "__main__":
    main()  # Streamlit runs this file as __main__ for every script run
else:
    # Imported (not run): `streamlit run dashboard/app.py` finds this ASGI app and serves
    # the script through it, with the cookie routes and security headers of dashboard/web.py.
    from dashboard import health  # /healthz, the CLI job worker, contained errors (helper F)

    app = st.App(
        __file__,
        routes=web.routes() + health.routes(),
        middleware=web.middleware(),
        **health.app_options(),
    )
