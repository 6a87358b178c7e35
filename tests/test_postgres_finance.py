"""Issue 15's metrics on a real PostgreSQL server: the hand-computed cases of
test_metrics_finance.py, the charts' series and the currency check at import.

A throwaway cluster is started for the session (tests/pg.py); without the
server binaries these tests are skipped.
"""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from dashboard import database, importer, schema, store
from metrics import api, cfo_year
from tests import test_metrics_finance as fin
from tests.metric_fixtures import close, load
from tests.test_import import xlsx_bytes


@pytest.fixture(scope="module")
def pg(pg_url):
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text('DROP DATABASE IF EXISTS "finance"'))
        conn.execute(text('CREATE DATABASE "finance"'))
    admin.dispose()
    url = pg_url.replace("/postgres?", "/finance?")
    engine = database.get_engine(url)
    yield engine
    database.dispose(url)


def _empty(engine) -> None:
    with engine.begin() as conn:
        for table in schema.TABLES:
            conn.execute(text(f'DELETE FROM "{table.name}"'))
    store.write_tables(engine, {})


@pytest.mark.parametrize("case", fin.CASES, ids=lambda c: c.id)
def test_hand_computed_on_postgresql(pg, case):
    _empty(pg)
    store.set_setting(pg, "fiscal_year_start_month", str(case.start_month))
    store.set_setting(pg, "currency", case.currency)
    load(pg, **case.tables)
    if case.by:
        metric, dim = case.by
        assert api.breakdown(pg, metric, dim, case.as_of) == close(case.expected)
    else:
        assert api.compute(pg, case.as_of, list(case.expected)) == close(case.expected)


def test_series_and_records_on_postgresql(pg):
    _empty(pg)
    store.set_setting(pg, "fiscal_year_start_month", "4")
    store.set_setting(pg, "currency", None)
    load(pg, **fin.FISCAL)
    frame = cfo_year.budget_by_month(pg, fin.FY_A)
    last = frame[frame["series"] == "Projection"]["amount"].iloc[-1]
    assert last == pytest.approx(fin.PROJECTION)
    _empty(pg)
    load(pg, **fin.HORIZONS, fx_rates=fin.RATES)
    got, _ = cfo_year.horizon(pg, fin.A)
    assert int(got["count"].sum()) == 2 + 2 + 2 + 1  # as in test_cfo_year
    assert cfo_year.rate(pg, "usd", fin.A) == 0.8
    _empty(pg)
    load(pg, **fin.DEPRECIATION)
    rows = api.records(pg, "net_book_value", fin.A).set_index("asset_tag")
    assert rows.loc["D1", "book_value"] == pytest.approx(4200.0)


def test_a_missing_rate_is_refused_on_postgresql(pg):
    _empty(pg)
    head = ["asset_tag", "category", "status", "purchase_date", "purchase_cost", "currency"]
    result = importer.import_package(pg, xlsx_bytes({
        "fx_rates": [["currency", "month", "rate"], ["USD", "2026-05", 0.9]],
        "assets": [head, ["A1", "laptop", "deployed", "2026-06-02", 10, "usd"]],
    }), filename="pkg.xlsx")  # fmt: skip
    assert [(e["sheet"], e["row"], e["column"]) for e in result.errors] == [
        ("assets", 2, "currency")
    ]
