"""The tables: the data package (see schema.py) and the application's own."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Column, DateTime, Double, Sequence
from sqlmodel import Field, SQLModel


def _id(seq: str):
    """An integer key drawn from an explicit sequence (DuckDB has no SERIAL)."""
    return Field(
        default=None,
        sa_column=Column(BigInteger, Sequence(seq), primary_key=True),
    )


# ---------------------------------------------------------------- data package


class People(SQLModel, table=True):
    __tablename__ = "people"
    person_id: str = Field(primary_key=True)
    name: str | None = None
    department: str | None = None
    cost_center: str | None = None
    location: str | None = None
    active: bool | None = True


class Assets(SQLModel, table=True):
    __tablename__ = "assets"
    asset_tag: str = Field(primary_key=True)
    category: str
    status: str
    serial: str | None = None
    hostname: str | None = None
    manufacturer: str | None = None
    model: str | None = None
    ownership: str | None = "owned"
    assigned_to: str | None = None
    department: str | None = None
    cost_center: str | None = None
    location: str | None = None
    supplier: str | None = None
    po_number: str | None = None
    purchase_date: dt.date | None = None
    purchase_cost: float | None = Field(default=None, sa_type=Double)
    warranty_end: dt.date | None = None
    expected_life_years: float | None = Field(default=None, sa_type=Double)
    requested_date: dt.date | None = None
    deployed_date: dt.date | None = None
    retired_date: dt.date | None = None
    disposal_method: str | None = None
    disposal_certificate: str | None = None
    lost_stolen_date: dt.date | None = None
    os: str | None = None
    os_version: str | None = None
    last_patched: dt.date | None = None
    meets_standard: bool | None = True
    is_capital: bool | None = False
    last_audit_date: dt.date | None = None
    notes: str | None = None
    currency: str | None = None
    depreciation_months: int | None = Field(default=None, sa_type=BigInteger)
    end_of_support: dt.date | None = None


class Software(SQLModel, table=True):
    __tablename__ = "software"
    title_id: str = Field(primary_key=True)
    title: str
    publisher: str
    license_metric: str | None = "device"
    is_standard: bool | None = True
    managed_by_itam: bool | None = True
    elp_updated: dt.date | None = None


class Entitlements(SQLModel, table=True):
    __tablename__ = "entitlements"
    entitlement_id: str = Field(primary_key=True)
    title_id: str
    quantity: int = Field(sa_type=BigInteger)
    unit_cost: float | None = Field(default=None, sa_type=Double)
    contract_id: str | None = None
    department: str | None = None
    cost_center: str | None = None
    purchase_date: dt.date | None = None
    term_end: dt.date | None = None
    currency: str | None = None


class Installs(SQLModel, table=True):
    __tablename__ = "installs"
    row_key: str = Field(primary_key=True)
    title_id: str
    asset_tag: str | None = None
    hostname: str | None = None
    discovered_date: dt.date | None = None
    last_used_date: dt.date | None = None


class LicenseEvents(SQLModel, table=True):
    __tablename__ = "license_events"
    event_id: str = Field(primary_key=True)
    event_date: dt.date
    title_id: str
    kind: str
    quantity: int = Field(sa_type=BigInteger)
    unit_value: float | None = Field(default=None, sa_type=Double)
    currency: str | None = None


class Contracts(SQLModel, table=True):
    __tablename__ = "contracts"
    contract_id: str = Field(primary_key=True)
    vendor: str
    kind: str
    start_date: dt.date
    end_date: dt.date
    annual_value: float = Field(sa_type=Double)
    first_quote: float | None = Field(default=None, sa_type=Double)
    final_price: float | None = Field(default=None, sa_type=Double)
    department: str | None = None
    cost_center: str | None = None
    owner: str | None = None
    auto_renew: bool | None = False
    notice_days: int | None = Field(default=None, sa_type=BigInteger)
    currency: str | None = None


class CloudSpend(SQLModel, table=True):
    __tablename__ = "cloud_spend"
    row_key: str = Field(primary_key=True)
    month: dt.date
    provider: str
    service: str | None = None
    kind: str | None = None
    department: str | None = None
    cost_center: str | None = None
    cost: float = Field(sa_type=Double)
    currency: str | None = None


class Tickets(SQLModel, table=True):
    __tablename__ = "tickets"
    ticket_id: str = Field(primary_key=True)
    kind: str
    opened: dt.datetime = Field(sa_type=DateTime(timezone=False))
    resolved: dt.datetime | None = Field(default=None, sa_type=DateTime(timezone=False))
    asset_tag: str | None = None
    title_id: str | None = None
    requester: str | None = None
    target_hours: float | None = Field(default=None, sa_type=Double)
    csat: int | None = Field(default=None, sa_type=BigInteger)
    in_warranty: bool | None = None


class Discovery(SQLModel, table=True):
    __tablename__ = "discovery"
    row_key: str = Field(primary_key=True)
    source: str
    seen_date: dt.date
    hostname: str | None = None
    serial: str | None = None
    user: str | None = None
    os: str | None = None
    os_version: str | None = None


class Audits(SQLModel, table=True):
    __tablename__ = "audits"
    row_key: str = Field(primary_key=True)
    audit_date: dt.date
    asset_tag: str
    method: str
    record_accurate: bool


class VendorAudits(SQLModel, table=True):
    __tablename__ = "vendor_audits"
    audit_id: str = Field(primary_key=True)
    vendor: str
    start_date: dt.date
    end_date: dt.date | None = None
    hours_spent: float | None = Field(default=None, sa_type=Double)
    true_up_cost: float | None = Field(default=None, sa_type=Double)


class SecurityIncidents(SQLModel, table=True):
    __tablename__ = "security_incidents"
    incident_id: str = Field(primary_key=True)
    incident_date: dt.date
    hostname: str | None = None
    serial: str | None = None
    involved_undiscovered_asset: bool | None = False


class Roadmap(SQLModel, table=True):
    __tablename__ = "roadmap"
    item_id: str = Field(primary_key=True)
    initiative: str
    task: str
    owner: str | None = None
    target_date: dt.date | None = None
    status: str
    completed_date: dt.date | None = None


class Integrations(SQLModel, table=True):
    __tablename__ = "integrations"
    name: str = Field(primary_key=True)
    source_system: str | None = None
    connected: bool
    since: dt.date | None = None


class Budget(SQLModel, table=True):
    __tablename__ = "budget"
    row_key: str = Field(primary_key=True)
    year: int = Field(sa_type=BigInteger)
    spend_type: str
    department: str | None = None
    cost_center: str | None = None
    amount: float = Field(sa_type=Double)
    currency: str | None = None


class FxRates(SQLModel, table=True):
    """Units of the organisation's currency per unit of `currency`, by month."""

    __tablename__ = "fx_rates"
    row_key: str = Field(primary_key=True)
    currency: str
    month: dt.date
    rate: float = Field(sa_type=Double)


PACKAGE_MODELS: dict[str, type[SQLModel]] = {
    m.__tablename__: m
    for m in (
        People,
        Assets,
        Software,
        Entitlements,
        Installs,
        LicenseEvents,
        Contracts,
        CloudSpend,
        Tickets,
        Discovery,
        Audits,
        VendorAudits,
        SecurityIncidents,
        Roadmap,
        Integrations,
        Budget,
        FxRates,
    )
}


# ------------------------------------------------------------ application tables


class Setting(SQLModel, table=True):
    """Key/value settings kept with the data (demo mode, last import, ...)."""

    __tablename__ = "app_settings"
    key: str = Field(primary_key=True)
    value: str | None = None


class ImportLog(SQLModel, table=True):
    """One row per accepted upload (who, when, what, how many rows)."""

    __tablename__ = "import_log"
    id: int | None = _id("import_log_id_seq")
    created_at: dt.datetime = Field(sa_type=DateTime(timezone=False))
    user: str | None = None
    file_name: str | None = None
    mode: str = "upsert"  # upsert | replace
    counts: str = "{}"  # JSON: {table: {inserted, updated, unchanged}}


class Kpi(SQLModel, table=True):
    """A metric with a target tied to a goal (see metrics.md, "KPIs")."""

    __tablename__ = "kpis"
    id: int | None = _id("kpis_id_seq")
    metric: str
    goal: str
    target_kind: str
    target: float = Field(sa_type=Double)
    baseline_days: int | None = Field(default=None, sa_type=BigInteger)
    baseline_date: dt.date | None = None
    due: dt.date | None = None
    tolerance: float | None = Field(default=None, sa_type=Double)
    scope_dim: str | None = None
    scope_value: str | None = None
    owner: str | None = None
    note: str | None = None
    retired: bool = False


class AuditLog(SQLModel, table=True):
    """Who changed what, when: KPIs, strategy, users, imports."""

    __tablename__ = "audit_log"
    id: int | None = _id("audit_log_id_seq")
    created_at: dt.datetime = Field(sa_type=DateTime(timezone=False))
    user: str | None = None
    entity: str
    entity_id: str | None = None
    action: str
    old: str | None = None  # JSON
    new: str | None = None  # JSON


class MetricSnapshot(SQLModel, table=True):
    """A metric's value as of a date: headline (dim = '') or one member."""

    __tablename__ = "metric_snapshots"
    as_of: dt.date = Field(primary_key=True)
    metric: str = Field(primary_key=True)
    dim: str = Field(default="", primary_key=True)
    member: str = Field(default="", primary_key=True)
    value: float | None = Field(default=None, sa_type=Double)
    taken_at: dt.datetime = Field(sa_type=DateTime(timezone=False))


# ------------------------------------------------- strategy (dashboard/strategy.py)


class StrategyValue(SQLModel, table=True):
    """One strategy setting (priorities, mission, vision, archetype ...) as JSON."""

    __tablename__ = "strategy_values"
    key: str = Field(primary_key=True)
    value: str | None = None  # JSON
    updated_at: dt.datetime | None = Field(default=None, sa_type=DateTime(timezone=False))
    updated_by: str | None = None


class StrategyRow(SQLModel, table=True):
    """One row of an editable strategy table; `section` names the table."""

    __tablename__ = "strategy_rows"
    id: int | None = _id("strategy_rows_id_seq")
    section: str
    position: int = Field(sa_type=BigInteger)
    data: str  # JSON: the row's columns (see strategy.SECTIONS)


class MaturityAssessment(SQLModel, table=True):
    """A dated maturity self-assessment: statements true today and targeted in a year."""

    __tablename__ = "strategy_maturity"
    assessed_on: dt.date = Field(primary_key=True)
    current: str = "[]"  # JSON list of statement ids
    target: str = "[]"
    base_current: str = "firefighter"  # unreliable | firefighter (below Trusted Operator)
    base_target: str = "firefighter"
    current_level: str
    target_level: str
    note: str | None = None
    user: str | None = None
    saved_at: dt.datetime | None = Field(default=None, sa_type=DateTime(timezone=False))


# ------------------------------------ spreadsheets (dashboard/presets.py, dashboard/estimates.py)


class ImportProfile(SQLModel, table=True):
    """A named column mapping for CSV files of another tool (the Data page's mapping step)."""

    __tablename__ = "import_profiles"
    name: str = Field(primary_key=True)
    table_name: str  # the package table the file feeds
    mapping: str = "{}"  # JSON: {header as written: package column}
    constants: str = "{}"  # JSON: {package column: value for every row} (e.g. source)
    created_at: dt.datetime | None = Field(default=None, sa_type=DateTime(timezone=False))
    created_by: str | None = None


class EstimateSnapshot(SQLModel, table=True):
    """One upload of the estimation tracker, kept by (name, date)."""

    __tablename__ = "estimate_snapshots"
    id: int | None = _id("estimate_snapshots_id_seq")
    name: str
    taken_on: dt.date
    created_at: dt.datetime = Field(sa_type=DateTime(timezone=False))
    created_by: str | None = None
    file_name: str | None = None


class EstimateLine(SQLModel, table=True):
    """One line item of an estimates snapshot (data-package.md, "Estimation tracker")."""

    __tablename__ = "estimate_lines"
    snapshot_id: int = Field(primary_key=True, sa_type=BigInteger)
    position: int = Field(primary_key=True, sa_type=BigInteger)
    row: int | None = Field(default=None, sa_type=BigInteger)  # the sheet's row number
    line_item: str
    asset_class: str | None = None
    count_metric: str | None = None
    spend_metric: str | None = None
    filter: str | None = None
    estimated_count: float | None = Field(default=None, sa_type=Double)
    count_margin_pct: float | None = Field(default=None, sa_type=Double)
    estimated_spend: float | None = Field(default=None, sa_type=Double)
    spend_margin_pct: float | None = Field(default=None, sa_type=Double)
    confidence: str
    data_sources: str | None = None
    assumptions: str | None = None
    consulted: str | None = None


# ------------------------------------ mail (dashboard/subscriptions.py, dashboard/notify.py)


class Subscription(SQLModel, table=True):
    """A user's standing order: the pack or their page digest on a schedule, or KPI alerts."""

    __tablename__ = "subscriptions"
    id: int | None = _id("subscriptions_id_seq")
    username: str
    what: str  # pack | digest | alerts
    every: str | None = None  # weekly | monthly (alerts: checked on every run, no schedule)
    day: int | None = Field(default=None, sa_type=BigInteger)  # weekly: 0 = Monday; monthly: 1-31
    at_time: str | None = None  # HH:MM, server time ("at" is a reserved word in DuckDB)
    created_at: dt.datetime = Field(sa_type=DateTime(timezone=False))
    created_by: str | None = None


class NotifySend(SQLModel, table=True):
    """One slot of a subscription and what became of it: sent, failed (retried), superseded."""

    __tablename__ = "notify_sends"
    id: int | None = _id("notify_sends_id_seq")
    subscription_id: int = Field(sa_type=BigInteger)
    slot: dt.datetime = Field(sa_type=DateTime(timezone=False))  # alerts: the run's time
    status: str  # sent | failed | superseded
    attempts: int = Field(default=0, sa_type=BigInteger)
    recipient: str | None = None
    subject: str | None = None
    detail: str | None = None  # JSON: what was sent (alerts: the changes) or the last error
    tried_at: dt.datetime | None = Field(default=None, sa_type=DateTime(timezone=False))
    sent_at: dt.datetime | None = Field(default=None, sa_type=DateTime(timezone=False))


class AlertState(SQLModel, table=True):
    """The KPI status an alert subscription last told its user about (the next run's baseline)."""

    __tablename__ = "alert_states"
    subscription_id: int = Field(primary_key=True, sa_type=BigInteger)
    kpi_id: str = Field(primary_key=True)
    status: str
    since: dt.datetime = Field(sa_type=DateTime(timezone=False))


# --------------------------------------- login sessions and throttling (dashboard/sessions.py)


class LoginSession(SQLModel, table=True):
    """A server-side login: the browser's cookie holds a token whose SHA-256 is `id`."""

    __tablename__ = "login_sessions"
    id: str = Field(primary_key=True)  # sha256 hex of the token (a leaked table opens nothing)
    username: str
    source: str = "local"  # local | oidc
    stamp: str | None = None  # the user's identity when logged in (see sessions.user_stamp)
    created_at: dt.datetime = Field(sa_type=DateTime(timezone=False))
    last_seen: dt.datetime = Field(sa_type=DateTime(timezone=False))
    expires_at: dt.datetime = Field(sa_type=DateTime(timezone=False))  # absolute timeout
    revoked_at: dt.datetime | None = Field(default=None, sa_type=DateTime(timezone=False))
    ip: str | None = None


class LoginTicket(SQLModel, table=True):
    """A one-time, short-lived ticket the browser trades for its HttpOnly session cookie."""

    __tablename__ = "login_tickets"
    id: str = Field(primary_key=True)  # sha256 hex of the ticket
    sealed: str  # the session token XOR a pad derived from the ticket (hex)
    expires_at: dt.datetime = Field(sa_type=DateTime(timezone=False))


class LoginThrottle(SQLModel, table=True):
    """Failed-login counters per username ('user:NAME') and per client address ('ip:ADDR')."""

    __tablename__ = "login_throttle"
    key: str = Field(primary_key=True)
    failures: int = Field(default=0, sa_type=BigInteger)
    next_allowed: dt.datetime = Field(sa_type=DateTime(timezone=False))
    last_at: dt.datetime = Field(sa_type=DateTime(timezone=False))
    checks: int = Field(default=0, sa_type=BigInteger)  # passwords actually checked


# ------------------------------------------------- vendor names (dashboard/vendors.py)


class VendorName(SQLModel, table=True):
    """The organisation's own entries of the vendor table (over the built-in seed)."""

    __tablename__ = "vendor_names"
    alias_key: str = Field(primary_key=True)  # vendors.key(name as written)
    alias: str  # the name as written
    vendor: str  # the one name it becomes ('' = keep as written)


class VendorOriginal(SQLModel, table=True):
    """The text a row's vendor column held before it was normalised (kept, never lost)."""

    __tablename__ = "vendor_originals"
    table_name: str = Field(primary_key=True)
    row_key: str = Field(primary_key=True)
    column_name: str = Field(primary_key=True)
    original: str
    vendor: str
