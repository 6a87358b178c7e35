"""Snipe-IT's own sample files (tests/data/presets/snipeit, copied from the snipe/snipe-it repository).

assets-sample.csv: 22 assets, no Status column, US dates (1/23/23), 16 categories
of the sample organisation's own. Read off the file by hand:
- checked out to a user (9): WBH-2841795, BOL-0305383, HNY-7340937, JHN-0598394,
  DWM-3752227, HLK-1645158, OID-4455781, UQY-2172679, SUQ-5159067;
- checked out to a location (8): NNH, EJS, GEX, OLM, AZT, IAB, HRI, BBK;
- not checked out (5, in stock): ICC-2065556, YVN-3440973, YOO-5936907,
  LYO-8134459, RRO-8557470.
- Hardware spend in the 365 days to 2023-01-31 (purchases after 2022-01-31):
  every asset but NNH 3/1/23 (2,300.71), JHN 4/11/23 (3,263.79), OLM 5/14/23
  (3,178.59), LYO 5/7/23 (3,322.34) and UQY 2/10/23 (4,253.88): 40,607.44.
users-sample.csv: 100 users, 5 of them without an e-mail (Juan jlowseley9, Tessy
tsailerw, Em ekittley15, Davis dnatalie1o, Korry ksteckings29).
licenses-sample.csv: 50 licenses (notes spanning lines), 8 without a manufacturer; their seats
add up to 2,282 (1,157 in the first 25 rows, 1,125 in the other 25).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import text

from dashboard import presets
from dashboard.cli import main
from dashboard.valuemaps import ImportOptions, read_values_file
from metrics import api

DATA = Path(__file__).parent / "data" / "presets" / "snipeit"
ASSETS = DATA / "assets-sample.csv"
VALUES = DATA / "assets-sample.values.csv"
USERS = DATA / "users-sample.csv"
LICENSES = DATA / "licenses-sample.csv"
CATEGORIES = {
    "Ornamental Railings": 2,
    "Structural and Misc Steel (Fabrication)": 4,
    "Soft Flooring and Base": 1,
    "Prefabricated Aluminum Metal Canopies": 2,
    "Temp Fencing, Decorative Fencing and Gates": 1,
    "Electrical": 1,
    "Roofing (Metal)": 1,
    "Curb & Gutter": 2,
    "Construction Clean and Final Clean": 1,
    "Roofing (Asphalt)": 1,
    "Marlite Panels (FED)": 1,
    "Structural & Misc Steel Erection": 1,
    "HVAC": 1,
    "Granite Surfaces": 1,
    "Drywall & Acoustical (MOB)": 1,
    "Fire Protection": 1,
}


def rows(engine, sql: str) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


def mapped(engine, **kw):
    options = ImportOptions(values=read_values_file(VALUES))
    return presets.import_with_preset(engine, ASSETS, "snipeit", options=options, **kw)


def test_sample_lists_all_16_categories_in_one_run(tmp_path, capsys):
    db = tmp_path / "s.duckdb"
    code = main(
        ["import", str(ASSETS), "--preset", "snipeit", "--dry-run", "--json", "--db", str(db)]
    )
    out = json.loads(capsys.readouterr().out)
    assert code == 1 and out["unmapped"] == {"Category": CATEGORIES}
    assert sum(CATEGORIES.values()) == 22 and len(CATEGORIES) == 16
    # Nothing but the categories stands in the way: one problem per asset, all "Category".
    assert {e["column"] for e in out["errors"]} == {"Category"} and len(out["errors"]) == 22


def test_sample_with_values_imports_22_assets(engine):
    result = mapped(engine)
    assert result.ok, result.errors[:3]
    assert result.to_json()["tables"] == {
        "assets": {"inserted": 22, "updated": 0, "unchanged": 0},
        "people": {"inserted": 9, "updated": 0, "unchanged": 0},
    }
    assert result.unmapped == {}
    got = api.compute(
        engine, dt.date(2023, 1, 31), ["in_stock", "active_devices", "hardware_spend_12m"]
    )
    assert got == {
        "in_stock": 5.0,
        "active_devices": 22.0,
        "hardware_spend_12m": pytest.approx(40607.44),
    }


@pytest.mark.parametrize(
    ("tag", "status", "assigned", "location", "purchased", "cost", "po"),
    [
        ("ICC-2065556", "in_stock", None, "Wilkinson, Waters and Kerluke", dt.date(2023, 1, 23), 2266.13,
         "3271901481"),
        ("WBH-2841795", "deployed", "gmccrackem2a@bing.com", "Lindgren-Marquardt", dt.date(2022, 11, 14),
         1292.94, "5504512275"),
        # Checked out to a location: deployed there, to nobody.
        ("NNH-3656031", "deployed", None, "Pacocha-Kiehn", dt.date(2023, 3, 1), 2300.71, "4861125177"),
        ("EJS-7488052", "deployed", None, "McGlynn, Hagenes and Bruen", dt.date(2022, 6, 25), 2711.89,
         "1252634576"),
        ("SUQ-5159067", "deployed", "hbucknall29@webnode.com", "Jenkins, Goldner and Cruickshank",
         dt.date(2022, 6, 24), 4402.74, "0313117719"),
    ],
)  # fmt: skip
def test_sample_values(engine, tag, status, assigned, location, purchased, cost, po):
    assert mapped(engine).ok
    got = rows(engine, "SELECT status, category, assigned_to, location, purchase_date, purchase_cost, po_number "
                       f"FROM assets WHERE asset_tag = '{tag}'")  # fmt: skip
    assert got == [(status, "other", assigned, location, purchased, cost, po)]


def test_sample_people_named_from_the_checkout_columns(engine):
    assert mapped(engine).ok
    assert rows(engine, "SELECT person_id, name FROM people ORDER BY person_id LIMIT 3") == [
        ("bmctrustrie1c@free.fr", "Balduin McTrustrie"),
        ("flewins10@amazonaws.com", "Filip Lewins"),
        ("gmccrackem2a@bing.com", "Gage McCrackem"),
    ]


def test_users_sample_imports_100_people(engine):
    result = presets.import_with_preset(engine, USERS, "snipeit")
    assert result.ok, result.errors[:3]
    assert result.to_json()["tables"] == {"people": {"inserted": 100, "updated": 0, "unchanged": 0}}
    by_username = rows(
        engine, "SELECT person_id, name FROM people WHERE person_id NOT LIKE '%@%' ORDER BY 1"
    )
    assert by_username == [
        ("dnatalie1o", "Davis"),
        ("ekittley15", "Em"),
        ("jlowseley9", "Juan"),
        ("ksteckings29", "Korry"),
        ("tsailerw", "Tessy"),
    ]
    assert rows(
        engine, "SELECT name, location FROM people WHERE person_id = 'rtenant0@example.org'"
    ) == [("Reagen Tenant", "Braun, Ullrich and O'Hara")]


def test_asset_links_to_the_user_by_email_else_username(engine):
    """Users first; an asset checked out to a user without an e-mail links by username."""
    assert presets.import_with_preset(engine, USERS, "snipeit").ok
    data = (
        b"Asset Tag,Category,Checked Out To: Username,Checked Out To: Email\n"
        b"T1,Laptops,jlowseley9,\n"
        b"T2,Laptops,rtenant0,RTenant0@Example.org\n"
    )
    result = presets.import_with_preset(engine, data, "snipeit", filename="assets.csv")
    assert result.ok, result.errors
    assert "people" not in result.tables  # both are stored already
    assert rows(engine, "SELECT asset_tag, assigned_to, status FROM assets ORDER BY 1") == [
        ("T1", "jlowseley9", "deployed"),
        ("T2", "rtenant0@example.org", "deployed"),
    ]


def test_licenses_sample(engine):
    result = presets.import_with_preset(engine, LICENSES, "snipeit")
    assert result.ok, result.errors[:3]
    assert result.to_json()["tables"] == {
        "software": {"inserted": 50, "updated": 0, "unchanged": 0},
        "entitlements": {"inserted": 50, "updated": 0, "unchanged": 0},
    }
    assert rows(engine, "SELECT count(*) FROM software WHERE publisher = 'Unknown'") == [(8,)]
    # $12.58 for 56 seats: 0.2246 a seat; bought 11/24/08.
    got = rows(engine, "SELECT title_id, quantity, unit_cost, purchase_date, term_end FROM entitlements "
                       "WHERE entitlement_id = '4c2713a1-5b73-4ecb-b2e9-62bf0ff57165'")  # fmt: skip
    assert got == [("Phenylephrine HCl", 56, 0.2246, dt.date(2008, 11, 24), None)]
    assert rows(engine, "SELECT sum(quantity) FROM entitlements") == [(2282,)]


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        ("Asset Tag,Name", "assets"),
        ("Item name,seats", "licenses"),
        ("Name,Product Key,Seats", "licenses"),
        ("First Name,Username,Email", "users"),
    ],
)
def test_kind_told_from_headers(header, kind):
    from dashboard.presets.snipeit import kind_of
    from dashboard.readers import read_package

    (raw,), _ = read_package((header + "\n" + ",".join("x" * len(header.split(","))) + "\n").encode(),
                             filename="f.csv")  # fmt: skip
    assert kind_of(raw) == kind


def test_cli_values_file(tmp_path, capsys):
    db = str(tmp_path / "v.duckdb")
    args = [
        "import",
        str(ASSETS),
        "--preset",
        "snipeit",
        "--values",
        str(VALUES),
        "--json",
        "--db",
        db,
    ]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["unmapped"] == {} and out["tables"]["assets"]["inserted"] == 22
    assert main(["metrics", "--metric", "in_stock", "hardware_spend_12m", "--as-of", "2023-01-31", "--json",
                 "--db", db]) == 0  # fmt: skip
    assert json.loads(capsys.readouterr().out)["values"] == {
        "in_stock": 5,
        "hardware_spend_12m": pytest.approx(40607.44),
    }


@pytest.mark.parametrize(
    ("extra", "status", "assigned"),
    [
        ("Type\nT1,Laptops,,Laptop", "in_stock", None),  # a custom field "Type" is no checkout
        ("Type\nT1,Laptops,jdoe,user", "deployed", "jdoe"),
        ("Type\nT1,Laptops,,location", "deployed", None),
        (
            "Checkout Type\nT1,Laptops,jdoe,Location",
            "deployed",
            None,
        ),  # a name but a location checkout
        ("Checkout Type\nT1,Laptops,,", "in_stock", None),
    ],
)
def test_checkout_kinds(engine, extra, status, assigned):
    data = f"Asset Tag,Category,Username,{extra}\n".encode()
    result = presets.import_with_preset(engine, data, "snipeit", filename="a.csv")
    assert result.ok, result.errors
    assert rows(engine, "SELECT status, assigned_to FROM assets") == [(status, assigned)]


def test_users_keep_what_hr_stored(engine):
    """A stored person keeps the cost center, department and status Snipe-IT does not have."""
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO people (person_id, name, department, cost_center, location, active) VALUES "
                          "('rtenant0@example.org', 'R. Tenant', 'Nursing', 'CC-7', 'Ward 3', false)"))  # fmt: skip
    result = presets.import_with_preset(engine, USERS, "snipeit")
    assert result.ok, result.errors
    assert {t: (c.inserted, c.updated) for t, c in result.tables.items()} == {"people": (99, 1)}
    got = rows(engine, "SELECT name, department, cost_center, location, active FROM people "
                       "WHERE person_id = 'rtenant0@example.org'")  # fmt: skip
    # The name and location are Snipe-IT's; department, cost center and status stay.
    assert got == [("Reagen Tenant", "Nursing", "CC-7", "Braun, Ullrich and O'Hara", False)]
