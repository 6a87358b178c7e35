"""The CFO's year (issue 15): fiscal year, depreciation, forward horizons.

Definitions: metrics.md, "Fiscal year", "Depreciation" and "Forward horizons".
Money is in the organisation's currency, each row converted at the rate of
its month (metrics/fx.py). The metrics join the existing categories.
"""

from __future__ import annotations

from metrics.catalog.base import ACTIVE, Metric, measure

NOT_IN_USE = "status NOT IN ('retired', 'disposed', 'lost', 'stolen')"
# On the organisation's books: owned, in use, bought by A.
BOOKED = f"ownership = 'owned' AND {NOT_IN_USE} AND purchase_date <= :a"

# fiscal_lines rows of the fiscal year to date, and of its budget.
SPENT_YTD = "line = 'spend' AND day >= :year_start AND day <= :a"
BUDGET_FY = "line = 'budget' AND year = :year"
CLOUD_RUN = "line = 'spend' AND spend_type = 'cloud' AND day >= :month_a_m3 AND day <= :month_a_m1"
COMMITTED = "line IN ('refresh', 'renewal') AND day > :a AND day <= :fy_end"

# spend_projection_fy, per line: spend so far (hardware and software at
# 1 + rest/elapsed days: the year's pace continued), the cloud run rate's share
# of the months left, and commitments falling due before the year ends.
PROJECTION = f"""CASE WHEN {COMMITTED} THEN amount
  ELSE (CASE WHEN {SPENT_YTD} THEN amount * (CASE WHEN spend_type = 'cloud' THEN 1
                                                  ELSE 1 + :fy_rest_ratio END) ELSE 0 END)
     + (CASE WHEN {CLOUD_RUN} THEN amount * :fy_cloud_rest_factor ELSE 0 END) END"""

ASSET_BOOK_COLUMNS = (
    "asset_tag", "category", "status", "manufacturer", "model", "purchase_date", "currency",
    "original_purchase_cost", "purchase_cost", "dep_months", "accumulated_depreciation",
    "book_value", "depreciation_next_12m", "department", "cost_center",
)  # fmt: skip
HORIZON_COLUMNS = (
    "asset_tag", "category", "status", "manufacturer", "model", "warranty_end",
    "end_of_support", "assigned_to", "department", "cost_center", "location",
)  # fmt: skip


def _fiscal(id: str, label: str, description: str, where: str, expr: str, **kw) -> Metric:
    return Metric(
        id, label, "cost", "money", kw.pop("direction", None), description,
        subject="fiscal_lines", agg="sum", expr=expr, where=where, roles=("cfo", "cio"),
        time_basis="dated", **kw,
    )  # fmt: skip


def _warranty(days: int) -> Metric:
    return Metric(
        f"warranty_expiring_{days}d", f"Warranties ending ({days} days)", "compliance", "count",
        None, f"Active assets whose warranty ends in the next {days} days.",
        subject="assets", where=f"{ACTIVE} AND warranty_end > :a AND warranty_end <= :a_p{days}",
        roles=("asset_manager", "cio", "technician"), records_columns=HORIZON_COLUMNS,
        time_basis="state",
    )  # fmt: skip


def _contracts(days: int, value: bool) -> Metric:
    suffix, what = ("_value", "Annual value of the contracts") if value else ("", "Contracts")
    return Metric(
        f"contracts_ending_{days}d{suffix}",
        f"Contract ends value ({days} days)" if value else f"Contracts ending ({days} days)", "cost",
        "money" if value else "count", None, f"{what} ending in the next {days} days.",
        subject="contracts", agg="sum" if value else "count",
        expr="annual_value" if value else "*",
        where=f"end_date > :a AND end_date <= :a_p{days}",
        roles=("cio", "cfo", "asset_manager"), time_basis="dated",
    )  # fmt: skip


MEASURES = (
    # budget_variance_pct_ytd's denominator: the budget to date, as budget_ytd.
    measure("budget_ytd_lines", "fiscal_lines", BUDGET_FY, agg="sum",
            expr="amount * :year_fraction"),
)  # fmt: skip

METRICS = (
    _fiscal(
        "spend_ytd",
        "Spend (fiscal year to date)",
        "Hardware bought, licences bought and cloud cost since the fiscal year began.",
        SPENT_YTD,
        "amount",
        direction="down",
    ),
    _fiscal(
        "budget_ytd",
        "Budget (fiscal year to date)",
        "The fiscal year's budget, pro rata to the day.",
        BUDGET_FY,
        "amount * :year_fraction",
    ),
    _fiscal(
        "budget_variance_ytd",
        "Over/under budget (YTD)",
        "Spend to date minus the budget to date: above 0 is over budget.",
        f"({SPENT_YTD}) OR ({BUDGET_FY})",
        "CASE WHEN line = 'budget' THEN -amount * :year_fraction ELSE amount END",
        direction="down",
    ),
    Metric(
        "budget_variance_pct_ytd",
        "Budget variance %",
        "cost",
        "%",
        "down",
        "Spend to date over or under the budget to date, as a percentage of that budget.",
        numerator=("budget_variance_ytd",),
        denominator="budget_ytd_lines",
        scale=100,
        roles=("cfo", "cio"),
        time_basis="dated",
    ),
    _fiscal(
        "spend_projection_fy",
        "Spend projection (fiscal year)",
        "Where the fiscal year's spend will end: spend so far, the cloud run rate, refreshes "
        "and software renewals falling due, and the hardware and software pace continued.",
        f"({SPENT_YTD}) OR ({CLOUD_RUN}) OR ({COMMITTED})",
        PROJECTION,
        direction="down",
    ),
    Metric(
        "net_book_value",
        "Net book value",
        "cost",
        "money",
        None,
        "Purchase cost less straight-line depreciation of owned assets in use.",
        subject="assets",
        agg="sum",
        expr="book_value",
        where=BOOKED,
        roles=("cfo",),
        records_columns=ASSET_BOOK_COLUMNS,
        time_basis="state",
    ),
    Metric(
        "depreciation_12m",
        "Depreciation (next 12 months)",
        "cost",
        "money",
        None,
        "Depreciation the owned assets in use will charge in the next 12 month ends.",
        subject="assets",
        agg="sum",
        expr="depreciation_next_12m",
        where=BOOKED,
        roles=("cfo",),
        records_columns=ASSET_BOOK_COLUMNS,
        time_basis="state",
    ),
    Metric(
        "fully_depreciated_active",
        "Fully depreciated, still active",
        "cost",
        "count",
        None,
        "Owned active assets whose book value has reached 0.",
        subject="assets",
        where=f"{ACTIVE} AND {BOOKED} AND fully_depreciated",
        roles=("cfo", "asset_manager"),
        records_columns=ASSET_BOOK_COLUMNS,
        time_basis="state",
    ),
    _warranty(30),
    _warranty(90),
    _warranty(180),
    _contracts(180, False),
    _contracts(180, True),
    _contracts(365, False),
    _contracts(365, True),
    Metric(
        "end_of_support_12m",
        "End of support (12 months)",
        "compliance",
        "count",
        "down",
        "Active assets whose vendor support ends in the next 365 days.",
        subject="assets",
        where=f"{ACTIVE} AND end_of_support > :a AND end_of_support <= :a_p365",
        roles=("asset_manager", "cio"),
        records_columns=HORIZON_COLUMNS,
        time_basis="state",
    ),
)
