"""Issue 16, pages people read without squinting: exact values behind compact tiles, the
uploader's limit, charts labelled with titles and text alternatives.

The estate is tests/app_estate.py's plus one laptop A5 bought 50 days before the as-of
date for 32,630: hardware spend over 12 months = 1,000 (A1) + 1,500 (A2) + 32,630 = 35,130,
shown compact as €35.1k.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from dashboard import database, fmt, lookup, upload_checks
from dashboard.ui import asset_card, charts, columns
from tests.app_estate import build_estate
from tests.metric_fixtures import A, asset, day, load, person

ROOT = Path(__file__).resolve().parent.parent
D = dt.date


@pytest.mark.parametrize(
    "value, unit, currency, expected",
    [
        (35130, "money", "EUR", "€35,130"),  # shown €35.1k
        (1_234_567.4, "money", "USD", "$1,234,567"),  # shown $1.23M
        (9_999, "money", "EUR", None),  # shown €9,999 already
        (2500, "money", "EUR", None),
        (12, "count", "EUR", None),
        (97.25, "%", "EUR", None),
        (None, "money", "EUR", None),
        (float("nan"), "money", "EUR", None),
    ],
)
def test_exact_value(value, unit, currency, expected):
    assert fmt.exact_value(value, unit, currency) == expected


@pytest.fixture(scope="module")
def estate(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("readable")
    env = build_estate(tmp)
    engine = database.get_engine(tmp / "app.duckdb")
    load(
        engine,
        assets=[asset("A5", assigned_to="p2", purchase_date=day(-50), purchase_cost=32630.0)],
    )
    database.dispose(tmp / "app.duckdb")
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    yield tmp
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def test_explore_headline_states_exact_value(estate):
    from tests.test_app import open_app

    at = open_app("cfo1", "explore", metric="hardware_spend_12m")
    assert not at.exception
    tile = next(m for m in at.metric if m.label == "Hardware spend (12 months)")
    assert tile.value == "€35.1k"
    assert "Exact value: **€35,130**" in tile.help
    assert "Exact value: €35,130" in [c.value for c in at.caption]


def test_uploader_limit_is_the_import_limit():
    """Streamlit's default says 200 MB while imports stop at 50 MB: the config states the
    import's default limit (pages pass the stored setting to each uploader)."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == upload_checks.Limits().max_upload_mb == 50


# ------------------------------------------------------------------ charts (item 1)

STOCK = pd.DataFrame(
    {
        "member": [
            "laptop",
            "phone",
            "monitor",
            "desktop",
            "tablet",
            "server",
            "iot",
            "network",
            "printer",
            "storage",
            "other",
        ],
        "value": [48, 20, 11, 9, 8, 6, 4, 4, 3, 2, 1],
    }
)


def spec(chart) -> dict:
    return json.loads(chart.to_json())


def test_every_bar_is_labelled_with_a_title_and_a_text_alternative():
    got = spec(charts.bars(STOCK, label="In stock", unit="count", dim_label="Category"))
    axis = got["encoding"]["y"]["axis"]
    assert axis["labelOverlap"] is False and axis["labelLimit"] == 240
    assert got["height"] == 11 * charts.STEP  # a 26 px band per bar: room for each label
    assert got["title"]["text"] == "In stock by category"
    assert got["description"] == (
        "Horizontal bars of In stock by category, largest first: laptop 48, phone 20, monitor 11, "
        "desktop 9, tablet 8, server 6, iot 4, network 4, printer 3, storage 2 and 1 more."
    )


def test_stacked_counts_label_every_source():
    frame = pd.DataFrame(
        {
            "source": ["(no tool)", "active_directory", "intune", "intune"],
            "kind": ["a", "b", "a", "b"],
            "count": [120, 40, 7, 5],
        }
    )
    got = spec(
        charts.stacked_counts(frame, y="source", color="kind", y_title="Source", color_title="Kind")
    )
    assert got["encoding"]["y"]["axis"]["labelOverlap"] is False
    assert got["height"] == 120  # 3 sources x 26 px is below the minimum
    assert got["description"].endswith("(no tool) 120, active_directory 40, intune 12.")


def test_trend_puts_a_month_end_on_its_own_month():
    series = pd.DataFrame(
        {"date": [D(2026, 1, 31), D(2026, 2, 28), D(2026, 3, 31)], "value": [1.0, 2.0, 1500.0]}
    )
    got = spec(charts.trend(series, label="Spend", unit="money", currency="EUR"))
    x = got["layer"][0]["encoding"]["x"]
    assert x["field"] == "month"
    assert x["axis"]["values"] == [
        "2026-01-01T00:00:00",
        "2026-02-01T00:00:00",
        "2026-03-01T00:00:00",
    ]
    rows = next(iter(got["datasets"].values()))
    assert [(r["date"][:10], r["month"][:10]) for r in rows] == [
        ("2026-01-31", "2026-01-01"),
        ("2026-02-28", "2026-02-01"),
        ("2026-03-31", "2026-03-01"),
    ]
    assert (
        got["description"]
        == "Line of Spend at each month end: Jan 2026 €1, Feb 2026 €2, Mar 2026 €1,500."
    )


@pytest.mark.parametrize(
    "as_of, first, last",
    [
        # 365 days as of 30 Jun 2026: 1 Jul 2025 to 30 Jun 2026, every month whole
        (D(2026, 6, 30), ("Jul 2025", "whole month"), ("Jun 2026", "whole month")),
        # as of 15 Jun 2026: 16 Jun 2025 to 15 Jun 2026
        (
            D(2026, 6, 15),
            ("Jun 2025 (16-30)", "part of the month"),
            ("Jun 2026 (1-15)", "part of the month"),
        ),
    ],
)
def test_partial_first_and_last_months(as_of, first, last):
    months = pd.Series(pd.date_range(as_of - dt.timedelta(days=364), as_of, freq="D")).dt.to_period(
        "M"
    )
    got = charts.month_coverage(months.dt.to_timestamp(), as_of)
    assert tuple(got.iloc[0][["period", "part"]]) == first
    assert tuple(got.iloc[-1][["period", "part"]]) == last
    assert len(got) == (12 if as_of.day == 30 else 13)


def test_spend_by_month_draws_partial_months_lighter():
    frame = pd.DataFrame(
        {
            "month": pd.to_datetime(["2025-06-01", "2025-07-01", "2026-06-01"]),
            "spend_type": ["hardware"] * 3,
            "amount": [1000.0, 2500.0, 12000.0],
        }
    )
    got = spec(charts.spend_by_month(frame, currency="EUR", as_of=D(2026, 6, 15)))
    assert got["encoding"]["x"]["sort"] == ["Jun 2025 (16-30)", "Jul 2025", "Jun 2026 (1-15)"]
    assert got["encoding"]["opacity"]["scale"] == {
        "domain": ["whole month", "part of the month"],
        "range": [1.0, 0.45],
    }
    assert got["description"] == (
        "Stacked bars of hardware, software and cloud spend by month: "
        "Jun 2025 (16-30) €1,000, Jul 2025 €2,500, Jun 2026 (1-15) €12,000."
    )


def test_renewals_timeline_shows_the_year_and_a_size_legend():
    frame = pd.DataFrame(
        {
            "end_date": pd.to_datetime(["2026-07-10", "2026-09-01"]),
            "annual_value": [12000.0, 800.0],
            "contract": ["CT-1 · Adobe", "CT-2 · Dell"],
        }
    )
    got = spec(
        charts.timeline(
            frame,
            date="end_date",
            value="annual_value",
            label="contract",
            color_field=None,
            currency="EUR",
        )
    )
    assert got["encoding"]["x"]["axis"]["format"] == "%d %b %Y"
    assert got["encoding"]["size"]["legend"]["format"] == ",.0f"
    assert got["encoding"]["size"]["title"] == "Annual value (EUR)"
    assert got["description"] == (
        "Contracts by end date, dot size the annual value: "
        "CT-1 · Adobe on 10 Jul 2026 (€12,000), CT-2 · Dell on 01 Sep 2026 (€800)."
    )


# ------------------------------------------------------------------ technician (item 5)


@pytest.fixture
def namesakes(engine):
    """Two people called Alex Kim (Finance in Paris; HR in Oslo, who has left), a laptop each."""
    load(
        engine,
        people=[
            person("ak1@x.org", name="Alex Kim", department="Finance", location="Paris"),
            person("ak2@x.org", name="Alex Kim", department="HR", location="Oslo", active=False),
        ],
        assets=[
            asset(
                "LT-000101",
                assigned_to="ak1@x.org",
                serial="DE349000101",
                hostname="lt000101",
                model="Latitude",
                warranty_end=day(100),
            ),
            asset(
                "LT-000102",
                assigned_to="ak2@x.org",
                serial="DE349000102",
                hostname="lt000102",
                model="Latitude",
                warranty_end=day(-1),
            ),
        ],
    )
    return engine


def test_namesakes_are_told_apart_and_a_leaver_is_named(namesakes):
    got = lookup.search(namesakes, "alex kim")
    assert got[["label", "detail"]].values.tolist() == [
        ["Alex Kim", "Finance · Paris · ak1@x.org"],
        ["Alex Kim", "HR · Oslo · ak2@x.org · has left"],
    ]
    items, _ = lookup.equipment(namesakes, "person", "ak2@x.org", A)
    assert items["assigned_to"].tolist() == ["Alex Kim (has left)"]


@pytest.mark.parametrize(
    ("query", "tags"),
    [
        (
            "lt00010",
            ["LT-000101", "LT-000102"],
        ),  # part of a tag without its '-' (and of a hostname)
        ("LT-000102", ["LT-000102"]),
        ("9000101", ["LT-000101"]),  # part of a serial
    ],
)
def test_partial_asset_search(namesakes, query, tags):
    got = lookup.search(namesakes, query)
    assert got["key"].tolist() == tags
    assert set(got["kind"]) == {"asset"}


def test_asset_card_lines(namesakes):
    items, _ = lookup.equipment(namesakes, "asset", "LT-000102", A)
    lines = asset_card.card_lines(items.iloc[0])
    assert lines[:4] == [
        "**LT\\-000102** · laptop · Latitude",
        ":red[:material/report:] out of warranty",
        "Assigned to: Alex Kim \\(has left\\)",
        "Location: Oslo",
    ]
    assert "Warranty end: 2026\\-06\\-29" in lines  # markdown-escaped (widgets.plain)


def test_pages_get_the_height_the_chart_asks_for():
    """Streamlit ignores a spec's height: widgets.chart passes plot + title + axis (+ legend)."""
    assert charts.element_height(
        charts.bars(STOCK, label="In stock", unit="count", dim_label="Category")
    ) == (11 * 26 + 80 + 25)
    trend = charts.trend(
        pd.DataFrame({"date": [D(2026, 1, 31)], "value": [1.0]}), label="x", unit="count"
    )
    assert charts.element_height(trend, legend_below=True) == 280 + 80 + 25 + 45


# ------------------------------------------------------------------ estimates page (item 6)

# Two lines of the sheet; Laptops estimates a count and a spend: three estimates.
EST = (
    b"line_item,count_metric,filter,estimated_count,count_margin_pct,spend_metric,estimated_spend,"
    b"spend_margin_pct,confidence\n"
    b"Laptops,active_devices,category=laptop,2,0,hardware_spend_12m,35000,10,high\n"
    b"Desktops,active_devices,category=desktop,3,10,,,,low\n"
)


def test_estimates_counts_agree(estate):
    from dashboard import estimates
    from tests.test_app import open_app

    estimates.import_estimates(
        database.get_engine(estate / "app.duckdb"),
        EST,
        "Baseline",
        date=A,
        filename="estimates.csv",
    )
    at = open_app("admin1", "estimates")
    assert not at.exception, at.exception
    assert (
        at.selectbox(key="est_snapshot")
        .format_func(at.selectbox(key="est_snapshot").value)
        .endswith("(2 lines)")
    )
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["Estimates"] == "3"
    assert (
        "2 lines of the sheet give 3 estimates: a line can estimate both a count and a spend."
        in [c.value for c in at.caption]
    )
    # Laptops' spend: A1 1,000 + A2 1,500 + A5 32,630 = 35,130 within 31,500-38,500
    table = at.dataframe[0].value
    assert table[["line_item", "measure", "actual", "result"]].values.tolist() == [
        ["Laptops", "count", 3.0, "outside"],
        ["Laptops", "spend", 35130.0, "within"],
        ["Desktops", "count", 1.0, "outside"],
    ]  # A3, the one active desktop: outside 2.7-3.3


@pytest.mark.parametrize(("setting", "shown_mb"), [(None, 50), ("20", 20)])
def test_data_page_uploader_states_the_import_limit(estate, setting, shown_mb):
    from dashboard import store
    from tests.test_app import open_app

    engine = database.get_engine(estate / "app.duckdb")
    store.set_setting(engine, "max_upload_mb", setting or "50")
    at = open_app("admin1", "data")
    assert not at.exception, at.exception
    store.set_setting(engine, "max_upload_mb", "50")  # the module's other tests see the default
    uploader = next(u for u in at.get("file_uploader") if u.proto.label == "File to import")
    assert uploader.proto.max_upload_size_mb == shown_mb


# ------------------------------------------------------------------ tables (item 2)

RECORDS = pd.DataFrame(
    {
        "value_rank": [1, 2],
        "contract_id": ["K1", "K2"],
        "annual_value": [1234567.5, 800.0],
        "end_date": pd.to_datetime(["2026-12-31", "2027-03-31"]),
        "opened": pd.to_datetime(["2026-06-01 09:30", "2026-06-02 00:00"]),
        "utilisation_pct": [97.5, 12.0],
        "seats": [1200, 5],
    }
)


def test_readable_headers_kinds_and_dates():
    shown, kinds = columns.readable(RECORDS)
    assert kinds == {
        "Rank": "number",
        "Contract id": "text",
        "Annual value": "money",
        "End date": "date",
        "Opened": "datetime",
        "Utilisation pct": "percent",
        "Seats": "count",
    }
    assert shown["End date"].tolist() == [D(2026, 12, 31), D(2027, 3, 31)]  # midnight: a date
    assert columns.xlsx_formats(kinds, "EUR") == {
        "Annual value": '"€"#,##0.00',
        "End date": "yyyy-mm-dd",
        "Opened": "yyyy-mm-dd hh:mm",
        "Utilisation pct": '0.0" %"',
        "Seats": "#,##0",
    }


def test_xlsx_download_keeps_numbers_with_formats():
    import io

    import openpyxl

    from dashboard.ui import export

    shown, kinds = columns.readable(RECORDS)
    data = export.xlsx_bytes(
        shown, title="t", filters_line="none", formats=columns.xlsx_formats(kinds, "EUR")
    )
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert [c.value for c in ws[6]] == list(
        shown.columns
    )  # four header lines, a blank, the headers
    value, end, seats = ws["C7"], ws["D7"], ws["G7"]
    assert (value.value, value.number_format) == (1234567.5, '"€"#,##0.00')
    assert (end.value.date(), end.number_format) == (D(2026, 12, 31), "yyyy-mm-dd")
    assert (seats.value, seats.number_format) == (1200, "#,##0")
    assert ws["E7"].number_format == "yyyy-mm-dd hh:mm"


def test_records_drill_down_has_worded_headers(estate):
    from tests.test_app import open_app

    at = open_app("cfo1", "explore", metric="hardware_spend_12m")
    assert not at.exception, at.exception
    records = at.dataframe[-1]
    frame = records.value
    # A1, A2 and A5 were bought in the last 12 months
    assert sorted(frame["Asset tag"]) == ["A1", "A2", "A5"]
    assert list(frame.columns)[:3] == ["Asset tag", "Category", "Status"]
    assert "Cost center" in frame.columns and "cost_center" not in frame.columns


def test_explore_breakdown_table_formats_the_metric(estate):
    from tests.test_app import open_app

    at = open_app("cfo1", "explore", metric="hardware_spend_12m", by="department")
    assert not at.exception, at.exception
    table = next(d for d in at.dataframe if "Hardware spend (12 months)" in d.value.columns)
    cfg = json.loads(table.proto.columns)["Hardware spend (12 months)"]
    assert cfg["label"] == "Hardware spend (12 months) (EUR)"
    assert cfg["type_config"]["format"] == "localized"
    # Finance: A1 1,000; Sales: A2 1,500 + A5 32,630 = 34,130
    assert dict(table.value.values.tolist()) == {"Finance": 1000.0, "Sales": 34130.0}


def test_money_shown_in_whole_units():
    shown, kinds = columns.readable(RECORDS)
    assert columns.whole_money(shown, kinds)["Annual value"].tolist() == [1234568.0, 800.0]
