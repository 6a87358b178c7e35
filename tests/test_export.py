"""Export of the package and the round trip: export -> import -> export is lossless."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from dashboard import database, exporter, importer, schema
from dashboard.cli import main
from tests.sample_estate import SAMPLE as SAMPLE_DIR
from tests.test_import import dump, zip_bytes

AWKWARD = [
    "=1+1",
    "+44 20 7946 0000",
    "-",
    "@user",
    "indented",
    "''=quoted",
    "'''+twice",
    'plain, "quoted"',
    "two\nlines",
    "Zoë 東京",
]

# Every table, with awkward text in its text columns (CSV as written by a user).
PACKAGE = {
    "people": "person_id,name,department,cost_center,location,active\n"
    + "".join(
        f'p{i},"{a.replace(chr(34), chr(34) * 2)}",IT,CC-1,,{"yes" if i % 2 else "no"}\n'
        for i, a in enumerate(AWKWARD)
    ),
    "assets": "asset_tag,category,status,serial,hostname,purchase_date,purchase_cost,expected_life_years,meets_standard,notes,assigned_to\n"
    'A1,laptop,deployed,S-1,PC-1,2024-02-29,1234.56,,false,"=HYPERLINK(""x"")",p1\n'
    "A2,server,retired,,srv,1899-12-31,0.1,2.5,,@risk,\n"
    "A3,iot,lost,,,,123456789.125,,,,\n",
    "software": "title_id,title,publisher,license_metric,is_standard,managed_by_itam,elp_updated\nT1,Office,Microsoft,user,no,,2026-01-31\nT2,-minus,+plus,,,,\n",
    "entitlements": "entitlement_id,title_id,quantity,unit_cost,contract_id,term_end\nE1,T1,9007199254740992,0,C1,\nE2,T2,3,1e-7,,2030-01-01\n",
    "installs": "title_id,asset_tag,hostname,discovered_date,last_used_date\nT1,A1,,2025-01-01,\nT1,,PC-9,,2025-06-30\n",
    "license_events": "event_id,event_date,title_id,kind,quantity,unit_value\nL1,2025-03-01,T1,issued_from_pool,2,10.5\nL2,2025-03-02,T1,Harvested,1,\n",
    "contracts": "contract_id,vendor,kind,start_date,end_date,annual_value,first_quote,final_price,auto_renew,notice_days\nC1,Acme,hardware maintenance,2025-01-01,2025-12-31,1000,-5,900,y,0\n",
    "cloud_spend": "month,provider,service,kind,department,cost_center,cost\n2024-07,AWS,EC2,iaas,,,1.5\n2024-07-01,AWS,,,IT,,2\n",
    "tickets": "ticket_id,kind,opened,resolved,asset_tag,title_id,requester,target_hours,csat,in_warranty\n"
    "I1,incident,2025-04-07 10:48:13,2025-04-08 08:11,A1,,p1,24,5,true\nI2,rma,2025-04-07T09:00:00.250000,,,T1,,0.5,,\n",
    "discovery": "source,seen_date,hostname,serial,user,os,os_version\nintune,2025-06-01,PC-1,S-1,p1,Windows,=11\njamf,2025-06-01,mac,,,macOS,\n",
    "audits": "audit_date,asset_tag,method,record_accurate\n2025-05-01,A1,tool_compare,yes\n2025-05-01,A1,it_led,0\n",
    "vendor_audits": "audit_id,vendor,start_date,end_date,hours_spent,true_up_cost\nVA1,Oracle,2024-01-01,,10.25,0\n",
    "security_incidents": "incident_id,incident_date,hostname,serial,involved_undiscovered_asset\nS1,2024-08-04,ghost,,yes\n",
    "roadmap": "item_id,initiative,task,owner,target_date,status,completed_date\nR1,Discovery,Task 1,p1,2026-02-19,In Progress,\n",
    "integrations": "name,source_system,connected,since\nIntune,Microsoft Intune,yes,2023-01-01\nSCCM,,no,\n",
    "budget": "year,spend_type,department,cost_center,amount\n2025,hardware,Finance,CC-110,117186.06\n2025,hardware,,,5\n",
    "fx_rates": "currency,month,rate\nUSD,2025-01,0.91\n",  # issue 15
}


@pytest.fixture
def full(engine):
    result = importer.import_package(
        engine, zip_bytes({f"{t}.csv": c.encode() for t, c in PACKAGE.items()}), filename="pkg.zip"
    )
    assert result.ok, result.errors
    # Text no import can produce (trimming): written straight, it must survive too.
    with engine.begin() as conn:
        from sqlalchemy import text

        conn.execute(
            text("UPDATE people SET name = :v WHERE person_id = 'p4'"), {"v": "\tindented"}
        )
        conn.execute(text("UPDATE people SET location = :v WHERE person_id = 'p4'"), {"v": "\rcr"})
    return engine


def test_the_package_covers_every_table(full):
    assert set(PACKAGE) == {t.name for t in schema.TABLES}
    assert all(rows for rows in dump(full).values())


def _fresh(tmp_path: Path, name: str):
    return database.get_engine(tmp_path / f"{name}.duckdb")


@pytest.mark.parametrize("form", ["pkg.xlsx", "csv"])
def test_export_import_reproduces_the_database(full, tmp_path, form):
    before = dump(full)
    exporter.export_package(full, tmp_path / form)
    other = _fresh(tmp_path, "copy")
    result = importer.import_package(other, tmp_path / form)
    assert result.ok, result.errors
    assert dump(other) == before
    assert before["people"][5][1] == "'=quoted" and before["people"][4][1] == "\tindented"
    # and export -> import -> export again gives the same files
    exporter.export_package(other, tmp_path / f"again-{form}")
    assert _contents(tmp_path / form) == _contents(tmp_path / f"again-{form}")


def _contents(path: Path):
    if path.suffix == ".xlsx":
        wb = openpyxl.load_workbook(path)
        return {
            ws.title: [[(c.value, c.quotePrefix) for c in row] for row in ws.iter_rows()]
            for ws in wb
        }
    return {p.name: p.read_bytes() for p in sorted(path.iterdir())}


def test_csv_export_neutralises_formula_text(full, tmp_path):
    exporter.export_package(full, tmp_path / "csv")
    people = (tmp_path / "csv" / "people.csv").read_text(encoding="utf-8").split("\n")
    assert people[0] == "person_id,name,department,cost_center,location,active"
    names = [line.split(",")[1] for line in people[1:4]]
    assert names == ["'=1+1", "'+44 20 7946 0000", "'-"]
    assert "p5,''=quoted,IT,CC-1,,true" in people  # stored as '=quoted
    assert "p6,'''+twice,IT,CC-1,,false" in people  # stored as ''+twice
    software = (tmp_path / "csv" / "software.csv").read_text().splitlines()
    assert software[1:] == [
        "T1,Office,Microsoft,user,false,true,2026-01-31",
        "T2,'-minus,'+plus,device,true,true,",
    ]


def test_xlsx_export_uses_quote_prefix_and_typed_cells(full, tmp_path):
    exporter.export_package(full, tmp_path / "pkg.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "pkg.xlsx")
    assert wb.sheetnames == [t.name for t in schema.TABLES]
    names = {c.value: c.quotePrefix for c in wb["people"]["B"][1:]}
    assert names["=1+1"] is True and names["'\tindented"] is True and names["Zoë 東京"] is False
    assets = wb["assets"]
    assert [c.value for c in assets[1]] == list(schema.table("assets").names)
    assert (
        assets["O2"].is_date and assets["O3"].value == "1899-12-31"
    )  # before Excel's calendar: text
    assert assets["AB2"].value is False and assets["AB3"].value is True


def test_xlsx_refuses_a_table_longer_than_a_sheet(full, tmp_path, monkeypatch):
    monkeypatch.setattr(exporter, "SHEET_ROWS", 3)  # people has 10 rows
    with pytest.raises(
        exporter.ExportRefused, match=r"people \(10 rows\).*export to a folder of CSV files"
    ):
        exporter.export_package(full, tmp_path / "pkg.xlsx")
    assert not (tmp_path / "pkg.xlsx").exists()
    exporter.export_package(full, tmp_path / "csv")  # the CSV form has no such limit
    with open(tmp_path / "csv" / "people.csv", newline="", encoding="utf-8") as fh:
        assert len(list(csv.reader(fh))) == 11


def test_package_bytes_is_the_workbook_of_every_table(full):
    data, name = exporter.package_bytes(full)
    assert name == "itam-data-package.xlsx"
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == [t.name for t in schema.TABLES]
    assert wb["people"].max_row == 11  # the header and 10 people
    fx = [c.value for c in next(wb["fx_rates"].iter_rows(min_row=2))]
    assert fx == ["USD", dt.datetime(2025, 1, 1), 0.91]  # a month is its first day


def test_package_bytes_beyond_a_sheet_is_a_zip_of_csvs(full, monkeypatch):
    monkeypatch.setattr(exporter, "SHEET_ROWS", 3)  # people has 10 rows
    data, name = exporter.package_bytes(full)
    assert name == "itam-data-package.zip"
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.namelist() == sorted(f"{t.name}.csv" for t in schema.TABLES)
        people = zf.read("people.csv").decode("utf-8")
    assert len(list(csv.reader(io.StringIO(people)))) == 11
    assert people.splitlines()[0] == "person_id,name,department,cost_center,location,active"


def test_cli_export(full, tmp_path, capsys):
    url = full.info["url"]
    db = database.duckdb_path(url)
    database.dispose(db)
    assert main(["export", "--db", db, "--out", str(tmp_path / "out.xlsx")]) == 0
    assert (
        capsys.readouterr().out.splitlines()[0]
        == f"Exported 38 rows in 17 tables to {tmp_path / 'out.xlsx'}"
    )


SAMPLE = SAMPLE_DIR / "sample-estate.xlsx"  # the public sample, kept in the repository


def test_sample_estate_imports_and_round_trips(engine, tmp_path):
    # How long this takes is measured by tests/bench_import.py, not asserted here.
    result = importer.import_package(engine, SAMPLE)
    assert result.ok, result.errors[:5]
    assert {t: c.inserted for t, c in result.tables.items()} == {
        "people": 3000, "assets": 5000, "software": 150, "entitlements": 229, "installs": 40000,
        "license_events": 600, "contracts": 200, "cloud_spend": 1001, "tickets": 20000,
        "discovery": 6402, "audits": 2500, "vendor_audits": 25, "security_incidents": 60,
        "roadmap": 40, "integrations": 12, "budget": 72,
    }  # fmt: skip
    exporter.export_package(engine, tmp_path / "csv")
    other = _fresh(tmp_path, "copy")
    assert importer.import_package(other, tmp_path / "csv").ok
    assert dump(other) == dump(engine)
