"""ServiceNow hardware assets (the `alm_hardware` list exported as CSV) into `assets`.

A list export names its columns by field name (asset_tag, install_status, ...)
or, from some instances and the Excel route, by label ("Asset tag", "State");
both are read. Choice fields come as labels ("In use") or as stored values
("1"); both are translated. Source: docs/decisions.md.
"""

from __future__ import annotations

import pandas as pd

from dashboard.presets.common import (
    Builder,
    Context,
    PresetError,
    Translated,
    dates,
    lower,
    money,
    pick,
    position,
    text,
    unread,
)
from dashboard.readers import RawSheet

# alm_hardware.install_status: label and stored value -> our status.
STATUS = {
    "in use": "deployed", "1": "deployed",
    "on order": "on_order", "2": "on_order",
    "in maintenance": "in_repair", "3": "in_repair",
    "in stock": "in_stock", "6": "in_stock",
    "retired": "retired", "7": "retired",
    "missing": "lost", "8": "lost",
    "in transit": "on_order", "9": "on_order",
    "consumed": "retired", "10": "retired",
    "build": "in_stock", "11": "in_stock",
    "pending repair": "in_repair", "pending install": "in_stock", "pending disposal": "retired",
    "disposed": "disposed", "stolen": "stolen", "lost": "lost",
}  # fmt: skip
# A retired asset's substate says more: stolen, lost, disposed of.
SUBSTATE = {"stolen": "stolen", "lost": "lost", "disposed": "disposed", "sold": "disposed",
            "donated": "disposed", "vendor credit": "disposed"}  # fmt: skip
# Model categories of a base instance whose meaning is plain; "Computer" is a laptop or a
# desktop, which only the organisation knows: it is left to the value map.
CATEGORY = {
    "server": "server", "printer": "printer", "network gear": "network", "ip switch": "network",
    "ip router": "network", "ip firewall": "network", "wireless access point": "network",
    "storage device": "storage", "monitor": "monitor", "mobile device": "phone", "handheld computing": "phone",
    "mobile phone": "phone", "tablet": "tablet", "laptop": "laptop", "desktop": "desktop",
}  # fmt: skip

COLUMNS: list[tuple[tuple[str, ...], str]] = [
    (("asset_tag", "asset tag"), "asset_tag"),
    (("serial_number", "serial number"), "serial"),
    (("ci", "configuration item"), "hostname"),
    (("model", "model.display_name"), "model"),
    (("manufacturer", "model.manufacturer"), "manufacturer"),
    (("assigned_to", "assigned to"), "assigned_to"),
    (("department",), "department"),
    (("cost_center", "cost center"), "cost_center"),
    (("location",), "location"),
    (("vendor",), "supplier"),
    (("po_number", "po number"), "po_number"),
    (("comments",), "notes"),
]
DATES = [(("purchase_date", "purchased"), "purchase_date"),
         (("warranty_expiration", "warranty expiration"), "warranty_end"),
         (("retired", "retired date"), "retired_date"),
         (("install_date", "installed"), "deployed_date")]  # fmt: skip
STATE = ("install_status", "state", "status")
SUB = ("substatus", "substate")
CATEGORY_COLUMN = ("model_category", "model category")
COST = ("cost",)


def assets(raw: RawSheet, ctx: Context | None = None) -> Translated:
    pos = position(raw)
    if pick(pos, "asset_tag", "asset tag") is None:
        raise PresetError(
            f"{raw.name}: no 'asset_tag' column: this is not a ServiceNow alm_hardware export"
        )
    b = Builder(raw, "assets")
    for names, column in COLUMNS:
        b.column(pos, names, column, fix=_person if column == "assigned_to" else None)
    for names, column in DATES:
        b.column(pos, names, column, fix=dates)
    b.column(pos, CATEGORY_COLUMN, "category", words=CATEGORY)
    b.column(pos, COST, "purchase_cost", fix=money)
    _status(b, raw, pos)
    read = {h for names, _ in COLUMNS + DATES for h in names} | {
        *STATE,
        *SUB,
        *CATEGORY_COLUMN,
        *COST,
    }
    return Translated([b.build(errors=list(raw.errors))], unread(raw, pos, read, "ServiceNow"))


def _person(values: pd.Series) -> pd.Series:
    """An e-mail in lower case (person ids are); a display name as written."""
    return values.map(lambda v: v.lower() if isinstance(v, str) and "@" in v else v)


def _status(b: Builder, raw: RawSheet, pos: dict[str, int]) -> None:
    p = pick(pos, *STATE)
    if p is None:
        return
    values = text(raw, p).reset_index(drop=True)
    sub = lower(text(raw, pick(pos, *SUB))).reset_index(drop=True).map(SUBSTATE)
    # The substate's word replaces the state's when it says more (Retired / Stolen -> stolen).
    b.add(raw.headers[p], "status", values.where(sub.isna(), sub), STATUS)
