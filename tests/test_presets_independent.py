"""A second set of files, written from each tool's documentation rather than from the presets.

They differ from the first set on purpose: other column orders, extra columns,
other spellings (labels instead of field names, camelCase, CUR 2.0's snake case
and JSON tags, Snipe-IT's Custom Asset Report with "Purchased", "Cost",
"Checked Out", "Type" and "Label (type)" statuses), other date forms. Expected
values are read off tests/data/presets/independent by hand:

- snipeit-custom-asset-report.csv: 6 assets. 000101 "Ready to Deploy (deployed)"
  checked out to user jsmith -> deployed; 000102 "(deployable)" -> in stock;
  000103 checked out to a location -> deployed, nobody assigned; 000104 "In Use
  (deployed)", a label of the organisation's own -> deployed by its type; 000105
  "Out for Repair" -> in repair; 000106 "Lost/Stolen" -> lost, category
  "Conference Room AV" unmapped. People: jsmith (Finance), asilva (Sales).
  Hardware spend in the 365 days to 2025-06-30 (after 2024-06-30): 1,249 + 2,399
  + 799 = 4,447 (000103, bought on 2024-06-30, is just outside).
- jamf-advanced-search-export.csv: 4 computers; "2026-07-02 at 9:41 AM"; KIOSK-LOBBY
  never checked in (its last inventory update, 2026-06-01).
- lansweeper-sites-export.csv: 4 assets, US dates with times (6/29/2026 2:02:00 PM).
- servicenow-hardware-labels.csv: 6 assets, labels as headers; "Computer" (3) and
  "IP Phone" (1) unmapped; Missing -> lost, Retired/Disposed -> disposed,
  Pending repair -> in repair, On order -> on order.
- aws-cur2-export.csv: 5 lines -> 4 rows: April RDS Marketing CC-410 1.632 x 2 =
  3.26; April Lambda mktg -> Marketing 0.02; April RDS tax 0.33 (no product map:
  named by its product code); May Lambda Marketing 0.02; total 3.63.
- azure-actual-cost-v2.csv: 5 lines -> 4 rows: April Synapse R&D CC-77 28.8 x 2 =
  57.60; April VMs Web CC-10 69.12; May Bandwidth CC-10 0.20; May VMs Web CC-10
  2.304 -> 2.30; total 129.22.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import text

from dashboard import presets
from dashboard.valuemaps import ImportOptions
from metrics import api

DATA = Path(__file__).parent / "data" / "presets" / "independent"


def rows(engine, sql: str) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


def run(engine, name: str, preset: str, values: dict | None = None, **kw):
    options = ImportOptions(values=values or {})
    return presets.import_with_preset(engine, DATA / name, preset, options=options, **kw)


@pytest.mark.parametrize(
    ("name", "preset", "unmapped"),
    [
        ("snipeit-custom-asset-report.csv", "snipeit", {"Category": {"Conference Room AV": 1}}),
        (
            "servicenow-hardware-labels.csv",
            "servicenow",
            {"Model category": {"Computer": 3, "IP Phone": 1}},
        ),
    ],
)
def test_unmapped_listed_in_one_pass(engine, name, preset, unmapped):
    result = run(engine, name, preset, dry_run=True)
    assert not result.ok and result.unmapped == unmapped


SNIPE_VALUES = {"Category": {"Conference Room AV": "other"}}


def test_snipeit_report_counts(engine):
    result = run(engine, "snipeit-custom-asset-report.csv", "snipeit", SNIPE_VALUES)
    assert result.ok, result.errors
    assert {t: c.inserted for t, c in result.tables.items()} == {"assets": 6, "people": 2}
    got = api.compute(
        engine, dt.date(2025, 6, 30), ["in_stock", "active_devices", "hardware_spend_12m"]
    )
    assert got == {"in_stock": 1.0, "active_devices": 5.0, "hardware_spend_12m": 4447.0}
    assert rows(engine, "SELECT person_id, name, department FROM people ORDER BY 1") == [
        ("asilva", "Ana Silva", "Sales"),
        ("jsmith", "John Smith", "Finance"),
    ]


@pytest.mark.parametrize(
    ("tag", "status", "category", "assigned", "cost", "location"),
    [
        ("000101", "deployed", "laptop", "jsmith", 1249.0, "NYC HQ"),
        ("000102", "in_stock", "laptop", None, 2399.0, "NYC HQ"),
        ("000103", "deployed", "monitor", None, 629.99, "NYC HQ - Floor 4"),
        ("000104", "deployed", "phone", "asilva", 799.0, "Boston"),
        ("000105", "in_repair", "server", None, 7850.5, "Data Center"),
        ("000106", "lost", "other", None, 3100.0, "Boston"),
    ],
)
def test_snipeit_report_values(engine, tag, status, category, assigned, cost, location):
    assert run(engine, "snipeit-custom-asset-report.csv", "snipeit", SNIPE_VALUES).ok
    got = rows(engine, "SELECT status, category, assigned_to, purchase_cost, location FROM assets "
                       f"WHERE asset_tag = '{tag}'")  # fmt: skip
    assert got == [(status, category, assigned, cost, location)]


def test_a_status_label_the_user_maps_wins_over_its_type(engine):
    values = {**SNIPE_VALUES, "Status": {"In Use": "in_repair"}}
    assert run(engine, "snipeit-custom-asset-report.csv", "snipeit", values).ok
    assert rows(engine, "SELECT status FROM assets WHERE asset_tag = '000104'") == [("in_repair",)]


def test_jamf(engine):
    result = run(engine, "jamf-advanced-search-export.csv", "jamf")
    assert result.ok, result.errors
    assert rows(
        engine, "SELECT hostname, serial, user, seen_date, os_version FROM discovery ORDER BY 1"
    ) == [
        ("ENG-MBA-12", "C02JK3LMN0P1", "tbaker", dt.date(2026, 6, 30), "14.7"),
        ("KIOSK-LOBBY", "H7WXQ9ZL12", None, dt.date(2026, 6, 1), "14.6.1"),
        ("LOANER-03", "FVFDL0Z1Q6L7", None, dt.date(2026, 4, 11), "13.7.1"),
        (
            "Priya's MacBook Pro",
            "FVFHX1Q2Q6L4",
            "ppatel@globex.example",
            dt.date(2026, 7, 2),
            "15.1.1",
        ),
    ]


def test_lansweeper(engine):
    result = run(engine, "lansweeper-sites-export.csv", "lansweeper")
    assert result.ok, result.errors
    assert rows(
        engine, "SELECT hostname, serial, user, seen_date, os, os_version FROM discovery ORDER BY 1"
    ) == [
        (
            "GLOBEX-WS-014",
            "PF4ABCDE",
            "globex\\mchen",
            dt.date(2026, 6, 29),
            "Windows 11 Enterprise",
            "23H2",
        ),
        (
            "GLOBEX-WS-015",
            "PF4ABCDF",
            "globex\\jdoe",
            dt.date(2026, 6, 30),
            "Windows 11 Enterprise",
            "23H2",
        ),
        ("fw-edge-01", "FGT60FTK2109XXXX", None, dt.date(2026, 7, 1), "FortiOS", "7.2.8"),
        ("ubuntu-build-3", None, None, dt.date(2026, 6, 28), "Ubuntu", "22.04"),
    ]


def test_servicenow(engine):
    values = {"Model category": {"Computer": "laptop", "IP Phone": "phone"}}
    result = run(engine, "servicenow-hardware-labels.csv", "servicenow", values)
    assert result.ok, result.errors
    assert rows(engine, "SELECT asset_tag, status, category, assigned_to, purchase_cost, cost_center, "
                        "purchase_date FROM assets ORDER BY 1") == [
        ("NB-1999", "disposed", "laptop", None, 1350.0, "CC-200", dt.date(2020, 2, 2)),
        ("NB-2031", "deployed", "laptop", "mchen@globex.example", 2100.0, "CC-410", dt.date(2024, 7, 1)),
        ("NB-2032", "in_stock", "laptop", None, 2100.0, "CC-900", dt.date(2024, 7, 1)),
        ("PH-0042", "on_order", "phone", None, 399.0, "CC-200", None),
        ("PRN-CHI-1", "lost", "printer", None, 1480.0, "CC-300", dt.date(2021, 3, 15)),
        ("SRV-CHI-DB", "in_repair", "server", None, 11200.0, "CC-900", dt.date(2022, 10, 10)),
    ]  # fmt: skip


def _spend(engine) -> list[tuple]:
    return rows(engine, "SELECT provider, strftime(month, '%Y-%m'), service, department, cost_center, cost "
                        "FROM cloud_spend ORDER BY 2, 3, 4 NULLS LAST")  # fmt: skip


def test_aws_cur2(engine):
    result = run(
        engine,
        "aws-cur2-export.csv",
        "aws",
        {"resource_tags.user_department": {"mktg": "Marketing"}},
    )
    assert result.ok, result.errors
    assert _spend(engine) == [
        ("aws", "2026-04", "AWS Lambda", "Marketing", None, 0.02),
        ("aws", "2026-04", "Amazon Relational Database Service", "Marketing", "CC-410", 3.26),
        ("aws", "2026-04", "AmazonRDS", None, None, 0.33),  # the tax line has no product map
        ("aws", "2026-05", "AWS Lambda", "Marketing", None, 0.02),
    ]
    assert api.compute(engine, dt.date(2026, 5, 31), ["cloud_spend_12m"]) == {
        "cloud_spend_12m": pytest.approx(3.63)
    }


def test_azure_v2(engine):
    result = run(engine, "azure-actual-cost-v2.csv", "azure")
    assert result.ok, result.errors
    assert _spend(engine) == [
        ("azure", "2026-04", "Azure Synapse Analytics", "R&D", "CC-77", 57.6),
        ("azure", "2026-04", "Virtual Machines", "Web", "CC-10", 69.12),
        ("azure", "2026-05", "Bandwidth", None, "CC-10", 0.2),
        ("azure", "2026-05", "Virtual Machines", "Web", "CC-10", 2.3),
    ]
    got = api.compute(engine, dt.date(2026, 5, 31), ["cloud_spend_12m"])
    assert got == {"cloud_spend_12m": pytest.approx(129.22)}
