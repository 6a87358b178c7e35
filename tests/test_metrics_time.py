"""Time metrics against hand-computed values on tiny estates (metrics.md).

A = 2026-06-30; `day(n)` is A + n days, `at(n, "hh:mm")` a datetime on it.
"""

from __future__ import annotations

import pytest

from tests.metric_fixtures import (
    Breakdown,
    Case,
    asset,
    at,
    check_breakdown,
    check_case,
    day,
    db_fixture,  # noqa: F401  (the `db` fixture)
    metrics_db_fixture,  # noqa: F401
    params,
    ticket,
    title,
    vendor_audit,
)

# Deployed in the last 365 days with both dates (any status): DP1 10 days,
# DP2 36 days (deployed A-364), DP6 3 days (retired since) -> mean 49/3, max 36.
DEPLOY = {
    "assets": [
        asset("DP1", requested_date=day(-20), deployed_date=day(-10)),
        asset("DP2", requested_date=day(-400), deployed_date=day(-364)),
        asset("DP3", requested_date=day(-400), deployed_date=day(-365)),  # out
        asset("DP4", requested_date=day(-5), deployed_date=day(1)),  # after A
        asset("DP5", deployed_date=day(-3)),  # no request date
        asset("DP6", status="retired", requested_date=day(-3), deployed_date=day(0)),
    ]
}

# Software requests (kind request, a title_id) resolved in the last 365 days:
# S1 2.5 h, S2 36 h (its title is unknown: it still has a title_id),
# S5 6 days = 144 h (resolved A-364 00:00) -> mean 182.5 / 3, max 144.
SOFTWARE = {
    "software": [title("T1")],
    "tickets": [
        ticket("S1", "request", at(-2, "08:00"), resolved=at(-2, "10:30"), title_id="T1"),
        ticket("S2", "request", at(-10, "00:00"), resolved=at(-9, "12:00"), title_id="UNKNOWN"),
        ticket("S3", "request", at(-5), resolved=at(-4)),  # no title
        ticket("S4", "request", at(-400), resolved=at(-365, "23:00"), title_id="T1"),
        ticket("S5", "request", at(-370, "00:00"), resolved=at(-364, "00:00"), title_id="T1"),
        ticket("S6", "request", at(-1), resolved=at(1), title_id="T1"),  # after A
        ticket("S7", "incident", at(-1), resolved=at(0), title_id="T1"),  # not a request
        ticket("S8", "request", at(-1), title_id="T1"),  # unresolved
    ],
}

# Requests opened in the last 90 days with a target: B1-B6 = 6. Time taken is
# resolved - opened, or (unresolved as of A) the end of day A - opened:
# B1 4 h vs 4 (not beyond: strict), B2 4 h vs 3.5 (beyond), B3 resolved after
# A -> 4 h vs 5 (not), B4 8 h vs 8 (not), B5 8 h 1 min vs 8 (beyond),
# B6 9 days vs 24 h (beyond) -> 3, 3/6 = 50 %.
TARGETS = {
    "tickets": [
        ticket("B1", "request", at(0, "20:00"), target_hours=4),
        ticket("B2", "request", at(0, "20:00"), target_hours=3.5),
        ticket("B3", "request", at(0, "20:00"), resolved=at(1, "10:00"), target_hours=5),
        ticket("B4", "request", at(-10, "09:00"), resolved=at(-10, "17:00"), target_hours=8),
        ticket("B5", "request", at(-10, "09:00"), resolved=at(-10, "17:01"), target_hours=8),
        ticket("B6", "request", at(-89, "00:00"), resolved=at(-80, "00:00"), target_hours=24),
        ticket("B7", "request", at(-90, "23:59"), target_hours=1),  # opened A-90
        ticket("B8", "request", at(-5)),  # no target
        ticket("B9", "incident", at(-5), target_hours=1),  # not a request
        ticket("B10", "request", at(1, "00:00"), target_hours=1),  # after A
    ]
}

# Active assets with a purchase date: AG1 730 days, AG2 1461 days, AG5 0 days
# -> (730/365.25 + 1461/365.25 + 0) / 3 years; 1461/365.25 = 4 exactly.
AGES = {
    "assets": [
        asset("AG1", purchase_date=day(-730)),
        asset("AG2", "desktop", status="in_stock", purchase_date=day(-1461)),
        asset("AG3", status="retired", purchase_date=day(-5000)),  # not active
        asset("AG4"),  # no purchase date
        asset("AG5", status="in_repair", purchase_date=day(0)),
    ]
}

CASES = [
    Case(
        "device-deploy", DEPLOY, {"device_deploy_days_avg": 49 / 3, "device_deploy_days_max": 36.0}
    ),
    Case(
        "device-deploy-empty",
        {"assets": [DEPLOY["assets"][2]]},
        {"device_deploy_days_avg": None, "device_deploy_days_max": None},
    ),
    Case(
        "software-deploy",
        SOFTWARE,
        {"software_deploy_hours_avg": 182.5 / 3, "software_deploy_hours_max": 144.0},
    ),
    Case(
        "software-deploy-empty",
        {"tickets": SOFTWARE["tickets"][2:4]},
        {"software_deploy_hours_avg": None, "software_deploy_hours_max": None},
    ),
    # Hours of vendor audits started in the last 365 days: V3 10 + V4 5.5 +
    # V6 blank (0) = 15.5; V1/V2 started A-400, V5 A-365, V7 A+1.
    Case(
        "vendor-audit-hours",
        {
            "vendor_audits": [
                vendor_audit("V1", day(-400), end_date=day(-300), hours_spent=1),
                vendor_audit("V2", day(-400), hours_spent=2),
                vendor_audit("V3", day(-5), hours_spent=10),
                vendor_audit("V4", day(-100), end_date=day(1), hours_spent=5.5),
                vendor_audit("V5", day(-365), hours_spent=99),
                vendor_audit("V6", day(-10)),
                vendor_audit("V7", day(1), hours_spent=1000),
            ]
        },
        {"vendor_audit_hours_12m": 15.5},
    ),
    Case(
        "vendor-audit-hours-empty",
        {},
        {
            "vendor_audit_hours_12m": 0,
            "device_age_years_avg": None,
            "requests_beyond_target_90d": 0,
            "requests_beyond_target_pct_90d": None,
        },
    ),
    Case("device-age", AGES, {"device_age_years_avg": (730 / 365.25 + 4.0 + 0.0) / 3}),
    Case(
        "requests-beyond-target",
        TARGETS,
        {"requests_beyond_target_90d": 3, "requests_beyond_target_pct_90d": 50.0},
    ),
    # Only requests without a target: count 0, percentage over nothing -> None.
    Case(
        "requests-beyond-target-no-target",
        {"tickets": [ticket("B8", "request", at(-5))]},
        {"requests_beyond_target_90d": 0, "requests_beyond_target_pct_90d": None},
    ),
]


@pytest.mark.parametrize("case", params(CASES))
def test_time_metric(db, case: Case) -> None:
    check_case(db, case)


BREAKDOWNS = [
    # Age buckets (half-open: 4.0 years falls in 4-5): AG1 1.9986 -> 1-2,
    # AG2 4.0 -> 4-5, AG5 0 -> <1.
    Breakdown(
        "device-age-by-bucket",
        AGES,
        "device_age_years_avg",
        "age_bucket",
        {"1-2": 730 / 365.25, "4-5": 4.0, "<1": 0.0},
    ),
    Breakdown(
        "device-age-by-category",
        AGES,
        "device_age_years_avg",
        "category",
        {"desktop": 4.0, "laptop": 730 / 365.25 / 2},
    ),
    # Beyond target per category of the linked asset: none of TARGETS links
    # one, so everything is "(none)".
    Breakdown(
        "beyond-target-by-category",
        TARGETS,
        "requests_beyond_target_90d",
        "category",
        {"(none)": 3},
    ),
]


@pytest.mark.parametrize("case", params(BREAKDOWNS))
def test_time_breakdown(db, case: Breakdown) -> None:
    check_breakdown(db, case)
