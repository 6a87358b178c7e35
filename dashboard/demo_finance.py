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

from dashboard import store
from dashboard.demo import DEPARTMENTS, _frame
from metrics.params import fiscal_year_start

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


# ------------------------------------------------------------- the cfo variant

# US-dollar vendors (their contracts and bills), and the site buying in pounds.
USD_VENDORS = ("AWS", "Salesforce", "Atlassian", "Databricks", "MathWorks")
GBP_LOCATION = "London"


def _rate_table(frames: dict[str, pd.DataFrame]) -> dict[tuple[str, str], float]:
    fx = frames["fx_rates"]
    months = pd.to_datetime(fx["month"]).dt.strftime("%Y-%m")
    return dict(zip(zip(fx["currency"], months, strict=True), fx["rate"], strict=True))


def _to_currency(frame, mask, code, date_col, money_cols, rates) -> None:
    """Book the rows of `mask` in `code`: amount / rate of their month (same value in EUR)."""
    months = pd.to_datetime(frame[date_col]).dt.strftime("%Y-%m")
    rate = pd.Series([rates.get((code, m)) for m in months], index=frame.index, dtype="float64")
    mask = mask & rate.notna()  # rows older than the rates stay in euros
    for col in money_cols:
        frame[col] = frame[col].where(~mask, (frame[col] / rate).round(2))
    frame["currency"] = frame["currency"].where(~mask, code)


def _london(frames: dict[str, pd.DataFrame]) -> pd.Series:
    assets, people = frames["assets"], frames["people"]
    where = assets["assigned_to"].map(people.set_index("person_id")["location"])
    return assets["location"].fillna(where) == GBP_LOCATION


def _fiscal_budget(frames, as_of: dt.date, rng: np.random.Generator) -> pd.DataFrame:
    """Budgets per fiscal year (April), near the year's pace: 88-100 % used, last year 7 % less."""
    fys = fiscal_year_start(as_of, FISCAL_START_MONTH)
    elapsed = (as_of - fys).days + 1
    # Early in the year the trailing twelve months stand in for the pace.
    start, factor = (fys, 365 / elapsed) if elapsed >= 60 else (as_of - dt.timedelta(364), 1.0)

    def spent(frame, date_col, amount) -> float:
        dates = pd.to_datetime(frame[date_col]).dt.date
        return float(amount[(dates >= start) & (dates <= as_of)].sum())

    ents = frames["entitlements"]
    totals = {
        "hardware": spent(frames["assets"], "purchase_date", frames["assets"]["purchase_cost"]),
        "software": spent(ents, "purchase_date", ents["quantity"] * ents["unit_cost"]),
        "cloud": spent(frames["cloud_spend"], "month", frames["cloud_spend"]["cost"]),
    }
    cols: dict[str, list] = {k: [] for k in ("year", "spend_type", "department", "cost_center",
                                             "amount")}  # fmt: skip
    weights = np.array([d[2] for d in DEPARTMENTS])
    for year in (fys.year - 1, fys.year):
        for kind, total in totals.items():
            split = weights * rng.uniform(0.8, 1.2, len(weights))
            annual = total * factor / rng.uniform(0.88, 1.0) / (1.07 if year < fys.year else 1)
            for (dept, cc, _), part in zip(DEPARTMENTS, split / split.sum(), strict=True):
                for key, value in zip(cols, (year, kind, dept, cc, round(annual * part, 2)),
                                      strict=True):  # fmt: skip
                    cols[key].append(value)
    return _frame("budget", cols, len(cols["year"]))


def apply(variant: str, frames: dict[str, pd.DataFrame], as_of: dt.date, seed: int) -> None:
    """Turn the standard demo's frames into `variant` (in place)."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown demo variant {variant!r}; variants: {', '.join(VARIANTS)}")
    _support_and_depreciation(frames["assets"])
    if variant == "standard":
        return
    rng = np.random.default_rng([seed, 15])
    frames["budget"] = _fiscal_budget(frames, as_of, rng)  # from the spend in euros
    rates = _rate_table(frames)
    cloud, contracts, assets = frames["cloud_spend"], frames["contracts"], frames["assets"]
    _to_currency(cloud, cloud["provider"] == "AWS", "USD", "month", ("cost",), rates)
    _to_currency(contracts, contracts["vendor"].isin(USD_VENDORS), "USD", "start_date",
                 ("annual_value", "first_quote", "final_price"), rates)  # fmt: skip
    _to_currency(assets, _london(frames), "GBP", "purchase_date", ("purchase_cost",), rates)


def _support_and_depreciation(assets: pd.DataFrame) -> None:
    """Every demo: infrastructure's support ends 7 years after purchase; servers depreciate in 3."""
    infra = assets["category"].isin(["server", "network", "storage"])
    bought = pd.to_datetime(assets["purchase_date"])
    assets["end_of_support"] = (
        (bought + pd.DateOffset(years=7)).where(infra).astype(assets["end_of_support"].dtype)
    )
    servers = (assets["category"] == "server").to_numpy()
    assets["depreciation_months"] = pd.array(np.where(servers, 36, None), dtype="Int64")


def settle(engine, variant: str) -> None:
    """Settings the variant needs once written (its fiscal year)."""
    if variant == "cfo":
        store.set_setting(engine, "fiscal_year_start_month", str(FISCAL_START_MONTH))
