"""The as-of date turned into the bound parameters every metric SQL uses.

Date arithmetic happens here, in Python, so the SQL stays in the subset that
DuckDB and PostgreSQL share: windows compare against ready-made dates.
"""

from __future__ import annotations

import datetime as dt


def _month_start(day: dt.date, back: int = 0) -> dt.date:
    index = day.year * 12 + (day.month - 1) - back
    return dt.date(index // 12, index % 12 + 1, 1)


def as_of_params(a: dt.date) -> dict[str, object]:
    """Named parameters for as-of date `a` (see metrics.md, "Conventions")."""
    day = dt.timedelta(days=1)
    year_start = dt.date(a.year, 1, 1)
    days_in_year = (dt.date(a.year + 1, 1, 1) - year_start).days
    return {
        "a": a,
        "a_m30": a - 30 * day,
        "a_m60": a - 60 * day,
        "a_m90": a - 90 * day,
        "a_m365": a - 365 * day,
        "a_p90": a + 90 * day,
        "a_p365": a + 365 * day,
        # "The end of day A": midnight at the end of A.
        "a_end": dt.datetime.combine(a + day, dt.time()),
        "month_a": _month_start(a),
        "month_a_m11": _month_start(a, 11),
        "month_a_m3": _month_start(a, 3),
        "month_a_m1": _month_start(a, 1),
        "year_start": year_start,
        "year": a.year,
        "year_fraction": ((a - year_start).days + 1) / days_in_year,
    }
