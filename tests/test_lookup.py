"""The technician's look-up (dashboard/lookup.py) on a hand-made estate, as of 2026-06-30.

Pat Larsen (P1, Finance, Rotterdam) has laptop A1 and monitor A2 in use and a retired
laptop A3; Sam Smith (P2, HR, London) has phone A6, located in London itself. Laptops
A4 (Rotterdam, through nobody: its own location) and A5 (London) are in stock.

A1's row, worked out by hand:
- warranty to 2027-01-01: in warranty;
- contracts: K1 (hardware_maintenance, Dell, 2026) covers it; K2 is software (not a
  device contract); K3 (a lease from its supplier CDW) ended on 2026-03-31;
- installed titles: Office (by asset tag) and Zoom (by hostname, undated); Visio is
  discovered on 2026-08-01, after the as-of date: 2 titles;
- open tickets: INC1 (opened 2026-06-01, unresolved); INC2 was resolved on 2026-05-03: 1;
- last discovery: 2026-06-20 (by hostname, the row has no serial); the 2026-07-05 row
  is after the as-of date.
A2: warranty ended 2025-01-01 (out of warranty), INC3 open on 2026-06-30 (resolved
2026-07-02), no contract (LG has none), no install, never discovered.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard import lookup, store

A = dt.date(2026, 6, 30)
D = dt.date
T = dt.datetime


def _asset(tag, category, status, **kw):
    return dict(asset_tag=tag, category=category, status=status, **kw)


@pytest.fixture
def estate(engine):
    people = [
        dict(
            person_id="p1@x.org",
            name="Pat Larsen",
            department="Finance",
            cost_center="CC-F",
            location="Rotterdam",
        ),
        dict(
            person_id="p2@x.org",
            name="Sam Smith",
            department="HR",
            cost_center="CC-H",
            location="Utrecht",
        ),
    ]
    assets = [
        _asset(
            "A1",
            "laptop",
            "deployed",
            assigned_to="p1@x.org",
            manufacturer="Dell",
            model="Latitude",
            supplier="CDW",
            serial="SN-A1",
            hostname="pc-a1",
            warranty_end=D(2027, 1, 1),
        ),
        _asset(
            "A2",
            "monitor",
            "deployed",
            assigned_to="p1@x.org",
            manufacturer="LG",
            model="27UL",
            warranty_end=D(2025, 1, 1),
        ),
        _asset(
            "A3", "laptop", "retired", assigned_to="p1@x.org", manufacturer="Dell", model="Latitude"
        ),
        _asset(
            "A4", "laptop", "in_stock", manufacturer="Dell", model="Latitude", location="Rotterdam"
        ),
        _asset(
            "A5", "laptop", "in_stock", manufacturer="Dell", model="Latitude", location="London"
        ),
        _asset(
            "A6",
            "phone",
            "deployed",
            assigned_to="p2@x.org",
            manufacturer="Apple",
            model="iPhone",
            location="London",
            serial="SN-A6",
        ),
    ]
    software = [
        dict(title_id=t, title=n, publisher="Acme")
        for t, n in (("T1", "Office"), ("T2", "Zoom"), ("T3", "Visio"))
    ]
    installs = [
        dict(title_id="T1", asset_tag="A1", discovered_date=D(2026, 1, 1)),
        dict(title_id="T2", hostname="PC-A1"),
        dict(title_id="T3", asset_tag="A1", discovered_date=D(2026, 8, 1)),
    ]
    discovery = [
        dict(source="sccm", seen_date=D(2026, 6, 10), serial="sn-a1"),
        dict(source="intune", seen_date=D(2026, 6, 20), hostname="PC-A1"),
        dict(source="sccm", seen_date=D(2026, 7, 5), serial="SN-A1"),
    ]
    tickets = [
        dict(ticket_id="INC1", kind="incident", opened=T(2026, 6, 1, 9), asset_tag="A1"),
        dict(
            ticket_id="INC2",
            kind="incident",
            opened=T(2026, 5, 1, 9),
            resolved=T(2026, 5, 3, 9),
            asset_tag="A1",
        ),
        dict(
            ticket_id="INC3",
            kind="incident",
            opened=T(2026, 6, 25, 9),
            resolved=T(2026, 7, 2, 9),
            asset_tag="A2",
        ),
    ]
    contracts = [
        dict(
            contract_id="K1",
            vendor="Dell",
            kind="hardware_maintenance",
            start_date=D(2026, 1, 1),
            end_date=D(2026, 12, 31),
            annual_value=100.0,
        ),
        dict(
            contract_id="K2",
            vendor="Dell",
            kind="software",
            start_date=D(2026, 1, 1),
            end_date=D(2026, 12, 31),
            annual_value=100.0,
        ),
        dict(
            contract_id="K3",
            vendor="CDW",
            kind="lease",
            start_date=D(2024, 1, 1),
            end_date=D(2026, 3, 31),
            annual_value=100.0,
        ),
    ]
    frames = {
        "people": people,
        "assets": assets,
        "software": software,
        "installs": installs,
        "discovery": discovery,
        "tickets": tickets,
        "contracts": contracts,
    }
    store.write_tables(engine, {k: pd.DataFrame(v) for k, v in frames.items()})
    return engine


def test_search_finds_people_locations_and_assets(estate):
    got = lookup.search(estate, "lar")
    assert got.to_dict("records") == [
        {
            "kind": "person",
            "key": "p1@x.org",
            "label": "Pat Larsen",
            "detail": "Finance · Rotterdam · p1@x.org",
            "assets": 3,
        }
    ]
    # A6 is in London by its own location, A5 too; Sam Smith's person location is Utrecht
    got = lookup.search(estate, "LONDON")
    assert got.to_dict("records") == [
        {"kind": "location", "key": "London", "label": "London", "detail": None, "assets": 2}
    ]
    # a serial, case-insensitively, with its hostname and person as the detail
    got = lookup.search(estate, "sn-a6")
    assert got.to_dict("records") == [
        {
            "kind": "asset",
            "key": "A6",
            "label": "A6 · iPhone",
            "detail": "SN-A6 · Sam Smith",
            "assets": 1,
        }
    ]
    assert lookup.search(estate, "x").empty  # one character
    assert lookup.search(estate, "--").empty  # nothing left once '-' is ignored


@pytest.mark.parametrize(
    ("query", "assets"),
    [
        ("sn-", ["A1", "A6"]),  # part of a serial (SN-A1, SN-A6)
        ("sna", ["A1", "A6"]),  # '-' ignored
        ("SN A1", ["A1"]),  # ' ' ignored, case too
        ("pc-a", ["A1"]),  # part of a hostname
        ("a1", ["A1"]),  # the exact tag (A1) and its serial SN-A1: one asset
    ],
)
def test_search_finds_assets_by_part_of_tag_serial_or_hostname(estate, query, assets):
    got = lookup.search(estate, query)
    assert got[got["kind"] == "asset"]["key"].tolist() == assets


def test_equipment_of_a_person(estate):
    items, totals = lookup.equipment(estate, "person", "p1@x.org", A)
    assert list(items["asset_tag"]) == ["A1", "A2"]  # by category; retired A3 left out
    a1, a2 = items.to_dict("records")
    assert a1["warranty"] == "in warranty" and a2["warranty"] == "out of warranty"
    assert a1["contracts"] == "K1 (hardware_maintenance, to 2026-12-31)"
    assert pd.isna(a2["contracts"])
    assert a1["installed_titles"] == 2 and sorted(a1["titles"].split(", ")) == ["Office", "Zoom"]
    assert a2["installed_titles"] == 0
    assert (a1["open_tickets"], a1["ticket_ids"]) == (1, "INC1")
    assert (a2["open_tickets"], a2["ticket_ids"]) == (1, "INC3")
    assert pd.Timestamp(a1["last_seen"]).date() == D(2026, 6, 20)
    assert pd.isna(a2["last_seen"])
    assert (a1["assigned_to"], a1["location"]) == ("Pat Larsen", "Rotterdam")
    assert totals == {"devices": 2, "out_of_warranty": 1, "open_tickets": 2, "installed_titles": 2}


def test_as_of_moves_the_answers(estate):
    items, totals = lookup.equipment(estate, "person", "p1@x.org", D(2026, 8, 1))
    a1, a2 = items.to_dict("records")
    assert pd.Timestamp(a1["last_seen"]).date() == D(2026, 7, 5)
    assert sorted(a1["titles"].split(", ")) == ["Office", "Visio", "Zoom"]  # Visio found on 08-01
    assert a2["open_tickets"] == 0  # INC3 resolved on 2026-07-02
    assert totals == {"devices": 2, "out_of_warranty": 1, "open_tickets": 1, "installed_titles": 3}


def test_scope_and_the_list_limit(estate, monkeypatch):
    # Pat's devices are in Finance: an HR-scoped technician finds nothing of them
    assert lookup.search(estate, "lar", {"department": ["HR"]}).empty
    items, totals = lookup.equipment(estate, "person", "p1@x.org", A, {"department": ["HR"]})
    assert items.empty and totals["devices"] == 0
    # a long list is cut, the totals are not
    monkeypatch.setattr(lookup, "MAX_ROWS", 1)
    items, totals = lookup.equipment(estate, "person", "p1@x.org", A)
    assert list(items["asset_tag"]) == ["A1"] and totals["devices"] == 2
    with pytest.raises(ValueError, match="vendor"):
        lookup.search(estate, "lar", {"vendor": ["Dell"]})


def test_stock_to_replace(estate):
    got = lookup.stock(estate, ["laptop"])
    assert got.to_dict("records") == [
        {
            "category": "laptop",
            "manufacturer": "Dell",
            "model": "Latitude",
            "location": "London",
            "in_stock": 1,
            "first_asset_tags": "A5",
        },
        {
            "category": "laptop",
            "manufacturer": "Dell",
            "model": "Latitude",
            "location": "Rotterdam",
            "in_stock": 1,
            "first_asset_tags": "A4",
        },
    ]
    assert lookup.stock(estate, ["laptop"], {"location": ["London"]})[
        "first_asset_tags"
    ].tolist() == ["A5"]
    assert lookup.stock(estate, ["phone"]).empty
    assert lookup.stock(estate, []).empty
