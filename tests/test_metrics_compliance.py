"""Compliance metrics against hand-computed values on tiny estates (metrics.md).

A = 2026-06-30 unless a case says otherwise. Day offsets are from A:
`day(-30)` = A - 30 = 2026-05-31. Every expected number is worked out in the
comment beside it from the definition in metrics.md, not from the engine.
"""

from __future__ import annotations

import pytest

from metrics import api
from tests.metric_fixtures import (
    A,
    Breakdown,
    Case,
    asset,
    check_breakdown,
    check_case,
    day,
    db_fixture,  # noqa: F401  (the `db` fixture)
    entitlement,
    incident,
    install,
    load,
    metrics_db_fixture,  # noqa: F401
    params,
    person,
    seen,
    title,
)

# ------------------------------------------------- discovery: unseen devices

UNSEEN_60 = {
    "assets": [
        asset("N1", serial="S1"),  # seen A-60: last_seen <= A-60 -> counted
        asset("N2", serial="S2"),  # seen A-59 -> not counted
        asset("N3", "desktop", ownership="leased", serial="S3"),  # never seen, leased -> counted
        asset("N4", ownership="byod", serial="S4"),  # byod -> not counted
        asset("N5", "monitor", serial="S5"),  # monitors are not discoverable
        asset("N6", status="in_stock", serial="S6"),  # not deployed
        asset("N7", "server", serial="S7"),  # seen only after A: last_seen null -> counted
        asset("N8", "phone", serial="S8"),  # seen A-70 and A-10 -> last_seen A-10
        asset("N9", status="in_repair", serial="S9"),  # not deployed
    ],
    "discovery": [
        seen(day(-60), serial="S1"),
        seen(day(-59), serial="S2"),
        seen(day(1), serial="S7"),
        seen(day(-70), serial="S8"),
        seen(day(-10), serial="S8"),
    ],
}

UNSEEN_30 = {
    "assets": [
        asset("P1", serial="S1"),  # seen A-30: outside the last 30 days -> unseen
        asset("P2", serial="S2"),  # seen A-29 -> seen
        asset("P3", "desktop", serial="S3"),  # seen A -> seen
        asset("P4", "monitor"),  # not discoverable: in neither part
    ],
    "discovery": [
        seen(day(-30), serial="S1"),
        seen(day(-29), serial="S2"),
        seen(day(0), serial="S3"),
    ],
}

# Serial beats hostname: the row's serial is L1's (other case), its hostname
# L2's; it matches L1 only, so L2 stays unseen.
SERIAL_FIRST = {
    "assets": [
        asset("L1", serial="SN-1", hostname="host-1"),
        asset("L2", serial="SN-2", hostname="host-2"),
    ],
    "discovery": [seen(day(-5), serial="sn-1", hostname="HOST-2")],
}

# A serial no asset has falls back to the hostname (case-insensitive); a row
# without a serial matches by hostname; blank serials never match each other.
HOSTNAME_FALLBACK = {
    "assets": [
        asset("L1", serial="SN-1", hostname="host-1"),
        asset("L2", serial="SN-2", hostname="host-2"),
        asset("L3", hostname="h3"),
        asset("L4", hostname="h4"),
    ],
    "discovery": [
        seen(day(-5), serial="SN-999", hostname="Host-2"),  # -> L2
        seen(day(-5), hostname="HOST-1", source="sccm"),  # -> L1
        seen(day(-5), hostname="H3", source="jamf"),  # -> L3 (L4 stays unseen)
    ],
}

CASES = [
    # 3 = N1 (A-60) + N3 (never, leased) + N7 (seen only after A).
    # Deployed discoverable: N1 N2 N3 N4 N7 N8 = 6; unseen in 30 days (last_seen
    # null or <= A-30): N1 N2 N3 N4 N7 = 5 -> 5/6 x 100.
    Case(
        "unseen-60-and-30",
        UNSEEN_60,
        {"owned_not_discovered_60d": 3, "deployed_not_discovered_30d_pct": 5 / 6 * 100},
    ),
    # Unseen: P1 only, of P1 P2 P3 -> 1/3 x 100; discrepancies 1 + 0 + 0.
    Case(
        "unseen-30-boundary",
        UNSEEN_30,
        {
            "deployed_not_discovered_30d_pct": 100 / 3,
            "discovery_discrepancies": 1,
            "owned_not_discovered_60d": 0,
        },
    ),
    # No deployed discoverable asset: empty denominator -> None; counts 0.
    Case(
        "unseen-empty",
        {"assets": [asset("M", "monitor"), asset("L", status="in_stock")]},
        {"deployed_not_discovered_30d_pct": None, "owned_not_discovered_60d": 0},
    ),
    Case(
        "no-data",
        {},
        {
            "deployed_not_discovered_30d_pct": None,
            "owned_not_discovered_60d": 0,
            "disposed_without_certificate": 0,
            "lost_stolen_12m": 0,
            "standard_devices_pct": None,
            "os_versions_in_use": 0,
        },
    ),
    # L2 unseen of L1 L2 -> 50; the row matched an asset, so nothing unknown.
    Case(
        "match-serial-beats-hostname",
        SERIAL_FIRST,
        {
            "deployed_not_discovered_30d_pct": 50.0,
            "owned_not_discovered_60d": 1,
            "discovered_not_in_itam": 0,
        },
    ),
    # L1 L2 L3 seen, L4 unseen -> 1/4 x 100 = 25.
    Case(
        "match-hostname-fallback",
        HOSTNAME_FALLBACK,
        {"deployed_not_discovered_30d_pct": 25.0, "discovered_not_in_itam": 0},
    ),
    # Two assets share a serial (in other cases): the row matches both -> 0 unseen.
    Case(
        "match-serial-several-assets",
        {
            "assets": [asset("L1", serial="DUP"), asset("L2", serial="dup")],
            "discovery": [seen(day(0), serial="Dup")],
        },
        {"deployed_not_discovered_30d_pct": 0.0, "discovered_not_in_itam": 0},
    ),
    # ------------------------------------------------------------ disposals
    # D1 (null) and D3 (blank -> null) count; D2 has one; D4 is not disposed.
    Case(
        "disposed-without-certificate",
        {
            "assets": [
                asset("D1", status="disposed"),
                asset("D2", status="disposed", disposal_certificate="CERT-1"),
                asset("D3", status="disposed", disposal_certificate="   "),
                asset("D4", status="retired"),
            ]
        },
        {"disposed_without_certificate": 2},
    ),
    # ---------------------------------------------------------- lost/stolen
    # In: LS1, LS3 (A). Out: LS2, LS4 (A+1), LS5 (retired), LS6 (no date).
    Case(
        "lost-stolen-window",
        {
            "assets": [
                asset("LS1", status="lost", lost_stolen_date=day(-364)),
                asset("LS2", status="stolen", lost_stolen_date=day(-365)),
                asset("LS3", status="stolen", lost_stolen_date=day(0)),
                asset("LS4", status="lost", lost_stolen_date=day(1)),
                asset("LS5", status="retired", lost_stolen_date=day(-10)),
                asset("LS6", status="lost"),
            ]
        },
        {"lost_stolen_12m": 2},
    ),
    # ------------------------------------------------------------- patching
    # In: UP1 (patched A-30), UP3 (never). Out: UP2, UP4/UP6 (blank os), UP5 (in stock).
    Case(
        "unpatched",
        {
            "assets": [
                asset("UP1", os="Windows", last_patched=day(-30)),
                asset("UP2", os="Windows", last_patched=day(-29)),
                asset("UP3", os="macOS"),
                asset("UP4"),
                asset("UP5", status="in_stock", os="Windows"),
                asset("UP6", os="  "),
            ]
        },
        {"unpatched_devices": 2},
    ),
    # Pairs over deployed with an os: (Windows,11) twice, (Windows,10),
    # (Windows,blank) twice (" " is blank), (windows,11) - os compared exactly -,
    # (macOS,blank) -> 5. (blank os) and the in-stock Linux are left out.
    Case(
        "os-versions",
        {
            "assets": [
                asset("O1", os="Windows", os_version="11"),
                asset("O2", os="Windows", os_version="11"),
                asset("O3", os="Windows", os_version="10"),
                asset("O4", os="Windows"),
                asset("O5", os="Windows", os_version=" "),
                asset("O6", os="windows", os_version="11"),
                asset("O7", os="macOS"),
                asset("O8", os_version="11"),
                asset("O9", status="in_stock", os="Linux", os_version="6"),
            ]
        },
        {"os_versions_in_use": 5},
    ),
    # ------------------------------------------------------------ standards
    # Active end-user: SD1 SD2 SD3 SD4, standard: SD1 SD3 SD4 -> 3/4 = 75.
    Case(
        "standard-devices",
        {
            "assets": [
                asset("SD1"),
                asset("SD2", "phone", status="in_stock", meets_standard=False),
                asset("SD3", "tablet", status="in_repair"),
                asset("SD4", "desktop"),
                asset("SD5", "monitor", meets_standard=False),  # not end-user
                asset("SD6", status="retired", meets_standard=False),  # not active
                asset("SD7", status="on_order", meets_standard=False),  # not active
            ]
        },
        {"standard_devices_pct": 75.0},
    ),
    Case(
        "standard-devices-empty",
        {"assets": [asset("M", "monitor")]},
        {"standard_devices_pct": None},
    ),
    # --------------------------------------------------- security incidents
    # In: I1, I4 (A). Out: I2, I3 (not undiscovered), I5 (A+1).
    Case(
        "security-incidents",
        {
            "security_incidents": [
                incident("I1", day(-364), involved_undiscovered_asset=True),
                incident("I2", day(-365), involved_undiscovered_asset=True),
                incident("I3", day(-1)),
                incident("I4", day(0), involved_undiscovered_asset=True),
                incident("I5", day(1), involved_undiscovered_asset=True),
            ]
        },
        {"security_incidents_undiscovered_12m": 2},
    ),
    # ---------------------------------------------------------------- leavers
    # In: L1 and L7 (deployed, assigned to inactive p1). Out: L2 in stock, L3/L5
    # active people, L4 unknown person, L6 unassigned.
    Case(
        "leavers",
        {
            "people": [person("p1", active=False), person("p2", active=True), person("p3")],
            "assets": [
                asset("L1", assigned_to="p1"),
                asset("L2", status="in_stock", assigned_to="p1"),
                asset("L3", assigned_to="p2"),
                asset("L4", assigned_to="ghost"),
                asset("L5", assigned_to="p3"),
                asset("L6"),
                asset("L7", "monitor", assigned_to="p1"),
            ],
        },
        {"devices_assigned_to_leavers": 2},
    ),
    # --------------------------------------------------------------- warranty
    # In: W1 (ended A-1), W3. Out: W2 (ends A: not before A), W4 monitor,
    # W5 in stock, W6 no warranty date.
    Case(
        "out-of-warranty",
        {
            "assets": [
                asset("W1", warranty_end=day(-1)),
                asset("W2", warranty_end=day(0)),
                asset("W3", "phone", warranty_end=day(-500)),
                asset("W4", "monitor", warranty_end=day(-10)),
                asset("W5", status="in_stock", warranty_end=day(-10)),
                asset("W6"),
            ]
        },
        {"out_of_warranty_devices": 2},
    ),
]

# ------------------------------------------------------------ licence position
#
# T1 (Acme, device licensed):
#   installs: D1; hostname PC-1 (-> D1 by hostname, same device); D2 and
#   hostname pc-2 (-> D2, retired: excluded); D3 (on order: still in use);
#   Unknown-9 (no asset: counts as device unknown-9); D4 discovered A+1
#   (excluded); pc-5 discovered A (no asset: counts).
#   demand = {D1, D3, unknown-9, pc-5} = 4.
#   entitled: E1 2 bought A (in) + E2 2 bought A+1 (not yet) = 2.
#   unit_price = (2 x 100 + 2 x 40) / 4 = 70 (every entitlement of the title).
# T2 (Beta, user licensed):
#   installs: U1, U2 (both alice) -> alice; U3 (unassigned) -> device:U3;
#   U5 (lost) excluded; kiosk-7 (no asset) -> device:kiosk-7; D1 (unassigned)
#   -> device:D1.  demand = 4.
#   entitled: E3 1 (term ends A: in) + E4 3 (ended A-1: out) + E5 1 = 2.
#   unit_price = (1 x 30 + 3 x 50) / (1 + 3) = 45 (E5's blank cost left out).
# T3 (Acme, device): demand 1 (D1), entitled 4 (E6), unit_price 10.
# shortfall: T1 2, T2 2 -> titles 2, units 4, exposure 2 x 70 + 2 x 45 = 230.
# surplus: T3 4 - 1 = 3.
LICENCES = {
    "software": [
        title("T1", "Acme"),
        title("T2", "Beta", license_metric="user"),
        title("T3", "Acme"),
    ],
    "assets": [
        asset("D1", hostname="pc-1"),
        asset("D2", status="retired", hostname="pc-2"),
        asset("D3", status="on_order"),
        asset("D4", status="in_stock"),
        asset("U1", assigned_to="alice"),
        asset("U2", assigned_to="alice"),
        asset("U3"),
        asset("U5", status="lost", assigned_to="bob"),
    ],
    "installs": [
        install("T1", "D1"),
        install("T1", hostname="PC-1"),
        install("T1", "D2"),
        install("T1", hostname="pc-2"),
        install("T1", "D3"),
        install("T1", hostname="Unknown-9"),
        install("T1", "D4", discovered_date=day(1)),
        install("T1", hostname="pc-5", discovered_date=day(0)),
        install("T2", "U1"),
        install("T2", "U2"),
        install("T2", "U3"),
        install("T2", "U5"),
        install("T2", hostname="kiosk-7"),
        install("T2", "D1"),
        install("T3", "D1"),
    ],
    "entitlements": [
        entitlement("E1", "T1", 2, unit_cost=100, purchase_date=day(0)),
        entitlement("E2", "T1", 2, unit_cost=40, purchase_date=day(1)),
        entitlement("E3", "T2", 1, unit_cost=30, term_end=day(0)),
        entitlement("E4", "T2", 3, unit_cost=50, term_end=day(-1)),
        entitlement("E5", "T2", 1),
        entitlement("E6", "T3", 4, unit_cost=10),
    ],
}

LICENCE_CASES = [
    Case(
        "licence-position",
        LICENCES,
        {
            "titles_under_licensed": 2,
            "license_shortfall_units": 4,
            "license_shortfall_exposure": 230.0,
            "license_surplus_units": 3,
        },
    ),
    Case(
        "licence-position-empty",
        {},
        {
            "titles_under_licensed": 0,
            "license_shortfall_units": 0,
            "license_shortfall_exposure": 0,
            "license_surplus_units": 0,
        },
    ),
    # Person ids compare exactly: 'alice' and 'Alice' are two users -> demand 2,
    # entitled 1 -> shortfall 1, at unit_price 100 (E1) -> exposure 100.
    Case(
        "demand-user-ids-exact",
        {
            "software": [title("T2", license_metric="user")],
            "assets": [asset("U1", assigned_to="alice"), asset("U4", assigned_to="Alice")],
            "installs": [install("T2", "U1"), install("T2", "U4")],
            "entitlements": [entitlement("E1", "T2", 1, unit_cost=100)],
        },
        {"license_shortfall_units": 1, "license_shortfall_exposure": 100.0},
    ),
    # The install's asset_tag names no asset, so it belongs to the asset with its
    # hostname (PC-1 = D1, case-insensitive); D1 is retired -> excluded: demand 0,
    # surplus = entitled 1.
    Case(
        "demand-hostname-when-tag-unknown",
        {
            "software": [title("T1")],
            "assets": [asset("D1", status="retired", hostname="pc-1")],
            "installs": [install("T1", "GONE", hostname="PC-1")],
            "entitlements": [entitlement("E1", "T1", 1)],
        },
        {"license_surplus_units": 1, "titles_under_licensed": 0},
    ),
    # Unmatched installs are one device by lower-case hostname, whatever their
    # asset_tag: ("GONE", H1) and (no tag, h1) -> demand 1 against entitled 0.
    Case(
        "demand-unmatched-by-hostname",
        {
            "software": [title("T1")],
            "installs": [install("T1", "GONE", hostname="H1"), install("T1", hostname="h1")],
        },
        {"license_shortfall_units": 1},
    ),
    # unit_price = (1 x 0 + 2 x 0.5) / 3 = 1/3, unrounded; shortfall 4 - 3 = 1
    # -> exposure 1/3.
    Case(
        "exposure-unrounded-unit-price",
        {
            "software": [title("T1")],
            "installs": [install("T1", hostname=f"h{i}") for i in range(4)],
            "entitlements": [
                entitlement("E1", "T1", 1, unit_cost=0),
                entitlement("E2", "T1", 2, unit_cost=0.5),
            ],
        },
        {"license_shortfall_units": 1, "license_shortfall_exposure": 1 / 3},
    ),
    # A title with demand and no entitlement: shortfall 3 at unit_price 0.
    Case(
        "shortfall-without-entitlements",
        {
            "software": [title("T1")],
            "installs": [install("T1", hostname=f"h{i}") for i in range(3)],
        },
        {
            "titles_under_licensed": 1,
            "license_shortfall_units": 3,
            "license_shortfall_exposure": 0.0,
            "license_surplus_units": 0,
        },
    ),
]


@pytest.mark.parametrize("case", params(CASES + LICENCE_CASES))
def test_compliance_metric(db, case: Case) -> None:
    check_case(db, case)


BREAKDOWNS = [
    # Per publisher: Acme = T1 (2) + T3 (0); Beta = T2 (2).
    Breakdown(
        "shortfall-by-vendor", LICENCES, "license_shortfall_units", "vendor", {"Acme": 2, "Beta": 2}
    ),
    # Acme 2 x 70 = 140; Beta 2 x 45 = 90.
    Breakdown(
        "exposure-by-vendor",
        LICENCES,
        "license_shortfall_exposure",
        "vendor",
        {"Acme": 140.0, "Beta": 90.0},
    ),
    # The asset's department, else its person's: L1 Eng (own), L2 Ops (from
    # p1), L3 (none). All three are deployed, unseen discoverable assets.
    Breakdown(
        "owned-not-discovered-by-department",
        {
            "people": [person("p1", department="Ops")],
            "assets": [asset("L1", department="Eng"), asset("L2", assigned_to="p1"), asset("L3")],
        },
        "owned_not_discovered_60d",
        "department",
        {"Eng": 1, "Ops": 1, "(none)": 1},
    ),
    # Per department: Eng: L1 unseen of L1 -> 100; Ops: L2 seen -> 0.
    Breakdown(
        "unseen-pct-by-department",
        {
            "assets": [asset("L1", department="Eng"), asset("L2", department="Ops", serial="S")],
            "discovery": [seen(day(-1), serial="s")],
        },
        "deployed_not_discovered_30d_pct",
        "department",
        {"Eng": 100.0, "Ops": 0.0},
    ),
]


@pytest.mark.parametrize("case", params(BREAKDOWNS))
def test_compliance_breakdown(db, case: Breakdown) -> None:
    check_breakdown(db, case)


@pytest.mark.parametrize(
    "metric, dim",
    [
        ("security_incidents_undiscovered_12m", "vendor"),
        ("license_surplus_units", "department"),  # titles carry vendor and product only
        ("discovered_not_in_itam", "location"),
    ],
)
def test_unsupported_dimension_raises(db, metric: str, dim: str) -> None:
    with pytest.raises(api.UnsupportedDimension):
        api.compute(db, A, [metric], {dim: ["x"]})
    with pytest.raises(api.UnsupportedDimension):
        api.breakdown(db, metric, dim, A)


def test_filter_on_title_dimensions(db) -> None:
    load(db, **LICENCES)
    # Several vendors OR: Acme + Beta = all 4; product is the title's name.
    got = api.compute(db, A, ["license_shortfall_units"], {"vendor": ["Acme", "Beta"]})
    assert got == {"license_shortfall_units": 4}
    got = api.compute(
        db, A, ["license_shortfall_units"], {"vendor": ["Acme"], "product": ["Title T2"]}
    )
    assert got == {"license_shortfall_units": 0}  # T2 is Beta's: AND across dimensions
