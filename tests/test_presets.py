"""Presets: Snipe-IT and Intune exports, and mapping profiles, through the importer.

The sample files in tests/data/presets are written in each tool's export format.
Expected values are read off those files by hand:
- snipeit_assets.csv: 10 assets; 2 people (jane.doe, and john.smith written once
  as John.Smith: one person); A-0001 is "Ready to Deploy" but checked out to Jane,
  so deployed; A-0002 is "Ready to Deploy" and not checked out, so in stock.
  Active (in_stock, deployed, in_repair): A-0001, 2, 3, 5, 9, 10 = 6.
- intune_devices.csv: 5 devices; LT-0099 (serial SNX99) and DESKTOP-Z (no serial,
  a hostname no asset has) match no asset: discovered_not_in_itam = 2 as of 2026-06-30.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import text

from dashboard import presets
from dashboard.cli import main
from dashboard.valuemaps import ImportOptions
from metrics import api

DATA = Path(__file__).parent / "data" / "presets"
SNIPEIT = DATA / "snipeit_assets.csv"
INTUNE = DATA / "intune_devices.csv"
A = dt.date(2026, 6, 30)


def rows(engine, sql: str) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


def test_snipeit_counts(engine):
    result = presets.import_with_preset(engine, SNIPEIT, "snipeit")
    assert result.ok, result.errors
    assert result.to_json()["tables"] == {
        "assets": {"inserted": 10, "updated": 0, "unchanged": 0},
        "people": {"inserted": 2, "updated": 0, "unchanged": 0},
    }
    assert rows(engine, "SELECT person_id, name FROM people ORDER BY 1") == [
        ("jane.doe@acme.example", "Jane Doe"),
        ("john.smith@acme.example", "John Smith"),
    ]


@pytest.mark.parametrize(
    ("tag", "status", "category", "cost", "assigned", "po"),
    [
        (
            "A-0001",
            "deployed",
            "laptop",
            1249.0,
            "jane.doe@acme.example",
            "PO-77",
        ),  # ready + checked out
        ("A-0002", "in_stock", "laptop", 1249.0, None, "PO-77"),
        ("A-0003", "deployed", "laptop", 1099.5, "john.smith@acme.example", "PO-61"),
        ("A-0004", "on_order", "monitor", 310.0, None, "PO-90"),
        ("A-0005", "in_repair", "phone", 899.0, "jane.doe@acme.example", "PO-80"),
        ("A-0006", "retired", "server", 8450.0, None, "PO-12"),
        ("A-0007", "lost", "network", 2100.0, None, "PO-20"),
        ("A-0008", "retired", "printer", 329.0, None, None),
        ("A-0009", "in_repair", "desktop", 1020.0, None, "PO-40"),
        ("A-0010", "deployed", "tablet", 749.0, "john.smith@acme.example", "PO-81"),
    ],
)
def test_snipeit_values(engine, tag, status, category, cost, assigned, po):
    assert presets.import_with_preset(engine, SNIPEIT, "snipeit").ok
    got = rows(
        engine,
        f"SELECT status, category, purchase_cost, assigned_to, po_number FROM assets "
        f"WHERE asset_tag = '{tag}'",
    )
    assert got == [(status, category, cost, assigned, po)]


def test_snipeit_metrics(engine):
    assert presets.import_with_preset(engine, SNIPEIT, "snipeit").ok
    got = api.compute(engine, A, ["active_devices", "in_stock", "itam_records"])
    assert got == {"active_devices": 6.0, "in_stock": 1.0, "itam_records": 10.0}


def test_snipeit_keeps_stored_people(engine):
    """A person an HR import already gave a department is not blanked by Snipe-IT."""
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO people (person_id, name, department, active) "
                "VALUES ('jane.doe@acme.example', 'Jane D.', 'Finance', true)"
            )
        )
    result = presets.import_with_preset(engine, SNIPEIT, "snipeit")
    assert result.tables["people"].inserted == 1
    assert rows(
        engine, "SELECT name, department FROM people WHERE person_id = 'jane.doe@acme.example'"
    ) == [("Jane D.", "Finance")]


BAD_SNIPEIT = (
    "Asset Tag,Category,Status,Purchase Cost,Checked Out To: Email\n"
    'B1,Laptops,Ready to Deploy,"1,200.00",\n'
    "B2,Spaceships,Deployed,100,x@y.z\n"
    "B3,Laptops,Mystery,100,\n"
    "B4,Laptops,Pending,12.5.3,\n"
    "B5,Laptops,,100,\n"
)


def test_snipeit_errors_name_the_files_row_and_column(engine):
    result = presets.import_with_preset(
        engine, BAD_SNIPEIT.encode(), "snipeit", filename="export.csv"
    )
    assert not result.ok
    got = [(e["sheet"], e["row"], e["column"], e["value"]) for e in result.errors]
    assert got == [
        ("export", 3, "Category", "Spaceships"),
        ("export", 4, "Status", "Mystery"),
        ("export", 5, "Purchase Cost", "12.5.3"),
        ("export", 6, "Status", None),
    ]
    assert result.errors[0]["reason"].startswith("not one of: laptop, desktop")
    assert result.unmapped == {"Category": {"Spaceships": 1}, "Status": {"Mystery": 1}}
    assert result.errors[3]["reason"] == "a required value is blank"
    assert rows(engine, "SELECT count(*) FROM assets") == [(0,)]  # atomic: nothing written


def test_intune_counts_and_discovery_metric(engine):
    assert presets.import_with_preset(engine, SNIPEIT, "snipeit").ok
    result = presets.import_with_preset(engine, INTUNE, "intune")
    assert result.ok, result.errors
    assert result.to_json()["tables"] == {
        "discovery": {"inserted": 5, "updated": 0, "unchanged": 0}
    }
    assert rows(
        engine, "SELECT source, seen_date, hostname, serial FROM discovery ORDER BY hostname"
    ) == [
        ("intune", dt.date(2026, 6, 20), "DESKTOP-Z", None),
        ("intune", dt.date(2026, 6, 28), "LT-0001", "SN1001"),
        ("intune", dt.date(2026, 6, 1), "LT-0002", "SN1002"),
        ("intune", dt.date(2026, 6, 29), "LT-0099", "SNX99"),
        ("intune", dt.date(2026, 6, 30), "PH-0005", "SN1005"),
    ]
    assert api.compute(engine, A, ["discovered_not_in_itam"]) == {"discovered_not_in_itam": 2.0}


@pytest.mark.parametrize(
    ("check_in", "seen", "error"),
    [
        ("2026-06-28 09:14:03.0000000", dt.date(2026, 6, 28), None),
        ("2026-06-29T17:02:11Z", dt.date(2026, 6, 29), None),
        ("2026-06-29", dt.date(2026, 6, 29), None),
        # Slashed dates: the column's own values settle the order (the importer's tolerant reader).
        ("06/29/2026 5:02 PM", dt.date(2026, 6, 29), None),
        ("29/06/2026", dt.date(2026, 6, 29), None),
        ("06/05/2026 5:02 PM", None, "month-first or day-first?"),
        ("", None, "a required value is blank"),
    ],
)
def test_intune_check_in(engine, check_in, seen, error):
    data = f"Device name,Serial number,Last check-in\nPC1,S1,{check_in}\n".encode()
    result = presets.import_with_preset(engine, data, "intune", filename="devices.csv")
    if error is None:
        assert result.ok, result.errors
        assert rows(engine, "SELECT seen_date, source FROM discovery") == [(seen, "intune")]
    else:
        assert [(e["row"], e["column"], e["reason"][: len(error)]) for e in result.errors] == [
            (2, "Last check-in", error)
        ]


def test_not_the_presets_format(engine):
    result = presets.import_with_preset(engine, b"a,b\n1,2\n", "snipeit", filename="x.csv")
    assert not result.ok and "not a Snipe-IT export" in result.errors[0]["reason"]
    result = presets.import_with_preset(engine, b"a,b\n1,2\n", "nosuch", filename="x.csv")
    assert "unknown preset or profile 'nosuch'" in result.errors[0]["reason"]


SCCM = (
    "Computer Name,Serial,Last Seen,Operating System\n"
    "PC-1,S1,2026-06-01,Windows\n"
    "PC-2,,2026-06-02,Linux\n"
)


def test_mapping_profile_saved_and_used(engine):
    profile = presets.Profile(
        "sccm",
        "discovery",
        {
            "Computer Name": "hostname",
            "Serial": "serial",
            "Last Seen": "seen_date",
            "Operating System": "os",
        },
        {"source": "sccm"},
    )
    presets.save_profile(engine, profile, user="am1")
    assert presets.list_profiles(engine) == [profile]
    result = presets.import_with_preset(engine, SCCM.encode(), "sccm", filename="sccm.csv")
    assert result.ok, result.errors
    assert rows(engine, "SELECT source, hostname, serial, os FROM discovery ORDER BY hostname") == [
        ("sccm", "PC-1", "S1", "Windows"),
        ("sccm", "PC-2", None, "Linux"),
    ]
    assert presets.delete_profile(engine, "sccm") and presets.list_profiles(engine) == []


@pytest.mark.parametrize(
    ("profile", "problem"),
    [
        (presets.Profile("x", "nosuch", {}), "unknown table 'nosuch'"),
        (
            presets.Profile("x", "discovery", {"A": "colour"}),
            "'colour' is not a column of discovery",
        ),
        (presets.Profile("x", "discovery", {"A": "os", "B": "os"}), "mapped twice: os"),
        (presets.Profile("snipeit", "discovery", {}), "'snipeit' is the name of a built-in preset"),
        (presets.Profile(" ", "discovery", {}), "a profile needs a name"),
    ],
)
def test_profile_checks(profile, problem):
    assert problem in presets.check_profile(profile)


def test_profile_errors_name_the_files_header(engine):
    profile = presets.Profile(
        "p",
        "discovery",
        {"Computer Name": "hostname", "Last Seen": "seen_date"},
        {"source": "sccm"},
    )
    presets.save_profile(engine, profile)
    data = b"Computer Name,Last Seen\nPC-1,yesterday\n"
    result = presets.import_with_preset(engine, data, "p", filename="f.csv")
    assert [(e["sheet"], e["row"], e["column"], e["value"]) for e in result.errors] == [
        ("f", 2, "Last Seen", "yesterday")
    ]


def test_cli_preset(tmp_path, capsys):
    db = tmp_path / "cli.duckdb"
    assert main(["import", str(SNIPEIT), "--db", str(db), "--preset", "snipeit", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["tables"]["assets"]["inserted"] == 10 and out["tables"]["people"]["inserted"] == 2
    assert main(["import", str(INTUNE), "--db", str(db), "--preset", "intune", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["tables"]["discovery"]["inserted"] == 5
    assert (
        main(
            [
                "metrics",
                "--metric",
                "discovered_not_in_itam",
                "active_devices",
                "--db",
                str(db),
                "--as-of",
                "2026-06-30",
                "--json",
            ]
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out)["values"] == {
        "discovered_not_in_itam": 2,
        "active_devices": 6,
    }
    assert main(["import", str(INTUNE), "--db", str(db), "--preset", "intune", "--replace"]) == 2


def test_a_profiles_value_map_is_applied_and_the_users_wins(engine):
    profile = presets.Profile("hw", "assets", {"Tag": "asset_tag", "Kind": "category", "State": "status"},
                              values={"Kind": {"Notebook PC": "laptop", "Tower": "desktop"}})  # fmt: skip
    data = b"Tag,Kind,State\nH1,Notebook PC,in_stock\nH2,Tower,deployed\nH3,Kiosk,deployed\n"
    result = presets.import_with_preset(engine, data, profile, filename="hw.csv", dry_run=True)
    assert result.unmapped == {"Kind": {"Kiosk": 1}}
    options = ImportOptions(values={"Kind": {"Kiosk": "other", "Tower": "server"}})
    result = presets.import_with_preset(engine, data, profile, filename="hw.csv", options=options)
    assert result.ok, result.errors
    assert rows(engine, "SELECT asset_tag, category FROM assets ORDER BY 1") == [
        ("H1", "laptop"), ("H2", "server"), ("H3", "other")
    ]  # fmt: skip
