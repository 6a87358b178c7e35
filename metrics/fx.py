"""Money in the organisation's currency: SQL that converts a row at its month's rate.

A row whose `currency` is blank (or is the organisation's own, the setting
`currency`, default EUR) is taken as it is; any other is multiplied by the
rate of `fx_rates` for that currency and the month of the row's date (the
date each table converts at: `dashboard.schema.MONEY_DATES`). Where that month
has no rate (rates replaced after the import checked them, a blank date) the
currency's latest rate stands in. The SQL is in the subset DuckDB and
PostgreSQL share and needs no parameter but `:fy_start_month` for budgets.
"""

from __future__ import annotations

from metrics.store.schema import table

# The organisation's currency (the `currency` setting), upper-case; EUR when unset.
ORG_CURRENCY = (
    "(SELECT upper(coalesce(max(value), 'EUR')) FROM app_settings WHERE key = 'currency')"
)

# Monthly rates of the other currencies (the own one needs none).
MONTHLY = f"(SELECT currency, month, rate FROM fx_rates WHERE currency <> {ORG_CURRENCY})"

# Each other currency's rate of its latest month, and the own currency at 1. The
# own currency is matched here rather than by a per-row comparison with the
# setting: a join on a handful of rows costs a few milliseconds at a million rows.
LATEST = f"""(SELECT r.currency, r.rate FROM fx_rates r
  JOIN (SELECT currency, max(month) AS month FROM fx_rates GROUP BY currency) lm
    ON lm.currency = r.currency AND lm.month = r.month
  WHERE r.currency <> {ORG_CURRENCY}
  UNION ALL SELECT {ORG_CURRENCY}, 1.0)"""

# The money columns that carry the row's currency, per table.
MONEY_COLUMNS = {
    "assets": ("purchase_cost",),
    "entitlements": ("unit_cost",),
    "license_events": ("unit_value",),
    "contracts": ("annual_value", "first_quote", "final_price"),
    "cloud_spend": ("cost",),
    "budget": ("amount",),
}


def month_of(date_sql: str) -> str:
    """The first day of the month of a date, as a DATE."""
    return f"CAST(date_trunc('month', {date_sql}) AS DATE)"


def budget_month(alias: str) -> str:
    """A budget row converts at the rate of its fiscal year's first month."""
    return f"make_date(CAST({alias}.year AS INTEGER), CAST(:fy_start_month AS INTEGER), 1)"


def joins(alias: str, month_sql: str) -> str:
    """LEFT JOINs giving row `alias` its month's rate (fx_m) and the latest one (fx_l)."""
    return (
        f"LEFT JOIN {MONTHLY} {alias}_fxm ON {alias}_fxm.currency = {alias}.currency "
        f"AND {alias}_fxm.month = {month_sql}\n"
        f"LEFT JOIN {LATEST} {alias}_fxl ON {alias}_fxl.currency = {alias}.currency"
    )


def rate(alias: str) -> str:
    """Units of the organisation's currency per unit of the row's currency."""
    return (
        f"CASE WHEN {alias}.currency IS NULL THEN 1.0 "
        f"ELSE coalesce({alias}_fxm.rate, {alias}_fxl.rate) END"
    )


def select_converted(name: str, alias: str, columns: tuple[str, ...] | None = None) -> str:
    """The columns of `name` with its money columns converted; originals as `original_<col>`."""
    money = MONEY_COLUMNS[name]
    names = columns if columns is not None else table(name).names
    out = []
    for col in names:
        if col in money:
            out.append(f'{alias}."{col}" * {rate(alias)} AS "{col}"')
        else:
            out.append(f'{alias}."{col}"')
    out += [f'{alias}."{col}" AS "original_{col}"' for col in money]
    out.append(f"{rate(alias)} AS fx_rate")
    return ",\n  ".join(out)
