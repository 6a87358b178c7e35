"""The package schema (schema.py) and the stored tables (models.py) agree."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard import schema
from dashboard.models import PACKAGE_MODELS

PYTHON_TYPES = {
    schema.TEXT: str,
    schema.ENUM: str,
    schema.INT: int,
    schema.NUMBER: float,
    schema.DATE: dt.date,
    schema.MONTH: dt.date,
    schema.DATETIME: dt.datetime,
    schema.BOOL: bool,
}


@pytest.mark.parametrize("table", schema.TABLES, ids=lambda t: t.name)
def test_model_matches_schema(table):
    model = PACKAGE_MODELS[table.name]
    columns = model.__table__.columns
    expected = list(table.names) + (["row_key"] if table.surrogate else [])
    assert sorted(columns.keys()) == sorted(expected)
    for col in table.columns:
        col_type = columns[col.name].type
        python_type = str if type(col_type).__name__ == "AutoString" else col_type.python_type
        assert python_type is PYTHON_TYPES[col.kind], col.name
    assert [c.name for c in model.__table__.primary_key.columns] == [table.pk]


def test_every_table_of_the_spec_is_declared():
    assert [t.name for t in schema.TABLES] == [
        "people",
        "assets",
        "software",
        "entitlements",
        "installs",
        "license_events",
        "contracts",
        "cloud_spend",
        "tickets",
        "discovery",
        "audits",
        "vendor_audits",
        "security_incidents",
        "roadmap",
        "integrations",
        "budget",
        "fx_rates",  # issue 15
    ]


def test_enumerations_are_lower_case_words():
    for table in schema.TABLES:
        for col in table.columns:
            for value in col.values:
                assert value == value.lower().replace(" ", "_"), (table.name, col.name, value)
