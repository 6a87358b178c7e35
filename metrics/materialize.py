"""Derived fact tables: the work that does not depend on the as-of date, done once.

Resolving an asset's dimensions through its person, matching discovery rows
and installs to assets, and giving tickets their dimensions depend only on the
data, not on A. They are computed into `derived_*` tables when the data
changes, so that every metric query is a scan of ready facts with A's
windows applied (a million assets: seconds once, then milliseconds per query).

Freshness: the tables are rebuilt whenever the source tables' fingerprint
(row counts and the data version that every bulk write bumps) differs from
the one they were built from.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time

from sqlalchemy import Engine, text

from metrics import fx
from metrics.dimensions import names
from metrics.store.schema import (
    ACTIVE_STATUSES,
    END_USER_CATEGORIES,
    EXPECTED_LIFE_YEARS,
    NOT_IN_USE_STATUSES,
    table,
)

SOURCES = (
    "people",
    "assets",
    "software",
    "entitlements",
    "installs",
    "discovery",
    "tickets",
    "audits",
)
_lock = threading.Lock()


def _in(values) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


_LIFE = (
    "coalesce(a.expected_life_years, CASE a.category "
    + " ".join(f"WHEN '{k}' THEN {v}" for k, v in EXPECTED_LIFE_YEARS.items())
    + " END)"
)
# An asset's department, cost center and location (the registry's `from_person`
# dimensions) are its own where set, else those of the person it is assigned to.
_OWN = names(from_person=True)
_ASSET_COLS = ", ".join(f'a."{c}"' for c in table("assets").names if c not in _OWN)
# (unquoted, as written by hand before: the same SQL text, so no derived table is rebuilt)
_FROM_PERSON = "".join(f"\n  coalesce(a.{c}, p.{c}) AS {c}," for c in _OWN)

# refresh_date: purchase_date plus round(life x 12) months (halves away from zero),
# the day clamped.
ASSET_FACTS = f"""
SELECT {_ASSET_COLS},
  row_number() OVER (ORDER BY a.asset_tag) AS asset_no,
  a.status IN {_in(ACTIVE_STATUSES)} AS is_active,
  a.category IN {_in(END_USER_CATEGORIES)} AS is_end_user,
  a.department AS own_department,
  a.manufacturer AS vendor,
  a.model AS product,{_FROM_PERSON}
  p.name AS person_name,
  p.active AS person_active,
  CAST(a.purchase_date + CAST(floor({_LIFE} * 12 + 0.5) AS INTEGER) * INTERVAL '1 month' AS DATE)
    AS refresh_date
FROM assets a
LEFT JOIN people p ON p.person_id = a.assigned_to
"""

# Each discovery row matched to assets: by serial when its serial equals some
# asset's serial (case-insensitively), otherwise by hostname.
DISCOVERY_MATCHES = """
WITH d AS (
  SELECT row_key, source, seen_date, lower("user") AS user_lc,
         lower(serial) AS s, lower(hostname) AS h
  FROM discovery
),
by_serial AS (SELECT asset_tag, lower(serial) AS s FROM assets WHERE serial IS NOT NULL),
by_host AS (SELECT asset_tag, lower(hostname) AS h FROM assets WHERE hostname IS NOT NULL)
SELECT x.*, a.asset_no, a.status AS asset_status,
  x.user_lc IS NOT NULL AND a.assigned_to IS NOT NULL AND x.user_lc <> lower(a.assigned_to)
    AS user_differs
FROM (
  SELECT k.asset_tag, d.row_key, d.source, d.seen_date, d.user_lc
  FROM d JOIN by_serial k ON k.s = d.s
  UNION ALL
  SELECT k.asset_tag, d.row_key, d.source, d.seen_date, d.user_lc
  FROM d JOIN by_host k ON k.h = d.h
  WHERE d.s IS NULL OR d.s NOT IN (SELECT s FROM by_serial)
) x
JOIN derived_asset_facts a ON a.asset_tag = x.asset_tag
"""

DISCOVERY_UNMATCHED = """
SELECT d.source, d.seen_date, d.hostname, d.serial, d."user", d.os, d.os_version,
  coalesce(lower(d.serial), lower(d.hostname)) AS device
FROM discovery d
WHERE (d.serial IS NULL
       OR lower(d.serial) NOT IN (SELECT lower(serial) FROM assets WHERE serial IS NOT NULL))
  AND (d.hostname IS NULL
       OR lower(d.hostname) NOT IN (SELECT lower(hostname) FROM assets WHERE hostname IS NOT NULL))
"""

# Unit costs in the organisation's currency, each at its purchase month's rate (metrics/fx.py).
UNIT_PRICE = f"""
SELECT title_id,
  coalesce(sum(quantity * unit_cost)
           / nullif(sum(CASE WHEN unit_cost IS NOT NULL THEN quantity END), 0), 0) AS unit_price
FROM (
  SELECT e.title_id, e.quantity, e.unit_cost * {fx.rate("e")} AS unit_cost
  FROM entitlements e
  {fx.joins("e", fx.month_of("e.purchase_date"))}
) e GROUP BY title_id
"""

# Install rows that can count in demand: not on an asset out of use. An install
# belongs to the asset with its asset_tag, failing that to the asset with its
# hostname (the first by asset_tag if several share it).
INSTALL_FACTS = f"""
WITH hk AS (
  SELECT lower(hostname) AS h, min(asset_tag) AS asset_tag FROM assets
  WHERE hostname IS NOT NULL GROUP BY lower(hostname)
),
d AS (
  SELECT i.title_id, i.asset_tag, i.hostname, i.discovered_date, i.last_used_date,
    m.asset_tag AS matched_asset, m.status AS asset_status, m.assigned_to,
    coalesce(m.asset_tag, lower(i.hostname), i.asset_tag) AS device_key
  FROM installs i
  LEFT JOIN assets a1 ON a1.asset_tag = i.asset_tag
  LEFT JOIN hk ON a1.asset_tag IS NULL AND hk.h = lower(i.hostname)
  LEFT JOIN assets m ON m.asset_tag = coalesce(a1.asset_tag, hk.asset_tag)
  WHERE m.asset_tag IS NULL OR m.status NOT IN {_in(NOT_IN_USE_STATUSES)}
)
SELECT d.*, s.publisher AS vendor, s.title AS product, s.title,
  coalesce(u.unit_price, 0) AS unit_price,
  CASE WHEN s.license_metric = 'user' THEN coalesce(d.assigned_to, 'device:' || d.device_key)
       ELSE d.device_key END AS demand_key
FROM d
LEFT JOIN software s ON s.title_id = d.title_id
LEFT JOIN derived_unit_price u ON u.title_id = d.title_id
"""

# Demand keys per title with the first date they were discovered: a key counts
# as of A when one of its installs is undated or dated on or before A.
INSTALL_KEYS = """
SELECT title_id, demand_key, min(discovered_date) AS first_discovered,
  bool_or(discovered_date IS NULL) AS any_undated
FROM derived_install_facts GROUP BY title_id, demand_key
"""

# A ticket takes its dimensions from its asset when it links to one, else
# vendor and product from its title and the rest from its requester.
TICKET_FACTS = """
SELECT t.*,
  CAST(t.opened AS DATE) AS opened_date,
  CAST(t.resolved AS DATE) AS resolved_date,
  a.asset_tag IS NOT NULL AS links_asset,
  s.title_id IS NOT NULL AS links_title,
  a.category AS asset_category,
  CASE WHEN a.asset_tag IS NOT NULL THEN a.vendor ELSE s.publisher END AS vendor,
  CASE WHEN a.asset_tag IS NOT NULL THEN a.product ELSE s.title END AS product,
  CASE WHEN a.asset_tag IS NOT NULL THEN a.department ELSE p.department END AS department,
  CASE WHEN a.asset_tag IS NOT NULL THEN a.cost_center ELSE p.cost_center END AS cost_center,
  CASE WHEN a.asset_tag IS NOT NULL THEN a.location ELSE p.location END AS location,
  a.category AS category,
  s.title
FROM tickets t
LEFT JOIN derived_asset_facts a ON a.asset_tag = t.asset_tag
LEFT JOIN software s ON s.title_id = t.title_id
LEFT JOIN people p ON p.person_id = t.requester
"""

AUDIT_FACTS = """
SELECT au.audit_date, au.asset_tag, au.method, au.record_accurate,
  a.vendor, a.department, a.cost_center, a.location, a.product, a.category
FROM audits au LEFT JOIN derived_asset_facts a ON a.asset_tag = au.asset_tag
"""

# People with two or more deployed computers (assigned_to values, known or not).
MULTI_COMPUTER = """
SELECT c.assigned_to AS person_id, p.name, c.computers,
  p.department, p.cost_center, p.location
FROM (SELECT assigned_to, count(*) AS computers FROM assets
      WHERE status = 'deployed' AND category IN ('laptop', 'desktop', 'tablet')
        AND assigned_to IS NOT NULL
      GROUP BY assigned_to HAVING count(*) >= 2) c
LEFT JOIN people p ON p.person_id = c.assigned_to
"""

# In build order (later ones read earlier ones).
DERIVED: dict[str, str] = {
    "derived_asset_facts": ASSET_FACTS,
    "derived_discovery_matches": DISCOVERY_MATCHES,
    "derived_discovery_unmatched": DISCOVERY_UNMATCHED,
    "derived_unit_price": UNIT_PRICE,
    "derived_install_facts": INSTALL_FACTS,
    "derived_install_keys": INSTALL_KEYS,
    "derived_ticket_facts": TICKET_FACTS,
    "derived_audit_facts": AUDIT_FACTS,
    "derived_multi_computer": MULTI_COMPUTER,
}


# Setting holding the exclusions every metric honours (the strategy's scope switch).
EXCLUSIONS_KEY = "metric_exclusions"

_KEYS = ("data_version", EXCLUSIONS_KEY, "derived_fingerprint")
_SETTINGS = text(
    "SELECT key, value FROM app_settings WHERE key IN ('data_version', "
    f"'{EXCLUSIONS_KEY}', 'derived_fingerprint')"
)


def _row(conn) -> tuple:
    """Source row counts, then data version, exclusions and the built fingerprint.

    One small query per table: a bare count(*) is answered from table metadata,
    which a single statement of scalar subqueries does not get (35 ms against 4).
    """
    counts = [conn.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one() for name in SOURCES]
    settings = dict(conn.execute(_SETTINGS).all())
    return (*counts, *(settings.get(k) for k in _KEYS))


def _state(conn, row=None) -> tuple[str, str | None]:
    """(the sources' fingerprint now, the one the derived tables were built from).

    It includes a digest of the derived tables' SQL, so a new release rebuilds them.
    """
    row = row if row is not None else _row(conn)
    return _DEFINITIONS + ":" + ",".join(str(v) for v in row[:-2]), row[-1]


_DEFINITIONS = hashlib.sha256("\n".join(DERIVED.values()).encode()).hexdigest()[:12]


def fingerprint(conn) -> str:
    """Row counts of the sources and the data version bulk writes bump."""
    return _state(conn)[0]


def refresh(engine: Engine) -> None:
    """Rebuild every derived table from the current data, in one transaction."""
    with _lock, engine.begin() as conn:
        _rebuild(conn)
    invalidate()


# Below this many source rows the derived objects are views: building tables
# would cost more than it saves (tests, a first small import).
SMALL = 5_000


def _existing(conn) -> dict[str, str]:
    rows = conn.execute(
        text(
            "SELECT table_name, table_type FROM information_schema.tables "
            "WHERE table_name LIKE 'derived_%' AND table_schema = current_schema()"
        )
    ).all()
    return {name: kind for name, kind in rows}


def _rebuild(conn) -> None:
    now, _built = _state(conn)
    rows = sum(int(v) for v in now.split(":", 1)[1].split(",")[: len(SOURCES)])
    kind = "VIEW" if rows < SMALL else "TABLE"
    existing = _existing(conn)
    for name in reversed(list(DERIVED)):  # dependants first
        if name in existing:
            dropped = "VIEW" if existing[name] == "VIEW" else "TABLE"
            conn.execute(text(f"DROP {dropped} {name}"))
    for name, sql in DERIVED.items():
        conn.execute(text(f"CREATE {kind} {name} AS {sql}"))
    conn.execute(text("DELETE FROM app_settings WHERE key = 'derived_fingerprint'"))
    conn.execute(
        text("INSERT INTO app_settings (key, value) VALUES ('derived_fingerprint', :v)"),
        {"v": now},
    )


# The last check per engine: a page makes dozens of metric calls in a second, and
# every write in this process goes through dashboard.store, which calls invalidate().
RECHECK_SECONDS = 2.0
_checked: dict[int, tuple[float, dict[str, list[str]] | None]] = {}


def invalidate() -> None:
    """Forget the last freshness checks (the data or the settings just changed)."""
    _checked.clear()


def ensure_fresh(engine: Engine) -> dict[str, list[str]] | None:
    """Rebuild the derived tables when the data changed since they were built.

    Returns the exclusions every metric honours (None when there are none),
    read in the same round trip.
    """
    last = _checked.get(id(engine))
    if last is not None and time.monotonic() - last[0] < RECHECK_SECONDS:
        return last[1]
    exclusions = _ensure_fresh(engine)
    _checked[id(engine)] = (time.monotonic(), exclusions)
    return exclusions


def _ensure_fresh(engine: Engine) -> dict[str, list[str]] | None:
    with engine.connect() as conn:
        row = _row(conn)
    exclusions = json.loads(row[-2]) if row[-2] else None
    now, built = _state(None, row)
    if now == built:
        return exclusions or None
    with _lock, engine.begin() as conn:
        now, built = _state(conn)
        if now != built:  # another thread may have rebuilt them meanwhile
            _rebuild(conn)
    return exclusions or None
