"""Metric snapshots: dates, contents, idempotence, staleness, series that read them."""

from __future__ import annotations

import datetime as dt
import json
import time

import pandas as pd
import pytest
from sqlalchemy import text

from dashboard import database, history, store
from dashboard.cli import main
from metrics import api
from metrics.catalog import METRICS
from tests import kpi_estate

A = kpi_estate.AS_OF
D = dt.date


@pytest.mark.parametrize(
    "as_of,months,expected",
    [
        (D(2026, 6, 30), 1, [D(2026, 6, 30)]),
        (D(2026, 6, 30), 3, [D(2026, 4, 30), D(2026, 5, 31), D(2026, 6, 30)]),
        (D(2026, 3, 15), 3, [D(2026, 1, 31), D(2026, 2, 28), D(2026, 3, 15)]),
        (D(2024, 3, 31), 2, [D(2024, 2, 29), D(2024, 3, 31)]),
        (D(2026, 1, 10), 2, [D(2025, 12, 31), D(2026, 1, 10)]),
        (D(2026, 6, 30), 0, []),
    ],
)
def test_month_points(as_of, months, expected):
    assert history.month_points(as_of, months) == expected


def test_backfill_dates_are_month_ends_before_the_month_then_as_of():
    days = history.backfill_dates(D(2026, 6, 30), 24)
    assert len(days) == 25
    assert days[0] == D(2024, 6, 30) and days[-2] == D(2026, 5, 31) and days[-1] == A
    assert history.backfill_dates(D(2026, 6, 15), 2) == [
        D(2026, 4, 30),
        D(2026, 5, 31),
        D(2026, 6, 15),
    ]


@pytest.fixture
def estate(engine):
    kpi_estate.load(engine)
    return engine


def _table(engine) -> pd.DataFrame:
    with engine.connect() as conn:
        frame = pd.read_sql(text("SELECT * FROM metric_snapshots"), conn)
    return frame.sort_values(["as_of", "metric", "dim", "member"]).reset_index(drop=True)


def _stored(engine, metric, dim="", member="", day=A):
    with engine.connect() as conn:
        return conn.execute(
            text(
                "SELECT value FROM metric_snapshots"
                " WHERE as_of = :d AND metric = :m AND dim = :dim AND member = :mem"
            ),
            {"d": day, "m": metric, "dim": dim, "mem": member},
        ).scalar_one_or_none()


AT_THE_TIME = dt.datetime(2026, 6, 30, 18, 0)  # a snapshot taken on A's day


def test_snapshot_holds_every_headline_and_members(estate):
    result = history.take_snapshot(estate, A, taken_at=AT_THE_TIME)
    assert result.action == "written"
    table = _table(estate)
    assert len(table) == result.rows
    headline = table[table["dim"] == ""]
    assert sorted(headline["metric"]) == sorted(METRICS)
    assert set(table["dim"]) == {
        "",
        "department",
        "cost_center",
        "vendor",
        "category",
        "location",
        "category+location",
    }
    # by hand (tests/kpi_estate.py)
    assert _stored(estate, "top10_contract_spend") == 1200.0
    assert _stored(estate, "top10_contract_spend", "department", "IT") == 1000.0
    assert _stored(estate, "top10_contract_spend", "vendor", "Beta") == 200.0
    assert _stored(estate, "hardware_spend_12m", "cost_center", "CC-IT") == 9050.0
    assert _stored(estate, "active_devices", "department", "HR") == 2.0
    assert _stored(estate, "active_devices", "department", "IT") == 3.0
    assert _stored(estate, "standard_devices_pct") == 80.0
    # a ratio's member is its value under that one filter
    it = api.compute(estate, A, ["standard_devices_pct"], {"department": ["IT"]})
    assert _stored(estate, "standard_devices_pct", "department", "IT") == it["standard_devices_pct"]
    assert _stored(estate, "requests_beyond_target_pct_90d") is None


def test_a_past_date_recorded_later_holds_dated_metrics_only(estate):
    history.take_snapshot(estate, A)  # taken now, months after A
    headline = _table(estate).query("dim == ''")
    assert sorted(headline["metric"]) == sorted(
        m for m in METRICS if METRICS[m].time_basis == "dated"
    )


def test_members_agree_with_breakdown_and_add_up(estate):
    """The GROUPING SETS snapshot query gives what `api.breakdown` gives (missing = 0)."""
    rows = history.member_values(estate, A)
    got: dict[tuple[str, str], dict[str, float]] = {}
    for metric, dim, member, value in rows:
        got.setdefault((metric, dim), {})[member] = value
    headline = api.compute(estate, A, in_scope=False)
    for metric, dims in history.member_series():
        if len(dims) > 1:
            continue
        (dim,) = dims
        expected = api.breakdown(estate, metric, dim, A, in_scope=False)
        mine = got.get((metric, dim), {})
        assert set(mine) == set(expected), (metric, dim)
        for member in expected:
            assert mine[member] == pytest.approx(expected[member], nan_ok=True), (metric, dim)
        if history.is_additive(METRICS[metric]):
            assert sum(mine.values()) == pytest.approx(headline[metric] or 0.0), (metric, dim)


def test_recording_a_date_twice_changes_nothing(estate):
    assert history.take_snapshot(estate, A).action == "written"
    before = _table(estate)
    again = history.take_snapshot(estate, A)
    assert (again.action, again.rows) == ("unchanged", 0)
    pd.testing.assert_frame_equal(_table(estate), before)


def test_a_snapshot_older_than_the_last_import_is_stale_and_replaced(estate):
    history.take_snapshot(estate, A)
    taken = _table(estate)["taken_at"].min().to_pydatetime()
    assert history.snapshot_state(estate, A) == "fresh"
    store.mark_data_changed(estate, taken)  # an import in the same second: cannot be older
    assert history.snapshot_state(estate, A) == "stale"
    assert history.take_snapshot(estate, A).action == "replaced"
    assert history.snapshot_state(estate, A) == "fresh"
    assert history.take_snapshot(estate, A).action == "unchanged"


def test_backfill_then_again(estate):
    first = history.backfill(estate, A, 3)
    assert [(r.as_of, r.action) for r in first] == [
        (D(2026, 3, 31), "written"),
        (D(2026, 4, 30), "written"),
        (D(2026, 5, 31), "written"),
        (A, "written"),
    ]
    before = _table(estate)
    assert {r.action for r in history.backfill(estate, A, 3)} == {"unchanged"}
    pd.testing.assert_frame_equal(_table(estate), before)
    assert history.stored_dates(estate) == [D(2026, 3, 31), D(2026, 4, 30), D(2026, 5, 31), A]


def _set_stored(engine, metric, value, dim="", member="", day=A):
    with engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE metric_snapshots SET value = :v"
                " WHERE as_of = :d AND metric = :m AND dim = :dim AND member = :mem"
            ),
            {"v": value, "d": day, "m": metric, "dim": dim, "mem": member},
        )


def test_series_reads_fresh_snapshots_and_recomputes_stale_ones(estate):
    history.backfill(estate, A, 2)
    # a value only the snapshot knows: proves where the series reads from
    _set_stored(estate, "top10_contract_spend", 999.0, day=D(2026, 5, 31))
    got = history.series(estate, "top10_contract_spend", A, months=3)
    assert got == [(D(2026, 4, 30), 1200.0), (D(2026, 5, 31), 999.0), (A, 1200.0)]
    store.mark_data_changed(estate, dt.datetime.now() + dt.timedelta(seconds=5))
    got = history.series(estate, "top10_contract_spend", A, months=3)
    assert got == [(D(2026, 4, 30), 1200.0), (D(2026, 5, 31), 1200.0), (A, 1200.0)]


@pytest.mark.parametrize(
    "metric,filters,stored,expected",
    [
        # additive, one member of a stored dimension: read from the snapshot
        ("hardware_spend_12m", {"department": ["IT"]}, 1.0, 1.0),
        # a member with no rows of this metric reads 0 (sum over no rows)
        ("hardware_spend_12m", {"department": ["Nowhere"]}, None, 0.0),
        # location is stored too
        ("hardware_spend_12m", {"location": ["Site 1"]}, 2.0, 2.0),
        # two members of an additive metric: their sum
        ("hardware_spend_12m", {"department": ["IT", "HR"]}, 3.0, 3.0),
        # top10 splits the same ten contracts in a breakdown: a filter is recomputed
        ("top10_contract_spend", {"department": ["HR"]}, None, 200.0),
        # a product is not stored: recomputed
        ("hardware_spend_12m", {"product": ["X1"]}, None, 0.0),
        # headline
        ("top10_contract_spend", None, 1.0, 1.0),
    ],
)
def test_value_on_a_past_day(estate, metric, filters, stored, expected):
    history.take_snapshot(estate, A)
    if stored is not None:
        dim, member = next(iter((filters or {"": [""]}).items()))
        _set_stored(estate, metric, stored, dim=dim, member=member[0])
    later = A + dt.timedelta(days=31)
    assert history.value_on(estate, metric, A, filters, as_of=later) == expected


def test_ensure_today_records_once(estate):
    today = D(2026, 7, 1)
    first = history.ensure_today(estate, today)
    assert first is not None and first.action == "written"
    assert history.ensure_today(estate, today) is None
    assert history.stored_dates(estate) == [today]


def test_ensure_today_in_the_background(estate):
    today = D(2026, 7, 2)
    assert history.ensure_today(estate, today, background=True) is None
    for _ in range(300):
        if history.snapshot_state(estate, today) == "fresh":
            break
        time.sleep(0.1)
    assert history.stored_dates(estate) == [today]
    assert history.ensure_today(estate, today) is None


def test_yoy_change(estate):
    # top10: 1200 now against 1300 on 2025-06-30
    assert history.yoy_change(estate, "top10_contract_spend", A) == pytest.approx(-100 / 1300 * 100)


def test_snapshot_command_is_idempotent(tmp_path, capsys):
    path = tmp_path / "cli.duckdb"
    kpi_estate.load(database.get_engine(path))
    database.dispose(path)
    argv = [
        "snapshot",
        "--db",
        str(path),
        "--as-of",
        "2026-06-30",
        "--backfill-months",
        "2",
        "--json",
    ]
    assert main(argv) == 0
    first = json.loads(capsys.readouterr().out)
    assert [d["action"] for d in first["dates"]] == ["written"] * 3
    engine = database.get_engine(path)
    before = _table(engine)
    database.dispose(path)
    assert main(argv) == 0
    second = json.loads(capsys.readouterr().out)
    assert [(d["as_of"], d["action"]) for d in second["dates"]] == [
        ("2026-04-30", "unchanged"),
        ("2026-05-31", "unchanged"),
        ("2026-06-30", "unchanged"),
    ]
    engine = database.get_engine(path)
    pd.testing.assert_frame_equal(_table(engine), before)
    database.dispose(path)
