"""The as-of date turned into the bound parameters every metric SQL uses.

Date arithmetic happens here, in Python, so the SQL stays in the subset that
DuckDB and PostgreSQL share: windows compare against ready-made dates.
"""

from __future__ import annotations

import datetime as dt


def _month_start(day: dt.date, back: int = 0) -> dt.date:
    index = day.year * 12 + (day.month - 1) - back
    return dt.date(index // 12, index % 12 + 1, 1)


def _month_index(day: dt.date) -> int:
    """Months since year 0: the same number SQL computes as year x 12 + month."""
    return day.year * 12 + day.month


def fiscal_year_start(a: dt.date, start_month: int = 1) -> dt.date:
    """The first day of the fiscal year that holds `a` (metrics.md, "Fiscal year")."""
    year = a.year if a.month >= start_month else a.year - 1
    return dt.date(year, start_month, 1)


def fiscal_params(a: dt.date, start_month: int = 1) -> dict[str, object]:
    """The fiscal year's window, its share elapsed and the month counters of depreciation."""
    day = dt.timedelta(days=1)
    fy_start = fiscal_year_start(a, start_month)
    fy_end = dt.date(fy_start.year + 1, start_month, 1) - day
    days_in_fy = (fy_end - fy_start).days + 1
    # Depreciation charges a month at its last day: the months complete by A.
    months_done = _month_index(a) - (0 if (a + day).month != a.month else 1)
    return {
        "fy_start_month": start_month,
        "year_start": fy_start,
        # A fiscal year is named by the calendar year in which it starts.
        "year": fy_start.year,
        "year_fraction": ((a - fy_start).days + 1) / days_in_fy,
        "fy_end": fy_end,
        # The year-to-date pace continued over the days left (spend_projection_fy).
        "fy_rest_ratio": (fy_end - a).days / ((a - fy_start).days + 1),
        # Cloud: the run rate's monthly share times the months after A's month.
        "fy_cloud_rest_factor": (_month_index(fy_end) - _month_index(a)) / 3,
        "dep_months_done": months_done,
        "dep_months_done_p12": months_done + 12,
    }


def as_of_params(a: dt.date, fiscal_start_month: int = 1) -> dict[str, object]:
    """Named parameters for as-of date `a` (see metrics.md, "Conventions")."""
    day = dt.timedelta(days=1)
    return {
        "a": a,
        "a_m30": a - 30 * day,
        "a_m60": a - 60 * day,
        "a_m90": a - 90 * day,
        "a_m365": a - 365 * day,
        "a_p30": a + 30 * day,
        "a_p90": a + 90 * day,
        "a_p180": a + 180 * day,
        "a_p365": a + 365 * day,
        # "The end of day A": midnight at the end of A.
        "a_end": dt.datetime.combine(a + day, dt.time()),
        "month_a": _month_start(a),
        "month_a_m11": _month_start(a, 11),
        "month_a_m3": _month_start(a, 3),
        "month_a_m1": _month_start(a, 1),
        **fiscal_params(a, fiscal_start_month),
    }
