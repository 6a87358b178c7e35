"""Currencies at import and export (issue 15): rates by month, codes, round trip."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from dashboard import exporter, importer, store
from tests.test_import import xlsx_bytes

RATES = [["currency", "month", "rate"], ["usd", "2026-05", 0.9], ["USD", "2026-06-01", 0.8]]
ASSETS_HEAD = ["asset_tag", "category", "status", "purchase_date", "purchase_cost", "currency"]


def _import(engine, sheets, **kw):
    return importer.import_package(engine, xlsx_bytes(sheets), filename="pkg.xlsx", **kw)


def _rows(engine, sql: str) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql)).all()]


def test_rates_and_converted_rows_load_with_codes_upper_cased(engine):
    result = _import(engine, {
        "fx_rates": RATES,
        "assets": [ASSETS_HEAD, ["A1", "laptop", "deployed", "2026-05-20", 100, "usd"]],
    })  # fmt: skip
    assert result.ok, result.errors
    assert _rows(engine, "SELECT currency, month, rate FROM fx_rates ORDER BY month") == [
        ("USD", dt.date(2026, 5, 1), 0.9),
        ("USD", dt.date(2026, 6, 1), 0.8),
    ]
    assert _rows(engine, "SELECT currency, purchase_cost FROM assets") == [("USD", 100.0)]


@pytest.mark.parametrize(
    "sheets, expected",
    [
        # July has no USD rate: row 3 of the sheet, its currency column.
        (
            {"fx_rates": RATES, "assets": [
                ASSETS_HEAD,
                ["A1", "laptop", "deployed", "2026-05-20", 100, "USD"],
                ["A2", "laptop", "deployed", "2026-07-02", 100, "USD"],
            ]},
            [("assets", 3, "currency", "USD",
              "no exchange rate for USD for 2026-07: add a row to fx_rates "
              "(currency, month, rate = EUR per USD)")],
        ),
        # No rate at all for pounds, and the row has no date.
        (
            {"fx_rates": RATES, "assets": [
                ASSETS_HEAD, ["A1", "laptop", "deployed", None, 100, "GBP"]]},
            [("assets", 2, "currency", "GBP",
              "no exchange rate for GBP at all (the row has no date): add a row to fx_rates "
              "(currency, month, rate = EUR per GBP)")],
        ),
        # A budget converts at its fiscal year's first month: January 2026 here.
        (
            {"fx_rates": RATES, "budget": [
                ["year", "spend_type", "amount", "currency"], [2026, "cloud", 10, "USD"]]},
            [("budget", 2, "currency", "USD",
              "no exchange rate for USD for 2026-01: add a row to fx_rates "
              "(currency, month, rate = EUR per USD)")],
        ),
        (
            {"cloud_spend": [
                ["month", "provider", "cost", "currency"], ["2026-06", "AWS", 5, "US$"]]},
            [("cloud_spend", 2, "currency", "US$",
              "a currency is a three-letter ISO 4217 code, such as USD or GBP")],
        ),
    ],
)  # fmt: skip
def test_a_row_without_a_rate_is_refused_and_nothing_is_stored(engine, sheets, expected):
    result = _import(engine, sheets)
    got = [(e["sheet"], e["row"], e["column"], e["value"], e["reason"]) for e in result.errors]
    assert not result.ok and got == expected
    assert _rows(engine, "SELECT count(*) FROM fx_rates") == [(0,)]
    assert _rows(engine, "SELECT count(*) FROM assets") == [(0,)]


def test_rates_already_stored_count_and_the_own_currency_needs_none(engine):
    assert _import(engine, {"fx_rates": RATES}).ok
    store.set_setting(engine, "currency", "gbp")
    result = _import(engine, {"assets": [
        ASSETS_HEAD,
        ["A1", "laptop", "deployed", "2026-06-30", 100, "USD"],
        ["A2", "laptop", "deployed", "2026-06-30", 100, "GBP"],
    ]})  # fmt: skip
    assert result.ok, result.errors


def test_budget_rows_follow_the_fiscal_year_start(engine):
    store.set_setting(engine, "fiscal_year_start_month", "4")
    rates = [["currency", "month", "rate"], ["USD", "2026-04", 0.9]]
    budget = [["year", "spend_type", "amount", "currency"], [2026, "cloud", 10, "USD"]]
    assert _import(engine, {"fx_rates": rates, "budget": budget}).ok


def test_export_then_import_gives_the_same_rates_and_currencies(engine, tmp_path):
    assert _import(engine, {
        "fx_rates": RATES,
        "assets": [ASSETS_HEAD + ["depreciation_months", "end_of_support"],
                   ["A1", "laptop", "deployed", "2026-05-20", 100, "USD", 30, "2029-01-31"]],
    }).ok  # fmt: skip
    out = tmp_path / "export.xlsx"
    exporter.export_package(engine, out)
    from dashboard import database

    other = database.get_engine(tmp_path / "other.duckdb")
    try:
        assert importer.import_package(other, out).ok
        for sql in (
            "SELECT currency, month, rate FROM fx_rates ORDER BY currency, month",
            "SELECT asset_tag, currency, purchase_cost, depreciation_months, end_of_support "
            "FROM assets",
        ):
            assert _rows(other, sql) == _rows(engine, sql)
    finally:
        database.dispose(tmp_path / "other.duckdb")
