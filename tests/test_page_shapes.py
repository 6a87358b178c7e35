"""The pure summaries the role pages chart (dashboard/ui/widgets.py), on rows made by hand.

The pages cache these summaries rather than the rows behind them (`data.shaped`), so they
must be right on their own.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard.ui import widgets

A = dt.date(2026, 6, 30)
D = dt.date


def test_refresh_by_quarter_puts_overdue_first():
    rows = pd.DataFrame(
        {
            "refresh_date": [
                D(2026, 6, 30),
                D(2026, 7, 1),
                D(2026, 9, 30),
                D(2027, 2, 1),
                D(2026, 1, 5),
            ],
            "purchase_cost": [100.0, 200.0, None, 50.0, 10.0],
        }
    )
    got = widgets.quarters_of_refresh(rows, A)
    # due on or before the as-of date is overdue (100 + 10); a missing cost counts as 0
    assert got.to_dict("records") == [
        {"quarter": "overdue", "cost": 110.0, "devices": 2},
        {"quarter": "2026 Q3", "cost": 200.0, "devices": 2},
        {"quarter": "2027 Q1", "cost": 50.0, "devices": 1},
    ]
    assert widgets.quarters_of_refresh(rows.iloc[:0], A).empty


def test_amount_by_month_sums_amounts_or_quantity_times_cost():
    hardware = pd.DataFrame(
        {
            "purchase_date": [D(2026, 5, 3), D(2026, 5, 31), D(2026, 6, 1)],
            "purchase_cost": [100.0, None, 7.5],
        }
    )
    assert widgets.amount_by_month(hardware, A).to_dict("records") == [
        {"month": pd.Timestamp(2026, 5, 1), "amount": 100.0},
        {"month": pd.Timestamp(2026, 6, 1), "amount": 7.5},
    ]
    software = pd.DataFrame(
        {
            "purchase_date": [D(2026, 6, 2), D(2026, 6, 20)],
            "quantity": [3, 2],
            "unit_cost": [10.0, None],
        }
    )
    assert widgets.amount_by_month(software, A).to_dict("records") == [
        {"month": pd.Timestamp(2026, 6, 1), "amount": 30.0},
    ]


def test_discrepancies_counted_by_source_and_kind():
    rows = pd.DataFrame(
        {
            "part": [
                "deployed_unseen_30d",
                "discovered_not_in_itam",
                "discovered_not_in_itam",
                "user_mismatches",
            ],
            "source": [None, "intune", "intune", None],
        }
    )
    got = widgets.discrepancy_counts(rows, A)
    assert sorted(map(tuple, got.values.tolist())) == [
        ("(latest discovery)", "user differs from assignment", 1),
        ("(no tool)", "deployed, not seen for 30 days", 1),
        ("intune", "discovered, not in ITAM", 2),
    ]
