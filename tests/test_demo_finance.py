"""The demo's `cfo` variant (issue 15): a second currency and an April fiscal year."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from dashboard import database, demo, exporter, importer, store
from metrics import api

AS_OF = dt.date(2026, 12, 5)


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    """The standard and the cfo demo at scale 0.1, same seed and day."""
    tmp = tmp_path_factory.mktemp("demo_fin")
    engines = {}
    for variant in ("standard", "cfo"):
        engines[variant] = database.get_engine(tmp / f"{variant}.duckdb")
        demo.build_demo(engines[variant], as_of=AS_OF, seed=7, scale=0.1, variant=variant)
    yield engines, tmp
    for variant in engines:
        database.dispose(tmp / f"{variant}.duckdb")


def _one(engine, sql: str):
    with engine.connect() as conn:
        return conn.execute(text(sql)).scalar_one()


def test_the_variant_books_money_in_three_currencies_and_starts_its_year_in_april(pair):
    engines, _ = pair
    cfo = engines["cfo"]
    assert store.get_setting(cfo, "fiscal_year_start_month") == "4"
    assert store.get_setting(engines["standard"], "fiscal_year_start_month") is None
    assert _one(cfo, "SELECT count(*) FROM cloud_spend WHERE currency = 'USD'") > 0
    assert _one(cfo, "SELECT count(*) FROM contracts WHERE currency = 'USD'") > 0
    assert _one(cfo, "SELECT count(*) FROM assets WHERE currency = 'GBP'") > 0
    assert _one(engines["standard"], "SELECT count(*) FROM assets WHERE currency IS NOT NULL") == 0
    # Budgets of the fiscal years 2025 (Apr 2025 - Mar 2026) and 2026.
    assert _one(cfo, "SELECT min(year) || '-' || max(year) FROM budget") == "2025-2026"


@pytest.mark.parametrize(
    "metric",
    ["hardware_spend_12m", "cloud_spend_12m", "top10_contract_spend", "renewals_90d_value"],
)
def test_converted_back_the_money_is_the_standard_demos(pair, metric):
    # Foreign amounts are the euro amounts / the month's rate, rounded to cents:
    # converted at the same rates they come back within cents per row.
    engines, _ = pair
    std = api.compute(engines["standard"], AS_OF, [metric])[metric]
    got = api.compute(engines["cfo"], AS_OF, [metric])[metric]
    assert got == pytest.approx(std, rel=1e-5)


def test_the_year_uses_the_april_budget(pair):
    engines, _ = pair
    got = api.compute(engines["cfo"], AS_OF, ["spend_vs_budget_pct", "budget_variance_pct_ytd"])
    # Budgets are set at 88-100 % of the year's pace: used 100-114 % pro rata.
    assert 85 <= got["spend_vs_budget_pct"] <= 115
    assert got["budget_variance_pct_ytd"] == pytest.approx(got["spend_vs_budget_pct"] - 100)


def test_the_variant_exports_and_imports_with_every_rate_present(pair):
    engines, tmp = pair
    out = tmp / "cfo.xlsx"
    exporter.export_package(engines["cfo"], out)
    fresh = database.get_engine(tmp / "fresh.duckdb")
    try:
        result = importer.import_package(fresh, out)
        assert result.ok, result.errors[:3]
        assert _one(fresh, "SELECT count(*) FROM fx_rates") == 72
    finally:
        database.dispose(tmp / "fresh.duckdb")


def test_an_unknown_variant_is_refused():
    with pytest.raises(ValueError, match="unknown demo variant 'cf0'"):
        from dashboard import demo_finance

        demo_finance.apply("cf0", {}, AS_OF, 7)
