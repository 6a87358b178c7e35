"""The demo's money in more than one currency, and its fiscal-year variant (issue 15).

Every demo carries monthly exchange rates (`fx_rates`) for two currencies.
The `cfo` variant (`python -m dashboard demo --variant cfo`) also books the
cloud provider's bills in US dollars and the London site's hardware in pounds,
converted back at each month's rate so the totals tell the same story, and
runs a fiscal year that starts in April, with budgets set per fiscal year.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

# Units of the organisation's currency (EUR) per unit, around which the demo's
# monthly rates wander by a few per cent.
RATES = {"USD": 0.92, "GBP": 1.17}
MONTHS = 36
FISCAL_START_MONTH = 4
VARIANTS = ("standard", "cfo")


def _month_starts(as_of: dt.date, months: int) -> list[dt.date]:
    out, y, m = [], as_of.year, as_of.month
    for _ in range(months):
        out.append(dt.date(y, m, 1))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]


def fx_rates(est, rng: np.random.Generator) -> pd.DataFrame:
    """Monthly rates of the last three years (to the as-of month) for each demo currency."""
    from dashboard.demo import _frame

    months = _month_starts(est.as_of, MONTHS)
    currency, month, rate = [], [], []
    for code, base in RATES.items():
        walk = np.cumsum(rng.normal(0, 0.01, len(months)))
        walk -= walk.mean()
        for day, drift in zip(months, walk, strict=True):
            currency.append(code)
            month.append(np.datetime64(day, "D"))
            rate.append(round(base * (1 + drift), 4))
    return _frame(
        "fx_rates", {"currency": currency, "month": np.array(month), "rate": rate}, len(rate)
    )
