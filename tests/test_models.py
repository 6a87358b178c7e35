"""The package's SQLModel classes are built from metrics/store/schema.py (dashboard/models.py).

The expected types, NOT NULLs, keys and defaults below are written by hand from
data-package.md, and read back from real DuckDB and PostgreSQL databases.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text
from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import CreateTable
from sqlmodel import Session, select

from dashboard import database
from dashboard.models import PACKAGE_MODELS, class_name
from metrics.store import schema
from tests.pg import new_database

# (table, column, DuckDB type, PostgreSQL type, nullable)
COLUMNS = [
    ("assets", "asset_tag", "VARCHAR", "character varying", False),
    ("assets", "category", "VARCHAR", "character varying", False),
    ("assets", "serial", "VARCHAR", "character varying", True),
    ("assets", "purchase_cost", "DOUBLE", "double precision", True),
    ("assets", "purchase_date", "DATE", "date", True),
    ("assets", "depreciation_months", "BIGINT", "bigint", True),
    ("assets", "meets_standard", "BOOLEAN", "boolean", True),
    ("entitlements", "quantity", "BIGINT", "bigint", False),
    ("contracts", "annual_value", "DOUBLE", "double precision", False),
    ("cloud_spend", "month", "DATE", "date", False),
    ("cloud_spend", "service", "VARCHAR", "character varying", True),
    ("tickets", "opened", "TIMESTAMP", "timestamp without time zone", False),
    ("tickets", "resolved", "TIMESTAMP", "timestamp without time zone", True),
    ("installs", "row_key", "VARCHAR", "character varying", False),
    ("installs", "title_id", "VARCHAR", "character varying", False),
    ("installs", "asset_tag", "VARCHAR", "character varying", True),
    ("audits", "record_accurate", "BOOLEAN", "boolean", False),
    ("fx_rates", "rate", "DOUBLE", "double precision", False),
]

# The stored primary key: the natural key, or row_key where the key is composite
# or has blank parts.
PRIMARY_KEYS = {
    "people": ["person_id"],
    "assets": ["asset_tag"],
    "installs": ["row_key"],
    "cloud_spend": ["row_key"],
    "discovery": ["row_key"],
    "audits": ["row_key"],
    "integrations": ["name"],
    "budget": ["row_key"],
    "fx_rates": ["row_key"],
}

FX_RATES_DDL = """CREATE TABLE fx_rates (
\trow_key VARCHAR NOT NULL, 
\tcurrency VARCHAR NOT NULL, 
\tmonth DATE NOT NULL, 
\trate DOUBLE PRECISION NOT NULL, 
\tPRIMARY KEY (row_key)
)"""

COLUMNS_SQL = """
    select column_name, data_type, is_nullable from information_schema.columns
    where table_name = :table and column_name = :column
"""

KEY_SQL = """
    select k.column_name from information_schema.table_constraints c
    join information_schema.key_column_usage k
      on k.constraint_name = c.constraint_name and k.table_name = c.table_name
    where c.table_name = :table and c.constraint_type = 'PRIMARY KEY'
    order by k.ordinal_position
"""


@pytest.fixture(scope="module")
def pg_engine(pg_url):
    url = new_database(pg_url, "models_ddl")
    yield database.get_engine(url)
    database.dispose(url)


def _stored(eng, table: str, column: str) -> tuple[str, bool]:
    with eng.connect() as conn:
        row = conn.execute(text(COLUMNS_SQL), {"table": table, "column": column}).one()
    return row.data_type, row.is_nullable == "YES"


@pytest.mark.parametrize(("table", "column", "duck", "pg", "nullable"), COLUMNS)
def test_column_types_and_not_null_in_duckdb(engine, table, column, duck, pg, nullable):
    assert _stored(engine, table, column) == (duck, nullable)


@pytest.mark.parametrize(("table", "column", "duck", "pg", "nullable"), COLUMNS)
def test_column_types_and_not_null_in_postgresql(pg_engine, table, column, duck, pg, nullable):
    assert _stored(pg_engine, table, column) == (pg, nullable)


@pytest.mark.parametrize(("table", "key"), PRIMARY_KEYS.items())
def test_primary_key_in_both(engine, pg_engine, table, key):
    for eng in (engine, pg_engine):
        with eng.connect() as conn:
            assert [r[0] for r in conn.execute(text(KEY_SQL), {"table": table})] == key


def test_ddl_of_a_surrogate_key_table_by_hand():
    table = PACKAGE_MODELS["fx_rates"].__table__
    assert str(CreateTable(table).compile(dialect=postgresql.dialect())).strip() == FX_RATES_DDL


@pytest.mark.parametrize("table", schema.TABLES, ids=lambda t: t.name)
def test_columns_in_package_order_after_the_surrogate_key(table):
    columns = list(PACKAGE_MODELS[table.name].__table__.columns.keys())
    assert columns == (["row_key"] if table.surrogate else []) + list(table.names)


@pytest.mark.parametrize(
    ("table", "name"),
    [
        ("people", "People"),
        ("license_events", "LicenseEvents"),
        ("security_incidents", "SecurityIncidents"),
        ("fx_rates", "FxRates"),
    ],
)
def test_class_names(table, name):
    assert class_name(table) == name
    assert PACKAGE_MODELS[table].__name__ == name
    assert PACKAGE_MODELS[table].__module__ == "dashboard.models"


def test_defaults_of_the_package_fill_a_row_written_without_them(engine):
    assets, people = PACKAGE_MODELS["assets"], PACKAGE_MODELS["people"]
    with Session(engine) as session:
        session.add(assets(asset_tag="LT1", category="laptop", status="deployed"))
        session.add(people(person_id="p1"))
        session.commit()
        asset = session.exec(select(assets)).one()
        person = session.exec(select(people)).one()
    assert (asset.ownership, asset.meets_standard, asset.is_capital) == ("owned", True, False)
    assert (asset.purchase_cost, asset.purchase_date) == (None, None)
    assert person.active is True


def test_a_date_column_reads_back_as_a_date(engine):
    contracts = PACKAGE_MODELS["contracts"]
    row = contracts(
        contract_id="C1",
        vendor="Acme",
        kind="saas",
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 12, 31),
        annual_value=1200.5,
    )
    with Session(engine) as session:
        session.add(row)
        session.commit()
        stored = session.exec(select(contracts)).one()
    assert (stored.end_date, stored.annual_value, stored.auto_renew) == (
        dt.date(2026, 12, 31),
        1200.5,
        False,
    )
