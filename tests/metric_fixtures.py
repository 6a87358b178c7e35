"""Tiny estates for the hand-computed metric tests (issue #3, item 4).

Rows are plain dicts; `load` fills the defaults the importer would (data-package.md:
blank text is null, text is trimmed, booleans and enumerations take their
defaults, expected_life_years by category) and writes them with
`store.write_tables`. Dates may be given as ISO text or `datetime.date`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd
import pytest
from sqlalchemy import Engine

from dashboard import database, schema, store
from metrics import api

# The as-of date most cases use: a Tuesday at the end of June 2026.
A = dt.date(2026, 6, 30)


def day(offset: int, base: dt.date = A) -> str:
    """ISO date `offset` days from `base` (A - 30 is `day(-30)`)."""
    return (base + dt.timedelta(days=offset)).isoformat()


def at(offset: int, hhmm: str = "12:00", base: dt.date = A) -> str:
    """ISO datetime `offset` days from `base` at `hhmm` (tickets' opened/resolved)."""
    return f"{day(offset, base)} {hhmm}"


# ------------------------------------------------------------------ builders


def person(person_id: str, **kw) -> dict:
    return {"person_id": person_id, **kw}


def asset(tag: str, category: str = "laptop", status: str = "deployed", **kw) -> dict:
    return {"asset_tag": tag, "category": category, "status": status, **kw}


def title(title_id: str, publisher: str = "Pub", **kw) -> dict:
    return {
        "title_id": title_id,
        "title": kw.pop("name", f"Title {title_id}"),
        "publisher": publisher,
        **kw,
    }


def entitlement(eid: str, title_id: str, quantity: int, **kw) -> dict:
    return {"entitlement_id": eid, "title_id": title_id, "quantity": quantity, **kw}


def install(title_id: str, asset_tag: str | None = None, hostname: str | None = None, **kw) -> dict:
    return {"title_id": title_id, "asset_tag": asset_tag, "hostname": hostname, **kw}


def event(
    eid: str,
    event_date: str,
    kind: str = "issued_from_pool",
    quantity: int = 1,
    title_id: str = "T1",
    **kw,
) -> dict:
    return {
        "event_id": eid,
        "event_date": event_date,
        "title_id": title_id,
        "kind": kind,
        "quantity": quantity,
        **kw,
    }


def contract(
    cid: str,
    annual_value: float,
    kind: str = "software",
    start_date: str = "2026-01-01",
    end_date: str = "2026-12-31",
    vendor: str = "V",
    **kw,
) -> dict:
    return {
        "contract_id": cid,
        "vendor": vendor,
        "kind": kind,
        "start_date": start_date,
        "end_date": end_date,
        "annual_value": annual_value,
        **kw,
    }


def cloud(month: str, cost: float, provider: str = "AWS", **kw) -> dict:
    return {"month": month, "provider": provider, "cost": cost, **kw}


def ticket(tid: str, kind: str, opened: str, **kw) -> dict:
    return {"ticket_id": tid, "kind": kind, "opened": opened, **kw}


def seen(
    seen_date: str,
    serial: str | None = None,
    hostname: str | None = None,
    source: str = "intune",
    **kw,
) -> dict:
    """A discovery row."""
    return {"source": source, "seen_date": seen_date, "serial": serial, "hostname": hostname, **kw}


def audit(
    audit_date: str, asset_tag: str, record_accurate: bool = True, method: str = "it_led"
) -> dict:
    return {
        "audit_date": audit_date,
        "asset_tag": asset_tag,
        "method": method,
        "record_accurate": record_accurate,
    }


def vendor_audit(aid: str, start_date: str, vendor: str = "V", **kw) -> dict:
    return {"audit_id": aid, "vendor": vendor, "start_date": start_date, **kw}


def incident(iid: str, incident_date: str, **kw) -> dict:
    return {"incident_id": iid, "incident_date": incident_date, **kw}


def roadmap(item_id: str, status: str, **kw) -> dict:
    return {
        "item_id": item_id,
        "initiative": "I",
        "task": f"task {item_id}",
        "status": status,
        **kw,
    }


def integration(name: str, connected: bool, **kw) -> dict:
    return {"name": name, "connected": connected, **kw}


def budget(year: int, spend_type: str, amount: float, **kw) -> dict:
    return {"year": year, "spend_type": spend_type, "amount": amount, **kw}


# ------------------------------------------------------------------- loading


def _cell(col: schema.Column, value):
    """A value as the importer would leave it: trimmed text, blanks null, dates ISO."""
    if isinstance(value, str):
        value = value.strip()
        if value == "":
            return None
    if value is None:
        return col.default
    if col.kind in (schema.DATE, schema.MONTH, schema.DATETIME) and not isinstance(value, str):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    return value


def frame(name: str, rows: Iterable[Mapping]) -> pd.DataFrame:
    """The rows of package table `name` with every column, defaults filled."""
    table = schema.table(name)
    out = []
    for row in rows:
        unknown = set(row) - set(table.names)
        if unknown:
            raise KeyError(f"{name} has no column(s) {sorted(unknown)}")
        rec = {c.name: _cell(c, row.get(c.name)) for c in table.columns}
        if name == "assets" and rec["expected_life_years"] is None:
            rec["expected_life_years"] = float(schema.EXPECTED_LIFE_YEARS[rec["category"]])
        out.append(rec)
    return pd.DataFrame(out, columns=list(table.names), dtype=object)


def load(engine: Engine, **tables: Iterable[Mapping]) -> None:
    """Write the given tables (keyword = table name, value = row dicts)."""
    frames = {name: frame(name, rows) for name, rows in tables.items() if rows}
    if frames:
        store.write_tables(engine, frames)


# -------------------------------------------------------------- test tables


@dataclass
class Case:
    """A tiny estate, an as-of date and the hand-computed headline values.

    `expected` maps metric id -> value (None = no data). `filters` applies to
    every metric of the case. `xfail` names an engine/spec discrepancy.
    """

    id: str
    tables: dict[str, list[dict]]
    expected: dict[str, float | None]
    as_of: dt.date = A
    filters: dict[str, list[str]] | None = None
    xfail: str | None = None


@dataclass
class Breakdown:
    """A metric broken down by one dimension: hand-computed members."""

    id: str
    tables: dict[str, list[dict]]
    metric: str
    by: str
    expected: dict[str, float | None]
    as_of: dt.date = A
    filters: dict[str, list[str]] | None = None
    xfail: str | None = None


def params(cases: Iterable[Case | Breakdown]) -> list:
    """pytest params, one per case, strict xfail where a discrepancy is known."""
    out = []
    for case in cases:
        marks = [pytest.mark.xfail(strict=True, reason=case.xfail)] if case.xfail else []
        out.append(pytest.param(case, id=case.id, marks=marks))
    return out


def close(expected: Mapping[str, float | None]) -> dict:
    """Expected values for a whole-dict `==`: floats approximately, None exactly."""
    return {
        k: None if v is None else pytest.approx(v, rel=1e-9, abs=1e-9) for k, v in expected.items()
    }


# One in-memory database for the session, emptied before each test: creating
# a DuckDB file with every table costs ~1 s on a busy machine, emptying the
# tables a few milliseconds, and memory spares every write its fsync.
MEMORY_URL = "duckdb:///:memory:"


@pytest.fixture(scope="session", name="metrics_db")
def metrics_db_fixture():
    yield database.get_engine(MEMORY_URL)
    database.dispose(MEMORY_URL)


@pytest.fixture(name="db")
def db_fixture(metrics_db: Engine) -> Engine:
    """An engine whose package tables are empty: one tiny estate per test.

    Test modules import `db_fixture` and `metrics_db_fixture` and ask for `db`.
    """
    cur = database.raw_cursor(metrics_db)
    try:
        for table in schema.TABLES:
            cur.execute(f'DELETE FROM "{table.name}"')
    finally:
        cur.close()
    # An (empty) write through the store marks the data as changed, so that
    # anything the engine derives from the tables is rebuilt.
    store.write_tables(metrics_db, {})
    return metrics_db


def check_case(engine: Engine, case: Case) -> None:
    load(engine, **case.tables)
    got = api.compute(engine, case.as_of, list(case.expected), case.filters)
    assert got == close(case.expected)


def check_breakdown(engine: Engine, case: Breakdown) -> None:
    load(engine, **case.tables)
    got = api.breakdown(engine, case.metric, case.by, case.as_of, case.filters)
    assert got == close(case.expected)
    if api.METRICS[case.metric].is_additive and case.filters is None:
        # Additive: the members (incl. "(none)") add up to the headline.
        head = api.compute(engine, case.as_of, [case.metric])[case.metric]
        assert sum(v or 0.0 for v in got.values()) == pytest.approx(head, rel=1e-9, abs=1e-9)
