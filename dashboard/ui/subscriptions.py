"""The Subscriptions page's data: a user's subscriptions, adding and removing them, and
a preview of what the mail would carry (the PDF as `notify` builds it for that user).

Every role may subscribe; only admins may manage someone else's (auth's edit_roles).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard import auth, navigation, permissions, subscriptions
from dashboard.ui import data

# The page's words and choices come from the store's rules (pages import only dashboard.ui).
SubscriptionError = subscriptions.SubscriptionError
WHAT_LABELS, WHAT_WORDS = subscriptions.WHAT_LABELS, subscriptions.WHAT_WORDS
EVERY, WEEKDAYS, describe = subscriptions.EVERY, subscriptions.WEEKDAYS, subscriptions.describe


def users() -> list[auth.User]:
    """The users who may log in now (the users file; demo users while demo mode lasts)."""
    return auth.list_users(auth.load_config(), demo_mode=data.demo_mode())


def whats_for(user: auth.User) -> list[str]:
    """What this user may subscribe to: the pack needs a pack role, alerts the KPI page."""
    access = permissions.access_for(user)
    out = []
    if access.may("pack"):
        out.append("pack")
    out.append("digest")
    if navigation.can_open(user.roles, "kpi"):
        out.append("alerts")
    return out


def table(username: str | None) -> pd.DataFrame:
    """One row per subscription (all users' when `username` is None), with the last send."""
    rows = subscriptions.list_all(data.engine(), username)
    last = subscriptions.last_sends(data.engine(), [r.id for r in rows])
    out = []
    for r in rows:
        sent = last.get(r.id)
        out.append({
            "id": r.id, "user": r.username, "what": subscriptions.WHAT_LABELS[r.what],
            "when": subscriptions.describe(r),
            "last mail": f"{sent.status} · {sent.slot:%Y-%m-%d %H:%M}" if sent else "nothing sent yet",
            "since": r.created_at.strftime("%Y-%m-%d"),
        })  # fmt: skip
    return pd.DataFrame(out, columns=["id", "user", "what", "when", "last mail", "since"])


def add(username: str, what: str, every: str | None, day, at: dt.time | None, by: str):
    known = {u.username for u in users()}
    at_text = at.strftime("%H:%M") if at else None
    return subscriptions.add(
        data.engine(), username, what, every, day, at_text, by=by, known_users=known
    )


def remove(sub_id: int, username: str | None):
    """Remove one subscription; `username` limits it to that user's (None: an admin, any)."""
    return subscriptions.remove(data.engine(), sub_id, username=username)


def preview(user: auth.User, what: str, as_of: dt.date) -> bytes:
    """The PDF the mail would carry today: built for `user`'s roles and scope."""
    # only for a preview: dashboard.pdf brings fpdf and the chart renderer (≈1.8 s)
    from dashboard import pdf

    access = permissions.access_for(user)
    if what == "pack":
        return pdf.pack_pdf(data.engine(), as_of, None, access=access, made_for=user.name)
    return pdf.digest_pdf(data.engine(), as_of, None, access=access, made_for=user.name)
