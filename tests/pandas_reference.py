"""An independent pandas implementation of the 66 metrics of metrics.md.

Written from the specification (and docs/decisions.md where it leaves room),
the way an analyst would in a notebook: load each table into a DataFrame once,
then vectorised masks, merges and groupbys. It never reads the SQL engine in
`metrics/`, so it serves two purposes:

- a cross-check of that engine (tests/test_pandas_reference.py), and
- the comparison in the benchmark (tests/bench_metrics.py).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from dashboard import schema
from dashboard.database import raw_cursor

ACTIVE = list(schema.ACTIVE_STATUSES)
NOT_IN_USE = list(schema.NOT_IN_USE_STATUSES)
END_USER = list(schema.END_USER_CATEGORIES)
COMPUTERS = list(schema.COMPUTER_CATEGORIES)
DATE_KINDS = (schema.DATE, schema.MONTH, schema.DATETIME)


# ---------------------------------------------------------------- loading


def load_frames(engine: Engine) -> dict[str, pd.DataFrame]:
    """Every package table as a DataFrame, read once (SELECT * ... .df())."""
    cur = raw_cursor(engine)
    try:
        return {t.name: cur.execute(f'SELECT * FROM "{t.name}"').df() for t in schema.TABLES}
    finally:
        cur.close()


def _prepared(
    frames: dict[str, pd.DataFrame], names: tuple[str, ...] | None = None
) -> dict[str, pd.DataFrame]:
    """Typed copies: dates as datetime64, blank text as NaN, defaults filled.

    Whatever the loader gave (DuckDB dates, Python dates, text), the metric code
    below can then rely on one representation.
    """
    out = {}
    for table in schema.TABLES:
        if names is not None and table.name not in names:
            continue
        df = frames.get(table.name)
        if df is None:
            df = pd.DataFrame({c.name: pd.Series(dtype=object) for c in table.columns})
        df = df.copy(deep=False)
        for col in table.columns:
            if col.name not in df:
                df[col.name] = col.default
            s = df[col.name]
            if col.kind in DATE_KINDS:
                s = pd.to_datetime(s)
                if col.kind != schema.DATETIME:
                    s = s.dt.normalize()
            elif col.kind in (schema.TEXT, schema.ENUM) and s.dtype == object:
                # Hand-made frames: blank text is missing. (DuckDB's text comes
                # typed, blanks already null: the importer stores them so.)
                s = s.astype("str")
                s = s.where(s.str.strip() != "")
            elif col.kind in (schema.NUMBER, schema.INT):
                s = pd.to_numeric(s)
            if col.default is not None:
                s = s.where(s.notna(), col.default)
            df[col.name] = s
        out[table.name] = df
    assets = out["assets"]
    life_default = assets["category"].map(schema.EXPECTED_LIFE_YEARS)
    assets["expected_life_years"] = assets["expected_life_years"].fillna(life_default)
    return out


# ---------------------------------------------------------------- helpers


def _last(d: pd.Series, a: pd.Timestamp, days: int) -> pd.Series:
    """Dates in the last `days` days: A - N < d <= A (calendar dates)."""
    d = d.dt.normalize()
    return (d > a - pd.Timedelta(days=days)) & (d <= a)


def _next(d: pd.Series, a: pd.Timestamp, days: int) -> pd.Series:
    return (d > a) & (d <= a + pd.Timedelta(days=days))


def _key(s: pd.Series) -> pd.Series:
    """Case-insensitive, trimmed comparison key; blank -> NaN."""
    k = s.astype("string").str.strip().str.lower()
    return k.where(k != "", pd.NA)


def _truthy(s: pd.Series) -> pd.Series:
    return s.fillna(False).astype(bool)


def _mean(s: pd.Series) -> float | None:
    s = s.dropna()
    return None if s.empty else float(s.mean())


def _max(s: pd.Series) -> float | None:
    s = s.dropna()
    return None if s.empty else float(s.max())


def _pct(num: float, den: float) -> float | None:
    return None if not den else float(num) / float(den) * 100


def _sum(s: pd.Series) -> float:
    return float(s.sum()) if len(s) else 0.0


def add_months(d: pd.Series, months: pd.Series) -> pd.Series:
    """d + months, the day clamped to the end of a shorter month."""
    total = d.dt.year * 12 + (d.dt.month - 1) + months
    first = pd.to_datetime(
        pd.DataFrame({"year": total // 12, "month": total % 12 + 1, "day": 1}), errors="coerce"
    )
    day = np.minimum(d.dt.day, first.dt.days_in_month)
    return first + pd.to_timedelta(day - 1, unit="D")


def refresh_dates(assets: pd.DataFrame) -> pd.Series:
    """purchase_date + round(life x 12) months, halves away from zero (life > 0)."""
    months = np.floor(assets["expected_life_years"].astype(float) * 12 + 0.5)
    has = assets["purchase_date"].notna()
    out = pd.Series(pd.NaT, index=assets.index, dtype="datetime64[us]")
    if has.any():
        out[has] = add_months(assets.loc[has, "purchase_date"], months[has].astype(int))
    return out


# ---------------------------------------------------------------- shared pieces


class _Estate:
    """Derived columns used by several metrics, computed once per as_of."""

    def __init__(self, f: dict[str, pd.DataFrame], a: pd.Timestamp) -> None:
        self.f, self.a = f, a
        assets = f["assets"]
        self.assets = assets
        st, cat = assets["status"], assets["category"]
        self.active = st.isin(ACTIVE)
        self.in_use = ~st.isin(NOT_IN_USE)
        self.deployed = st == "deployed"
        self.eud = cat.isin(END_USER)
        self.discoverable = cat != "monitor"
        self._discovery_matches()
        self._demand()

    # -- discovery matching: serial first, else hostname; only rows seen <= A
    def _discovery_matches(self) -> None:
        a, assets = self.a, self.assets
        disc = self.f["discovery"]
        disc = disc[disc["seen_date"] <= a]
        d = pd.DataFrame(
            {
                "seen": disc["seen_date"],
                "ser": _key(disc["serial"]),
                "host": _key(disc["hostname"]),
                "user": _key(disc["user"]),
            }
        ).reset_index(drop=True)
        d["row"] = d.index
        ak = pd.DataFrame(
            {"aidx": assets.index, "ser": _key(assets["serial"]), "host": _key(assets["hostname"])}
        )
        by_serial = d.dropna(subset=["ser"]).merge(
            ak.dropna(subset=["ser"])[["aidx", "ser"]], on="ser"
        )
        rest = d[~d["row"].isin(by_serial["row"])]
        by_host = rest.dropna(subset=["host"]).merge(
            ak.dropna(subset=["host"])[["aidx", "host"]], on="host"
        )
        cols = ["row", "aidx", "seen", "user"]
        self.disc_matches = pd.concat([by_serial[cols], by_host[cols]], ignore_index=True)
        self.disc = d
        self.last_seen = self.disc_matches.groupby("aidx")["seen"].max().reindex(assets.index)

    # -- installs: asset_tag else hostname; titles are the rows of software
    def _demand(self) -> None:
        a, assets = self.a, self.assets
        sw = self.f["software"]
        ins = self.f["installs"]
        ins = ins[
            (ins["discovered_date"].isna() | (ins["discovered_date"] <= a))
            & ins["title_id"].isin(sw["title_id"])
        ]
        # The asset named by asset_tag; failing that, by hostname (first by tag).
        ins = ins[["title_id", "asset_tag", "hostname", "last_used_date"]].merge(
            assets[["asset_tag", "status", "assigned_to"]], on="asset_tag", how="left"
        )
        ins["tag"] = ins["asset_tag"].where(ins["status"].notna())
        miss = ins["status"].isna()
        host = _key(ins.loc[miss, "hostname"])
        by_host = (
            pd.DataFrame({"host": _key(assets["hostname"]), "tag": assets["asset_tag"]})
            .dropna(subset=["host"])
            .sort_values("tag")
            .drop_duplicates("host")
            .set_index("tag")
        )
        by_host = by_host.join(assets.set_index("asset_tag")[["status", "assigned_to"]])
        by_host = by_host.reset_index().set_index("host")
        for col in ("tag", "status", "assigned_to"):
            ins.loc[miss, col] = host.map(by_host[col])
        ins = ins[~ins["status"].isin(NOT_IN_USE)]
        device = ins["tag"].copy()
        unknown = device.isna()
        device[unknown] = _key(ins.loc[unknown, "hostname"]).fillna(ins.loc[unknown, "asset_tag"])
        user = ins["assigned_to"].fillna("device:" + device)
        metric = ins["title_id"].map(sw.set_index("title_id")["license_metric"])
        counted = pd.DataFrame(
            {
                "title_id": ins["title_id"],
                "who": user.where(metric == "user", device),
                "last_used": ins["last_used_date"],
            }
        )
        self.counted_installs = counted
        titles = sw.set_index("title_id")
        demand = counted.groupby("title_id")["who"].nunique()
        self.demand = demand.reindex(titles.index, fill_value=0)
        ent = self.f["entitlements"]
        live = (ent["purchase_date"].isna() | (ent["purchase_date"] <= a)) & (
            ent["term_end"].isna() | (ent["term_end"] >= a)
        )
        # "sum over titles of entitled": entitlements of titles not in software stay out.
        self.live_entitlements = ent[live & ent["title_id"].isin(sw["title_id"])]
        self.entitled = (
            ent[live].groupby("title_id")["quantity"].sum().reindex(titles.index, fill_value=0)
        )
        priced = ent[ent["unit_cost"].notna()]
        q = priced.groupby("title_id")["quantity"].sum()
        qc = (priced["quantity"] * priced["unit_cost"]).groupby(priced["title_id"]).sum()
        self.unit_price = (qc / q).reindex(titles.index).fillna(0.0)


# ---------------------------------------------------------------- metric groups


def _compliance(e: _Estate) -> dict[str, float | None]:
    a, assets, f = e.a, e.assets, e.f
    ls = e.last_seen
    stale30 = ls.isna() | (ls <= a - pd.Timedelta(days=30))
    stale60 = ls.isna() | (ls <= a - pd.Timedelta(days=60))
    dep_disc = e.deployed & e.discoverable
    owned_leased = assets["ownership"].isin(["owned", "leased"])
    short = (e.demand - e.entitled).clip(lower=0)
    surplus = (e.entitled - e.demand).clip(lower=0)
    lost = assets["status"].isin(["lost", "stolen"]) & _last(assets["lost_stolen_date"], a, 365)
    has_os = assets["os"].notna()
    lp = assets["last_patched"]
    unpatched = e.deployed & has_os & (lp.isna() | (lp <= a - pd.Timedelta(days=30)))
    pairs = assets.loc[e.deployed & has_os, ["os", "os_version"]].fillna({"os_version": ""})
    act_eud = e.active & e.eud
    sec = f["security_incidents"]
    people = f["people"]
    person_active = assets["assigned_to"].map(people.set_index("person_id")["active"])
    return {
        "owned_not_discovered_60d": int((dep_disc & owned_leased & stale60).sum()),
        "deployed_not_discovered_30d_pct": _pct((dep_disc & stale30).sum(), dep_disc.sum()),
        "disposed_without_certificate": int(
            ((assets["status"] == "disposed") & assets["disposal_certificate"].isna()).sum()
        ),
        "titles_under_licensed": int((e.demand > e.entitled).sum()),
        "license_shortfall_units": float(short.sum()),
        "license_shortfall_exposure": float((short * e.unit_price).sum()),
        "license_surplus_units": float(surplus.sum()),
        "lost_stolen_12m": int(lost.sum()),
        "unpatched_devices": int(unpatched.sum()),
        "os_versions_in_use": int(len(pairs.drop_duplicates())),
        "standard_devices_pct": _pct(
            (act_eud & _truthy(assets["meets_standard"])).sum(), act_eud.sum()
        ),
        "security_incidents_undiscovered_12m": int(
            (
                _truthy(sec["involved_undiscovered_asset"]) & _last(sec["incident_date"], a, 365)
            ).sum()
        ),
        "devices_assigned_to_leavers": int(
            (e.deployed & (person_active == False)).sum()  # noqa: E712 (null: no such person)
        ),
        "out_of_warranty_devices": int((e.deployed & e.eud & (assets["warranty_end"] < a)).sum()),
    }


def _not_in_itam(e: _Estate) -> int:
    d = e.disc
    recent = d[_last(d["seen"], e.a, 30) & ~d["row"].isin(e.disc_matches["row"])]
    return int(recent["ser"].fillna(recent["host"]).nunique())


def _user_mismatches(e: _Estate) -> int:
    """Latest matching date of the last 30 days; any non-blank user there that differs."""
    assets = e.assets
    m = e.disc_matches[_last(e.disc_matches["seen"], e.a, 30)]
    assigned = _key(assets["assigned_to"])
    m = m[m["aidx"].map(e.deployed) & m["aidx"].map(assigned).notna()]
    latest = m.groupby("aidx")["seen"].transform("max")
    m = m[(m["seen"] == latest) & m["user"].notna()]
    differs = m["user"] != m["aidx"].map(assigned)
    return int(m.loc[differs, "aidx"].nunique())


def _quality(e: _Estate) -> dict[str, float | None]:
    a, assets, f = e.a, e.assets, e.f
    t = f["tickets"]
    opened = t["opened"].dt.normalize()
    resolved = t["resolved"].dt.normalize()
    # The asset each ticket links to (if any): one merge gives link and category.
    asset_category = (
        t[["asset_tag"]]
        .merge(assets[["asset_tag", "category"]], on="asset_tag", how="left")["category"]
        .set_axis(t.index)
    )
    links_asset = asset_category.notna()
    links_title = t["title_id"].isin(f["software"]["title_id"])
    breakage = (t["kind"] == "breakage") & _last(opened, a, 365) & asset_category.isin(END_USER)
    act_eud = int((e.active & e.eud).sum())
    csat = t.loc[_last(resolved, a, 90) & t["csat"].notna(), "csat"]
    aud = f["audits"]
    aud12 = aud[_last(aud["audit_date"], a, 365)]
    ls = e.last_seen
    stale = e.deployed & e.discoverable & (ls.isna() | (ls <= a - pd.Timedelta(days=30)))
    nii, um = _not_in_itam(e), _user_mismatches(e)
    comp = assets[e.deployed & assets["category"].isin(COMPUTERS) & assets["assigned_to"].notna()]
    per_person = comp.groupby("assigned_to").size()
    return {
        "discovered_not_in_itam": nii,
        "user_mismatches": um,
        "discovery_discrepancies": int(stale.sum()) + nii + um,
        "breakage_rate_12m": None if not act_eud else breakage.sum() / act_eud * 100,
        "rma_12m": int(((t["kind"] == "rma") & _last(opened, a, 365)).sum()),
        "incident_tickets_90d": int(
            ((t["kind"] == "incident") & _last(opened, a, 90) & (links_asset | links_title)).sum()
        ),
        "csat_avg_90d": _mean(csat),
        "audit_accuracy_pct_12m": _pct(_truthy(aud12["record_accurate"]).sum(), len(aud12)),
        "users_with_multiple_computers": int((per_person >= 2).sum()),
    }


def _refresh_due(e: _Estate) -> pd.Series:
    assets = e.assets
    base = e.active & (assets["ownership"] == "owned") & assets["purchase_date"].notna()
    due = pd.Series(False, index=assets.index)
    sub = assets[base]
    due[base] = refresh_dates(sub) <= e.a + pd.Timedelta(days=365)
    return due


def _quantity(e: _Estate) -> dict[str, float | None]:
    a, assets, f = e.a, e.assets, e.f
    t = f["tickets"]
    ev = f["license_events"]
    pool30 = (ev["kind"] == "issued_from_pool") & _last(ev["event_date"], a, 30)
    lu = e.counted_installs["last_used"]
    unused = lu.notna() & (lu <= a - pd.Timedelta(days=90))
    return {
        "active_devices": int(e.active.sum()),
        "owned_devices": int((e.active & (assets["ownership"] == "owned")).sum()),
        "installs": float(e.demand.sum()),
        "entitled_licenses": _sum(e.live_entitlements["quantity"]),
        "unused_installs_90d": int(unused.sum()),
        "requests_90d": int(((t["kind"] == "request") & _last(t["opened"], a, 90)).sum()),
        "licenses_issued_from_pool_30d": _sum(ev.loc[pool30, "quantity"]),
        "devices_retired_12m": int(_last(assets["retired_date"], a, 365).sum()),
        "refresh_due_12m": int(e.refresh_due.sum()),
        "in_stock": int((assets["status"] == "in_stock").sum()),
        "nonstandard_devices": int(
            (e.active & ~_truthy(assets["meets_standard"].fillna(True))).sum()
        ),
    }


def _month_index(d: pd.Series) -> pd.Series:
    return d.dt.year * 12 + d.dt.month - 1


def _top10(contracts: pd.DataFrame, a: pd.Timestamp) -> pd.DataFrame:
    c = contracts[
        contracts["kind"].isin(["software", "saas"])
        & (contracts["start_date"] <= a)
        & (contracts["end_date"] >= a)
    ]
    return c.sort_values(["annual_value", "contract_id"], ascending=[False, True]).head(10)


def _cost(e: _Estate) -> dict[str, float | None]:
    a, assets, f = e.a, e.assets, e.f
    ent, ev, cloud = f["entitlements"], f["license_events"], f["cloud_spend"]
    con, va, bud = f["contracts"], f["vendor_audits"], f["budget"]
    hw12 = _last(assets["purchase_date"], a, 365)
    ent_value = ent["quantity"] * ent["unit_cost"].fillna(0)
    ev_value = ev["quantity"] * ev["unit_value"].fillna(0)
    a_month = a.year * 12 + a.month - 1
    cm = _month_index(cloud["month"])
    both = con["first_quote"].notna() & con["final_price"].notna()
    neg = both & _last(con["start_date"], a, 365)
    va_date = va["end_date"].fillna(va["start_date"])
    laptops = assets[hw12 & (assets["category"] == "laptop")]
    ren = _next(con["end_date"], a, 90)
    unused = e.counted_installs
    lu = unused["last_used"]
    unused = unused[lu.notna() & (lu <= a - pd.Timedelta(days=90))]
    unused_per_title = unused.groupby("title_id").size()
    jan1 = pd.Timestamp(a.year, 1, 1)
    ytd = lambda d: (d >= jan1) & (d <= a)  # noqa: E731
    spent = (
        _sum(assets.loc[ytd(assets["purchase_date"]), "purchase_cost"].fillna(0))
        + _sum(ent_value[ytd(ent["purchase_date"])])
        + _sum(cloud.loc[ytd(cloud["month"]), "cost"])
    )
    days_in_year = 366 if pd.Timestamp(a.year, 12, 31).dayofyear == 366 else 365
    budget = _sum(bud.loc[bud["year"] == a.year, "amount"]) * a.dayofyear / days_in_year
    return {
        "hardware_spend_12m": _sum(assets.loc[hw12, "purchase_cost"].fillna(0)),
        "refresh_forecast_12m": _sum(assets.loc[e.refresh_due, "purchase_cost"].fillna(0)),
        "software_spend_12m": _sum(ent_value[_last(ent["purchase_date"], a, 365)]),
        "cloud_spend_12m": _sum(cloud.loc[(cm > a_month - 12) & (cm <= a_month), "cost"]),
        "cloud_run_rate": 4 * _sum(cloud.loc[(cm >= a_month - 3) & (cm <= a_month - 1), "cost"]),
        "pool_cost_avoidance_30d": _sum(
            ev_value[(ev["kind"] == "issued_from_pool") & _last(ev["event_date"], a, 30)]
        ),
        "harvest_savings_12m": _sum(
            ev_value[(ev["kind"] == "harvested") & _last(ev["event_date"], a, 365)]
        ),
        "unused_install_value_90d": float(
            (unused_per_title * e.unit_price.reindex(unused_per_title.index)).sum()
        ),
        "negotiation_savings_12m": _sum(con.loc[neg, "first_quote"] - con.loc[neg, "final_price"]),
        "true_up_cost_12m": _sum(va.loc[_last(va_date, a, 365), "true_up_cost"].fillna(0)),
        "top10_contract_spend": _sum(_top10(con, a)["annual_value"]),
        "capital_assets": int((e.active & _truthy(assets["is_capital"])).sum()),
        "avg_laptop_cost_12m": _mean(laptops["purchase_cost"]),
        "renewals_90d": int(ren.sum()),
        "renewals_90d_value": _sum(con.loc[ren, "annual_value"]),
        "spend_vs_budget_pct": None if not budget else spent / budget * 100,
    }


def _time(e: _Estate) -> dict[str, float | None]:
    a, assets, f = e.a, e.assets, e.f
    dep = assets[
        assets["requested_date"].notna()
        & assets["deployed_date"].notna()
        & _last(assets["deployed_date"], a, 365)
    ]
    deploy_days = (dep["deployed_date"] - dep["requested_date"]).dt.days
    t = f["tickets"]
    req = t[(t["kind"] == "request")]
    sw = req[req["title_id"].notna() & _last(req["resolved"], a, 365)]
    sw_hours = (sw["resolved"] - sw["opened"]).dt.total_seconds() / 3600
    va = f["vendor_audits"]
    aged = assets[e.active & assets["purchase_date"].notna()]
    ages = (a - aged["purchase_date"]).dt.days / 365.25
    r90 = req[_last(req["opened"], a, 90) & req["target_hours"].notna()]
    end_of_a = a + pd.Timedelta(days=1)
    resolved = r90["resolved"].where(r90["resolved"].dt.normalize() <= a)
    took = (resolved.fillna(end_of_a) - r90["opened"]).dt.total_seconds() / 3600
    beyond = int((took > r90["target_hours"]).sum())
    return {
        "device_deploy_days_avg": _mean(deploy_days),
        "device_deploy_days_max": _max(deploy_days),
        "software_deploy_hours_avg": _mean(sw_hours),
        "software_deploy_hours_max": _max(sw_hours),
        "vendor_audit_hours_12m": _sum(
            va.loc[_last(va["start_date"], a, 365), "hours_spent"].fillna(0)
        ),
        "device_age_years_avg": _mean(ages),
        "requests_beyond_target_90d": beyond,
        "requests_beyond_target_pct_90d": _pct(beyond, len(r90)),
    }


def _progress(e: _Estate) -> dict[str, float | None]:
    a, f = e.a, e.f
    rm, integ, sw, aud = f["roadmap"], f["integrations"], f["software"], f["audits"]
    managed = sw[_truthy(sw["managed_by_itam"])]
    return {
        "roadmap_in_progress": int((rm["status"] == "in_progress").sum()),
        "roadmap_done_pct": _pct(
            (rm["status"] == "done").sum(), (rm["status"] != "cancelled").sum()
        ),
        "integrations_connected": int(_truthy(integ["connected"]).sum()),
        "itam_records": len(e.assets),
        "elp_current_pct": _pct(_last(managed["elp_updated"], a, 90).sum(), len(managed)),
        "devices_audited_12m": int(
            aud.loc[_last(aud["audit_date"], a, 365), "asset_tag"].nunique()
        ),
        "titles_managed": len(managed),
        "vendors_managed": int(managed["publisher"].nunique()),
    }


def _estate(frames: dict[str, pd.DataFrame], as_of: dt.date) -> _Estate:
    e = _Estate(_prepared(frames), pd.Timestamp(as_of))
    e.refresh_due = _refresh_due(e)
    return e


def compute_all(frames: dict[str, pd.DataFrame], as_of: dt.date) -> dict[str, float | None]:
    """The headline value of every metric of metrics.md as of `as_of`."""
    e = _estate(frames, as_of)
    values: dict[str, float | None] = {}
    for group in (_compliance, _quality, _quantity, _cost, _time, _progress):
        values.update(group(e))
    return {k: (None if v is None else float(v)) for k, v in values.items()}


# ---------------------------------------------------------------- breakdown


def _asset_department(f: dict[str, pd.DataFrame], assets: pd.DataFrame) -> pd.Series:
    """The asset's own department, else its assigned person's; blank -> "(none)"."""
    person_dept = assets["assigned_to"].map(f["people"].set_index("person_id")["department"])
    return assets["department"].fillna(person_dept).fillna("(none)")


def breakdown_by_department(
    frames: dict[str, pd.DataFrame], metric_id: str, as_of: dt.date
) -> dict[str, float]:
    """An additive asset metric per department (members with rows only)."""
    f = _prepared(frames, ("assets", "people"))  # only the tables it reads
    a, assets = pd.Timestamp(as_of), f["assets"]
    if metric_id == "hardware_spend_12m":
        rows = assets[_last(assets["purchase_date"], a, 365)]
        values = rows["purchase_cost"].fillna(0)
    elif metric_id == "active_devices":
        rows = assets[assets["status"].isin(ACTIVE)]
        values = pd.Series(1.0, index=rows.index)
    else:
        raise ValueError(f"no pandas breakdown for {metric_id}")
    per = values.groupby(_asset_department(f, rows)).sum()
    return {str(k): float(v) for k, v in per.items()}
