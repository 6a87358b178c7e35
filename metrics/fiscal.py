"""The settings metric parameters depend on: the fiscal year's first month.

`fiscal_year_start_month` (1-12, default 1) is kept with the data
(app_settings), so that every process computing metrics on one database
agrees on the fiscal year.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, text

from metrics.params import as_of_params

SETTING = "fiscal_year_start_month"
DEFAULT_START_MONTH = 1


def parse_start_month(value: object) -> int:
    """A month number 1-12 from a setting's text; ValueError naming the problem."""
    text_value = str(value).strip()
    if not text_value.isdigit() or not 1 <= int(text_value) <= 12:
        raise ValueError(
            f"{SETTING} must be a month number from 1 (January) to 12 (December), not {value!r}"
        )
    return int(text_value)


def start_month(engine: Engine) -> int:
    """The stored fiscal year start month; 1 when unset (or unreadable)."""
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT value FROM app_settings WHERE key = :k"), {"k": SETTING}
        ).first()
    try:
        return parse_start_month(row[0]) if row and row[0] else DEFAULT_START_MONTH
    except ValueError:
        return DEFAULT_START_MONTH


def params(engine: Engine, day: dt.date) -> dict[str, object]:
    """`as_of_params` with the database's fiscal year."""
    return as_of_params(day, start_month(engine))
