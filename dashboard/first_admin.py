"""The organisation's own first admin, created with the import that leaves the demo.

Leaving the demo removes the demo users; so that nobody is locked out, the Data
page asks the admin who imports for their own account (name, e-mail, username,
password) and logs them in as it. No streamlit here: the page and tests share it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dashboard import auth

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Admin:
    name: str
    email: str
    username: str
    password: str
    repeat: str


def problems(admin: Admin, config: dict | None = None) -> list[str]:
    """What keeps this account from being created (empty when it can be)."""
    out = []
    if not admin.name.strip():
        out.append("your name is blank")
    if not EMAIL.match(admin.email.strip()):
        out.append("the e-mail address is not one (name@example.org)")
    try:
        username = auth.validate_username(admin.username)
        users = (config or auth.load_config())["credentials"]["usernames"]
        entry = users.get(username)
        if entry is not None and not entry.get("demo"):  # a demo user of that name goes first
            out.append(f"the username {username!r} is taken")
    except auth.UserError as exc:
        out.append(str(exc))
    try:
        auth.validate_password(admin.password)
    except auth.UserError as exc:
        out.append(str(exc))
    if admin.password != admin.repeat:
        out.append("the two passwords differ")
    return out


def create(admin: Admin) -> str:
    """Add the admin to the users file (the demo users go with it); their username."""
    config = auth.load_config()
    found = problems(admin, config)
    if found:
        raise auth.UserError("; ".join(found))
    username = auth.validate_username(admin.username)
    auth.remove_demo_users(config)  # their passwords are public; `admin` may be reused
    auth.add_user(config, username, admin.password, ["admin"], name=admin.name.strip(),
                  email=admin.email.strip())  # fmt: skip
    auth.save_config(config)
    return username
