"""The organisation's settings: one registry for the Data page and `settings set/list`.

Each entry names a key of `app_settings`, its label, its default and how a
value is checked. Helpers add entries here (one `Setting(...)` each).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine

from dashboard import store
from metrics.fiscal import parse_start_month


class SettingError(ValueError):
    """A value a setting does not accept (the message says what would be)."""


@dataclass(frozen=True)
class Setting:
    key: str
    label: str
    default: str
    help: str
    clean: Callable[[str], str]  # the value as stored, or SettingError
    choices: tuple[tuple[str, str], ...] = ()  # (value, label): the Data page offers a list


def _organisation(value: str) -> str:
    text = " ".join(value.split())
    if not text:
        raise SettingError("the organisation name cannot be blank")
    if len(text) > 120:
        raise SettingError("the organisation name is longer than 120 characters")
    return text


def _currency(value: str) -> str:
    code = value.strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise SettingError(
            f"{value!r} is not a currency code: three letters, such as EUR, USD, GBP"
        )
    return code


def _fiscal_start(value: str) -> str:
    try:
        return str(parse_start_month(value))
    except ValueError as exc:
        raise SettingError(str(exc)) from None


def _hours(value: str) -> str:
    try:
        hours = float(value.strip())
    except ValueError:
        raise SettingError(f"{value!r} is not a number of hours (e.g. 8 or 0.5)") from None
    if not 0 < hours <= 24 * 90:
        raise SettingError("give a number of hours above 0 and at most 2160 (90 days)")
    return f"{hours:g}"


def _columns(value: str) -> str:
    text = value.strip()
    if not text.isdigit() or not 1 <= int(text) <= 16_384:
        raise SettingError(
            f"{value!r} is not a number of columns from 1 to 16384 (a sheet's width)"
        )
    return text


REGISTRY: dict[str, Setting] = {
    s.key: s
    for s in (
        Setting("organisation", "Organisation name", "Your organisation",
                "shown on the login page, the dashboards and the executive pack", _organisation),
        Setting("currency", "Currency", "EUR",
                "ISO 4217 code of the money in the data (EUR, USD, GBP, ...)", _currency),
        Setting("fiscal_year_start_month", "Fiscal year starts in month", "1",
                "1 = January ... 4 = April: year-to-date spend, budgets and projections "
                "follow it; a fiscal year is named by the year it starts in", _fiscal_start,
                tuple((str(m), calendar.month_name[m]) for m in range(1, 13))),
        Setting("session_idle_hours", "Log out after idle hours", "8",
                "a login ends after this many hours without use (issue 17)", _hours),
        Setting("session_absolute_hours", "Log out after hours", "24",
                "a login ends this many hours after it began, used or not", _hours),
        Setting("max_columns", "Most columns in an upload", "500",
                "a file or sheet with more columns is refused in one line (issue 17)", _columns),
    )
}  # fmt: skip


def setting(key: str) -> Setting:
    try:
        return REGISTRY[key]
    except KeyError:
        raise SettingError(f"unknown setting {key!r}; settings are {', '.join(REGISTRY)}") from None


def get(engine: Engine, key: str) -> str:
    """The stored value, else the default."""
    return store.get_setting(engine, setting(key).key) or setting(key).default


def put(engine: Engine, key: str, value: str) -> str:
    """Check and store a value; the value as stored."""
    clean = setting(key).clean(value)
    store.set_setting(engine, key, clean)
    return clean


def all_values(engine: Engine) -> list[dict]:
    """Every setting: key, label, value, whether it is the default, help."""
    out = []
    for s in REGISTRY.values():
        stored = store.get_setting(engine, s.key)
        out.append({"key": s.key, "label": s.label, "value": stored or s.default,
                    "default": not stored, "help": s.help})  # fmt: skip
    return out
