"""The package schema (metrics/store/schema.py): its tables and enumerations.

The stored tables built from it are tested in test_models.py.
"""

from __future__ import annotations

from dashboard import schema


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
