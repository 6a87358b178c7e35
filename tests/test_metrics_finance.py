"""Issue 15's metrics against hand-computed values (metrics.md: "Fiscal year",
"Currencies", "Depreciation", "Forward horizons").

Each case names the fiscal year's first month and the organisation's currency
it runs with (the settings `fiscal_year_start_month` and `currency`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest

from dashboard import store
from metrics import api
from tests.metric_fixtures import (
    A,
    asset,
    budget,
    close,
    cloud,
    contract,
    day,
    db_fixture,  # noqa: F401  (the `db` fixture)
    entitlement,
    event,
    load,
    metrics_db_fixture,  # noqa: F401
)


@dataclass
class FinCase:
    id: str
    tables: dict[str, list[dict]]
    expected: dict[str, float | None]
    as_of: dt.date = A
    start_month: int = 1
    currency: str | None = None
    by: tuple[str, str] | None = None  # (metric, dimension): expected maps member -> value
    settings: dict[str, str] = field(default_factory=dict)


def fx(currency: str, month: str, rate: float) -> dict:
    return {"currency": currency, "month": month, "rate": rate}


# ------------------------------------------------------------ fiscal year
# Fiscal year from April: A = 2027-02-10 lies in FY2026 = 2026-04-01 .. 2027-03-31
# (365 days). Days elapsed 2026-04-01 .. A = 316, days left after A = 49.
FY_A = dt.date(2027, 2, 10)
F = 316 / 365
FISCAL = {
    "assets": [
        asset("H1", purchase_date="2026-03-31", purchase_cost=1000, department="Sales"),  # FY2025
        asset("H2", purchase_date="2026-04-01", purchase_cost=200, department="Sales"),
        asset("H3", purchase_date="2027-02-10", purchase_cost=50, department="IT"),  # on A
        asset("H4", purchase_date="2027-02-11", purchase_cost=999),  # after A
        # Refreshes: laptops (4 years). R1 falls due 2027-03-15, inside the rest
        # of the year; R2's (2027-01-15) is already past; R3 is leased.
        asset("R1", purchase_date="2023-03-15", purchase_cost=800, department="IT"),
        asset("R2", purchase_date="2023-01-15", purchase_cost=300),
        asset("R3", purchase_date="2023-03-15", purchase_cost=700, ownership="leased"),
    ],
    "entitlements": [
        entitlement("E1", "T1", 2, unit_cost=30, purchase_date="2026-12-15", department="IT"),
        entitlement("E2", "T1", 1, unit_cost=500, purchase_date="2026-03-01"),  # FY2025
    ],
    "cloud_spend": [
        cloud("2026-03-01", 7),  # FY2025
        cloud("2026-04-01", 10),
        cloud("2026-11-01", 20),
        cloud("2026-12-01", 40),
        cloud("2027-01-01", 80),
        cloud("2027-02-01", 160),  # A's month: spent to date
    ],
    "contracts": [
        # A software renewal before the year ends (counted), a SaaS one after
        # it, and a maintenance contract (not software) inside it.
        contract("C1", 1200, "software", "2026-04-01", "2027-03-31"),
        contract("C2", 5000, "saas", "2026-04-02", "2027-04-01"),
        contract("C3", 3000, "hardware_maintenance", "2026-03-02", "2027-03-01"),
    ],
    "budget": [
        budget(2026, "hardware", 1000, department="Sales"),
        budget(2026, "software", 500, department="IT"),
        budget(2026, "cloud", 1500),
        budget(2027, "hardware", 99999),  # FY2027 starts 2027-04-01
        budget(2025, "hardware", 7),
    ],
}
# Spent in FY2026 to A: hardware 200 + 50, software 2 x 30, cloud 10+20+40+80+160.
SPENT = 200 + 50 + 60 + 310
BUDGET = 3000 * F
# Projection: hardware and software (310) at 1 + 49/316; cloud to date 310; the
# run rate (Nov + Dec + Jan = 140) for the one month after A's (March): 140/3;
# refresh R1 800; renewal C1 1200.
PROJECTION = 310 * (1 + 49 / 316) + 310 + 140 / 3 + 800 + 1200

# Calendar year instead: as of the same day, 2027 so far is H3 50, cloud January
# and February 240; 2027's budget is 99999, 41 days of 365 elapsed.
CALENDAR_SPENT = 50 + 80 + 160
CALENDAR_BUDGET = 99999 * 41 / 365

# ------------------------------------------------------------- currencies
# The organisation's currency is EUR (the default). Rates: USD May 0.9, June
# 0.8; GBP January 1.1, June 1.2.
RATES = [
    fx("USD", "2026-05-01", 0.9),
    fx("USD", "2026-06-01", 0.8),
    fx("GBP", "2026-01-01", 1.1),
    fx("GBP", "2026-06-01", 1.2),
]
CURRENCIES = {
    "fx_rates": RATES,
    "assets": [
        asset("U1", purchase_date="2026-05-20", purchase_cost=100, currency="USD"),  # 90
        asset("U2", purchase_date="2026-06-10", purchase_cost=100, currency="USD"),  # 80
        asset("U3", purchase_date="2026-06-10", purchase_cost=50),  # blank: EUR
        asset("U4", purchase_date="2026-06-10", purchase_cost=10, currency="EUR"),  # own
    ],
    "entitlements": [
        entitlement("E1", "T1", 2, unit_cost=50, purchase_date="2026-06-15", currency="USD"),
    ],
    "license_events": [
        event("L1", "2026-06-20", quantity=3, unit_value=10, currency="USD"),
    ],
    "contracts": [
        contract("K1", 1000, "saas", "2026-05-01", "2026-08-01", currency="USD"),
    ],
    "cloud_spend": [cloud("2026-06-01", 100, currency="GBP")],
    # A budget converts at its fiscal year's first month: January 2026.
    "budget": [budget(2026, "hardware", 1000, currency="GBP")],
}
CONVERTED_SPEND = 90 + 80 + 50 + 10 + 80 + 120

# ----------------------------------------------------------- depreciation
# A = 2026-06-30, a month's last day: June's charge is in. Laptops 48 months.
DEPRECIATION = {
    "assets": [
        # 6 months charged (Jan-Jun): 4800 x 6/48 = 600 -> 4200; next 12: 1200.
        asset("D1", purchase_date="2026-01-15", purchase_cost=4800),
        # Desktop (60 months) bought 2020: fully depreciated, in stock.
        asset("D2", "desktop", "in_stock", purchase_date="2020-01-10", purchase_cost=1000),
        # Server over a 24-month override: 12 charged (Jul 2025 - Jun 2026).
        asset("D3", "server", purchase_date="2025-07-31", purchase_cost=2400,
              depreciation_months=24),
        asset("D4", purchase_date="2026-01-15", purchase_cost=4800, ownership="leased"),
        asset("D5", status="retired", purchase_date="2026-01-15", purchase_cost=4800),
        # Bought on A, a month's end: one month charged, 480/48 = 10.
        asset("D6", purchase_date="2026-06-30", purchase_cost=480),
        asset("D7", purchase_date="2026-07-01", purchase_cost=480),  # after A
        asset("D8", purchase_date="2019-01-01"),  # no cost: counted as fully depreciated
        asset("D9", status="retired", purchase_date="2018-01-01", purchase_cost=50),
    ]
}  # fmt: skip

# ------------------------------------------------------- forward horizons
HORIZONS = {
    "assets": [
        asset("W1", warranty_end=day(30)),
        asset("W2", status="in_stock", warranty_end=day(31)),
        asset("W3", "server", warranty_end=day(180)),
        asset("W4", warranty_end=day(0)),  # ends today: not ahead
        asset("W5", status="retired", warranty_end=day(10)),
        asset("W6", status="in_repair", warranty_end=day(181)),
        asset("S1", end_of_support=day(365)),
        asset("S2", end_of_support=day(366)),
        asset("S3", status="retired", end_of_support=day(1)),
        asset("S4", end_of_support=day(0)),
    ],
    "contracts": [
        contract("K1", 100, end_date=day(180), start_date="2025-01-01"),
        contract("K2", 200, end_date=day(181), start_date="2025-01-01"),
        contract("K3", 400, end_date=day(365), start_date="2025-01-01"),
        contract("K4", 800, end_date=day(0), start_date="2025-01-01"),
        contract("K5", 1600, end_date=day(366), start_date="2025-01-01"),
    ],
}

CASES = [
    FinCase(
        "fiscal-april-across-new-year", FISCAL,
        {
            "spend_ytd": SPENT,
            "budget_ytd": BUDGET,
            "budget_variance_ytd": SPENT - BUDGET,
            "budget_variance_pct_ytd": (SPENT - BUDGET) / BUDGET * 100,
            "spend_vs_budget_pct": SPENT / BUDGET * 100,
            "spend_projection_fy": PROJECTION,
        },
        as_of=FY_A, start_month=4,
    ),
    FinCase(
        "fiscal-calendar-year", FISCAL,
        {
            "spend_ytd": CALENDAR_SPENT,
            "budget_ytd": CALENDAR_BUDGET,
            "spend_vs_budget_pct": CALENDAR_SPENT / CALENDAR_BUDGET * 100,
        },
        as_of=FY_A, start_month=1,
    ),
    # The fiscal year's first day: one day elapsed of 365; the last day: all.
    FinCase(
        "fiscal-first-day", FISCAL,
        {"spend_ytd": 200 + 10, "budget_ytd": 3000 / 365},
        as_of=dt.date(2026, 4, 1), start_month=4,
    ),
    FinCase(
        "fiscal-last-day", FISCAL,
        {"budget_ytd": 3000.0, "spend_projection_fy": 200 + 50 + 60 + 310 + 999},
        as_of=dt.date(2027, 3, 31), start_month=4,
    ),
    FinCase(
        "fiscal-by-department", FISCAL,
        {"Sales": 200 - 1000 * F, "IT": 110 - 500 * F, "(none)": 310 - 1500 * F},
        as_of=FY_A, start_month=4, by=("budget_variance_ytd", "department"),
    ),
    FinCase(
        "currency-at-the-rows-month", CURRENCIES,
        {
            "hardware_spend_12m": 90 + 80 + 50 + 10,
            "software_spend_12m": 80.0,
            "pool_cost_avoidance_30d": 24.0,
            "renewals_90d_value": 900.0,
            "cloud_spend_12m": 120.0,
            "spend_vs_budget_pct": CONVERTED_SPEND / (1100 * 181 / 365) * 100,
        },
    ),
    # In an organisation keeping its books in US dollars, USD rows are taken as
    # they are (and the pounds still convert at their rates).
    FinCase(
        "currency-own-is-usd",
        {"fx_rates": RATES, "assets": CURRENCIES["assets"][:3],
         "cloud_spend": CURRENCIES["cloud_spend"]},
        {"hardware_spend_12m": 250.0, "cloud_spend_12m": 120.0},
        currency="usd",
    ),
    FinCase(
        "depreciation-month-end", DEPRECIATION,
        {
            "net_book_value": 4200 + 0 + 1200 + 470,
            "depreciation_12m": 1200 + 0 + 1200 + 120,
            "fully_depreciated_active": 2,
        },
    ),
    # A day earlier June's charge is not in yet, and D6 is not yet bought.
    FinCase(
        "depreciation-mid-month", DEPRECIATION,
        {"net_book_value": 4300 + 0 + 1300, "depreciation_12m": 1200 + 0 + 1200},
        as_of=dt.date(2026, 6, 29),
    ),
    FinCase(
        "depreciation-by-category", DEPRECIATION,
        {"laptop": 4200 + 470, "desktop": 0.0, "server": 1200.0},
        by=("net_book_value", "category"),
    ),
    FinCase(
        "horizons", HORIZONS,
        {
            "warranty_expiring_30d": 1,
            "warranty_expiring_90d": 2,
            "warranty_expiring_180d": 3,
            "contracts_ending_180d": 1,
            "contracts_ending_180d_value": 100.0,
            "contracts_ending_365d": 3,
            "contracts_ending_365d_value": 700.0,
            "end_of_support_12m": 1,
        },
    ),
]  # fmt: skip


def _settings(engine, case: FinCase) -> None:
    store.set_setting(engine, "fiscal_year_start_month", str(case.start_month))
    store.set_setting(engine, "currency", case.currency)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_hand_computed(db, case: FinCase):
    _settings(db, case)
    try:
        load(db, **case.tables)
        if case.by:
            metric, dim = case.by
            got = api.breakdown(db, metric, dim, case.as_of)
            assert got == close(case.expected)
            head = api.compute(db, case.as_of, [metric])[metric]
            assert sum(got.values()) == pytest.approx(head)
        else:
            got = api.compute(db, case.as_of, list(case.expected))
            assert got == close(case.expected)
    finally:
        _settings(db, FinCase("reset", {}, {}))


def test_records_list_cost_accumulated_depreciation_and_book_value(db):
    load(db, **DEPRECIATION)
    rows = api.records(db, "net_book_value", A).set_index("asset_tag")
    assert list(rows.index) == ["D1", "D2", "D3", "D6", "D8"]
    got = rows.loc[["D1", "D3", "D6"], ["purchase_cost", "accumulated_depreciation", "book_value"]]
    assert got.to_dict("index") == {
        "D1": {"purchase_cost": 4800.0, "accumulated_depreciation": 600.0, "book_value": 4200.0},
        "D3": {"purchase_cost": 2400.0, "accumulated_depreciation": 1200.0, "book_value": 1200.0},
        "D6": {"purchase_cost": 480.0, "accumulated_depreciation": 10.0, "book_value": 470.0},
    }
    assert rows.loc["D3", "dep_months"] == 24 and rows.loc["D1", "dep_months"] == 48


def test_converted_records_keep_the_original_amount_and_currency(db):
    load(db, fx_rates=RATES, assets=CURRENCIES["assets"])
    rows = api.records(
        db,
        "hardware_spend_12m",
        A,
        columns=["asset_tag", "currency", "original_purchase_cost", "purchase_cost"],
    ).set_index("asset_tag")
    assert rows.loc["U1"].tolist() == ["USD", 100.0, pytest.approx(90.0)]
    assert rows.loc["U3"].tolist()[1:] == [50.0, 50.0]


def test_a_month_without_a_rate_converts_at_the_latest_one(db):
    # Written straight to the database (the importer would refuse it): July has
    # no USD rate, so June's 0.8 stands in.
    load(
        db,
        fx_rates=RATES,
        assets=[asset("X", purchase_date="2026-07-02", purchase_cost=10, currency="USD")],
    )
    got = api.compute(db, dt.date(2026, 7, 31), ["hardware_spend_12m"])
    assert got == close({"hardware_spend_12m": 8.0})


def test_unit_prices_come_from_converted_entitlements(db):
    # T1: 2 licences at 50 USD (June, 0.8 -> 40 EUR) and 2 at 60 EUR: unit price
    # (80 + 120) / 4 = 50. Three devices install it: one unit short, worth 50.
    from tests.metric_fixtures import install, title

    load(
        db,
        fx_rates=RATES,
        software=[title("T1")],
        entitlements=[
            entitlement("E1", "T1", 2, unit_cost=50, purchase_date="2026-06-15", currency="USD"),
            entitlement("E2", "T1", 2, unit_cost=60, purchase_date="2026-06-15"),
        ],
        installs=[install("T1", hostname=f"h{i}") for i in range(5)],
    )
    got = api.compute(db, A, ["license_shortfall_units", "license_shortfall_exposure"])
    assert got == close({"license_shortfall_units": 1, "license_shortfall_exposure": 50.0})
