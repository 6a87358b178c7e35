"""Single sign-on (OpenID Connect) beside the local users file, through Streamlit's `st.login`.

Configured in `.streamlit/secrets.toml` as Streamlit documents:

    [auth]
    redirect_uri = "https://itam.example.org/oauth2callback"
    cookie_secret = "a long random string"
    client_id = "..."
    client_secret = "..."
    server_metadata_url = "https://idp.example.org/.well-known/openid-configuration"

and mapped to roles and scopes by the `[sso]` table (all optional):

    [sso]
    label = "Contoso ID"            # the button says "Sign in with Contoso ID"
    groups_claim = "groups"         # the ID-token claim listing the user's groups
    username_claim = "email"        # then preferred_username, then sub
    [sso.roles]                     # group -> role (defaults: itam-admin, itam-cio, ...)
    itam-cfo = "cfo"
    [sso.scope]                     # claim -> dimension the user is limited to
    department = "department"

Roles and scope are read from the identity token's claims at every run (what
the provider says now), never stored. A user with no mapped group is refused
with a message. Local users stay possible (the break-glass admin).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import streamlit as st

from dashboard import auth

DEFAULT_ROLES = {
    "itam-admin": "admin",
    "itam-cio": "cio",
    "itam-cfo": "cfo",
    "itam-asset-manager": "asset_manager",
    "itam-technician": "technician",
}
AUTH_KEYS = ("redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url")


@dataclass(frozen=True)
class Settings:
    label: str = "single sign-on"
    groups_claim: str = "groups"
    username_claim: str = "email"
    roles: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_ROLES))
    scope: Mapping[str, str] = field(default_factory=dict)  # claim -> dimension


class Refused(Exception):
    """Signed in at the provider, but no role here (the message says why and what to do)."""


def settings_from(secrets: Mapping) -> Settings | None:
    """The SSO settings when `[auth]` names a provider completely, else None."""
    auth_table = secrets.get("auth") or {}
    if not all(auth_table.get(k) for k in AUTH_KEYS):
        return None
    sso = dict(secrets.get("sso") or {})
    roles = {str(g).lower(): str(r) for g, r in dict(sso.get("roles") or DEFAULT_ROLES).items()}
    unknown = sorted(set(roles.values()) - set(auth.ROLES))
    if unknown:
        raise ValueError(f"[sso.roles] in secrets.toml names unknown roles: {', '.join(unknown)}")
    return Settings(
        label=str(sso.get("label") or "single sign-on"),
        groups_claim=str(sso.get("groups_claim") or "groups"),
        username_claim=str(sso.get("username_claim") or "email"),
        roles=roles,
        scope={str(k): str(v) for k, v in dict(sso.get("scope") or {}).items()},
    )


def _values(claim: object) -> list[str]:
    """A claim as a list of strings (a list, or one string of comma/space-separated values)."""
    if claim is None:
        return []
    if isinstance(claim, (list, tuple)):
        return [str(v).strip() for v in claim if str(v).strip()]
    return [v for v in str(claim).replace(",", " ").split() if v]


def username_of(claims: Mapping, settings: Settings) -> str:
    for key in (settings.username_claim, "preferred_username", "email", "sub"):
        value = claims.get(key)
        if value:
            return str(value).strip().lower()
    raise Refused("The identity provider sent no user name (no email, preferred_username or sub).")


def user_from_claims(claims: Mapping, settings: Settings) -> auth.User:
    """The dashboard user the token's claims describe; Refused when no group maps to a role."""
    username = username_of(claims, settings)
    groups = _values(claims.get(settings.groups_claim))
    roles = tuple(r for r in auth.ROLES if r in {settings.roles.get(g.lower()) for g in groups})
    if not roles:
        named = ", ".join(groups) if groups else "none"
        raise Refused(
            f"You are signed in at {settings.label} as {username}, but none of your groups "
            f"({named}) gives access to this dashboard. Ask your administrator to add you to one "
            f"of: {', '.join(sorted(settings.roles))}."
        )
    scope = {dim: _values(claims.get(claim)) for claim, dim in settings.scope.items()}
    name = str(claims.get("name") or username)
    email = claims.get("email")
    return auth.User(
        username, name, str(email) if email else None, roles, {d: v for d, v in scope.items() if v}
    )


# ------------------------------------------------------------------ Streamlit side


def settings() -> Settings | None:
    try:
        return settings_from(st.secrets.to_dict())
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001 - no secrets file at all, or an unreadable one
        return None


def signed_in() -> bool:
    try:
        return bool(st.user.is_logged_in)
    except Exception:  # noqa: BLE001 - st.user needs a configured [auth]
        return False


def current_user() -> auth.User | Refused | None:
    """The signed-in SSO user (claims mapped now), a Refused, or None when not signed in."""
    conf = settings()
    if conf is None or not signed_in():
        return None
    try:
        return user_from_claims(st.user.to_dict(), conf)
    except Refused as exc:
        return exc


def login_button() -> None:
    """'Sign in with <provider>' under the login form, when single sign-on is configured."""
    conf = settings()
    if conf is None:
        return
    st.button(
        f"Sign in with {conf.label}", key="sso_login", icon=":material/badge:", on_click=st.login
    )


def refusal(refused: Refused) -> None:
    """The refusal, and a way to sign out of the provider's account here."""
    st.error(str(refused), icon=":material/block:")
    st.button("Sign out of single sign-on", key="sso_logout", on_click=st.logout)
