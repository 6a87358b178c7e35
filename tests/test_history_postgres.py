"""Issue 12 on PostgreSQL: snapshots with their GROUPING SETS members, the points' sources
and history import/export give what they give on DuckDB (the sample estate in both)."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard import history, history_io

A = dt.date(2026, 6, 30)
DAYS = history.month_points(A, 4)
IDS = ["hardware_spend_12m", "in_stock", "active_devices", "standard_devices_pct"]


def test_snapshot_members_and_points_equal_duckdb(sample_in_both):
    pg, duck, _results = sample_in_both
    for engine in (pg, duck):
        history.take_snapshot(engine, A, taken_at=dt.datetime(2026, 6, 30, 18, 0))
    rows = {e: history.member_values(e, A, IDS) for e in (pg, duck)}
    by = {e: {r[:3]: r[3] for r in rows[e]} for e in (pg, duck)}
    assert by[pg].keys() == by[duck].keys() and len(by[pg]) > 100
    for key, value in by[duck].items():
        assert by[pg][key] == pytest.approx(value), key
    data = (
        b"metric_id,as_of,value,dimension,member\nin_stock,2026-04-30,380,,\n"
        b"active_devices,2026-04-30,4000,department,Sales\n"
    )
    for engine in (pg, duck):
        assert history_io.import_history(engine, data, "kept.csv").ok
    got = {e: history.points_on_days(e, IDS, DAYS, A) for e in (pg, duck)}
    for day in DAYS:
        for m in IDS:
            (v_pg, s_pg), (v_duck, s_duck) = got[pg][day][m], got[duck][day][m]
            assert s_pg == s_duck and v_pg == pytest.approx(v_duck), (day, m)
    assert got[pg][dt.date(2026, 4, 30)]["in_stock"] == (380.0, "recorded")
    sales = history.points_on_days(
        pg, ["active_devices"], [dt.date(2026, 4, 30)], A, {"department": ["Sales"]}
    )
    assert sales[dt.date(2026, 4, 30)]["active_devices"] == (4000.0, "recorded")
    keys = ["metric_id", "as_of", "dimension", "member"]
    out = {e: history_io.export_frame(e).sort_values(keys, ignore_index=True) for e in (pg, duck)}
    assert out[pg][keys].equals(out[duck][keys]) and len(out[pg]) > 100
    assert list(out[pg]["value"]) == pytest.approx(list(out[duck]["value"]), nan_ok=True)
