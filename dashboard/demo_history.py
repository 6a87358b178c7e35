"""The demo estate's past (issue 12, item 6): discovery scans over two years and recorded
snapshots of the state metrics month by month, telling one story.

The story: over the two years before the as-of date the estate grew about 7 % a
year, discovery coverage rose from about seven devices in eight seen each month to
nearly all, and the ITAM team worked down its backlog (unpatched devices, disposals
without certificate, leavers' devices, licence shortfalls fell by about a quarter a
year; standard devices and ELP currency rose). Discovery-based metrics are not
scaled: their past is computed from the scans themselves, so the records and the
data agree. Everything is deterministic for a seed.

Estates above DEMO_PAST_MAX_ASSETS (the benchmark's million assets) get neither:
24 monthly scans per device would triple the discovery table and the build time.
"""

from __future__ import annotations

import datetime as dt
import math
import zlib

import numpy as np
import pandas as pd
from sqlalchemy import Engine, text

from dashboard import history
from metrics.catalog import METRICS

DEMO_PAST_MAX_ASSETS = 100_000
MONTHS = 24
# Share of devices a month's scans see, months before the as-of date (the newest
# month is what the build's own discovery rows say).
COVERAGE_NOW, COVERAGE_TWO_YEARS_AGO = 0.97, 0.88
SCAN_EVERY_DAYS, SCANS_PER_MONTH = 14, 2
# Metrics whose past the data itself knows once scans go back two years (discovery) or
# that age with the as-of date: recorded as computed for each month end.
COMPUTED = frozenset(
    {
        "owned_not_discovered_60d",
        "deployed_not_discovered_30d_pct",
        "discovery_discrepancies",
        "user_mismatches",
        "discovered_not_in_itam",
        "device_age_years_avg",
        "breakage_rate_12m",
    }
)

# metric -> (kind, yearly rate). grow: the estate was smaller (value x (1 - rate t));
# backlog: a count the team worked down (value x (1 + rate t)); points: a percentage
# that rose (value - rate t, within 0..100). t = years before the as-of date.
STORY: dict[str, tuple[str, float]] = {
    "active_devices": ("grow", 0.07),
    "owned_devices": ("grow", 0.07),
    "itam_records": ("grow", 0.07),
    "capital_assets": ("grow", 0.07),
    "installs": ("grow", 0.08),
    "titles_managed": ("grow", 0.05),
    "vendors_managed": ("grow", 0.04),
    "users_with_multiple_computers": ("grow", 0.05),
    "in_stock": ("grow", 0.05),
    "refresh_due_12m": ("grow", 0.06),
    "refresh_forecast_12m": ("grow", 0.06),
    "unpatched_devices": ("backlog", 0.30),
    "disposed_without_certificate": ("backlog", 0.35),
    "devices_assigned_to_leavers": ("backlog", 0.40),
    "titles_under_licensed": ("backlog", 0.25),
    "license_shortfall_units": ("backlog", 0.30),
    "license_shortfall_exposure": ("backlog", 0.30),
    "license_surplus_units": ("backlog", 0.15),
    "nonstandard_devices": ("backlog", 0.20),
    "out_of_warranty_devices": ("backlog", 0.15),
    "unused_installs_90d": ("backlog", 0.20),
    "unused_install_value_90d": ("backlog", 0.20),
    "lost_stolen_12m": ("backlog", 0.10),
    "standard_devices_pct": ("points", 4.0),
    "elp_current_pct": ("points", 9.0),
    "integrations_connected": ("grow", 0.15),
    "roadmap_in_progress": ("grow", 0.10),
    "os_versions_in_use": ("backlog", 0.10),
}


# ----------------------------------------------------------------- discovery scans


def past_scans(est, frame: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """The build's discovery rows plus a scan of each seen device every two weeks over the
    MONTHS months before its newest rows (from its deployment on; a device on no record
    from the day it joined the network), seen more often lately: the newest row of the
    device again with an older seen_date."""
    if est.n_assets > DEMO_PAST_MAX_ASSETS:
        return frame
    dev, seen_off = est.discovery_seen
    if len(dev) == 0:
        return frame
    first = np.r_[True, dev[1:] != dev[:-1]]  # each device's rows are together, newest first
    rows = np.flatnonzero(first)
    newest_gap = np.maximum.reduceat(seen_off, rows)  # the device's oldest current row
    since = _in_service_since(est)[dev[rows]]
    # devices on no record (after the known ones): their scanner row, on the network since
    # a day of the last two years
    unknown = len(dev) + np.flatnonzero(
        frame["source"].iloc[len(dev) :].to_numpy() == "vuln_scanner"
    )
    rows = np.r_[rows, unknown]
    newest_gap = np.r_[newest_gap, np.full(len(unknown), 30)]
    arrived = rng.integers(0, 30 * MONTHS, len(unknown)).astype("timedelta64[D]")
    since = np.r_[since, est.A - arrived]
    n = SCANS_PER_MONTH * MONTHS
    j = np.tile(np.arange(1, n + 1), len(rows))
    which = np.repeat(np.arange(len(rows)), n)
    off = SCAN_EVERY_DAYS * j + rng.integers(0, 4, len(j))
    months_back = off / 30.0
    monthly = COVERAGE_NOW - (COVERAGE_NOW - COVERAGE_TWO_YEARS_AGO) * months_back / MONTHS
    # two scans a month: a device is seen in a month when either scan sees it
    coverage = 1 - np.sqrt(1 - monthly)
    day = est.A - off.astype("timedelta64[D]")
    keep = (rng.random(len(j)) < coverage) & (off > newest_gap[which] + 7) & (day >= since[which])
    past = frame.iloc[rows[which[keep]]].copy()
    past["seen_date"] = pd.Series(day[keep], index=past.index).astype(frame["seen_date"].dtype)
    return pd.concat([frame, past], ignore_index=True)


def _in_service_since(est) -> np.ndarray:
    """Each asset's deployment date (else purchase date, else long ago) as datetime64[D]."""
    assets = est.frames["assets"]
    since = pd.to_datetime(assets["deployed_date"]).fillna(pd.to_datetime(assets["purchase_date"]))
    return since.fillna(pd.Timestamp("1990-01-01")).to_numpy().astype("datetime64[D]")


# ----------------------------------------------------------------- recorded snapshots


def record_past(engine: Engine, as_of: dt.date, seed: int = 7, progress=None) -> int:
    """Record the state metrics at each of the MONTHS month ends before as_of's month,
    as snapshots taken at the time (the evening of each day); rows written."""
    with engine.connect() as conn:
        assets = conn.execute(text("SELECT count(*) FROM assets")).scalar_one()
    if assets > DEMO_PAST_MAX_ASSETS:
        return 0
    state = [m for m in _catalog() if history.time_basis(m) == "state"]
    computed = [m for m in state if m in COMPUTED]
    told = [m for m in state if m not in COMPUTED]
    days = history.backfill_dates(as_of, MONTHS)[:-1]
    if progress:
        progress(f"recording the demo's past: {len(days)} month ends of {len(state)} state metrics")
    # the story's metrics start from today's values; the others are computed for each day
    now = history.snapshots_on_days(engine, [as_of], told)
    past = history.snapshots_on_days(engine, days, computed)
    rows = pd.concat(
        [past] + [_told(now.assign(as_of=day), as_of, day, seed) for day in days],
        ignore_index=True,
    )
    rows["taken_at"] = [dt.datetime.combine(d, dt.time(23, 0)) for d in rows["as_of"]]
    history.write_rows(engine, rows)
    return len(rows)


def _catalog() -> list[str]:
    return list(METRICS)


def _story(metric_id: str) -> tuple[str, float]:
    """A metric's part in the story: STORY's, else by its direction and unit."""
    if metric_id in STORY:
        return STORY[metric_id]
    m = METRICS[metric_id]
    if m.unit == "%":
        return ("points", 2.0 if m.direction == "up" else -2.0)
    return ("backlog", 0.1) if m.direction == "down" else ("grow", 0.04)


def _told(frame: pd.DataFrame, as_of: dt.date, day: dt.date, seed: int) -> pd.DataFrame:
    """One day's computed state values with the story applied (members kept consistent)."""
    t = (as_of - day).days / 365.0
    frame = frame.copy()
    story = frame["metric"].map(_story)
    kind = story.str[0]
    rate = story.str[1].astype(float)
    wobble = frame["metric"].map(
        lambda m: 1 + 0.02 * math.sin(day.toordinal() / 29.5 + zlib.crc32(m.encode()) + seed)
    )
    value = frame["value"]
    points = (value - rate * t * wobble).clip(0.0, 100.0).round(2)
    factor = np.where(kind == "grow", 1 - rate * t, 1 + rate * t) * wobble
    scaled = value * factor
    money = frame["metric"].str.endswith(("exposure", "value_90d", "forecast_12m"))
    whole = _whole(scaled, frame)
    frame["value"] = np.select(
        [kind == "keep", kind == "points", money], [value, points, scaled.round(2)], whole
    )
    frame.loc[value.isna(), "value"] = np.nan
    return frame


def _whole(scaled: pd.Series, frame: pd.DataFrame) -> pd.Series:
    """Scaled counts made whole so that the members of each (metric, dim) still add up to
    the rounded total (largest remainder)."""
    keys = [frame["metric"], frame["dim"]]
    known = scaled.fillna(0.0)
    floor = np.floor(known)
    target = known.groupby(keys).transform("sum").round()
    short = target - floor.groupby(keys).transform("sum")
    rank = (known - floor).groupby(keys).rank(method="first", ascending=False)
    return floor + (rank <= short).astype(float)
