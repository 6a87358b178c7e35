"""Subscriptions: who gets the executive pack, their page digest or KPI alerts, and when.

The store (add, list, remove) and the schedule rules, pure where they can be:
`latest_slot` is the rule `notify` sends by. Weekly defaults to Monday,
monthly to the 1st, the time to 07:00 server time (issue 13). A monthly day
past the month's end (31 in April) falls on the month's last day.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import select

from dashboard.database import session
from dashboard.models import AlertState, NotifySend, Subscription

WHATS: tuple[str, ...] = ("pack", "digest", "alerts")
WHAT_LABELS = {"pack": "Executive pack", "digest": "Page digest", "alerts": "KPI alerts"}
# The same in a sentence ("Subscribed to the executive pack").
WHAT_WORDS = {"pack": "the executive pack", "digest": "a page digest", "alerts": "KPI alerts"}
EVERY: tuple[str, ...] = ("weekly", "monthly")
WEEKDAYS: tuple[str, ...] = tuple(calendar.day_name)  # Monday .. Sunday
DEFAULT_AT = "07:00"
DEFAULT_DAY = {"weekly": 0, "monthly": 1}


class SubscriptionError(ValueError):
    """A subscription that cannot be made (unknown user, bad day or time, a duplicate ...)."""


@dataclass(frozen=True)
class Schedule:
    every: str
    day: int
    at: dt.time


# ------------------------------------------------------------------ parsing


def parse_day(every: str, text: str | int | None) -> int:
    """Weekly: a weekday name or its first three letters (Monday = 0); monthly: 1-31."""
    if text is None or str(text).strip() == "":
        return DEFAULT_DAY[every]
    word = str(text).strip().lower()
    if every == "weekly":
        for i, name in enumerate(WEEKDAYS):
            if word in (name.lower(), name[:3].lower()):
                return i
        raise SubscriptionError(
            f"--day for weekly must be a weekday (Monday ... Sunday), got {text!r}"
        )
    if word.isdigit() and 1 <= int(word) <= 31:
        return int(word)
    raise SubscriptionError(
        f"--day for monthly must be a day of the month from 1 to 31, got {text!r}"
    )


def parse_at(text: str | None) -> str:
    """HH:MM (24-hour), normalised to two digits each."""
    if text is None or not str(text).strip():
        return DEFAULT_AT
    hh, sep, mm = str(text).strip().partition(":")
    if sep and hh.isdigit() and mm.isdigit() and int(hh) < 24 and int(mm) < 60 and len(mm) == 2:
        return f"{int(hh):02d}:{mm}"
    raise SubscriptionError(f"--at must be a time HH:MM (24-hour, server time), got {text!r}")


def schedule_of(sub: Subscription) -> Schedule | None:
    if sub.what == "alerts" or not sub.every:
        return None
    hh, mm = (int(x) for x in (sub.at_time or DEFAULT_AT).split(":"))
    return Schedule(
        sub.every, DEFAULT_DAY[sub.every] if sub.day is None else sub.day, dt.time(hh, mm)
    )


def describe(sub: Subscription) -> str:
    """ "weekly on Monday at 07:00", "monthly on day 1 at 07:00", "when a KPI changes status"."""
    sched = schedule_of(sub)
    if sched is None:
        return "when a KPI changes status (checked on every run)"
    on = WEEKDAYS[sched.day] if sched.every == "weekly" else f"day {sched.day}"
    return f"{sched.every} on {on} at {sched.at.strftime('%H:%M')}"


# ------------------------------------------------------------------ slots


def _monthly_slot(year: int, month: int, sched: Schedule) -> dt.datetime:
    day = min(sched.day, calendar.monthrange(year, month)[1])
    return dt.datetime.combine(dt.date(year, month, day), sched.at)


def latest_slot(sched: Schedule, now: dt.datetime) -> dt.datetime:
    """The schedule's latest time at or before `now`."""
    if sched.every == "weekly":
        back = (now.weekday() - sched.day) % 7
        slot = dt.datetime.combine(now.date() - dt.timedelta(days=back), sched.at)
        return slot if slot <= now else slot - dt.timedelta(days=7)
    slot = _monthly_slot(now.year, now.month, sched)
    if slot <= now:
        return slot
    year, month = (now.year, now.month - 1) if now.month > 1 else (now.year - 1, 12)
    return _monthly_slot(year, month, sched)


# ------------------------------------------------------------------ store


def add(
    engine: Engine,
    username: str,
    what: str,
    every: str | None = None,
    day: str | int | None = None,
    at: str | None = None,
    *,
    by: str | None = None,
    known_users: set[str] | None = None,
) -> Subscription:
    """A new subscription, validated; `known_users` (from the users file) refuses unknown names."""
    username = (username or "").strip().lower()
    if not username:
        raise SubscriptionError("give the user (--user NAME)")
    if known_users is not None and username not in known_users:
        raise SubscriptionError(f"no such user in the users file: {username!r}")
    if what not in WHATS:
        raise SubscriptionError(f"--what must be one of {', '.join(WHATS)}, got {what!r}")
    if what == "alerts":
        if every or day not in (None, "") or at:
            raise SubscriptionError(
                "KPI alerts have no schedule: they are checked on every run "
                "(leave out --every, --day and --at)"
            )
        row = Subscription(username=username, what=what)
    else:
        every = every or "weekly"
        if every not in EVERY:
            raise SubscriptionError(f"--every must be weekly or monthly, got {every!r}")
        row = Subscription(
            username=username,
            what=what,
            every=every,
            day=parse_day(every, day),
            at_time=parse_at(at),
        )
    if any(_same(row, s) for s in list_all(engine, username)):
        raise SubscriptionError(
            f"{username} already has this subscription ({WHAT_LABELS[what]}, {describe(row)})"
        )
    row.created_at = dt.datetime.now().replace(microsecond=0)
    row.created_by = by
    with session(engine) as s:
        s.add(row)
        s.commit()
        s.refresh(row)
    return row


def _same(a: Subscription, b: Subscription) -> bool:
    return (a.username, a.what, a.every, a.day, a.at_time) == (
        b.username,
        b.what,
        b.every,
        b.day,
        b.at_time,
    )


def list_all(engine: Engine, username: str | None = None) -> list[Subscription]:
    with session(engine) as s:
        query = select(Subscription).order_by(Subscription.username, Subscription.id)
        if username:
            query = query.where(Subscription.username == username.strip().lower())
        return list(s.exec(query))


def get(engine: Engine, sub_id: int | str) -> Subscription:
    try:
        key = int(sub_id)
    except (TypeError, ValueError):
        raise SubscriptionError(f"no subscription with id {sub_id!r}") from None
    with session(engine) as s:
        row = s.get(Subscription, key)
    if row is None:
        raise SubscriptionError(f"no subscription with id {sub_id}")
    return row


def remove(engine: Engine, sub_id: int | str, username: str | None = None) -> Subscription:
    """Delete a subscription with its send records and alert states; `username` limits it to theirs."""
    row = get(engine, sub_id)
    if username is not None and row.username != username.strip().lower():
        raise SubscriptionError(f"subscription {sub_id} is not {username}'s")
    with session(engine) as s:
        for model in (NotifySend, AlertState):
            for dep in s.exec(select(model).where(model.subscription_id == row.id)):
                s.delete(dep)
        s.delete(s.get(Subscription, row.id))
        s.commit()
    return row


def last_sends(engine: Engine, sub_ids: list[int]) -> dict[int, NotifySend]:
    """Each subscription's latest send record (sent or failed), for the list and the page."""
    if not sub_ids:
        return {}
    with session(engine) as s:
        rows = s.exec(
            select(NotifySend)
            .where(NotifySend.subscription_id.in_(sub_ids))
            .order_by(NotifySend.id)
        )
        return {r.subscription_id: r for r in rows}


def to_json(sub: Subscription, last: NotifySend | None = None) -> dict:
    """The `subscriptions list --json` row."""
    return {
        "id": sub.id, "user": sub.username, "what": sub.what, "every": sub.every,
        "day": None if sub.day is None else (WEEKDAYS[sub.day] if sub.every == "weekly" else sub.day),
        "at": sub.at_time, "schedule": describe(sub), "created_at": sub.created_at.isoformat(sep=" "),
        "created_by": sub.created_by,
        "last_send": None if last is None else {
            "slot": last.slot.isoformat(sep=" "), "status": last.status, "attempts": last.attempts,
            "sent_at": last.sent_at.isoformat(sep=" ") if last.sent_at else None,
        },
    }  # fmt: skip
