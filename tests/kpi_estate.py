"""A tiny estate whose nine default KPIs are worked out by hand (as of 2026-06-30).

Shared by tests/test_kpis.py and tests/test_history.py. The numbers:

- top10_contract_spend: K1 (software, Acme, IT, 1000, 2024-01-01..2027-12-31),
  K2 (saas, Beta, HR, 200, from 2025-07-01), K3 (software, Gamma, IT, 300,
  ended 2025-12-31). As of A: K1 + K2 = 1200; as of A - 365 = 2025-06-30:
  K1 + K3 = 1300. change = -100 / 1300 = -7.69% against change_at_most -10
  with tolerance 5: amber. Department IT: 1000 against 1300, -23.08%: green.
- pool_cost_avoidance_30d: 2 x 50 on 2026-06-15 = 100; a year before,
  1 x 80 on 2025-06-10 = 80. change +25% against change_at_least 30 - 5:
  amber, exactly on the edge.
- spend_vs_budget_pct: hardware bought in 2026: 9050 (L1); budget 2026
  36500 x 181 / 365 = 18100; 50%: green against at_most 100.
- security_incidents_undiscovered_12m: one (2026-01-10): red against equals 0.
- deployed_not_discovered_30d_pct: four deployed laptops, L4 never seen:
  25%: red against at_most 1 (amber up to 3).
- disposed_without_certificate: D1 is disposed with a certificate: 0, green.
- csat_avg_90d: resolved in (2026-04-01, 2026-06-30]: csat 4 and 5 = 4.5;
  a year before, 5 and 4 = 4.5; change 0 against change_at_least 0: green.
- standard_devices_pct: active end-user devices L1..L5, L3 not standard:
  80%: red against at_least 97.
- requests_beyond_target_pct_90d: no request tickets: no data, grey.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard import store

AS_OF = dt.date(2026, 6, 30)
BASELINE = dt.date(2025, 6, 30)

EXPECTED = {
    "top10_contract_spend": (1200.0, 1300.0, "amber"),
    "pool_cost_avoidance_30d": (100.0, 80.0, "amber"),
    "spend_vs_budget_pct": (50.0, None, "green"),
    "security_incidents_undiscovered_12m": (1.0, None, "red"),
    "deployed_not_discovered_30d_pct": (25.0, None, "red"),
    "disposed_without_certificate": (0.0, None, "green"),
    "csat_avg_90d": (4.5, 4.5, "green"),
    "standard_devices_pct": (80.0, None, "red"),
    "requests_beyond_target_pct_90d": (None, None, "grey"),
    # Issue 15: spend 9050 against the budget to date 18100: -50 %, outside ±5 (+2): red.
    "budget_variance_pct_ytd": (-50.0, None, "red"),
}

D = dt.date


def _laptop(
    tag, status="deployed", dept="IT", purchase=D(2023, 1, 15), cost=1000.0, standard=True, **kw
):
    return dict(
        asset_tag=tag,
        category="laptop",
        status=status,
        serial=f"S-{tag}",
        hostname=f"h-{tag}".lower(),
        manufacturer="Dell",
        model="Latitude",
        ownership="owned",
        department=dept,
        cost_center=f"CC-{dept}",
        location="Site 1",
        purchase_date=purchase,
        purchase_cost=cost,
        meets_standard=standard,
        **kw,
    )


def frames() -> dict[str, pd.DataFrame]:
    assets = [
        _laptop("L1", purchase=D(2026, 3, 1), cost=9050.0),
        _laptop("L2", dept="HR"),
        _laptop("L3", standard=False),
        _laptop("L4", dept="HR"),
        _laptop("L5", status="in_stock"),
        _laptop("D1", status="disposed", disposal_certificate="CERT-1", retired_date=D(2024, 5, 1)),
    ]
    discovery = [
        dict(source="sccm", seen_date=D(2026, 6, 20), serial=f"S-{t}", hostname=f"h-{t}".lower())
        for t in ("L1", "L2", "L3")
    ]
    contracts = [
        dict(
            contract_id="K1",
            vendor="Acme",
            kind="software",
            start_date=D(2024, 1, 1),
            end_date=D(2027, 12, 31),
            annual_value=1000.0,
            department="IT",
            cost_center="CC-IT",
        ),
        dict(
            contract_id="K2",
            vendor="Beta",
            kind="saas",
            start_date=D(2025, 7, 1),
            end_date=D(2026, 12, 31),
            annual_value=200.0,
            department="HR",
            cost_center="CC-HR",
        ),
        dict(
            contract_id="K3",
            vendor="Gamma",
            kind="software",
            start_date=D(2024, 1, 1),
            end_date=D(2025, 12, 31),
            annual_value=300.0,
            department="IT",
            cost_center="CC-IT",
        ),
    ]
    software = [dict(title_id="T1", title="Office", publisher="Acme", license_metric="device")]
    events = [
        dict(
            event_id="E1",
            event_date=D(2026, 6, 15),
            title_id="T1",
            kind="issued_from_pool",
            quantity=2,
            unit_value=50.0,
        ),
        dict(
            event_id="E2",
            event_date=D(2025, 6, 10),
            title_id="T1",
            kind="issued_from_pool",
            quantity=1,
            unit_value=80.0,
        ),
    ]
    tickets = [
        _ticket("R1", dt.datetime(2026, 5, 1, 9), dt.datetime(2026, 5, 2, 9), 4),
        _ticket("R2", dt.datetime(2026, 6, 1, 9), dt.datetime(2026, 6, 2, 9), 5),
        _ticket("R3", dt.datetime(2025, 5, 1, 9), dt.datetime(2025, 5, 2, 9), 5),
        _ticket("R4", dt.datetime(2025, 5, 30, 9), dt.datetime(2025, 6, 1, 9), 4),
    ]
    incidents = [
        dict(
            incident_id="S1",
            incident_date=D(2026, 1, 10),
            hostname="rogue-1",
            involved_undiscovered_asset=True,
        )
    ]
    budget = [dict(year=2026, spend_type="hardware", amount=36500.0)]
    return {
        "assets": pd.DataFrame(assets),
        "discovery": pd.DataFrame(discovery),
        "contracts": pd.DataFrame(contracts),
        "software": pd.DataFrame(software),
        "license_events": pd.DataFrame(events),
        "tickets": pd.DataFrame(tickets),
        "security_incidents": pd.DataFrame(incidents),
        "budget": pd.DataFrame(budget),
    }


def _ticket(tid, opened, resolved, csat):
    return dict(
        ticket_id=tid, kind="incident", opened=opened, resolved=resolved, asset_tag="L2", csat=csat
    )


def load(engine, when: dt.datetime | None = None) -> None:
    """Write the estate and mark the data changed (at `when`, default a fixed past time)."""
    store.write_tables(engine, frames())
    store.mark_data_changed(engine, when or dt.datetime(2026, 1, 1, 12, 0, 0))
