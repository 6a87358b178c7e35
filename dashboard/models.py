"""The tables: the data package (built from metrics/store/schema.py) and the application's own."""

from __future__ import annotations

import datetime as dt
import types

from sqlalchemy import BigInteger, Boolean, Column, Date, DateTime, Double, Sequence
from sqlmodel import AutoString, Field, SQLModel

from metrics.store import schema


def _id(seq: str):
    """An integer key drawn from an explicit sequence (DuckDB has no SERIAL)."""
    return Field(
        default=None,
        sa_column=Column(BigInteger, Sequence(seq), primary_key=True),
    )


# ---------------------------------------------------------------- data package
# One SQLModel class per table of metrics/store/schema.py, built from it: the
# package's columns are declared once, there.

# Column kind -> (Python type, SQL type). Storage as schema.SQL_TYPES says.
_KINDS: dict[str, tuple[type, object]] = {
    schema.TEXT: (str, AutoString),
    schema.ENUM: (str, AutoString),
    schema.INT: (int, BigInteger),
    schema.NUMBER: (float, Double),
    schema.DATE: (dt.date, Date),
    schema.MONTH: (dt.date, Date),
    schema.DATETIME: (dt.datetime, DateTime(timezone=False)),
    schema.BOOL: (bool, Boolean),
}


def class_name(table: str) -> str:
    """`license_events` -> `LicenseEvents`."""
    return "".join(part.capitalize() for part in table.split("_"))


def _field(column: schema.Column, primary_key: bool) -> tuple[object, object]:
    """The annotation and `Field` of one package column (NOT NULL when required)."""
    python_type, sa_type = _KINDS[column.kind]
    if primary_key:
        return python_type, Field(primary_key=True, sa_type=sa_type)
    if column.required:
        return python_type, Field(sa_type=sa_type)
    return python_type | None, Field(default=column.default, sa_type=sa_type)


def package_model(table: schema.Table) -> type[SQLModel]:
    """The SQLModel class storing one package table.

    Its primary key is the natural key, or the text column `row_key` for a table
    whose key is composite or has blank parts (see schema.Table).
    """
    annotations: dict[str, object] = {}
    namespace: dict[str, object] = {
        "__tablename__": table.name,
        "__module__": __name__,
        "__qualname__": class_name(table.name),
        "__doc__": f"The `{table.name}` table of the data package (metrics/store/schema.py).",
        "__annotations__": annotations,
    }
    if table.surrogate:
        annotations["row_key"] = str
        namespace["row_key"] = Field(primary_key=True)
    for column in table.columns:
        annotation, field = _field(column, primary_key=column.name == table.pk)
        annotations[column.name] = annotation
        namespace[column.name] = field
    return types.new_class(
        class_name(table.name), (SQLModel,), {"table": True}, lambda ns: ns.update(namespace)
    )


PACKAGE_MODELS: dict[str, type[SQLModel]] = {t.name: package_model(t) for t in schema.TABLES}


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
