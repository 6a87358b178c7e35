"""The CFO's year on the pages (issue 15): the series behind the charts, computed
by hand, and the CFO, CIO and Asset manager pages under AppTest.
"""

from __future__ import annotations

import datetime as dt
import json
import os

import pytest

from dashboard import database, store
from metrics import cfo_year
from tests import test_metrics_finance as fin
from tests.app_estate import build_estate
from tests.metric_fixtures import (
    A,
    budget,
    cloud,
    db_fixture,  # noqa: F401  (the `db` fixture)
    load,
    metrics_db_fixture,  # noqa: F401
)


@pytest.fixture
def april(db):
    store.set_setting(db, "fiscal_year_start_month", "4")
    yield db
    store.set_setting(db, "fiscal_year_start_month", None)


def test_budget_against_actual_by_month(april):
    load(april, **fin.FISCAL)
    frame = cfo_year.budget_by_month(april, fin.FY_A)
    series = {s: g.set_index("month_end")["amount"] for s, g in frame.groupby("series")}
    ends = cfo_year.fiscal_month_ends(fin.FY_A, 4)
    assert ends[0] == dt.date(2026, 4, 30) and ends[-1] == dt.date(2027, 3, 31)
    # Budget pro rata: 30 days of 365 by the end of April, all of it on 31 March.
    assert series["Budget"][dt.date(2026, 4, 30)] == pytest.approx(3000 * 30 / 365)
    assert series["Budget"][dt.date(2027, 3, 31)] == pytest.approx(3000)
    # Actual, cumulative: April H2 200 + cloud 10; December adds E1 60 and cloud
    # Nov 20 + Dec 40; A adds H3 50 and cloud Jan 80 + Feb 160.
    assert series["Actual"].to_dict() == {
        **{d: 210.0 for d in ends[:7]},
        dt.date(2026, 11, 30): 230.0,
        dt.date(2026, 12, 31): 330.0,
        dt.date(2027, 1, 31): 410.0,
        fin.FY_A: 620.0,
    }
    # Projection: from A's 620 in a straight line to the year's projected total.
    proj = series["Projection"]
    assert proj[fin.FY_A] == 620.0
    assert proj[dt.date(2027, 3, 31)] == pytest.approx(fin.PROJECTION)
    assert proj[dt.date(2027, 2, 28)] == pytest.approx(620 + (fin.PROJECTION - 620) * 18 / 49)


def test_horizon_by_month(db):
    load(db, **fin.HORIZONS)
    frame, skipped = cfo_year.horizon(db, A)
    rows = {(r.month, r.kind): (r.count, r.value) for r in frame.itertuples()}
    # A = 2026-06-30: the months are July 2026 .. June 2027. W1 (A+30 = 30 July),
    # W2 (A+31 = 31 July); W3 (A+180 = 27 December), W6 (A+181, in repair).
    # K1 (A+180) and K2 (A+181) end in December, K3 (A+365) on 30 June 2027,
    # K5 (A+366) in July 2027: outside. W4 and K4 end on A: not ahead.
    assert rows == {
        (dt.date(2026, 7, 1), "Warranties"): (2, 0.0),
        (dt.date(2026, 12, 1), "Warranties"): (2, 0.0),
        (dt.date(2026, 12, 1), "Contracts"): (2, 300.0),
        (dt.date(2027, 6, 1), "Contracts"): (1, 400.0),
    }
    assert skipped == []
    # Contracts carry no category: under a category filter they are left out, said so.
    frame, skipped = cfo_year.horizon(db, A, {"category": ["server"]})
    assert skipped == ["Contracts"]
    assert frame[["kind", "count"]].values.tolist() == [["Warranties", 1]]


def test_rates_for_display(db):
    load(db, fx_rates=fin.RATES)
    assert cfo_year.currencies(db) == ["EUR", "GBP", "USD"]
    assert cfo_year.rate(db, "usd", A) == 0.8
    assert cfo_year.rate(db, "USD", dt.date(2026, 5, 31)) == 0.9
    assert cfo_year.rate(db, "USD", dt.date(2026, 4, 30)) is None
    assert cfo_year.rate(db, "EUR", A) == 1.0


# ------------------------------------------------------------------ pages


@pytest.fixture(scope="module")
def estate(tmp_path_factory):
    """The AppTest estate (tests/app_estate.py) with an April fiscal year and a budget.

    Book value as of A = 2026-06-30 (laptops 48 months, desktops 60): A1 1,000
    bought 2026-03-22, 4 months charged -> 916.67; A2 1,500 from 2025-12-12,
    7 months -> 1,281.25; A3 800 from 2025-05-26, 14 of 60 -> 613.33; A4 is
    retired. Total 2,811.25. FY2026 began 2026-04-01: nothing bought since,
    budget 3,650 x 91/365 = 910.
    """
    tmp = tmp_path_factory.mktemp("cfo")
    env = build_estate(tmp)
    db = tmp / "app.duckdb"
    engine = database.get_engine(db)
    load(
        engine,
        budget=[budget(2026, "hardware", 3650)],
        cloud_spend=[cloud("2026-01-01", 5)],
        fx_rates=[{"currency": "USD", "month": "2026-06-01", "rate": 0.8}],
    )
    store.set_setting(engine, "fiscal_year_start_month", "4")
    store.mark_data_changed(engine)
    database.dispose(db)
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    yield tmp
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def _chart_rows(at, column: str) -> set:
    """The values of `column` in the data of every Altair chart on the page."""
    import pyarrow as pa

    found = set()
    for chart in at.get("vega_lite_chart"):
        for named in chart.proto.datasets:
            frame = pa.ipc.open_stream(named.data.data).read_all().to_pandas()
            if column in frame.columns:
                found |= set(frame[column])
        spec = json.loads(chart.proto.spec)
        for values in (spec.get("datasets") or {}).values():
            found |= {row.get(column) for row in values if isinstance(row, dict)}
    return found


def test_cfo_page_shows_the_fiscal_year_book_value_and_horizon(estate):
    from tests.test_app import metrics, open_app

    at = open_app("cfo1", "cfo")
    assert not at.exception, at.exception
    tiles = metrics(at)
    assert tiles["Spend (fiscal year to date)"] == "€0"
    assert tiles["Budget (fiscal year to date)"] == "€910"
    assert tiles["Net book value"] == "€2,811"
    assert tiles["Fully depreciated, still active"] == "0"
    assert {"Budget", "Actual", "Projection"} <= _chart_rows(at, "series")
    assert {"Book value", "Next 12 months' depreciation"} <= _chart_rows(at, "measure")
    headers = [s.value for s in at.subheader]
    assert {"The fiscal year: budget against actual", "Book value and depreciation",
            "The next 12 months"} <= set(headers)  # fmt: skip


@pytest.mark.parametrize(("user", "page"), [("cio1", "cio"), ("am1", "asset_manager")])
def test_horizon_on_cio_and_asset_manager(estate, user, page):
    from tests.test_app import open_app

    at = open_app(user, page)
    assert not at.exception, at.exception
    # A1's warranty ends at A+200 (16 January 2027); the laptops' refreshes are
    # years away: the horizon shows one warranty end and nothing else.
    assert _chart_rows(at, "kind") >= {"Warranties"}
    assert "Refreshes" not in _chart_rows(at, "kind")


def test_explore_shows_a_money_metric_in_another_currency(estate):
    from tests.test_app import metrics, open_app

    at = open_app("cfo1", "explore", metric="hardware_spend_12m")
    assert not at.exception, at.exception
    box = at.selectbox(key="exp_currency")
    assert box.options == ["EUR", "USD"]
    box.set_value("USD").run()
    # 2,500 EUR at 0.8 EUR per dollar (June 2026, A's month) = 3,125 USD.
    assert metrics(at)["Hardware spend (12 months) in USD"] == "$3,125"
    assert any("0.8000 EUR per USD" in c.value for c in at.caption)
