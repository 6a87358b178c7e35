"""Cost metrics against hand-computed values on tiny estates (metrics.md).

A = 2026-06-30 unless a case says otherwise; `day(n)` is A + n days:
A-364 = 2025-07-01, A-365 = 2025-06-30, A+90 = 2026-09-28.
"""

from __future__ import annotations

import datetime as dt

import pytest

from metrics import api
from tests.metric_fixtures import (
    A,
    Breakdown,
    Case,
    asset,
    budget,
    check_breakdown,
    check_case,
    close,
    cloud,
    contract,
    day,
    db_fixture,  # noqa: F401  (the `db` fixture)
    entitlement,
    event,
    install,
    load,
    metrics_db_fixture,  # noqa: F401
    params,
    vendor_audit,
)
from tests.test_metrics_quantity import REFRESH, UNUSED

# Purchases of the last 365 days, every status: H1 100 + H3 10.25 + H5 blank
# (adds 0) + H7 999 = 1109.25. Laptops among them with a cost: H1, H3 ->
# mean (100 + 10.25) / 2 = 55.125 (H5's blank cost is left out of the mean).
HARDWARE = {
    "assets": [
        asset("H1", purchase_date=day(-364), purchase_cost=100),
        asset("H2", purchase_date=day(-365), purchase_cost=1000),  # out
        asset("H3", status="retired", purchase_date=day(0), purchase_cost=10.25),
        asset("H4", purchase_date=day(1), purchase_cost=5000),  # after A
        asset("H5", purchase_date=day(-1)),
        asset("H6", purchase_cost=7),  # no purchase date
        asset("H7", "desktop", purchase_date=day(-1), purchase_cost=999),
    ]
}

# Cloud months (first day). As of A (June 2026): the 12 months July 2025 -
# June 2026 -> 2 + 4 + 8 + 16 + 32 + 64 = 126; run rate = 4 x (March + April +
# May) = 4 x (8 + 16 + 32) = 224.
CLOUD = {
    "cloud_spend": [
        cloud("2025-06-01", 1),
        cloud("2025-07-01", 2),
        cloud("2025-12-01", 4),
        cloud("2026-03-01", 8),
        cloud("2026-04-01", 16),
        cloud("2026-05-01", 32),
        cloud("2026-06-01", 64),
        cloud("2026-07-01", 128),
    ]
}

# Active software/SaaS contracts: nine clear leaders and a three-way tie at
# the tenth place (100 each), broken by contract_id: C10 is tenth.
TOP = {
    "contracts": [
        contract("C01", 1000, start_date=day(0), end_date=day(100), department="Eng"),  # starts A
        contract("C02", 900, start_date=day(-100), end_date=day(0)),  # ends A
        contract("C03", 800, "saas"),
        contract("C04", 700),
        contract("C05", 600, "saas"),
        contract("C06", 500),
        contract("C07", 400),
        contract("C08", 300),
        contract("C09", 200),
        contract("C12", 100, vendor="Y"),
        contract("C11", 100, vendor="Y"),
        contract("C10", 100, vendor="X"),
        contract("C13", 5000, "iaas"),  # not software/saas
        contract("C14", 4000, start_date=day(-300), end_date=day(-1)),  # ended A-1
        contract("C15", 3000, start_date=day(1), end_date=day(300)),  # starts A+1
        contract("C16", 2000, "hardware_maintenance"),
    ]
}

# Contracts ending in the next 90 days (A < end <= A+90), every kind: R2 (A+1)
# 100, R3 (A+90) 200.5, R6 (lease, A+30) 50 -> 3 contracts, 350.5.
RENEWALS = {
    "contracts": [
        contract("R1", 1, start_date=day(-100), end_date=day(0)),
        contract("R2", 100, start_date=day(-100), end_date=day(1)),
        contract("R3", 200.5, start_date=day(-100), end_date=day(90)),
        contract("R4", 1000, start_date=day(-100), end_date=day(91)),
        contract("R5", 1, start_date=day(-100), end_date=day(-5)),
        contract("R6", 50, "lease", start_date=day(-100), end_date=day(30)),
    ]
}

CASES = [
    Case(
        "hardware-spend", HARDWARE, {"hardware_spend_12m": 1109.25, "avg_laptop_cost_12m": 55.125}
    ),
    Case(
        "hardware-spend-empty",
        {"assets": [asset("H2", purchase_date=day(-365), purchase_cost=1000)]},
        {"hardware_spend_12m": 0, "avg_laptop_cost_12m": None},
    ),
    # Entitlements bought in the last 365 days: 3 x 100 (A-364) + 1 x 12.5 (A)
    # + 4 x blank (adds 0) = 312.5.
    Case(
        "software-spend",
        {
            "entitlements": [
                entitlement("E1", "T1", 3, unit_cost=100, purchase_date=day(-364)),
                entitlement("E2", "T1", 2, unit_cost=50, purchase_date=day(-365)),
                entitlement("E3", "T1", 1, unit_cost=12.5, purchase_date=day(0)),
                entitlement("E4", "T1", 10, unit_cost=1, purchase_date=day(1)),
                entitlement("E5", "T1", 4, purchase_date=day(-1)),
                entitlement("E6", "T1", 5, unit_cost=10),
            ]
        },
        {"software_spend_12m": 312.5},
    ),
    Case("cloud", CLOUD, {"cloud_spend_12m": 126.0, "cloud_run_rate": 224.0}),
    # Calendar months, not days: the 1st of June gives the same months.
    Case(
        "cloud-first-of-month",
        CLOUD,
        {"cloud_spend_12m": 126.0, "cloud_run_rate": 224.0},
        as_of=dt.date(2026, 6, 1),
    ),
    # As of 1 July: Aug 2025 - Jul 2026 = 4 + 8 + 16 + 32 + 64 + 128 = 252;
    # run rate 4 x (April + May + June) = 4 x 112 = 448.
    Case(
        "cloud-next-month",
        CLOUD,
        {"cloud_spend_12m": 252.0, "cloud_run_rate": 448.0},
        as_of=dt.date(2026, 7, 1),
    ),
    # Issued from the pool in the last 30 days: 3 x 10 (A-29) + 2 x 25.5 (A) +
    # 4 x blank (adds 0) = 81. Harvested in 365 days: 6 x 20 + 1 x 100 = 220.
    # In January the run rate's months are last year's October - December:
    # 4 x (2 + 4 + 8) = 56; the 12 months Feb 2025 - Jan 2026: 32 + 1 + 2 + 4 +
    # 8 + 16 = 63 (Jan 2025's 64 is the 13th month back).
    Case(
        "cloud-january",
        {
            "cloud_spend": [
                cloud("2025-01-01", 64),
                cloud("2025-02-01", 32),
                cloud("2025-09-01", 1),
                cloud("2025-10-01", 2),
                cloud("2025-11-01", 4),
                cloud("2025-12-01", 8),
                cloud("2026-01-01", 16),
            ]
        },
        {"cloud_spend_12m": 63.0, "cloud_run_rate": 56.0},
        as_of=dt.date(2026, 1, 15),
    ),
    # Money is never rounded inside a computation: 3 x 0.333 = 0.999 (not
    # 1.00), and 1.005 + 0.001 stays 1.006.
    Case(
        "money-not-rounded",
        {
            "entitlements": [entitlement("E1", "T1", 3, unit_cost=0.333, purchase_date=day(-1))],
            "assets": [
                asset("H1", purchase_date=day(-1), purchase_cost=1.005),
                asset("H2", purchase_date=day(-2), purchase_cost=0.001),
            ],
        },
        {"software_spend_12m": 0.999, "hardware_spend_12m": 1.006},
    ),
    Case(
        "pool-and-harvest",
        {
            "license_events": [
                event("E1", day(-29), quantity=3, unit_value=10),
                event("E2", day(-30), quantity=5, unit_value=10),
                event("E3", day(0), quantity=2, unit_value=25.5),
                event("E4", day(1), quantity=7, unit_value=10),
                event("E5", day(-5), quantity=4),
                event("E6", day(-5), "harvested", quantity=6, unit_value=20),
                event("E7", day(-364), "harvested", quantity=1, unit_value=100),
                event("E8", day(-365), "harvested", quantity=1, unit_value=1000),
                event("E9", day(1), "harvested", quantity=1, unit_value=1000),
            ]
        },
        {"pool_cost_avoidance_30d": 81.0, "harvest_savings_12m": 220.0},
    ),
    # Unused installs per title x unit_price: T1 2 x 70 + T2 1 x 45 + T3 1 x 10
    # = 195 (see test_metrics_quantity.UNUSED and the licence estate).
    Case("unused-install-value", UNUSED, {"unused_install_value_90d": 195.0}),
    # An install and an entitlement of a title that is not in software: no
    # title, so nothing to sum over.
    Case(
        "unused-install-value-unknown-title",
        {
            "installs": [install("NOPE", hostname="h1", last_used_date=day(-100))],
            "entitlements": [entitlement("E1", "NOPE", 1, unit_cost=50)],
        },
        {"unused_install_value_90d": 0.0},
    ),
    # Negotiation: N1 1000 - 800 (A-364) + N5 100 - 120 (A, a negative saving)
    # = 180. N2 started A-365, N3/N4 lack a value, N6 starts A+1.
    Case(
        "negotiation-savings",
        {
            "contracts": [
                contract(
                    "N1",
                    1,
                    start_date=day(-364),
                    end_date=day(400),
                    first_quote=1000,
                    final_price=800,
                ),
                contract(
                    "N2",
                    1,
                    start_date=day(-365),
                    end_date=day(400),
                    first_quote=500,
                    final_price=450,
                ),
                contract("N3", 1, start_date=day(-10), end_date=day(400), first_quote=300),
                contract("N4", 1, start_date=day(-10), end_date=day(400), final_price=100),
                contract(
                    "N5", 1, start_date=day(0), end_date=day(400), first_quote=100, final_price=120
                ),
                contract(
                    "N6", 1, start_date=day(1), end_date=day(400), first_quote=900, final_price=0
                ),
            ]
        },
        {"negotiation_savings_12m": 180.0},
    ),
    # True-ups by end_date (start_date where blank) in the last 365 days:
    # V1 ended A-364 100 + V3 open, started A-5 50 + V6 blank = 150. V2 ended
    # A-365, V4 ends A+1, V5 open and started A-365, V7 starts A+1.
    Case(
        "true-up-cost",
        {
            "vendor_audits": [
                vendor_audit("V1", day(-400), end_date=day(-364), true_up_cost=100),
                vendor_audit("V2", day(-400), end_date=day(-365), true_up_cost=1000),
                vendor_audit("V3", day(-5), true_up_cost=50),
                vendor_audit("V4", day(-100), end_date=day(1), true_up_cost=500),
                vendor_audit("V5", day(-365), true_up_cost=7),
                vendor_audit("V6", day(-10), end_date=day(0)),
                vendor_audit("V7", day(1), true_up_cost=10000),
            ]
        },
        {"true_up_cost_12m": 150.0},
    ),
    # Ten largest: 1000 + 900 + ... + 200 (= 5400) + C10's 100 = 5500.
    Case("top10", TOP, {"top10_contract_spend": 5500.0}),
    # Fewer than ten: all of them; none: 0.
    Case(
        "top10-few",
        {"contracts": [contract("C1", 10), contract("C2", 5.5, "saas")]},
        {"top10_contract_spend": 15.5},
    ),
    Case(
        "top10-empty",
        {},
        {
            "top10_contract_spend": 0,
            "renewals_90d": 0,
            "renewals_90d_value": 0,
            "capital_assets": 0,
            "negotiation_savings_12m": 0,
            "true_up_cost_12m": 0,
            "cloud_spend_12m": 0,
            "cloud_run_rate": 0,
            "refresh_forecast_12m": 0,
            "software_spend_12m": 0,
            "pool_cost_avoidance_30d": 0,
            "harvest_savings_12m": 0,
            "unused_install_value_90d": 0,
            "spend_vs_budget_pct": None,
        },
    ),
    # Active and capital: S2 only (S1 on order, S5 retired).
    Case(
        "capital-assets",
        {
            "assets": [
                asset("S1", status="on_order", is_capital=True),
                asset("S2", status="in_stock", is_capital=True),
                asset("S3"),
                asset("S5", status="retired", is_capital=True),
            ]
        },
        {"capital_assets": 1},
    ),
    Case("renewals", RENEWALS, {"renewals_90d": 3, "renewals_90d_value": 350.5}),
    # The refresh estate of the quantity tests: RF1 1000 + RF3 500 + RF8 blank.
    Case("refresh-forecast", REFRESH, {"refresh_forecast_12m": 1500.0}),
]

# Spend against budget, as of 2026-06-30: day 181 of 365 (31+28+31+30+31+30).
# Budget of 2026: 200000 + 100000 + 65000 = 365000 -> pro rata 181000.
# Spend since 1 January: hardware 50000 (1 Jan) + 39000 (A) = 89000;
# software 10 x 100 = 1000; cloud January 200 + June 300 = 500 -> 90500
# -> 90500 / 181000 x 100 = 50.
BUDGET_2026 = {
    "budget": [
        budget(2026, "hardware", 200000),
        budget(2026, "software", 100000, department="Eng"),
        budget(2026, "cloud", 65000),
        budget(2025, "hardware", 999999),
        budget(2027, "hardware", 999999),
    ],
    "assets": [
        asset("H1", purchase_date="2026-01-01", purchase_cost=50000),
        asset("H2", status="retired", purchase_date=day(0), purchase_cost=39000),
        asset("H3", purchase_date="2025-12-31", purchase_cost=77777),
        asset("H4", purchase_date=day(1), purchase_cost=88888),
    ],
    "entitlements": [
        entitlement("E1", "T1", 10, unit_cost=100, purchase_date="2026-03-01"),
        entitlement("E2", "T1", 10, unit_cost=100, purchase_date="2025-12-31"),
    ],
    "cloud_spend": [
        cloud("2026-01-01", 200),
        cloud("2026-06-01", 300),
        cloud("2025-12-01", 9999),
        cloud("2026-07-01", 8888),
    ],
}

BUDGET_CASES = [
    Case("spend-vs-budget", BUDGET_2026, {"spend_vs_budget_pct": 50.0}),
    # Leap year: 2024-03-01 is day 61 (31 + 29 + 1) of 366. Budget 36600 ->
    # 36600 x 61 / 366 = 6100; spend 3050 (bought 29 Feb) -> 50.
    Case(
        "spend-vs-budget-leap",
        {
            "budget": [budget(2024, "hardware", 36600), budget(2023, "hardware", 1000)],
            "assets": [
                asset("H1", purchase_date="2024-02-29", purchase_cost=3050),
                asset("H2", purchase_date="2023-12-31", purchase_cost=3050),
            ],
        },
        {"spend_vs_budget_pct": 50.0},
        as_of=dt.date(2024, 3, 1),
    ),
    # 1 January: day 1 of 365 -> 365 x 1/365 = 1; spend 2 -> 200.
    Case(
        "spend-vs-budget-new-year",
        {
            "budget": [budget(2026, "cloud", 365)],
            "cloud_spend": [cloud("2026-01-01", 2)],
        },
        {"spend_vs_budget_pct": 200.0},
        as_of=dt.date(2026, 1, 1),
    ),
    # No budget for A's year, or a zero budget: no data.
    Case(
        "spend-vs-budget-no-budget",
        {
            "budget": [budget(2025, "hardware", 1000)],
            "assets": [asset("H1", purchase_date=day(-1), purchase_cost=10)],
        },
        {"spend_vs_budget_pct": None},
    ),
    Case(
        "spend-vs-budget-zero-budget",
        {
            "budget": [budget(2026, "hardware", 0)],
            "assets": [asset("H1", purchase_date=day(-1), purchase_cost=10)],
        },
        {"spend_vs_budget_pct": None},
    ),
]


@pytest.mark.parametrize("case", params(CASES + BUDGET_CASES))
def test_cost_metric(db, case: Case) -> None:
    check_case(db, case)


BREAKDOWNS = [
    # The same ten contracts split by vendor: C01-C09 V 5400, C10 X 100; Y's
    # C11/C12 are outside the ten, so Y is no member.
    Breakdown("top10-by-vendor", TOP, "top10_contract_spend", "vendor", {"V": 5400.0, "X": 100.0}),
    Breakdown(
        "top10-by-department",
        TOP,
        "top10_contract_spend",
        "department",
        {"Eng": 1000.0, "(none)": 4500.0},
    ),
    # Per category: laptops H1 100 + H3 10.25 + H5 0 = 110.25; desktop H7 999.
    Breakdown(
        "hardware-by-category",
        HARDWARE,
        "hardware_spend_12m",
        "category",
        {"laptop": 110.25, "desktop": 999.0},
    ),
    Breakdown(
        "renewals-by-vendor",
        dict(
            RENEWALS,
            contracts=[
                contract("R2", 100, start_date=day(-100), end_date=day(1), vendor="A"),
                contract("R3", 200.5, start_date=day(-100), end_date=day(90), vendor="B"),
                contract("R6", 50, "lease", start_date=day(-100), end_date=day(30), vendor="A"),
            ],
        ),
        "renewals_90d_value",
        "vendor",
        {"A": 150.0, "B": 200.5},
    ),
    # Cloud by provider (its vendor) and department, "(none)" for blanks.
    Breakdown(
        "cloud-by-department",
        {
            "cloud_spend": [
                cloud("2026-06-01", 10, department="Eng"),
                cloud("2026-06-01", 20, provider="Azure"),
                cloud("2026-05-01", 5, department="Eng"),
            ]
        },
        "cloud_spend_12m",
        "department",
        {"Eng": 15.0, "(none)": 20.0},
    ),
]


@pytest.mark.parametrize("case", params(BREAKDOWNS))
def test_cost_breakdown(db, case: Breakdown) -> None:
    check_breakdown(db, case)


@pytest.mark.parametrize(
    "vendor, expected",
    [
        # Reading: a filter keeps those same ten contracts that match (as the
        # breakdown does), so it equals the breakdown's member.
        (["X"], 100.0),
        (["Y"], 0.0),
        (["V", "X"], 5500.0),
    ],
)
def test_top10_filter_matches_breakdown(db, vendor: list[str], expected: float) -> None:
    load(db, **TOP)
    got = api.compute(db, A, ["top10_contract_spend"], {"vendor": vendor})
    assert got == close({"top10_contract_spend": expected})


def test_spend_vs_budget_has_no_location(db) -> None:
    # Budget rows carry department and cost center only.
    with pytest.raises(api.UnsupportedDimension):
        api.compute(db, A, ["spend_vs_budget_pct"], {"location": ["Site 1"]})
