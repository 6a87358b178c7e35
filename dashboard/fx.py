"""Currencies at import: codes upper-cased and checked, every foreign row given a rate.

Called once by the importer's validation (`check_currencies`). A row whose
`currency` is neither blank nor the organisation's (the `currency` setting,
default EUR) needs a rate in `fx_rates` for the month its money converts at
(`schema.MONEY_DATES`; a budget row: its fiscal year's first month), from the
same upload or already stored. Without one the row is an error naming the
sheet, row and column (metrics.md, "Currencies").
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from sqlalchemy import Engine, text

from dashboard import schema, store
from dashboard.readers import error
from metrics import fiscal

CODE = re.compile(r"^[A-Z]{3}$")
DEFAULT_CURRENCY = "EUR"


def check_currencies(out, engine: Engine | None, replace: bool) -> list[dict]:
    """Errors for bad codes and missing rates in a validated upload (`importer.Validated`)."""
    errors: list[dict] = []
    for name, frame in out.frames.items():
        if "currency" in frame.columns:
            errors += _normalise_codes(out, name, frame)
    if errors:
        return errors
    own, start_month = _settings(engine)
    rates = _rate_keys(out, engine, replace)
    for name, date_col in schema.MONEY_DATES.items():
        frame = out.frames.get(name)
        if frame is not None and frame["currency"].notna().any():
            errors += _missing_rates(out, name, frame, date_col, own, start_month, rates)
    return errors


def _normalise_codes(out, name: str, frame: pd.DataFrame) -> list[dict]:
    codes = frame["currency"].astype("str").str.upper().where(frame["currency"].notna())
    frame["currency"] = codes
    bad = (codes.notna() & ~codes.fillna("").str.match(CODE)).to_numpy()
    return [
        error(out.sheets[name], int(row), "currency", value,
              "a currency is a three-letter ISO 4217 code, such as USD or GBP")
        for row, value in zip(out.rows[name][bad], codes[bad], strict=True)
    ]  # fmt: skip


def _settings(engine: Engine | None) -> tuple[str, int]:
    if engine is None:
        return DEFAULT_CURRENCY, 1
    own = (store.get_setting(engine, "currency") or DEFAULT_CURRENCY).strip().upper()
    return own, fiscal.start_month(engine)


def _month_keys(currency: pd.Series, months: pd.Series) -> pd.Series:
    return currency.astype("str") + "|" + pd.to_datetime(months).dt.strftime("%Y-%m")


def _rate_keys(out, engine: Engine | None, replace: bool) -> set[str]:
    """'USD|2026-05' for every rate the data will hold, and 'USD|*' per currency."""
    frames = []
    if "fx_rates" in out.frames:
        frames.append(out.frames["fx_rates"][["currency", "month"]])
    if engine is not None and not (replace and "fx_rates" in out.frames):
        with engine.connect() as conn:
            stored = conn.execute(text("SELECT currency, month FROM fx_rates")).all()
        frames.append(pd.DataFrame(stored, columns=["currency", "month"]))
    rates = (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame({"currency": [], "month": []})
    )
    keys = set(_month_keys(rates["currency"], rates["month"]))
    return keys | {f"{c}|*" for c in rates["currency"].astype("str")}


def _missing_rates(out, name, frame, date_col, own, start_month, rates) -> list[dict]:
    foreign = frame["currency"].notna() & (frame["currency"] != own)
    if date_col is None:  # budget: the fiscal year named by `year` starts in start_month
        months = pd.to_datetime(
            {"year": frame["year"].astype("float"), "month": start_month, "day": 1}
        )
    else:
        months = pd.to_datetime(frame[date_col])
    dated = months.notna()
    keys = _month_keys(frame["currency"], months.fillna(pd.Timestamp("1900-01-01")))
    any_rate = frame["currency"].astype("str") + "|*"
    ok = np.where(dated, keys.isin(rates), any_rate.isin(rates))
    bad = (foreign & ~ok).to_numpy()
    found = []
    for row, code, month, has_date in zip(
        out.rows[name][bad], frame["currency"][bad], months[bad], dated[bad], strict=True
    ):
        when = f"for {month:%Y-%m}" if has_date else "at all (the row has no date)"
        found.append(error(
            out.sheets[name], int(row), "currency", code,
            f"no exchange rate for {code} {when}: add a row to fx_rates "
            f"(currency, month, rate = {own} per {code})",
        ))  # fmt: skip
    return found
