"""Every metric declares how its past is known (metrics.md, "Trend"; issue 12, item 1)."""

from __future__ import annotations

from pathlib import Path

import pytest

from metrics.catalog import METRICS
from metrics.catalog.base import TIME_BASES

ROOT = Path(__file__).resolve().parent.parent


def test_every_metric_declares_a_time_basis():
    missing = [m.id for m in METRICS.values() if m.time_basis not in TIME_BASES]
    assert missing == []


@pytest.mark.parametrize(
    ("metric_id", "basis"),
    [
        ("hardware_spend_12m", "dated"),  # purchases in a window
        ("cloud_spend_12m", "dated"),  # cloud months
        ("requests_90d", "dated"),  # tickets
        ("pool_cost_avoidance_30d", "dated"),  # licence events
        ("in_stock", "state"),  # status today
        ("active_devices", "state"),
        ("unpatched_devices", "state"),  # last patch
        ("deployed_not_discovered_30d_pct", "state"),  # latest discovery
        ("devices_assigned_to_leavers", "state"),  # assignment
        ("breakage_rate_12m", "state"),  # dated tickets over today's active devices
    ],
)
def test_time_basis_follows_the_rule(metric_id, basis):
    assert METRICS[metric_id].time_basis == basis


def test_state_metrics_read_no_dated_window_only():
    """A metric whose every measure reads only dated windows (a `:a`-relative bound on an event
    date) is dated; one reading status, assignment or latest discovery is state. Checked on
    the measures' own conditions: a `status` or discovery column makes it state."""
    from metrics.catalog import ALL

    def wheres(mid):
        m = ALL[mid]
        return [m.where] if m.kind == "simple" else [w for i in m.inputs for w in wheres(i)]

    state_words = (
        "status",
        "is_active",
        "last_seen",
        "user_mismatch",
        "managed_by_itam",
        "person_active",
        "last_patched",
        "connected",
    )
    for m in METRICS.values():
        reads_state = any(word in w for w in wheres(m.id) for word in state_words)
        if reads_state:
            assert m.time_basis == "state", m.id


def test_docs_explain_the_time_basis():
    readme = (ROOT / "README.md").read_text()
    assert "time basis" in readme and "`dated`" in readme and "`state`" in readme
