"""Jamf Pro, Lansweeper, ServiceNow, AWS and Azure presets on files in each tool's export format.

Expected values are read off tests/data/presets/tools by hand:
- jamf_computers.csv: 3 computers; MAC-0002 has no e-mail (user = its username),
  MAC-0003 never checked in (seen = its last inventory update, 2026-05-02).
- lansweeper_assets.csv: 4 assets seen 2026-06-15..30; the printer has no serial.
- servicenow_alm_hardware.csv: 5 assets; "Computer" (2 rows) is the organisation's
  to map; P1000482 is Retired/Stolen -> stolen, P1000483 Retired/Disposed -> disposed.
- aws_cur.csv: 7 lines. With eng -> Engineering: May EC2 Engineering CC-100
  10.50 + 10.25 - 5.00 (a credit) = 15.75; May S3 0.1234567890 -> 0.12; June EC2
  Sales CC-200 12.00; June S3 0.8765432110 -> 0.88; June EC2 tax 1.20: 5 rows, 29.95.
- azure_cost.csv: dates MM/DD/YYYY (05/17 settles it); May VMs Sales 2.88 + 2.88
  ("Department" and "department" tags) = 5.76; May Storage CostCenter CC-200 4.80;
  June SQL Database Dept Engineering, CostCenter tag CC-300 4.84: 3 rows, 15.40.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import text

from dashboard import presets
from dashboard.cli import main
from dashboard.presets import registry, servicenow
from dashboard.presets.registry import Preset
from dashboard.valuemaps import ImportOptions
from metrics import api

DATA = Path(__file__).parent / "data" / "presets" / "tools"


def rows(engine, sql: str) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


def run(engine, name: str, preset: str, values: dict | None = None, **kw):
    options = ImportOptions(values=values or {})
    return presets.import_with_preset(engine, DATA / name, preset, options=options, **kw)


def test_jamf(engine):
    result = run(engine, "jamf_computers.csv", "jamf")
    assert result.ok, result.errors
    assert rows(engine, "SELECT source, hostname, serial, user, seen_date, os, os_version FROM discovery "
                        "ORDER BY hostname") == [
        ("jamf", "MAC-0001", "C02ZK1AAMD6M", "jane.doe@acme.example", dt.date(2026, 6, 28), "macOS", "14.5.0"),
        ("jamf", "MAC-0002", "C02ZK1ABMD6M", "jsmith", dt.date(2026, 6, 20), "macOS", "14.4.1"),
        ("jamf", "MAC-0003", "C07XJ2ACPG1H", None, dt.date(2026, 5, 2), "macOS", "13.6.7"),
    ]  # fmt: skip


def test_lansweeper(engine):
    result = run(engine, "lansweeper_assets.csv", "lansweeper")
    assert result.ok, result.errors
    assert rows(engine, "SELECT source, hostname, serial, user, seen_date, os, os_version FROM discovery "
                        "ORDER BY hostname") == [
        ("lansweeper", "LT-0001", "SN1001", "jane.doe", dt.date(2026, 6, 29), "Win 11", "10.0.22631"),
        ("lansweeper", "PRN-3F", None, None, dt.date(2026, 6, 15), None, None),
        ("lansweeper", "SRV-DB01", "CZ2001XYZ", None, dt.date(2026, 6, 30), "Win 2019", "10.0.17763"),
        ("lansweeper", "SW-CORE-1", "FOC2233X0AB", None, dt.date(2026, 6, 30), None, None),
    ]  # fmt: skip
    assert result.warnings[0] == (
        "lansweeper_assets: columns 'AssetTypename', 'Domain', 'IPAddress', 'Manufacturer', 'Model' and "
        "'Firstseen' are not read by the Lansweeper preset (discovery records keep hostname, serial, user, "
        "OS and version)"
    )


def test_servicenow_lists_computer_as_unmapped(engine):
    result = run(engine, "servicenow_alm_hardware.csv", "servicenow", dry_run=True)
    assert not result.ok
    assert result.unmapped == {"model_category": {"Computer": 2}}


@pytest.mark.parametrize(
    ("tag", "status", "category", "cost", "assigned", "cc", "purchased", "warranty", "hostname"),
    [
        ("P1000479", "deployed", "laptop", 1599.0, "Beth Anglin", "CC-100", dt.date(2025, 2, 14),
         dt.date(2028, 2, 14), "MBP-ANGLIN"),
        ("P1000480", "in_stock", "server", 8450.0, None, "CC-900", dt.date(2025, 9, 1), dt.date(2030, 9, 1), None),
        ("P1000481", "in_repair", "network", 5200.0, None, "CC-900", dt.date(2024, 3, 15), dt.date(2027, 3, 15),
         "SW-CORE-2"),
        ("P1000482", "stolen", "laptop", 1150.0, None, "CC-200", dt.date(2023, 1, 10), dt.date(2026, 1, 10), None),
        ("P1000483", "disposed", "printer", 899.0, None, "CC-300", dt.date(2019, 6, 1), dt.date(2022, 6, 1), None),
    ],
)  # fmt: skip
def test_servicenow_values(
    engine, tag, status, category, cost, assigned, cc, purchased, warranty, hostname
):
    result = run(
        engine,
        "servicenow_alm_hardware.csv",
        "servicenow",
        {"model_category": {"Computer": "laptop"}},
    )
    assert result.ok, result.errors
    assert result.tables["assets"].inserted == 5
    got = rows(engine, "SELECT status, category, purchase_cost, assigned_to, cost_center, purchase_date, "
                       f"warranty_end, hostname FROM assets WHERE asset_tag = '{tag}'")  # fmt: skip
    assert got == [(status, category, cost, assigned, cc, purchased, warranty, hostname)]


AWS_ROWS = [
    ("2026-05", "Amazon Elastic Compute Cloud", "Engineering", "CC-100", 15.75),
    ("2026-05", "Amazon Simple Storage Service", None, None, 0.12),
    ("2026-06", "Amazon Elastic Compute Cloud", "Sales", "CC-200", 12.0),
    ("2026-06", "Amazon Simple Storage Service", None, None, 0.88),
    ("2026-06", "Amazon Elastic Compute Cloud", None, None, 1.2),
]


def _spend(engine) -> list[tuple]:
    return rows(engine, "SELECT strftime(month, '%Y-%m'), service, department, cost_center, cost FROM cloud_spend "
                        "ORDER BY month, service, department NULLS LAST, cost_center")  # fmt: skip


def test_aws_cur_summed_to_the_grain_with_tags_through_the_value_map(engine):
    result = run(
        engine, "aws_cur.csv", "aws", {"resourceTags/user:Department": {"eng": "Engineering"}}
    )
    assert result.ok, result.errors
    assert result.tables["cloud_spend"].inserted == 5
    assert _spend(engine) == sorted(
        AWS_ROWS, key=lambda r: (r[0], r[1], r[2] is None, r[2] or "", r[3] or "")
    )
    assert rows(engine, "SELECT DISTINCT provider FROM cloud_spend") == [("aws",)]
    assert api.compute(engine, dt.date(2026, 6, 30), ["cloud_spend_12m"]) == {
        "cloud_spend_12m": pytest.approx(29.95)
    }
    assert (
        "aws_cur: 7 bill lines summed into 5 rows (month, service, department, cost center)"
        in result.warnings
    )


def test_aws_without_the_map_keeps_two_spellings_apart(engine):
    result = run(engine, "aws_cur.csv", "aws")
    assert result.ok, result.errors
    assert rows(engine, "SELECT department, cost FROM cloud_spend WHERE month = DATE '2026-05-01' "
                        "AND department IS NOT NULL ORDER BY 1") == [("Engineering", 10.25), ("eng", 5.5)]  # fmt: skip


def test_azure_export(engine):
    result = run(engine, "azure_cost.csv", "azure")
    assert result.ok, result.errors
    assert _spend(engine) == [
        ("2026-05", "Storage", None, "CC-200", 4.8),
        ("2026-05", "Virtual Machines", "Sales", None, 5.76),
        ("2026-06", "SQL Database", "Engineering", "CC-300", 4.84),
    ]
    assert rows(engine, "SELECT DISTINCT provider FROM cloud_spend") == [("azure",)]


@pytest.mark.parametrize(
    ("dates", "order", "months", "warned"),
    [
        (
            ["05/03/2026", "05/17/2026"],
            None,
            ["2026-05"],
            False,
        ),  # 17 is a day: month-first, settled
        (["17/05/2026", "03/05/2026"], None, ["2026-05"], False),  # day-first, settled
        (
            ["05/03/2026", "06/04/2026"],
            None,
            ["2026-05", "2026-06"],
            True,
        ),  # Azure's documented MM/DD/YYYY
        (["05/03/2026", "06/04/2026"], "dmy", ["2026-03", "2026-04"], False),  # the user said
        (["2026-05-03", "2026-06-04"], None, ["2026-05", "2026-06"], False),
    ],
)
def test_azure_date_order(engine, dates, order, months, warned):
    body = "Date,MeterCategory,CostInBillingCurrency\n" + "".join(f"{d},VM,1.00\n" for d in dates)
    options = ImportOptions(date_order=order)
    result = presets.import_with_preset(
        engine, body.encode(), "azure", filename="cost.csv", options=options
    )
    assert result.ok, result.errors
    assert [
        r[0] for r in rows(engine, "SELECT strftime(month, '%Y-%m') FROM cloud_spend ORDER BY 1")
    ] == months
    assert any("read month-first" in w for w in result.warnings) == warned


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Date,MeterCategory,CostInBillingCurrency\n13/05/2026,VM,1\n05/13/2026,VM,1\n",
         [(None, "Date", None, "dates are written both day-first and month-first")]),
        ("Date,MeterCategory,CostInBillingCurrency\n2026-05-01,VM,abc\n2026-05-02,VM,1\n",
         [(2, "CostInBillingCurrency", "abc", "not a number")]),
        ("Date,MeterCategory,CostInBillingCurrency\nyesterday,VM,1\n", [(2, "Date", "yesterday", "not a date")]),
        ("Date,MeterCategory,CostInBillingCurrency\n,VM,1\n2026-05-01,VM,\n",
         [(2, "Date", None, "a required value is blank"), (3, "CostInBillingCurrency", None, "a required value")]),
        ("Date,MeterCategory,CostInBillingCurrency\n2026-05-01,VM,1\n2026-05-02,VM,-3\n",
         [(2, "CostInBillingCurrency", "-2.00", "the lines of this month, service, department and cost center")]),
        ('Date,MeterCategory,CostInBillingCurrency,Tags\n2026-05-01,VM,1,"{oops"\n',
         [(2, "Tags", "{oops", "tags are not a JSON map")]),
    ],
)  # fmt: skip
def test_cloud_errors_name_the_files_row_and_column(engine, body, expected):
    result = presets.import_with_preset(engine, body.encode(), "azure", filename="cost.csv")
    assert not result.ok
    got = [
        (e["row"], e["column"], e["value"], e["reason"][: len(x[3])])
        for e, x in zip(result.errors, expected, strict=False)
    ]
    assert got == expected and len(result.errors) == len(expected)
    assert rows(engine, "SELECT count(*) FROM cloud_spend") == [(0,)]


def _import_help(capsys) -> str:
    with pytest.raises(SystemExit):
        main(["import", "--help"])
    return " ".join(capsys.readouterr().out.split())


def test_cli_help_and_data_page_list_every_preset_of_the_registry(capsys):
    out = _import_help(capsys)
    names = "snipeit, intune, jamf, lansweeper, servicenow, aws, azure"
    assert f"read another tool's CSV export: {names}, or a saved mapping profile" in out
    formats = presets.formats([])
    assert list(formats) == ["package", *names.split(", "), "mapping"]
    assert formats["aws"] == "AWS Cost and Usage Report (CSV)"
    assert presets.PRESETS == tuple(names.split(", "))


def test_a_registry_entry_is_all_it_takes_to_offer_a_preset(capsys, monkeypatch):
    """One place lists the tools: an entry added to the registry shows in the CLI help, the Data
    page's formats and hint, and is refused as a profile name (the page itself: test_presets_page)."""
    glpi = Preset("glpi", "GLPI computers (CSV)", "assets", "GLPI: Assets → Computers → Export.",
                  servicenow.assets)  # fmt: skip
    monkeypatch.setitem(registry.REGISTRY, "glpi", glpi)
    assert "servicenow, aws, azure, glpi, or a saved mapping profile" in _import_help(capsys)
    profile = presets.Profile("My CSV", "assets", {"Tag": "asset_tag"})
    formats = presets.formats([profile])
    assert list(formats)[-4:] == ["azure", "glpi", "profile:My CSV", "mapping"]
    assert formats["glpi"] == "GLPI computers (CSV)"
    assert presets.hint("glpi") == "GLPI: Assets → Computers → Export."
    assert presets.hint("package") is None
    assert presets.check_profile(presets.Profile("GLPI", "assets", {"Tag": "asset_tag"})) == [
        "'GLPI' is the name of a built-in preset"
    ]


def test_cli_each_preset(tmp_path, capsys):
    db = str(tmp_path / "c.duckdb")
    for name, preset, table, n in [
        ("jamf_computers.csv", "jamf", "discovery", 3),
        ("lansweeper_assets.csv", "lansweeper", "discovery", 4),
        ("azure_cost.csv", "azure", "cloud_spend", 3),
    ]:
        assert main(["import", str(DATA / name), "--preset", preset, "--json", "--db", db]) == 0
        assert json.loads(capsys.readouterr().out)["tables"][table]["inserted"] == n


def test_cloud_kind_from_a_default(tmp_path, capsys):
    db = str(tmp_path / "k.duckdb")
    args = ["import", str(DATA / "azure_cost.csv"), "--preset", "azure", "--default", "kind=iaas", "--json",
            "--db", db]  # fmt: skip
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out)["tables"]["cloud_spend"]["inserted"] == 3
    from dashboard import database

    assert rows(database.get_engine(db), "SELECT DISTINCT kind FROM cloud_spend") == [("iaas",)]
    database.dispose(db)


def test_the_readme_table_lists_the_registry():
    """A preset added to the registry is documented too (README, "Exports of other tools")."""
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Exports of other tools (presets)", 1)[1].split("```", 1)[0]
    rows = [line.split("|")[1].strip() for line in section.splitlines() if line.startswith("| `")]
    assert rows[0] == "`--preset`"  # the header
    assert rows[1:] == [f"`{name}`" for name in registry.REGISTRY]
