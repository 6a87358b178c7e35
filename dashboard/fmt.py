"""Numbers, money, dates and units as pages, exports and the CLI show them (pure)."""

from __future__ import annotations

import datetime as dt
import math

DEFAULT_CURRENCY = "EUR"
SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "CHF": "CHF ", "JPY": "¥"}

UNIT_SUFFIX = {"%": " %", "days": " days", "hours": " h", "years": " years", "score": " / 5"}


def is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def money(value, currency: str = DEFAULT_CURRENCY, compact: bool = True) -> str:
    """€1.2M, €350k, €980 (compact) or €1,234,567 (full); money is rounded only here."""
    if is_missing(value):
        return "–"
    symbol = SYMBOLS.get(currency, currency + " ")
    sign = "-" if value < 0 else ""
    v = abs(float(value))
    if compact and v >= 1e9:
        text = f"{v / 1e9:.2f}B"
    elif compact and v >= 1e6:
        text = f"{v / 1e6:.2f}M"
    elif compact and v >= 1e4:
        text = f"{v / 1e3:.1f}k"
    else:
        text = f"{v:,.0f}"
    return f"{sign}{symbol}{text}"


def number(value, decimals: int | None = None) -> str:
    if is_missing(value):
        return "–"
    v = float(value)
    if decimals is None:
        decimals = 0 if v == int(v) or abs(v) >= 100 else 1
    return f"{v:,.{decimals}f}"


def metric_value(value, unit: str, currency: str = DEFAULT_CURRENCY, compact: bool = True) -> str:
    """A metric's value in its unit ("count", "%", "money", "score", "days", "hours", "years")."""
    if is_missing(value):
        return "no data"
    if unit == "money":
        return money(value, currency, compact)
    if unit == "count":
        return number(value, 0)
    if unit == "%":
        return f"{float(value):,.1f} %"
    if unit == "score":
        return f"{float(value):.2f} / 5"
    return number(value, 1) + UNIT_SUFFIX.get(unit, "")


def exact_value(value, unit: str, currency: str = DEFAULT_CURRENCY) -> str | None:
    """The full figure behind a compact one (€35.1k → "€35,130"), or None when they agree:
    tiles show the compact text and this on hover, so a CFO can reconcile with the ledger."""
    if is_missing(value):
        return None
    full = metric_value(value, unit, currency, compact=False)
    return None if full == metric_value(value, unit, currency) else full


def target_text(kind: str, target, unit: str, currency: str = DEFAULT_CURRENCY) -> str:
    """`at_most 100` → "≤ 100.0 %"; change kinds as signed percentages."""
    if kind in ("change_at_most", "change_at_least"):
        op = "≤" if kind == "change_at_most" else "≥"
        return f"change {op} {float(target):+.0f} % vs one year before"
    if kind == "within":
        return f"within ±{metric_value(target, unit, currency)}"
    op = {"at_most": "≤", "at_least": "≥", "equals": "="}.get(kind, kind)
    return f"{op} {metric_value(target, unit, currency)}"


def change_text(change) -> str:
    if is_missing(change):
        return "no comparison"
    return f"{float(change):+.1f} % vs one year before"


def date_text(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def vega_format(unit: str, currency: str = DEFAULT_CURRENCY) -> str:
    """A d3 format string for axes and tooltips."""
    if unit == "money":
        return "$,.0f" if currency == "USD" else ",.0f"
    if unit == "count":
        return ",.0f"
    return ",.1f"


def axis_title(label: str, unit: str, currency: str = DEFAULT_CURRENCY) -> str:
    if unit == "money":
        return f"{label} ({currency})"
    if unit in ("%", "days", "hours", "years"):
        return f"{label} ({unit})"
    return label
