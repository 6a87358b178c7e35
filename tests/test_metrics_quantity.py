"""Quantity metrics against hand-computed values on tiny estates (metrics.md).

A = 2026-06-30 unless a case says otherwise; `day(n)` is A + n days.
Also here: the person fallback for an asset's dimensions, a ticket's
dimensions, and how filters combine.
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
    at,
    check_breakdown,
    check_case,
    day,
    db_fixture,  # noqa: F401  (the `db` fixture)
    entitlement,
    event,
    install,
    load,
    metrics_db_fixture,  # noqa: F401
    params,
    person,
    ticket,
    title,
)
from tests.test_metrics_compliance import LICENCES

# One asset per status: active = in_stock, deployed, in_repair.
STATUSES = {
    "assets": [
        asset("S1", status="on_order", is_capital=True),
        asset("S2", status="in_stock", is_capital=True, meets_standard=False),
        asset("S3", status="deployed"),
        asset("S4", status="in_repair", ownership="leased", meets_standard=False),
        asset("S5", status="retired", is_capital=True, meets_standard=False),
        asset("S6", status="disposed"),
        asset("S7", status="lost"),
        asset("S8", status="stolen"),
    ]
}

# Dimensions of an asset: its own where set, else its person's, per column.
FALLBACK = {
    "people": [
        person("p1", department="Eng", cost_center="CC1", location="Site 1"),
        person("p2", department="Ops"),
    ],
    "assets": [
        asset("F1", assigned_to="p1"),  # Eng / CC1 / Site 1
        asset("F2", assigned_to="p1", department="Sales"),  # Sales / CC1 / Site 1
        asset("F3", "desktop", status="in_stock", location="Site 2"),  # - / - / Site 2
        asset("F4", assigned_to="p2"),  # Ops / - / -
        asset("F5", assigned_to="ghost"),  # unknown person: - / - / -
        asset("F6", status="retired", assigned_to="p1"),  # not active
    ],
}

# Unused installs (rows counted in demand, last used <= A-90) on the licence
# estate of the compliance tests (see the derivation there).
UNUSED = dict(
    LICENCES,
    installs=[
        install("T1", "D1", last_used_date=day(-90)),  # unused
        install("T1", hostname="PC-1", last_used_date=day(-89)),  # used A-89
        install("T1", "D2", last_used_date=day(-200)),  # retired asset: not in demand
        install("T1", "D3"),  # never used: blank is not unused
        install("T1", hostname="Unknown-9", last_used_date=day(-100)),  # unused
        install("T1", "D4", discovered_date=day(1), last_used_date=day(-100)),  # found after A
        install("T2", "U1", last_used_date=day(-91)),  # unused
        install("T2", "U2"),
        install("T2", "U5", last_used_date=day(-300)),  # lost asset: not in demand
        install("T3", "D1", last_used_date=day(-95)),  # unused
    ],
)

CASES = [
    # Active: S2 S3 S4 = 3; owned among them: S2 S3 (S4 leased) = 2;
    # in stock: S2; non-standard active: S2 S4 = 2.
    Case(
        "statuses",
        STATUSES,
        {"active_devices": 3, "owned_devices": 2, "in_stock": 1, "nonstandard_devices": 2},
    ),
    Case(
        "statuses-empty",
        {},
        {
            "active_devices": 0,
            "owned_devices": 0,
            "in_stock": 0,
            "nonstandard_devices": 0,
            "installs": 0,
            "entitled_licenses": 0,
            "unused_installs_90d": 0,
            "requests_90d": 0,
            "licenses_issued_from_pool_30d": 0,
            "devices_retired_12m": 0,
            "refresh_due_12m": 0,
        },
    ),
    # F1-F5 are active.
    Case("fallback-headline", FALLBACK, {"active_devices": 5}),
    # Filters: values of one dimension OR, dimensions AND, "(none)" = blanks.
    Case(
        "filter-or",
        FALLBACK,
        {"active_devices": 2},  # Eng F1 + Sales F2
        filters={"department": ["Eng", "Sales"]},
    ),
    Case(
        "filter-and",
        FALLBACK,
        {"active_devices": 1},  # Eng and Site 1: F1
        filters={"department": ["Eng"], "location": ["Site 1"]},
    ),
    Case(
        "filter-none",
        FALLBACK,
        {"active_devices": 2},  # F3, F5
        filters={"department": ["(none)"]},
    ),
    Case(
        "filter-none-or-value",
        FALLBACK,
        {"active_devices": 3},  # F3 F5 + F4
        filters={"department": ["(none)", "Ops"]},
    ),
    # "How many laptops at Site 1?": F1 F2 (F3 is a desktop at Site 2).
    Case(
        "filter-laptops-at-site",
        FALLBACK,
        {"active_devices": 2},
        filters={"category": ["laptop"], "location": ["Site 1"]},
    ),
    Case(
        "filter-no-match",
        FALLBACK,
        {"active_devices": 0},
        filters={"location": ["Site 1"], "category": ["desktop"]},
    ),
    # Licence estate: demand T1 4 + T2 4 + T3 1 = 9; entitled T1 2 + T2 2 + T3 4 = 8.
    Case("installs-and-entitled", LICENCES, {"installs": 9, "entitled_licenses": 8}),
    # Rows: (T1, D1), (T1, Unknown-9), (T2, U1), (T3, D1) = 4.
    Case("unused-installs", UNUSED, {"unused_installs_90d": 4}),
    # Entitlements count from purchase_date (A in, A+1 out) until term_end (A in,
    # A-1 out): 2 + 1 + 1 (no dates) = 4.
    Case(
        "entitled-boundaries",
        {
            "software": [title("T1")],
            "entitlements": [
                entitlement("E1", "T1", 2, purchase_date=day(0)),
                entitlement("E2", "T1", 5, purchase_date=day(1)),
                entitlement("E3", "T1", 1, term_end=day(0)),
                entitlement("E4", "T1", 7, term_end=day(-1)),
                entitlement("E5", "T1", 1),
            ],
        },
        {"entitled_licenses": 4},
    ),
    # "Sum over titles of entitled": the entitlement of an unknown title belongs
    # to no title, so only T1's 2 count (installs likewise: 0 from NOPE).
    Case(
        "entitled-unknown-title",
        {
            "software": [title("T1")],
            "entitlements": [entitlement("E1", "T1", 2), entitlement("E2", "NOPE", 5)],
            "installs": [install("NOPE", hostname="h1")],
        },
        {"entitled_licenses": 2, "installs": 0},
    ),
    # An install of an unknown title is counted in no title's demand.
    Case(
        "unused-installs-unknown-title",
        {
            "software": [title("T1")],
            "installs": [install("NOPE", hostname="h1", last_used_date=day(-100))],
        },
        {"unused_installs_90d": 0, "installs": 0},
    ),
    # An install whose asset_tag names no asset and has no hostname matches no
    # asset, so it counts (reading: its device key is its asset_tag).
    Case(
        "install-unknown-tag-counts",
        {
            "software": [title("T1")],
            "installs": [install("T1", "GONE"), install("T1", "GONE2")],
        },
        {"installs": 2},
    ),
    # Requests opened in the last 90 days (calendar date of `opened`):
    # R1 (A 23:59), R3 (A-89 00:00) = 2; R2 A-90 23:59, R4 A+1, R5 incident out.
    Case(
        "requests",
        {
            "tickets": [
                ticket("R1", "request", at(0, "23:59")),
                ticket("R2", "request", at(-90, "23:59")),
                ticket("R3", "request", at(-89, "00:00")),
                ticket("R4", "request", at(1, "00:00")),
                ticket("R5", "incident", at(-1)),
            ]
        },
        {"requests_90d": 2},
    ),
    # issued_from_pool in the last 30 days: 3 (A-29) + 2 (A) + 4 (A-5) = 9.
    Case(
        "issued-from-pool",
        {
            "license_events": [
                event("E1", day(-29), quantity=3),
                event("E2", day(-30), quantity=5),
                event("E3", day(0), quantity=2),
                event("E4", day(1), quantity=7),
                event("E5", day(-5), quantity=4),
                event("E6", day(-5), "harvested", quantity=6),
            ]
        },
        {"licenses_issued_from_pool_30d": 9},
    ),
    # retired_date in the last 365 days, any status: RT1, RT3 (A), RT5
    # (disposed, A-10) = 3.
    Case(
        "retired",
        {
            "assets": [
                asset("RT1", status="retired", retired_date=day(-364)),
                asset("RT2", status="retired", retired_date=day(-365)),
                asset("RT3", status="retired", retired_date=day(0)),
                asset("RT4", status="retired", retired_date=day(1)),
                asset("RT5", status="disposed", retired_date=day(-10)),
                asset("RT6", status="retired"),
            ]
        },
        {"devices_retired_12m": 3},
    ),
]

# refresh_date = purchase_date + round(life x 12) months; due when <= A + 365
# = 2027-06-30 (overdue included), for active owned assets with a purchase date.
REFRESH = {
    "assets": [
        # laptop life 4 -> 48 months: 2027-06-30 = A + 365 -> due.
        asset("RF1", purchase_date="2023-06-30", purchase_cost=1000),
        # 2027-07-01 -> not due.
        asset("RF2", purchase_date="2023-07-01", purchase_cost=2000),
        # desktop life 5: 2020-01-01, long overdue -> due.
        asset("RF3", "desktop", status="in_repair", purchase_date="2015-01-01", purchase_cost=500),
        asset("RF4", ownership="leased", purchase_date="2020-01-01", purchase_cost=1),  # leased
        asset("RF5", status="retired", purchase_date="2015-01-01", purchase_cost=1),  # not active
        asset("RF6", status="on_order", purchase_date="2015-01-01", purchase_cost=1),  # not active
        asset("RF7", purchase_cost=1),  # no purchase date
        # 2.5 years -> 30 months: 2026-07-01 -> due; blank cost adds 0.
        asset("RF8", status="in_stock", purchase_date="2024-01-01", expected_life_years=2.5),
    ]
}


def _one(purchase: str, life: float) -> dict:
    return {
        "assets": [asset("R", purchase_date=purchase, expected_life_years=life, purchase_cost=800)]
    }


REFRESH_CASES = [
    # RF1 + RF3 + RF8 = 3; cost 1000 + 500 + 0 = 1500.
    Case("refresh-due", REFRESH, {"refresh_due_12m": 3, "refresh_forecast_12m": 1500.0}),
    # 4.125 x 12 = 49.5 -> 50 months (half away from zero): 2022-01-15 -> 2026-03-15.
    # As of 2025-03-15, A + 365 = 2026-03-15 -> due; as of 2025-03-14 -> not
    # (49 months, 2026-02-15, would be due on both).
    Case(
        "refresh-half-month-up",
        _one("2022-01-15", 4.125),
        {"refresh_due_12m": 1},
        as_of=dt.date(2025, 3, 15),
    ),
    Case(
        "refresh-half-month-up-before",
        _one("2022-01-15", 4.125),
        {"refresh_due_12m": 0},
        as_of=dt.date(2025, 3, 14),
    ),
    # 2.0833 x 12 = 24.9996 -> 25 months: 2022-01-31 -> 2024-02-31, clamped to
    # 2024-02-29 (leap year). As of 2023-03-01, A + 365 = 2024-02-29 -> due;
    # as of 2023-02-28, A + 365 = 2024-02-28 -> not yet.
    Case(
        "refresh-clamp-leap",
        _one("2022-01-31", 2.0833),
        {"refresh_due_12m": 1, "refresh_forecast_12m": 800.0},
        as_of=dt.date(2023, 3, 1),
    ),
    Case(
        "refresh-clamp-leap-before",
        _one("2022-01-31", 2.0833),
        {"refresh_due_12m": 0, "refresh_forecast_12m": 0.0},
        as_of=dt.date(2023, 2, 28),
    ),
    # 25/24 years x 12 = 12.5 -> 13 months: 2025-01-31 -> 2026-02-31 -> 2026-02-28.
    # As of 2025-02-28: A + 365 = 2026-02-28 -> due; as of 2025-02-27 -> not.
    Case(
        "refresh-clamp-half",
        _one("2025-01-31", 25 / 24),
        {"refresh_due_12m": 1},
        as_of=dt.date(2025, 2, 28),
    ),
    Case(
        "refresh-clamp-half-before",
        _one("2025-01-31", 25 / 24),
        {"refresh_due_12m": 0},
        as_of=dt.date(2025, 2, 27),
    ),
]


@pytest.mark.parametrize("case", params(CASES + REFRESH_CASES))
def test_quantity_metric(db, case: Case) -> None:
    check_case(db, case)


# Tickets take their dimensions from the asset they link to, otherwise vendor
# and product from their title and the rest from their requester.
TICKET_DIMS = {
    "people": [
        person("q1", department="HR", location="Site 1"),
        person("q2", department="Fin", cost_center="CC9"),
    ],
    "software": [title("T1", "Acme", name="Office")],
    "assets": [
        asset("X1", manufacturer="Dell", model="XPS", department="Eng"),
        asset("X2", manufacturer="HP"),
        asset("X3", "tablet", assigned_to="q2"),
    ],
    "tickets": [
        # X1: Dell / XPS / Eng / no location / laptop (not the title's or requester's).
        ticket("t1", "request", at(-1), asset_tag="X1", title_id="T1", requester="q1"),
        # Unknown asset: Acme / Office from the title; HR / Site 1 from q1.
        ticket("t2", "request", at(-1), asset_tag="NOPE", title_id="T1", requester="q1"),
        # X2 has no department: none (the requester's HR does not apply).
        ticket("t3", "request", at(-1), asset_tag="X2", requester="q1"),
        # Nothing known: every dimension blank.
        ticket("t4", "request", at(-1), requester="ghost"),
        # Title without a requester: Acme / Office, no department.
        ticket("t5", "request", at(-1), title_id="T1"),
        # X3's dimensions come from its person q2 (Fin / CC9 / no location),
        # not from the requester q1.
        ticket("t6", "request", at(-1), asset_tag="X3", requester="q1"),
    ],
}

BREAKDOWNS = [
    Breakdown(
        "active-by-department",
        FALLBACK,
        "active_devices",
        "department",
        {"Eng": 1, "Ops": 1, "Sales": 1, "(none)": 2},
    ),
    Breakdown(
        "active-by-cost-center", FALLBACK, "active_devices", "cost_center", {"CC1": 2, "(none)": 3}
    ),
    Breakdown(
        "active-by-location",
        FALLBACK,
        "active_devices",
        "location",
        {"Site 1": 2, "Site 2": 1, "(none)": 2},
    ),
    # Filtered breakdown: laptops only (F3 is the desktop) -> Site 1 2, none 2.
    Breakdown(
        "active-laptops-by-location",
        FALLBACK,
        "active_devices",
        "location",
        {"Site 1": 2, "(none)": 2},
        filters={"category": ["laptop"]},
    ),
    Breakdown(
        "requests-by-department",
        TICKET_DIMS,
        "requests_90d",
        "department",
        {"Eng": 1, "Fin": 1, "HR": 1, "(none)": 3},
    ),
    Breakdown(
        "requests-by-vendor",
        TICKET_DIMS,
        "requests_90d",
        "vendor",
        {"Acme": 2, "Dell": 1, "HP": 1, "(none)": 2},
    ),
    Breakdown(
        "requests-by-location", TICKET_DIMS, "requests_90d", "location", {"Site 1": 1, "(none)": 5}
    ),
    Breakdown(
        "requests-by-product",
        TICKET_DIMS,
        "requests_90d",
        "product",
        {"Office": 2, "XPS": 1, "(none)": 3},
    ),
    Breakdown(
        "requests-by-category",
        TICKET_DIMS,
        "requests_90d",
        "category",
        {"laptop": 2, "tablet": 1, "(none)": 3},
    ),
    Breakdown(
        "requests-by-cost-center",
        TICKET_DIMS,
        "requests_90d",
        "cost_center",
        {"CC9": 1, "(none)": 5},
    ),
    # Licence estate per publisher: Acme T1 4 + T3 1 = 5, Beta T2 4.
    Breakdown("installs-by-vendor", LICENCES, "installs", "vendor", {"Acme": 5, "Beta": 4}),
    # Entitled per publisher (from the title): Acme E1 2 + E6 4 = 6, Beta E3 1 + E5 1 = 2.
    Breakdown(
        "entitled-by-vendor", LICENCES, "entitled_licenses", "vendor", {"Acme": 6, "Beta": 2}
    ),
    Breakdown(
        "entitled-by-department",
        {
            "software": [title("T1")],
            "entitlements": [
                entitlement("E1", "T1", 2, department="Eng"),
                entitlement("E2", "T1", 3, department="Ops"),
                entitlement("E3", "T1", 4),
            ],
        },
        "entitled_licenses",
        "department",
        {"Eng": 2, "Ops": 3, "(none)": 4},
    ),
]


@pytest.mark.parametrize("case", params(BREAKDOWNS))
def test_quantity_breakdown(db, case: Breakdown) -> None:
    check_breakdown(db, case)


def test_ticket_filters(db) -> None:
    load(db, **TICKET_DIMS)
    # Acme and HR: t2 only (t5 is Acme without a department).
    got = api.compute(db, A, ["requests_90d"], {"vendor": ["Acme"], "department": ["HR"]})
    assert got == {"requests_90d": 1}


def test_ticket_filter_none(db) -> None:
    load(db, **TICKET_DIMS)
    # Blank department: t3 (its asset has none), t4, t5.
    got = api.compute(db, A, ["requests_90d"], {"department": ["(none)"]})
    assert got == {"requests_90d": 3}


@pytest.mark.parametrize(
    "metric, dim",
    [
        ("licenses_issued_from_pool_30d", "location"),  # licence events: vendor, product
        ("active_devices", "age_bucket"),  # only device_age_years_avg has age buckets
        ("installs", "department"),
    ],
)
def test_unsupported_dimension(db, metric: str, dim: str) -> None:
    with pytest.raises(api.UnsupportedDimension):
        api.compute(db, A, [metric], {dim: ["x"]})
    with pytest.raises(api.UnsupportedDimension):
        api.breakdown(db, metric, dim, A)
