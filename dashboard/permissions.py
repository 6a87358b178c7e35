"""What a user may see: data kinds by role, rows by scope.

Role -> pages stays in `navigation.PAGES`; this module answers the other question
every export, document, download and CLI command asks before it reads data:
may this user have this kind of data, and which rows of it? Pure Python (no
streamlit): the pages, the CLI, the mail/PDF sender and the tests share it.

    access = access_for(user)
    if access.may("pack"):
        report.build_pack(engine, as_of, filters, access=access)

`scoped(filters)` narrows requested filters to the scope. A request that
selects nothing inside the scope raises `OutsideScope`: returning None or {}
would read as "no filters", which is the whole estate.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dashboard import auth, navigation
from metrics import dimensions

Filters = dict[str, list[str]]

MANAGEMENT = ("cio", "cfo", "asset_manager", "admin")
# Data kind -> the roles that may have it. Pack sections follow the role pages that show
# the same figures (a CIO may open the CFO and Asset manager pages, so their sheets too).
KINDS: dict[str, tuple[str, ...]] = {
    "pack": MANAGEMENT,
    "pack:scorecard": MANAGEMENT,
    "pack:cio": navigation.PAGE_BY_KEY["cio"].roles,
    "pack:cfo": navigation.PAGE_BY_KEY["cfo"].roles,
    "pack:asset_manager": navigation.PAGE_BY_KEY["asset_manager"].roles,
    "pack:spend": navigation.PAGE_BY_KEY["cfo"].roles,
    # A sheet per breakdown the pack carries (metrics/dimensions.py, `in_pack`).
    **{f"pack:by_{dim}": MANAGEMENT for dim in dimensions.names(in_pack=True)},
    "budget": navigation.PAGE_BY_KEY["cfo"].roles,
    "package_export": navigation.PAGE_BY_KEY["data"].edit_roles,
    "package_import": navigation.PAGE_BY_KEY["data"].edit_roles,
    "strategy_export": navigation.PAGE_BY_KEY["strategy"].roles,
    "strategy_scope": navigation.PAGE_BY_KEY["strategy"].roles,
    "records": auth.ROLES,
}
# The roles named in a pack's cover for each sheet the pack may hold.
PACK_KINDS = (
    "pack:scorecard",
    "pack:cio",
    "pack:cfo",
    "pack:asset_manager",
    *(f"pack:by_{dim}" for dim in dimensions.names(in_pack=True)),
    "pack:spend",
)


class OutsideScope(ValueError):
    """The requested filters select nothing inside the user's scope."""


class Refused(PermissionError):
    """The user may not have this kind of data (the message says why)."""


@dataclass(frozen=True)
class Access:
    """A user's roles and scope, and the questions asked of them."""

    roles: tuple[str, ...]
    scope: Filters = field(default_factory=dict)
    username: str | None = None

    def may(self, kind: str) -> bool:
        """Whether any of the roles may have data of `kind` (unknown kinds: never)."""
        allowed = KINDS.get(kind)
        if allowed is None:
            return False
        return bool(set(self.roles) & set(allowed))

    def require(self, kind: str) -> None:
        """Raise `Refused` unless `may(kind)`."""
        if not self.may(kind):
            roles = ", ".join(navigation.ROLE_LABELS.get(r, r) for r in self.roles) or "no role"
            raise Refused(f"{kind.replace('_', ' ')} is not available to your role(s): {roles}")

    def scoped(self, filters: Filters | None) -> Filters:
        """`filters` narrowed to the scope; raises OutsideScope when they select nothing in it."""
        got = auth.scoped_filters(filters, self.scope)
        if got is None:
            raise OutsideScope(
                f"your filters select nothing in your scope ({scope_text(self.scope)})"
            )
        return got

    @property
    def is_scoped(self) -> bool:
        return bool(self.scope)

    def scope_line(self) -> str:
        """The scope in words, for covers and captions."""
        return scope_text(self.scope)


def scope_text(scope: Filters | None) -> str:
    if not scope:
        return "the whole estate"
    return "; ".join(f"{k.replace('_', ' ')} = {' or '.join(v)}" for k, v in scope.items())


def access_for(user: auth.User | None) -> Access:
    """The access of a logged-in user (roles and scope as the users file says now)."""
    if user is None:
        return Access(roles=(), scope={})
    return Access(
        roles=tuple(user.roles), scope=auth.clean_scope(user.scope), username=user.username
    )


def access_for_name(username: str, config: dict | None = None) -> Access:
    """The access of the user `username` in the users file (the CLI's --as-user); ValueError
    when there is no such user or they have no role."""
    config = config if config is not None else auth.load_config()
    user = auth.get_user(config, username.strip().lower(), demo_mode=True)
    if user is None or not user.roles:
        raise ValueError(f"no user {username!r} with a role in {auth.auth_file()}")
    return access_for(user)


def operator() -> Access:
    """The CLI run by whoever runs the server: every kind, the whole estate."""
    return Access(roles=auth.ROLES, scope={}, username=None)
