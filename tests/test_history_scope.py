"""Issue 12, item 5: with a category and a location switched out of scope on the Strategy
page, trends, year-on-year changes, breakdowns and headlines agree for every metric of the
demo. Recomputed points equal a fresh scoped computation; recorded points of additive
metrics are the stored members left in scope (read here straight from the table); a
non-additive state metric recorded without the switch is a gap, never a recomputation."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
from sqlalchemy import text

from dashboard import database, demo, history
from dashboard import strategy as S
from metrics import api
from metrics.catalog import METRICS
from metrics.kpi import change_pct

A = dt.date(2026, 6, 30)
OUT = {"category": ["tablet"], "location": ["Rotterdam"]}


@pytest.fixture(scope="module")
def scoped(tmp_path_factory):
    path = tmp_path_factory.mktemp("scoped") / "demo.duckdb"
    engine = database.get_engine(path)
    demo.build_demo(engine, A)
    history.backfill(engine, A, 12)  # the dated metrics' stored values, fresh
    S.save_rows(
        engine,
        "scope",
        [
            {"kind": "category", "name": "tablet", "in_scope": False},
            {"kind": "location", "name": "Rotterdam", "in_scope": False},
        ],
        "eve",
    )
    S.set_scope_switch(engine, True, "eve")
    assert api.active_scope(engine) == OUT
    yield engine
    database.dispose(path)


DAYS = history.month_points(A, 13) + [history.year_before(A)]


@pytest.fixture(scope="module")
def points(scoped):
    return history.points_on_days(scoped, list(METRICS), DAYS, A)


@pytest.fixture(scope="module")
def fresh(scoped):
    return api.compute_days(scoped, DAYS, list(METRICS))


@pytest.fixture(scope="module")
def stored(scoped) -> pd.DataFrame:
    with scoped.connect() as conn:
        rows = conn.execute(text("SELECT metric, as_of, dim, member, value FROM metric_snapshots"))
        return pd.DataFrame(rows.all(), columns=["metric", "as_of", "dim", "member", "value"])


def _carried(metric_id: str) -> set[str]:
    from metrics.subjects import SUBJECTS

    return {
        d
        for m in api._simple_measures([metric_id]).values()
        for d in SUBJECTS[m.subject].dimensions
    }


def _in_scope_sum(stored: pd.DataFrame, metric_id: str, day: dt.date) -> float | None:
    """The recorded value under the switch, from the stored members (additive metrics)."""
    rows = stored[(stored["metric"] == metric_id) & (stored["as_of"] == day)]
    dims = sorted(set(OUT) & _carried(metric_id))
    if not dims:
        head = rows[rows["dim"] == ""]["value"]
        return None if head.empty else head.iloc[0]
    if dims == ["category", "location"]:
        part = rows[rows["dim"] == "category+location"]
        pairs = [json.loads(m) for m in part["member"]]
        keep = [c not in OUT["category"] and loc not in OUT["location"] for c, loc in pairs]
        return float(part["value"][keep].sum())
    (dim,) = dims
    part = rows[rows["dim"] == dim]
    return float(part[~part["member"].isin(OUT[dim])]["value"].sum())


@pytest.mark.parametrize("metric_id", list(METRICS))
def test_trend_points_agree_with_the_switch(metric_id, points, fresh, stored):
    m = METRICS[metric_id]
    for day in DAYS:
        value, source = points[day][metric_id]
        if day == A or source == "recomputed":
            assert source == "recomputed"
            assert value == pytest.approx(fresh[day][metric_id], nan_ok=True), day
        elif source == "recorded":
            # a non-additive record made without the switch only where the switch
            # does not reach the metric's rows
            reached = set(OUT) & _carried(metric_id)
            assert m.is_additive or not reached, f"{day}: a record without the switch was read"
            assert value == pytest.approx(_in_scope_sum(stored, metric_id, day)), day
        else:
            assert (value, m.time_basis) == (None, "state"), day


def test_the_demo_past_is_there_under_the_switch(points):
    """Not all gaps: the additive state metrics read their records through their members."""
    year_ago = history.year_before(A)
    recorded = {m for m in METRICS if points[year_ago][m][1] == "recorded"}
    assert {"active_devices", "unpatched_devices", "in_stock", "itam_records"} <= recorded
    # recorded without the switch, not additive: a gap
    assert points[year_ago]["deployed_not_discovered_30d_pct"] == (None, "none")


@pytest.mark.parametrize("metric_id", list(METRICS))
def test_year_on_year_change_agrees(metric_id, scoped, points):
    before = history.year_before(A)
    want = change_pct(points[A][metric_id][0], points[before][metric_id][0])
    assert history.yoy_change(scoped, metric_id, A) == pytest.approx(want, nan_ok=True)
    if METRICS[metric_id].time_basis == "dated":
        fresh = api.compute_days(scoped, [A, before], [metric_id])
        assert want == pytest.approx(
            change_pct(fresh[A][metric_id], fresh[before][metric_id]), nan_ok=True
        )


@pytest.mark.parametrize("metric_id", [m for m in METRICS if METRICS[m].kind != "sum"])
def test_breakdowns_and_headlines_agree(metric_id, scoped, fresh):
    sets = [(d,) for d in ("department", "category", "location") if api.supports(metric_id, (d,))]
    grouped = api.breakdown_sets(scoped, [metric_id], sets, A)
    for (dim,) in sets:
        one = api.breakdown(scoped, metric_id, dim, A)
        got = {k[0]: v for k, v in grouped[(metric_id, (dim,))].items()}
        assert got.keys() == one.keys()
        assert list(got.values()) == pytest.approx(list(one.values()), nan_ok=True)
        if dim in OUT:
            assert not set(one) & set(OUT[dim])  # the switched-out member is gone
        if METRICS[metric_id].is_additive and metric_id != "top10_contract_spend":
            assert sum(v or 0 for v in one.values()) == pytest.approx(fresh[A][metric_id] or 0)


def test_a_filter_the_records_cannot_answer_is_a_gap_not_a_guess(scoped):
    """The issue's case: unpatched devices of one department, a year back, switch on: no
    stored set holds department x category x location, so no value (not the unscoped one)."""
    before = history.year_before(A)
    got = history.points_on_days(
        scoped,
        ["unpatched_devices", "hardware_spend_12m"],
        [before, A],
        A,
        {"department": ["Sales"]},
    )
    assert got[before]["unpatched_devices"] == (None, "none")
    want = api.compute_days(scoped, [before], ["hardware_spend_12m"], {"department": ["Sales"]})
    assert got[before]["hardware_spend_12m"] == (want[before]["hardware_spend_12m"], "recomputed")
    assert (
        got[A]["unpatched_devices"][0]
        == api.compute(scoped, A, ["unpatched_devices"], {"department": ["Sales"]})[
            "unpatched_devices"
        ]
    )
