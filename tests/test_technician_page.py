"""The technician's page reads like the other tables (issue 16, items 2 and 5).

The estate is tests/app_estate.py's (Pat Finance, p1, has laptop A1: Dell Latitude, serial
S1, host h1, warranty to 200 days after the as-of date; A3, an HP desktop, is in stock in
Oslo) plus, for Pat, monitor A5 (LG 27UL, warranty ended 5 days before), and two monitors
in stock in Paris, A6 and A7 (LG 27UL). Pat then has two devices: a table, not a card;
the stock of laptops and monitors is the two monitors (no laptop is in stock).
"""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest

from dashboard import database, lookup
from dashboard.ui import columns, export
from dashboard.ui import lookup as ui_lookup
from tests.metric_fixtures import A, asset, day, load
from tests.test_app import open_app

EQUIPMENT_HEADERS = [
    "Asset tag",
    "Category",
    "Manufacturer",
    "Model",
    "Status",
    "Serial",
    "Hostname",
    "Assigned to",
    "Location",
    "Warranty end",
    "Warranty",
    "Contracts",
    "Installed titles",
    "Titles",
    "Open tickets",
    "Tickets",
    "Last discovery",
]


@pytest.fixture
def kit(estate):
    """The estate with Pat's monitor and two monitors in stock; the database file."""
    engine = database.get_engine(estate)
    load(
        engine,
        assets=[
            asset(
                "A5",
                "monitor",
                assigned_to="p1",
                manufacturer="LG",
                model="27UL",
                warranty_end=day(-5),
            ),
            asset("A6", "monitor", "in_stock", location="Paris", manufacturer="LG", model="27UL"),
            asset("A7", "monitor", "in_stock", location="Paris", manufacturer="LG", model="27UL"),
        ],
    )
    database.dispose(estate)
    return estate


def test_equipment_and_stock_tables_have_worded_headers_and_dates(kit):
    at = open_app("tech1", q="Pat")
    assert not at.exception, at.exception
    equipment, stock = (d.value for d in at.dataframe)
    assert list(equipment.columns) == EQUIPMENT_HEADERS
    first = equipment.iloc[0]
    assert (first["Asset tag"], first["Assigned to"], first["Warranty"]) == (
        "A1",
        "Pat Finance",
        "in warranty",
    )
    # dates as dates (no midnight time), read back from the table drawn
    assert pd.Timestamp(first["Warranty end"]).date() == dt.date.fromisoformat(day(200))
    assert equipment["Asset tag"].tolist() == ["A1", "A5"]
    # A5 has no serial nor hostname: blank cells, not the word "None"
    assert equipment.iloc[1][["Serial", "Hostname"]].tolist() == ["", ""]
    assert list(stock.columns) == [
        "Category",
        "Manufacturer",
        "Model",
        "Location",
        "In stock",
        f"Asset tags (first {lookup.STOCK_TAGS})",
    ]
    assert stock.values.tolist() == [["monitor", "LG", "27UL", "Paris", 2, "A6, A7"]]
    # each table has its download (the stock's is new with the formatting)
    assert [b.label for b in at.get("download_button")] == ["Download .xlsx", "Download .xlsx"]


def test_equipment_column_settings(kit):
    """Dates shown as YYYY-MM-DD, counts with separators, the list of titles wide."""
    at = open_app("tech1", q="Pat")
    config = at.dataframe[0].proto.columns
    assert '"Warranty end"' in config and '"YYYY-MM-DD"' in config
    assert '"Titles"' in config and '"large"' in config


def test_the_download_holds_the_same_headers_and_real_dates(kit):
    engine = database.get_engine(kit)
    items, _ = lookup.equipment(engine, "person", "p1", A)
    database.dispose(kit)
    shown, formats = ui_lookup.equipment_sheet(items, "EUR")
    assert formats == {
        "Warranty end": "yyyy-mm-dd",
        "Installed titles": "#,##0",
        "Open tickets": "#,##0",
    }
    book = openpyxl.load_workbook(
        io.BytesIO(export.xlsx_bytes(shown, title="Equipment", filters_line="", formats=formats))
    )
    rows = list(book.active.iter_rows(min_row=6, values_only=True))
    assert list(rows[0]) == EQUIPMENT_HEADERS
    cell = book.active.cell(row=7, column=EQUIPMENT_HEADERS.index("Warranty end") + 1)
    assert (cell.value, cell.number_format) == (
        dt.datetime.fromisoformat(day(200)),
        "yyyy-mm-dd",
    )


def test_one_device_is_a_card_with_its_download(estate):
    at = open_app("tech1", q="Pat")
    assert not at.dataframe  # the card (tests/test_app.py reads its lines)
    assert [b.label for b in at.get("download_button")] == ["Download .xlsx"]


@pytest.mark.parametrize(
    ("values", "kind"),
    [
        ([dt.date(2026, 1, 31), None], "date"),  # a DATE read from DuckDB: date objects
        ([dt.datetime(2026, 1, 31, 9, 30), None], "text"),  # datetime objects: not dates
        ([None, None], "text"),  # nothing to tell by
        (["2026-01-31", dt.date(2026, 1, 31)], "text"),  # mixed
    ],
)
def test_object_columns_of_dates_read_as_dates(values, kind):
    assert columns.kind("seen", pd.Series(values, dtype=object)) == kind
