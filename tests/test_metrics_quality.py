"""Quality metrics against hand-computed values on tiny estates (metrics.md).

A = 2026-06-30; `day(n)` is A + n days, `at(n, "hh:mm")` a datetime on it.
"""

from __future__ import annotations

import pytest

from tests.metric_fixtures import (
    Breakdown,
    Case,
    asset,
    at,
    audit,
    check_breakdown,
    check_case,
    day,
    db_fixture,  # noqa: F401  (the `db` fixture)
    metrics_db_fixture,  # noqa: F401
    params,
    person,
    seen,
    ticket,
    title,
)

# Unknown devices (last 30 days, matching no asset), by lower-case serial, else
# lower-case hostname: zz1 (rows a, b), ghost (rows c, d) and today (e) -> 3.
UNKNOWN = {
    "assets": [asset("L1", serial="SN-1", hostname="host-1")],
    "discovery": [
        seen(day(-1), serial="ZZ1", hostname="zz"),  # a
        seen(day(-2), serial="zz1", hostname="other", source="sccm"),  # b: same device
        seen(day(-29), hostname="Ghost"),  # c
        seen(day(0), hostname="Today"),  # e: seen on A
        seen(day(-3), hostname="GHOST", source="sccm"),  # d: same device
        seen(day(-30), hostname="old"),  # outside the last 30 days
        seen(day(1), hostname="future"),  # after A
        seen(day(-1), serial="SN-1", source="jamf"),  # L1 by serial
        seen(day(-1), serial="NOPE", hostname="HOST-1", source="ad"),  # L1 by hostname
    ],
}

# user_mismatches: deployed, assigned, and the latest matching row of the last
# 30 days names another (non-blank) user, compared case-insensitively.
USERS = {
    "assets": [
        asset("M1", assigned_to="alice", serial="S1"),
        asset("M2", assigned_to="bob", serial="S2"),
        asset("M3", assigned_to="dave", serial="S3"),
        asset("M4", assigned_to="frank", serial="S4"),
        asset("M5", assigned_to="hal", serial="S5"),
        asset("M6", status="in_stock", assigned_to="xavier", serial="S6"),
        asset("M7", serial="S7"),
        asset("M8", assigned_to="kim", serial="S8"),
        asset("M9", assigned_to="mo", hostname="host9"),
        asset("M10", assigned_to="pat", serial="S10"),
        asset("M11", assigned_to="Ray", serial="S11"),
    ],
    "discovery": [
        seen(day(-1), serial="S1", user="ALICE"),  # same user, other case: no
        seen(day(-1), serial="S2", user="carol"),  # yes
        seen(day(-10), serial="S3", user="erin"),
        seen(day(-2), serial="S3", source="sccm"),  # latest row has no user: no
        seen(day(-31), serial="S4", user="gina"),  # outside 30 days: no
        seen(day(-5), serial="S5", user="hal"),
        seen(day(1), serial="S5", user="ivan", source="sccm"),  # after A: no
        seen(day(-1), serial="S6", user="yan"),  # in stock: no
        seen(day(-1), serial="S7", user="zed"),  # unassigned: no
        seen(day(-7), serial="S8", user="kim"),
        seen(day(-3), serial="S8", user="Lee", source="sccm"),  # latest differs: yes
        seen(day(-1), hostname="HOST9", user="nat"),  # by hostname: yes
        seen(day(-30), serial="S10", user="quinn"),  # A-30 is outside: no
        seen(day(-29), serial="S11", user="sam"),  # A-29 is inside: yes
    ],
}

# Breakage: active end-user devices B1 B4 B5 B7 = 4 (B2 retired, B3 monitor,
# B6 on order). Tickets in the last 365 days on an end-user device: K1
# (A-364 00:00), K2 (retired laptop: still an end-user device), K6 (A 23:59)
# = 3 -> 3 / 4 x 100 = 75.
BREAKAGE = {
    "assets": [
        asset("B1", manufacturer="Dell"),
        asset("B2", status="retired", manufacturer="Dell"),
        asset("B3", "monitor", manufacturer="Dell"),
        asset("B4", "phone", status="in_stock", manufacturer="Apple"),
        asset("B5", "tablet", status="in_repair", manufacturer="Apple"),
        asset("B6", "desktop", status="on_order", manufacturer="Dell"),
        asset("B7", manufacturer="Lenovo"),
    ],
    "tickets": [
        ticket("K1", "breakage", at(-364, "00:00"), asset_tag="B1"),
        ticket("K2", "breakage", at(-10), asset_tag="B2"),
        ticket("K3", "breakage", at(-10), asset_tag="B3"),  # monitor
        ticket("K4", "breakage", at(-10), asset_tag="NOPE"),  # links to nothing
        ticket("K5", "breakage", at(-365, "23:59"), asset_tag="B1"),  # date A-365
        ticket("K6", "breakage", at(0, "23:59"), asset_tag="B4"),
        ticket("K7", "breakage", at(1, "00:00"), asset_tag="B4"),  # after A
        ticket("K8", "incident", at(-1), asset_tag="B1"),  # not breakage
    ],
}

CASES = [
    # Discrepancies = unseen deployed discoverable (L1 is seen: 0) + 3 + 0.
    Case(
        "discovered-not-in-itam",
        UNKNOWN,
        {"discovered_not_in_itam": 3, "discovery_discrepancies": 3, "user_mismatches": 0},
    ),
    # Mismatches: M2, M8, M9, M11 = 4. Deployed discoverable: M1-M5, M7-M11 = 10;
    # unseen for 30 days: M4, M10 (A-30) = 2 -> 20 %; discrepancies 2+0+4.
    Case(
        "user-mismatches",
        USERS,
        {
            "user_mismatches": 4,
            "discovery_discrepancies": 6,
            "deployed_not_discovered_30d_pct": 20.0,
        },
    ),
    Case(
        "discovery-empty",
        {},
        {"discovered_not_in_itam": 0, "user_mismatches": 0, "discovery_discrepancies": 0},
    ),
    Case("breakage-rate", BREAKAGE, {"breakage_rate_12m": 75.0}),
    # Filtered ratios filter both sides: Dell K1 K2 over B1 -> 200; Dell or
    # Apple (K1 K2 K6) over (B1 B4 B5) -> 100.
    Case(
        "breakage-rate-dell", BREAKAGE, {"breakage_rate_12m": 200.0}, filters={"vendor": ["Dell"]}
    ),
    Case(
        "breakage-rate-dell-apple",
        BREAKAGE,
        {"breakage_rate_12m": 100.0},
        filters={"vendor": ["Dell", "Apple"]},
    ),
    # No active end-user device (the ticket's laptop is retired): None.
    Case(
        "breakage-rate-empty",
        {
            "assets": [asset("B2", status="retired"), asset("B3", "monitor")],
            "tickets": [ticket("K2", "breakage", at(-10), asset_tag="B2")],
        },
        {"breakage_rate_12m": None},
    ),
    # RMA tickets opened in the last 365 days: R1, R3 (A 23:59), R6
    # (no asset needed) = 3; R2 A-365, R4 A+1, R5 breakage are out.
    Case(
        "rma",
        {
            "tickets": [
                ticket("R1", "rma", at(-364, "00:00")),
                ticket("R2", "rma", at(-365, "23:59")),
                ticket("R3", "rma", at(0, "23:59")),
                ticket("R4", "rma", at(1, "00:00")),
                ticket("R5", "breakage", at(-5)),
                ticket("R6", "rma", at(-5), asset_tag="NOPE"),
            ]
        },
        {"rma_12m": 3},
    ),
    # Incidents of the last 90 days linking to an existing asset or title:
    # I1 (asset, A-89 00:00), I2 (title, A 23:59), I8 (unknown asset, known
    # title) = 3. I3/I4 link to nothing, I5 is dated A-90, I6 A+1, I7 a request.
    Case(
        "incident-tickets",
        {
            "assets": [asset("X1")],
            "software": [title("T1")],
            "tickets": [
                ticket("I1", "incident", at(-89, "00:00"), asset_tag="X1"),
                ticket("I2", "incident", at(0, "23:59"), title_id="T1"),
                ticket("I3", "incident", at(-1), asset_tag="NOPE"),
                ticket("I4", "incident", at(-1), title_id="NOPE"),
                ticket("I5", "incident", at(-90, "23:59"), asset_tag="X1"),
                ticket("I6", "incident", at(1, "00:00"), asset_tag="X1"),
                ticket("I7", "request", at(-1), asset_tag="X1"),
                ticket("I8", "incident", at(-1), asset_tag="NOPE", title_id="T1"),
            ],
        },
        {"incident_tickets_90d": 3},
    ),
    # Resolved in the last 90 days with a csat: C1 (A-89 00:00) 5, C2 (A 23:59)
    # 2 -> (5 + 2) / 2 = 3.5. C3 A-90, C4 A+1 (unresolved as of A), C5 open,
    # C6 no csat are left out.
    Case(
        "csat",
        {
            "tickets": [
                ticket("C1", "request", at(-100), resolved=at(-89, "00:00"), csat=5),
                ticket("C2", "incident", at(-100), resolved=at(0, "23:59"), csat=2),
                ticket("C3", "request", at(-100), resolved=at(-90, "23:00"), csat=1),
                ticket("C4", "request", at(-100), resolved=at(1, "01:00"), csat=1),
                ticket("C5", "request", at(-100), csat=1),
                ticket("C6", "request", at(-100), resolved=at(-1)),
            ]
        },
        {"csat_avg_90d": 3.5},
    ),
    Case(
        "csat-empty",
        {"tickets": [ticket("C6", "request", at(-100), resolved=at(-1))]},
        {"csat_avg_90d": None},
    ),
    # Audits of the last 365 days: A-364 ok, A ok, A-10 not -> 2/3 x 100.
    Case(
        "audit-accuracy",
        {
            "audits": [
                audit(day(-364), "X1", True),
                audit(day(-365), "X2", False),
                audit(day(0), "X1", True),
                audit(day(1), "X3", False),
                audit(day(-10), "X4", False),
            ]
        },
        {"audit_accuracy_pct_12m": 200 / 3},
    ),
    Case(
        "audit-accuracy-empty",
        {"audits": [audit(day(-365), "X2", True)]},
        {"audit_accuracy_pct_12m": None},
    ),
    # p1: two deployed laptops -> yes; p2: laptop + phone (not a computer) -> no;
    # p3: desktop + a laptop in stock -> no; p4: laptop + tablet -> yes;
    # p5 and P5 are two person ids (compared exactly): one laptop each -> no.
    Case(
        "multiple-computers",
        {
            "people": [person("p1", department="Eng"), person("p4")],
            "assets": [
                asset("C1", assigned_to="p1", department="Ops"),
                asset("C2", assigned_to="p1"),
                asset("C3", assigned_to="p2"),
                asset("C4", "phone", assigned_to="p2"),
                asset("C5", "desktop", assigned_to="p3"),
                asset("C6", status="in_stock", assigned_to="p3"),
                asset("C7", assigned_to="p4"),
                asset("C8", "tablet", assigned_to="p4"),
                asset("C9", assigned_to="p5"),
                asset("C10", assigned_to="P5"),
            ],
        },
        {"users_with_multiple_computers": 2},
    ),
]


@pytest.mark.parametrize("case", params(CASES))
def test_quality_metric(db, case: Case) -> None:
    check_case(db, case)


BREAKDOWNS = [
    # Per vendor (the device's manufacturer): Dell K1 K2 over B1 -> 200;
    # Apple K6 over B4 B5 -> 50; Lenovo no ticket over B7 -> 0.
    Breakdown(
        "breakage-by-vendor",
        BREAKAGE,
        "breakage_rate_12m",
        "vendor",
        {"Apple": 50.0, "Dell": 200.0, "Lenovo": 0.0},
    ),
    # The person's own department (C1's own 'Ops' plays no part); p4 has none.
    Breakdown(
        "multiple-computers-by-department",
        CASES[-1].tables,
        "users_with_multiple_computers",
        "department",
        {"Eng": 1, "(none)": 1},
    ),
]


@pytest.mark.parametrize("case", params(BREAKDOWNS))
def test_quality_breakdown(db, case: Breakdown) -> None:
    check_breakdown(db, case)
