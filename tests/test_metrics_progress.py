"""Progress metrics against hand-computed values on tiny estates (metrics.md).

A = 2026-06-30; `day(n)` is A + n days.
"""

from __future__ import annotations

import pytest

from metrics import api
from tests.metric_fixtures import (
    A,
    Breakdown,
    Case,
    asset,
    audit,
    check_breakdown,
    check_case,
    day,
    db_fixture,  # noqa: F401  (the `db` fixture)
    integration,
    metrics_db_fixture,  # noqa: F401
    params,
    roadmap,
    title,
)
from tests.test_metrics_quantity import STATUSES

ROADMAP = {
    "roadmap": [
        roadmap("R1", "in_progress"),
        roadmap("R2", "in_progress"),
        roadmap("R3", "done"),
        roadmap("R4", "done"),
        roadmap("R5", "done"),
        roadmap("R6", "planned"),
        roadmap("R7", "cancelled"),
        roadmap("R8", "cancelled"),
    ]
}

# Managed titles: T1-T5 (T6 is not managed). ELP in the last 90 days: T1
# T3 (A) -> 2/5 = 40 %. Publishers of managed titles: Microsoft,
# microsoft (compared exactly), Adobe ("Adobe " is trimmed) -> 3.
TITLES = {
    "software": [
        title("T1", "Microsoft", elp_updated=day(-89)),
        title("T2", "Microsoft", elp_updated=day(-90)),
        title("T3", "microsoft", elp_updated=day(0)),
        title("T4", "Adobe", elp_updated=day(1)),
        title("T5", "Adobe "),
        title("T6", "Oracle", managed_by_itam=False, elp_updated=day(0)),
    ]
}

CASES = [
    # In progress: R1 R2. Done R3-R5 over not cancelled R1-R6 -> 3/6 = 50 %.
    Case("roadmap", ROADMAP, {"roadmap_in_progress": 2, "roadmap_done_pct": 50.0}),
    Case(
        "roadmap-all-cancelled",
        {"roadmap": [roadmap("R7", "cancelled")]},
        {"roadmap_in_progress": 0, "roadmap_done_pct": None},
    ),
    Case(
        "integrations",
        {
            "integrations": [
                integration("intune", True),
                integration("sccm", True),
                integration("jamf", False),
            ]
        },
        {"integrations_connected": 2},
    ),
    # Every asset row, whatever its status: 8.
    Case("itam-records", STATUSES, {"itam_records": 8}),
    Case("titles", TITLES, {"elp_current_pct": 40.0, "titles_managed": 5, "vendors_managed": 3}),
    Case(
        "titles-unmanaged-only",
        {"software": [TITLES["software"][-1]]},
        {"elp_current_pct": None, "titles_managed": 0, "vendors_managed": 0},
    ),
    # Distinct asset_tag audited in the last 365 days: X1 (A-364 and A), X2
    # (A-10) -> 2; X3 at A-365 and X4 at A+1 are out.
    Case(
        "devices-audited",
        {
            "audits": [
                audit(day(-364), "X1"),
                audit(day(0), "X1", False),
                audit(day(0), "X1", method="user_led"),
                audit(day(-10), "X2"),
                audit(day(-365), "X3"),
                audit(day(1), "X4"),
            ]
        },
        {"devices_audited_12m": 2},
    ),
    Case(
        "progress-empty",
        {},
        {
            "roadmap_in_progress": 0,
            "roadmap_done_pct": None,
            "integrations_connected": 0,
            "itam_records": 0,
            "elp_current_pct": None,
            "devices_audited_12m": 0,
            "titles_managed": 0,
            "vendors_managed": 0,
        },
    ),
]


@pytest.mark.parametrize("case", params(CASES))
def test_progress_metric(db, case: Case) -> None:
    check_case(db, case)


BREAKDOWNS = [
    # itam_records by category: STATUSES are all laptops.
    Breakdown(
        "records-by-category",
        dict(STATUSES, assets=STATUSES["assets"] + [asset("M1", "monitor", status="retired")]),
        "itam_records",
        "category",
        {"laptop": 8, "monitor": 1},
    ),
    # Managed titles per publisher: Adobe T4 T5, Microsoft T1 T2, microsoft T3.
    Breakdown(
        "titles-by-vendor",
        TITLES,
        "titles_managed",
        "vendor",
        {"Adobe": 2, "Microsoft": 2, "microsoft": 1},
    ),
]


@pytest.mark.parametrize("case", params(BREAKDOWNS))
def test_progress_breakdown(db, case: Breakdown) -> None:
    check_breakdown(db, case)


@pytest.mark.parametrize(
    "metric", ["roadmap_in_progress", "integrations_connected", "roadmap_done_pct"]
)
def test_progress_without_dimensions(db, metric: str) -> None:
    with pytest.raises(api.UnsupportedDimension):
        api.compute(db, A, [metric], {"department": ["Eng"]})
