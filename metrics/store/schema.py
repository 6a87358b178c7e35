"""The ITAM data package as data: tables, columns, types, enumerations, keys.

This is data-package.md written down once. The importer validates against it,
the exporter writes it, the demo generator fills it and `dashboard/models.py`
builds its SQLModel classes from it (`package_model`). It is the bottom layer
that metrics and dashboard both read (docs/architecture.md); `dashboard.schema`
is an alias.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Column kinds. Storage: text/enum -> VARCHAR, int -> BIGINT, number -> DOUBLE,
# date/month -> DATE, datetime -> TIMESTAMP, bool -> BOOLEAN.
TEXT, INT, NUMBER, DATE, DATETIME, MONTH, BOOL, ENUM = (
    "text",
    "int",
    "number",
    "date",
    "datetime",
    "month",
    "bool",
    "enum",
)

SQL_TYPES = {
    TEXT: "VARCHAR",
    ENUM: "VARCHAR",
    INT: "BIGINT",
    NUMBER: "DOUBLE",
    DATE: "DATE",
    MONTH: "DATE",
    DATETIME: "TIMESTAMP",
    BOOL: "BOOLEAN",
}

CATEGORIES = (
    "laptop",
    "desktop",
    "tablet",
    "phone",
    "monitor",
    "server",
    "network",
    "storage",
    "printer",
    "iot",
    "other",
)
STATUSES = (
    "on_order",
    "in_stock",
    "deployed",
    "in_repair",
    "retired",
    "disposed",
    "lost",
    "stolen",
)
ACTIVE_STATUSES = ("in_stock", "deployed", "in_repair")
NOT_IN_USE_STATUSES = ("retired", "disposed", "lost", "stolen")
END_USER_CATEGORIES = ("laptop", "desktop", "tablet", "phone")
COMPUTER_CATEGORIES = ("laptop", "desktop", "tablet")

# expected_life_years when blank, by category.
EXPECTED_LIFE_YEARS = {
    "laptop": 4,
    "desktop": 5,
    "tablet": 3,
    "phone": 3,
    "monitor": 6,
    "server": 5,
    "network": 7,
    "storage": 5,
    "printer": 6,
    "iot": 5,
    "other": 5,
}


@dataclass(frozen=True)
class Column:
    """One column of a package table."""

    name: str
    kind: str = TEXT
    required: bool = False
    default: object = None
    values: tuple[str, ...] = ()  # enumeration members
    min: float | None = None  # value >= min
    gt: float | None = None  # value > min
    max: float | None = None  # value <= max

    @property
    def sql_type(self) -> str:
        return SQL_TYPES[self.kind]


@dataclass(frozen=True)
class Table:
    """One table of the package.

    `key` names the key columns. A single natural key is stored as the primary
    key; a composite key (or one with blank parts) is stored as the surrogate
    text column `row_key`, built from the normalised parts (see `key_parts`).
    `one_of` lists groups of columns of which at least one must be filled.
    """

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    one_of: tuple[tuple[str, ...], ...] = ()
    # Key parts as SQL over the staged columns, where they differ from the column.
    key_exprs: dict[str, str] = field(default_factory=dict)

    @property
    def surrogate(self) -> bool:
        return len(self.key) > 1 or bool(self.key_exprs)

    @property
    def pk(self) -> str:
        return "row_key" if self.surrogate else self.key[0]

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _c(name: str, kind: str = TEXT, **kw) -> Column:
    return Column(name, kind, **kw)


def _enum(name: str, values: tuple[str, ...], **kw) -> Column:
    return Column(name, ENUM, values=values, **kw)


TABLES: tuple[Table, ...] = (
    Table(
        "people",
        (
            _c("person_id", required=True),
            _c("name"),
            _c("department"),
            _c("cost_center"),
            _c("location"),
            _c("active", BOOL, default=True),
        ),
        key=("person_id",),
    ),
    Table(
        "assets",
        (
            _c("asset_tag", required=True),
            _enum("category", CATEGORIES, required=True),
            _enum("status", STATUSES, required=True),
            _c("serial"),
            _c("hostname"),
            _c("manufacturer"),
            _c("model"),
            _enum("ownership", ("owned", "leased", "byod"), default="owned"),
            _c("assigned_to"),
            _c("department"),
            _c("cost_center"),
            _c("location"),
            _c("supplier"),
            _c("po_number"),
            _c("purchase_date", DATE),
            _c("purchase_cost", NUMBER, min=0),
            _c("warranty_end", DATE),
            # Default depends on the category: EXPECTED_LIFE_YEARS.
            _c("expected_life_years", NUMBER, gt=0),
            _c("requested_date", DATE),
            _c("deployed_date", DATE),
            _c("retired_date", DATE),
            _enum(
                "disposal_method",
                ("recycled", "donated", "resold", "destroyed", "returned"),
            ),
            _c("disposal_certificate"),
            _c("lost_stolen_date", DATE),
            _c("os"),
            _c("os_version"),
            _c("last_patched", DATE),
            _c("meets_standard", BOOL, default=True),
            _c("is_capital", BOOL, default=False),
            _c("last_audit_date", DATE),
            _c("notes"),
            # Issue 15 (optional, blank = none): the currency of purchase_cost,
            # a depreciation period overriding expected_life_years, end of support.
            _c("currency"),
            _c("depreciation_months", INT, gt=0),
            _c("end_of_support", DATE),
        ),
        key=("asset_tag",),
    ),
    Table(
        "software",
        (
            _c("title_id", required=True),
            _c("title", required=True),
            _c("publisher", required=True),
            _enum("license_metric", ("device", "user"), default="device"),
            _c("is_standard", BOOL, default=True),
            _c("managed_by_itam", BOOL, default=True),
            _c("elp_updated", DATE),
        ),
        key=("title_id",),
    ),
    Table(
        "entitlements",
        (
            _c("entitlement_id", required=True),
            _c("title_id", required=True),
            _c("quantity", INT, required=True, gt=0),
            _c("unit_cost", NUMBER, min=0),
            _c("contract_id"),
            _c("department"),
            _c("cost_center"),
            _c("purchase_date", DATE),
            _c("term_end", DATE),
            _c("currency"),
        ),
        key=("entitlement_id",),
    ),
    Table(
        "installs",
        (
            _c("title_id", required=True),
            _c("asset_tag"),
            _c("hostname"),
            _c("discovered_date", DATE),
            _c("last_used_date", DATE),
        ),
        key=("title_id", "device"),
        one_of=(("asset_tag", "hostname"),),
        key_exprs={"device": "coalesce(asset_tag, lower(hostname))"},
    ),
    Table(
        "license_events",
        (
            _c("event_id", required=True),
            _c("event_date", DATE, required=True),
            _c("title_id", required=True),
            _enum("kind", ("issued_from_pool", "harvested"), required=True),
            _c("quantity", INT, required=True, gt=0),
            _c("unit_value", NUMBER, min=0),
            _c("currency"),
        ),
        key=("event_id",),
    ),
    Table(
        "contracts",
        (
            _c("contract_id", required=True),
            _c("vendor", required=True),
            _enum(
                "kind",
                (
                    "software",
                    "saas",
                    "iaas",
                    "paas",
                    "hardware_maintenance",
                    "lease",
                    "support",
                    "services",
                ),
                required=True,
            ),
            _c("start_date", DATE, required=True),
            _c("end_date", DATE, required=True),
            _c("annual_value", NUMBER, required=True, min=0),
            _c("first_quote", NUMBER),
            _c("final_price", NUMBER),
            _c("department"),
            _c("cost_center"),
            _c("owner"),
            _c("auto_renew", BOOL, default=False),
            _c("notice_days", INT, min=0),
            _c("currency"),
        ),
        key=("contract_id",),
    ),
    Table(
        "cloud_spend",
        (
            _c("month", MONTH, required=True),
            _c("provider", required=True),
            _c("service"),
            _enum("kind", ("iaas", "paas", "saas")),
            _c("department"),
            _c("cost_center"),
            _c("cost", NUMBER, required=True, min=0),
            _c("currency"),
        ),
        key=("month", "provider", "service", "department", "cost_center"),
    ),
    Table(
        "tickets",
        (
            _c("ticket_id", required=True),
            _enum("kind", ("incident", "request", "rma", "breakage"), required=True),
            _c("opened", DATETIME, required=True),
            _c("resolved", DATETIME),
            _c("asset_tag"),
            _c("title_id"),
            _c("requester"),
            _c("target_hours", NUMBER, gt=0),
            _c("csat", INT, min=1, max=5),
            _c("in_warranty", BOOL),
        ),
        key=("ticket_id",),
    ),
    Table(
        "discovery",
        (
            _c("source", required=True),
            _c("seen_date", DATE, required=True),
            _c("hostname"),
            _c("serial"),
            _c("user"),
            _c("os"),
            _c("os_version"),
        ),
        key=("source", "device", "seen_date"),
        one_of=(("hostname", "serial"),),
        key_exprs={"device": "lower(coalesce(serial, hostname))"},
    ),
    Table(
        "audits",
        (
            _c("audit_date", DATE, required=True),
            _c("asset_tag", required=True),
            _enum("method", ("tool_compare", "it_led", "user_led"), required=True),
            _c("record_accurate", BOOL, required=True),
        ),
        key=("audit_date", "asset_tag", "method"),
    ),
    Table(
        "vendor_audits",
        (
            _c("audit_id", required=True),
            _c("vendor", required=True),
            _c("start_date", DATE, required=True),
            _c("end_date", DATE),
            _c("hours_spent", NUMBER, min=0),
            _c("true_up_cost", NUMBER, min=0),
        ),
        key=("audit_id",),
    ),
    Table(
        "security_incidents",
        (
            _c("incident_id", required=True),
            _c("incident_date", DATE, required=True),
            _c("hostname"),
            _c("serial"),
            _c("involved_undiscovered_asset", BOOL, default=False),
        ),
        key=("incident_id",),
    ),
    Table(
        "roadmap",
        (
            _c("item_id", required=True),
            _c("initiative", required=True),
            _c("task", required=True),
            _c("owner"),
            _c("target_date", DATE),
            _enum("status", ("planned", "in_progress", "done", "cancelled"), required=True),
            _c("completed_date", DATE),
        ),
        key=("item_id",),
    ),
    Table(
        "integrations",
        (
            _c("name", required=True),
            _c("source_system"),
            _c("connected", BOOL, required=True),
            _c("since", DATE),
        ),
        key=("name",),
    ),
    Table(
        "budget",
        (
            _c("year", INT, required=True),
            _enum("spend_type", ("hardware", "software", "cloud"), required=True),
            _c("department"),
            _c("cost_center"),
            _c("amount", NUMBER, required=True, min=0),
            _c("currency"),
        ),
        key=("year", "spend_type", "department", "cost_center"),
    ),
    # Units of the organisation's currency per unit of `currency`, by month (issue 15).
    Table(
        "fx_rates",
        (
            _c("currency", required=True),
            _c("month", MONTH, required=True),
            _c("rate", NUMBER, required=True, gt=0),
        ),
        key=("currency", "month"),
    ),
)

# Tables whose money columns may carry a currency, with the date whose month's
# rate converts them (budget: its fiscal year's first month; see dashboard/fx.py).
MONEY_DATES = {
    "assets": "purchase_date",
    "entitlements": "purchase_date",
    "license_events": "event_date",
    "contracts": "start_date",
    "cloud_spend": "month",
    "budget": None,
}

BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}

# Cross-field rules: (table, later column, earlier column).
ORDERED_PAIRS = (
    ("tickets", "resolved", "opened"),
    ("contracts", "end_date", "start_date"),
)

# References that, when unknown, are warnings: (table, column, target, target key).
REFERENCES = (
    ("assets", "assigned_to", "people", "person_id"),
    ("entitlements", "title_id", "software", "title_id"),
    ("installs", "title_id", "software", "title_id"),
    ("installs", "asset_tag", "assets", "asset_tag"),
    ("license_events", "title_id", "software", "title_id"),
    ("tickets", "asset_tag", "assets", "asset_tag"),
    ("tickets", "title_id", "software", "title_id"),
    ("tickets", "requester", "people", "person_id"),
    ("discovery", "user", "people", "person_id"),
    ("audits", "asset_tag", "assets", "asset_tag"),
)


def table(name: str) -> Table:
    return BY_NAME[name]
