"""The same app on a real PostgreSQL server (DATABASE_URL): import, store, every metric.

A throwaway cluster is started for the session (tests/pg.py); without the
server binaries these tests are skipped. The sample estate is read once and
imported through the real importer into PostgreSQL and into a DuckDB file, so
records and filtered values can be compared engine against engine; headline
values and breakdowns are compared with the independent expected files.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import text

from dashboard import database, importer, store
from dashboard.store import Counts, write_tables
from metrics import api, materialize
from tests.pg import new_database
from tests.sample_estate import AS_OF, breakdown_mismatches, close, headline_mismatches


@pytest.fixture(scope="module")
def pg_engine(sample_in_both):
    return sample_in_both[0]


def test_the_engine_is_postgresql(pg_engine):
    assert pg_engine.dialect.name == "postgresql"
    assert pg_engine.dialect.driver == "psycopg"


def test_import_counts_and_rows_equal_duckdb(sample_in_both):
    pg, duck, (pg_result, duck_result) = sample_in_both
    assert pg_result.tables == duck_result.tables
    assert pg_result.tables["installs"] == Counts(40000, 0, 0)
    assert store.table_counts(pg) == store.table_counts(duck)


def test_derived_objects_are_tables_at_this_size(pg_engine):
    api.compute(pg_engine, AS_OF, ["installs"])
    with pg_engine.connect() as conn:
        kinds = dict(materialize._existing(conn))
    assert set(kinds) == set(materialize.DERIVED)
    assert set(kinds.values()) == {"BASE TABLE"}


def test_every_headline_value_matches(pg_engine):
    assert headline_mismatches(pg_engine) == {}


@pytest.mark.parametrize("dim", ["department", "vendor"])
def test_every_breakdown_matches(pg_engine, dim):
    assert breakdown_mismatches(pg_engine, dim) == {}


@pytest.mark.parametrize(
    "metric_id",
    [
        "owned_not_discovered_60d",  # deployed_discovery (FILTER, windows)
        "user_mismatches",  # string_agg(DISTINCT ...) records
        "discovered_not_in_itam",  # unmatched discovery
        "titles_under_licensed",  # titles: demand and entitlement as of A
        "unused_installs_90d",  # installs
        "top10_contract_spend",  # row_number() window
        "requests_beyond_target_pct_90d",  # a ratio: tickets, timestamps
        "device_age_years_avg",  # date arithmetic
    ],
)
def test_records_equal_duckdb(sample_in_both, metric_id):
    pg, duck, _ = sample_in_both
    got, expected = api.records(pg, metric_id, AS_OF), api.records(duck, metric_id, AS_OF)
    assert len(got) > 0
    assert len(got) == len(expected)
    assert list(got.columns) == list(expected.columns)
    first = got.columns[1] if got.columns[0] == "part" else got.columns[0]
    assert sorted(got[first].astype(str)) == sorted(expected[first].astype(str))


def test_filtered_values_equal_duckdb(sample_in_both):
    pg, duck, _ = sample_in_both
    filters = {"department": ["Finance", "(none)"]}
    ids = [m for m in api.METRICS if api.supports(m, ["department"])]
    got, expected = api.compute(pg, AS_OF, ids, filters), api.compute(duck, AS_OF, ids, filters)
    assert len(ids) > 20
    assert {m: (got[m], v) for m, v in expected.items() if not close(got[m], v)} == {}
    assert got != api.compute(pg, AS_OF, ids)  # the filter did filter


def test_several_days_in_one_call_equal_duckdb(sample_in_both):
    pg, duck, _ = sample_in_both
    days = api.month_ends(AS_OF, 13)
    ids = list(api.METRICS)
    got, expected = api.compute_days(pg, days, ids), api.compute_days(duck, days, ids)
    assert {
        (d, m): (got[d][m], v)
        for d in days
        for m, v in expected[d].items()
        if not close(got[d][m], v)
    } == {}
    assert got[days[-1]] == api.compute(pg, days[-1], ids)
    assert got[days[0]] != got[days[-1]]  # the days differ


def test_reimport_reports_every_row_unchanged(sample_in_both, raw_sample):
    pg, _duck, (first, _) = sample_in_both
    again = importer.import_package(pg, raw_sample, filename="sample", dry_run=True)
    assert again.ok
    assert again.tables == {name: Counts(0, 0, c.inserted) for name, c in first.tables.items()}


# ---------------------------------------------------------------- the store


def _installs(*rows):
    return pd.DataFrame(rows, columns=["title_id", "asset_tag", "hostname", "discovered_date"])


@pytest.fixture
def empty_pg(pg_url, request):
    """An empty database on the test server with every table created."""
    url = new_database(pg_url, request.node.name.split("[")[0][:60])
    engine = database.get_engine(url)
    yield engine
    database.dispose(url)


def _rows(engine, sql):
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


def test_upsert_counts_inserted_updated_unchanged(empty_pg):
    first = _installs(("T1", "A1", "h1", dt.date(2026, 1, 1)), ("T1", None, "HostX", None))
    assert write_tables(empty_pg, {"installs": first}) == {"installs": Counts(2, 0, 0)}
    # Same keys (hostnames compare lower-case): a changed date, a changed hostname
    # case (both updates), and one new row; then the same again (all unchanged).
    second = _installs(
        ("T1", "A1", "h1", "2026-02-01"), ("T1", None, "hostx", None), ("T2", "A1", None, None)
    )
    assert write_tables(empty_pg, {"installs": second}) == {"installs": Counts(1, 2, 0)}
    assert write_tables(empty_pg, {"installs": second}) == {"installs": Counts(0, 0, 3)}
    assert _rows(
        empty_pg, "SELECT row_key, hostname, discovered_date FROM installs ORDER BY row_key"
    ) == [
        ("T1\x1fA1", "h1", dt.date(2026, 2, 1)),
        ("T1\x1fhostx", "hostx", None),
        ("T2\x1fA1", None, None),
    ]
    assert store.get_setting(empty_pg, "data_version") == "3"


@pytest.mark.parametrize(("dry_run", "stored"), [(False, [("T3",)]), (True, [("T1",), ("T2",)])])
def test_replace_empties_the_table_first_unless_dry_run(empty_pg, dry_run, stored):
    write_tables(
        empty_pg, {"installs": _installs(("T1", "A1", None, None), ("T2", "A2", None, None))}
    )
    counts = write_tables(
        empty_pg, {"installs": _installs(("T3", "A3", None, None))}, replace=True, dry_run=dry_run
    )
    assert counts == {"installs": Counts(1, 0, 0)}
    assert _rows(empty_pg, "SELECT title_id FROM installs ORDER BY title_id") == stored


def test_a_failing_table_leaves_every_table_unchanged(empty_pg):
    write_tables(empty_pg, {"installs": _installs(("T1", "A1", None, None))})
    people = pd.DataFrame({"person_id": ["p1"], "active": [True]})
    broken = pd.DataFrame({"year": [2026], "spend_type": ["hardware"], "amount": ["lots"]})
    with pytest.raises(Exception, match="lots"):
        write_tables(
            empty_pg,
            {"people": people, "installs": _installs(("T9", "A9", None, None)), "budget": broken},
        )
    assert store.table_counts(empty_pg)["people"] == 0
    assert _rows(empty_pg, "SELECT title_id FROM installs") == [("T1",)]


def test_typed_values_survive_the_round_trip(empty_pg):
    """Integral floats into BIGINT, timestamps into DATE, numpy bools: as DuckDB casts them."""
    budget = pd.DataFrame({"year": [2026.0], "spend_type": ["hardware"], "amount": [1.5]})
    assets = pd.DataFrame(
        {
            "asset_tag": ["A1"],
            "category": ["laptop"],
            "status": ["deployed"],
            "purchase_date": pd.to_datetime(["2024-03-31"]),
        }
    )
    people = pd.DataFrame({"person_id": ["p1", "p2"], "active": pd.array([True, None], "boolean")})
    write_tables(empty_pg, {"budget": budget, "assets": assets, "people": people})
    assert _rows(empty_pg, "SELECT year, amount FROM budget") == [(2026, 1.5)]
    assert _rows(empty_pg, "SELECT purchase_date FROM assets") == [(dt.date(2024, 3, 31),)]
    assert _rows(empty_pg, "SELECT person_id, active FROM people ORDER BY 1") == [
        ("p1", True),
        ("p2", None),
    ]


def test_derived_objects_switch_between_views_and_tables(empty_pg):
    """Small data: views; 5,000 rows or more: tables; each kind dropped as what it is."""

    def kinds():
        api.compute(empty_pg, AS_OF, ["itam_records"])
        with empty_pg.connect() as conn:
            return set(dict(materialize._existing(conn)).values())

    one = pd.DataFrame({"asset_tag": ["A1"], "category": ["laptop"], "status": ["deployed"]})
    write_tables(empty_pg, {"assets": one})
    assert kinds() == {"VIEW"}
    many = pd.DataFrame({"person_id": [f"p{i}" for i in range(materialize.SMALL)]})
    write_tables(empty_pg, {"people": many})
    assert kinds() == {"BASE TABLE"}
    write_tables(empty_pg, {"people": many.head(1)}, replace=True)
    assert kinds() == {"VIEW"}
    assert api.compute(empty_pg, AS_OF, ["itam_records"]) == {"itam_records": 1.0}


def test_derived_objects_of_another_schema_are_left_alone(empty_pg):
    """A server database may hold other schemas (another deployment): only ours count."""
    with empty_pg.begin() as conn:
        conn.execute(text("CREATE SCHEMA other"))
        conn.execute(text("CREATE TABLE other.derived_asset_facts (x INTEGER)"))
    one = pd.DataFrame({"asset_tag": ["A1"], "category": ["laptop"], "status": ["deployed"]})
    write_tables(empty_pg, {"assets": one})
    assert api.compute(empty_pg, AS_OF, ["itam_records"]) == {"itam_records": 1.0}
    write_tables(empty_pg, {"assets": one.assign(asset_tag="A2")})
    assert api.compute(empty_pg, AS_OF, ["itam_records"]) == {"itam_records": 2.0}
    assert _rows(empty_pg, "SELECT count(*) FROM other.derived_asset_facts") == [(0,)]
