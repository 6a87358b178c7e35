"""Issue 12, item 2 on screen: charts mark recorded and recomputed points and leave gaps;
a tile's change says "no record a year ago" rather than a change from today's rows."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from dashboard.ui import charts
from tests import kpi_estate

D = dt.date
SERIES = pd.DataFrame(
    {
        "date": [D(2026, 1, 31), D(2026, 2, 28), D(2026, 3, 31), D(2026, 4, 30), D(2026, 5, 31)],
        "value": [None, 3.0, 4.0, None, 6.0],
        "source": ["none", "recorded", "recorded", "none", "recomputed"],
    }
)


def test_segments_break_at_each_gap():
    got = charts.with_segments(SERIES)
    assert list(got["segment"]) == [1, 1, 1, 2, 2]
    assert list(got["point"]) == ["no record", "recorded", "recorded", "no record", "recomputed"]


def _layers(chart) -> list[dict]:
    return json.loads(chart.to_json())["layer"]


def test_trend_draws_points_by_source_and_crosses_at_gaps():
    layers = _layers(charts.trend(SERIES, label="In stock", unit="count", target=5))
    marks = [(layer["mark"]["type"], layer["mark"].get("shape")) for layer in layers]
    assert marks == [("line", None), ("point", None), ("point", "cross"), ("rule", None)]
    fill = layers[1]["encoding"]["fill"]
    assert fill["scale"] == {
        "domain": ["recorded", "recomputed"],
        "range": [charts.PRIMARY, "white"],
    }
    assert layers[0]["encoding"]["detail"]["field"] == "segment"  # the line breaks at gaps


def test_a_series_without_sources_is_recomputed_and_without_gaps_has_no_crosses():
    plain = SERIES.drop(columns="source").dropna()
    layers = _layers(charts.trend(plain, label="x", unit="count"))
    assert [layer["mark"]["type"] for layer in layers] == ["line", "point"]
    assert set(charts.with_segments(plain)["point"]) == {"recomputed"}


@pytest.fixture
def app_db(engine, monkeypatch):
    kpi_estate.load(engine)
    monkeypatch.setenv("DATABASE_URL", engine.info["url"])
    from dashboard.ui import data

    data._trends.clear()
    return data


@pytest.mark.parametrize(
    ("metric_id", "text"),
    [
        ("active_devices", "no record a year ago"),  # state: nothing recorded a year before
        # dated: recomputed a year before (top10 1,300 then, 1,200 now; tests/kpi_estate.py)
        ("top10_contract_spend", "-7.7 % vs one year before"),
    ],
)
def test_change_texts(app_db, metric_id, text):
    v = app_db.view(metric_id, None, None)
    assert app_db.change_texts([v], kpi_estate.AS_OF) == {metric_id: text}
    assert app_db.change_text(v, kpi_estate.AS_OF) == text
    points = app_db.trend(v, kpi_estate.AS_OF, 3)
    assert list(points.columns) == ["date", "value", "source"]
    assert points["source"].iloc[-1] == "recomputed"
    past = "none" if metric_id == "active_devices" else "recomputed"
    assert list(points["source"].iloc[:-1]) == [past, past]
