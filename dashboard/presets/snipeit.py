"""Snipe-IT: assets (import template and report export), licenses and users, told apart by headers.

Columns are those of Snipe-IT's own import samples (sample_csvs/assets-sample.csv,
users-sample.csv, licenses-sample.csv in the snipe/snipe-it repository) and of
its asset report export (Reports > Custom Asset Report: "Asset Tag", "Status",
"Checked Out To", "Warranty Expires", ...). Sources: docs/decisions.md.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from dashboard import valuemaps
from dashboard.presets.common import (
    Builder,
    Context,
    PresetError,
    Translated,
    dates,
    first_of,
    lower,
    money,
    pick,
    position,
    strip_thousands,
    text,
    unread,
)
from dashboard.readers import RawSheet

# Snipe-IT's default status labels (and its status types) -> our status.
STATUS = {
    "ready to deploy": "in_stock",
    "deployable": "in_stock",
    "deployed": "deployed",
    "pending": "on_order",
    "archived": "retired",
    "out for repair": "in_repair",
    "out for diagnostics": "in_repair",
    "broken - not fixable": "retired",
    "broken not fixable": "retired",
    "lost/stolen": "lost",
    "lost / stolen": "lost",
    "lost": "lost",
    "stolen": "stolen",
    "undeployable": "in_repair",
}
# Common category names; an organisation's own names are left to the user's value map.
CATEGORY = {
    "laptop": "laptop", "laptops": "laptop", "notebook": "laptop", "notebooks": "laptop",
    "desktop": "desktop", "desktops": "desktop", "workstation": "desktop", "workstations": "desktop",
    "tablet": "tablet", "tablets": "tablet",
    "mobile phone": "phone", "mobile phones": "phone", "phone": "phone", "phones": "phone",
    "mobile device": "phone", "mobile devices": "phone", "smartphone": "phone", "smartphones": "phone",
    "monitor": "monitor", "monitors": "monitor", "display": "monitor", "displays": "monitor",
    "server": "server", "servers": "server",
    "network": "network", "networking": "network", "network/switches": "network",
    "switch": "network", "switches": "network", "router": "network", "routers": "network",
    "firewall": "network", "firewalls": "network", "access point": "network", "access points": "network",
    "storage": "storage", "nas": "storage", "san": "storage",
    "printer": "printer", "printers": "printer",
    "iot": "iot", "other": "other",
}  # fmt: skip

# Snipe-IT header (lower case, any of) -> package column of assets.
ASSET_COLUMNS: list[tuple[tuple[str, ...], str]] = [
    (("asset tag",), "asset_tag"),
    (("asset name", "name"), "hostname"),
    (("serial", "serial number"), "serial"),
    (("model",), "model"),
    (("manufacturer",), "manufacturer"),
    (("purchase date", "purchased"), "purchase_date"),
    (("order number",), "po_number"),
    (("supplier",), "supplier"),
    (("warranty expires", "warranty expiration"), "warranty_end"),
    (("notes", "asset notes"), "notes"),
]
EMAIL = ("checked out to: email", "email")
USERNAME = ("checked out to: username", "username")
# The Custom Asset Report writes "Checked Out" (a name) and "Type" (user, location, asset).
CHECKED_OUT_NAME = ("checked out to", "checked out", "assigned to")
CHECKOUT_TYPE = ("checkout type", "type")
COST = ("purchase cost", "cost")
# The report writes a status as "Label (type)": "Ready to Deploy (deployable)", "In Use (deployed)".
_STATUS_TYPE = re.compile(
    r"^(?P<label>.*?)\s*\((?P<meta>deployed|deployable|pending|undeployable|archived)\)$",
    re.IGNORECASE,
)
CHECKED_OUT_LOCATION = ("checked out to: location",)
FIRST, LAST = ("checked out to: first name",), ("checked out to: last name",)
READ_BY_ASSETS = {h for names, _ in ASSET_COLUMNS for h in names} | {
    "category", "status", "status label", "location", *COST, "department", *EMAIL, *USERNAME,
    *CHECKED_OUT_NAME, *CHECKOUT_TYPE, *CHECKED_OUT_LOCATION, *FIRST, *LAST,
}  # fmt: skip


def kind_of(raw: RawSheet) -> str:
    """Which Snipe-IT export this is: assets, licenses or users (from its headers)."""
    pos = position(raw)
    if "asset tag" in pos:
        return "assets"
    if "seats" in pos or "product key" in pos:
        return "licenses"
    if "username" in pos and ("first name" in pos or "email" in pos):
        return "users"
    raise PresetError(
        f"{raw.name}: not a Snipe-IT export: an asset file has an 'Asset Tag' column, "
        "a license file 'Seats', a user file 'Username' and 'First Name'"
    )


def translate(raw: RawSheet, ctx: Context) -> Translated:
    kind = kind_of(raw)
    return {"assets": assets, "licenses": licenses, "users": users}[kind](raw, ctx)


def person_ids(email: pd.Series, username: pd.Series) -> pd.Series:
    """A person's id: the e-mail in lower case where present, else the username as written."""
    return first_of(lower(email), username)


# ------------------------------------------------------------------ assets


def assets(raw: RawSheet, ctx: Context) -> Translated:
    """Assets, and the people they are checked out to (those not stored yet)."""
    pos = position(raw)
    b = Builder(raw, "assets")
    for names, column in ASSET_COLUMNS:
        b.column(
            pos, names, column, fix=dates if column in ("purchase_date", "warranty_end") else None
        )
    b.column(pos, ("category",), "category", words=CATEGORY)
    b.column(pos, COST, "purchase_cost", fix=lambda s: strip_thousands(money(s)))
    checked_out, to_person = _checkout(raw, pos)
    _status(b, raw, pos, checked_out, ctx)
    _location(b, raw, pos)
    pid = person_ids(text(raw, pick(pos, *EMAIL)), text(raw, pick(pos, *USERNAME))).where(to_person)
    p = pick(pos, *EMAIL) if pick(pos, *EMAIL) is not None else pick(pos, *USERNAME)
    if p is not None:
        b.add(raw.headers[p], "assigned_to", pid)
    sheets = [b.build(errors=list(raw.errors))]
    people = _people_of_assets(raw, pos, pid, ctx.known_people)
    if people is not None:
        sheets.append(people)
    return Translated(sheets, unread(raw, pos, READ_BY_ASSETS, "Snipe-IT"))


def _checkout(raw: RawSheet, pos: dict[str, int]) -> tuple[pd.Series, pd.Series]:
    """(checked out to anyone or anywhere, checked out to a person), row by row."""
    kind = lower(text(raw, pick(pos, *CHECKOUT_TYPE)))
    # Only Snipe-IT's own checkout kinds count: a custom field also called "Type" does not.
    kind = kind.where(kind.isin(["user", "location", "asset"]))
    who = [
        text(raw, pick(pos, *names)) for names in (EMAIL, USERNAME, CHECKED_OUT_NAME, FIRST, LAST)
    ]
    where = text(raw, pick(pos, *CHECKED_OUT_LOCATION))
    someone = pd.concat(who, axis=1).notna().any(axis=1)
    # Without a Checkout Type column, a person named in a checkout column is the assignee.
    to_person = someone & (kind.isna() | (kind == "user"))
    checked_out = kind.notna() | someone | where.notna()
    return checked_out.reset_index(drop=True), to_person.reset_index(drop=True)


def _status(
    b: Builder, raw: RawSheet, pos: dict[str, int], checked_out: pd.Series, ctx: Context
) -> None:
    p = pick(pos, "status", "status label")
    if p is None:
        # The import template has no Status: checked out means deployed, the rest is in stock.
        b.add(
            "(status)",
            "status",
            pd.Series(np.where(checked_out, "deployed", "in_stock"), dtype=object),
        )
        return
    users = valuemaps.for_column(valuemaps.normalise(ctx.values), raw.headers[p], "status")
    values = text(raw, p).reset_index(drop=True).map(lambda v: _label(v, users))
    # Snipe-IT shows a checked-out "Ready to Deploy" asset as Deployed.
    ready = lower(values).map(
        lambda v: STATUS.get(v) == "in_stock" if isinstance(v, str) else False
    )
    b.add(
        raw.headers[p], "status", values.mask(ready.astype(bool) & checked_out, "Deployed"), STATUS
    )


def _label(v, users: dict[str, str]):
    """A report's "Label (type)": the label where a map knows it, else Snipe-IT's status type."""
    m = _STATUS_TYPE.match(v) if isinstance(v, str) else None
    if m is None:
        return v
    label, meta = m.group("label"), m.group("meta").lower()
    if valuemaps.key(v) in users or valuemaps.key(label) in users:
        return v if valuemaps.key(v) in users else label
    if label.lower() in STATUS:
        return "Deployed" if meta == "deployed" else label
    return meta


def _location(b: Builder, raw: RawSheet, pos: dict[str, int]) -> None:
    """Where an asset is: the location it is checked out to, else its own location."""
    own, out = pick(pos, "location"), pick(pos, *CHECKED_OUT_LOCATION)
    if own is None and out is None:
        return
    values = first_of(text(raw, out), text(raw, own))
    b.add(raw.headers[own if own is not None else out], "location", values)


def _people_of_assets(
    raw: RawSheet, pos: dict[str, int], pid: pd.Series, known: set[str]
) -> RawSheet | None:
    """One person per assignee not stored yet: a Snipe-IT asset file must not blank out
    the department and cost center an HR import gave a person."""
    p = pick(pos, *EMAIL) if pick(pos, *EMAIL) is not None else pick(pos, *USERNAME)
    if p is None:
        return None
    full = (
        text(raw, pick(pos, *FIRST)).fillna("") + " " + text(raw, pick(pos, *LAST)).fillna("")
    ).str.strip()
    name = first_of(text(raw, pick(pos, *CHECKED_OUT_NAME)), full.where(full != "", np.nan))
    keep = (pid.notna() & ~pid.isin(known) & ~pid.duplicated()).to_numpy()
    if not keep.any():
        return None
    b = Builder(raw, "people")
    b.add(raw.headers[p], "person_id", pid)
    b.add("(name)", "name", name)
    # The report's Department is the department of the user the asset is checked out to.
    b.column(pos, ("department",), "department")
    return b.build(keep=keep)


# ------------------------------------------------------------------ users


def users(raw: RawSheet, ctx: Context) -> Translated:
    """People: person_id is the e-mail (lower case) where present, else the username."""
    pos = position(raw)
    email, username = pick(pos, "email"), pick(pos, "username")
    b = Builder(raw, "people")
    pid = person_ids(text(raw, email), text(raw, username))
    b.add(raw.headers[email if email is not None else username], "person_id", pid)
    first, last = text(raw, pick(pos, "first name")), text(raw, pick(pos, "last name"))
    full = (first.fillna("") + " " + last.fillna("")).str.strip()
    b.add(
        "First Name",
        "name",
        first_of(full.where(full != "", np.nan), text(raw, pick(pos, "display name", "name"))),
    )
    _keep_stored(b, raw, pos, pid, ctx)
    read = {
        "email",
        "username",
        "first name",
        "last name",
        "display name",
        "department",
        "location",
    }
    return Translated([b.build(errors=list(raw.errors))], unread(raw, pos, read, "Snipe-IT users"))


def _keep_stored(
    b: Builder, raw: RawSheet, pos: dict[str, int], pid: pd.Series, ctx: Context
) -> None:
    """Department, cost center, location and active from the file where it has them, else as stored.

    An imported row replaces a stored person entirely; a Snipe-IT user list must not blank
    the cost center an HR import gave someone (Snipe-IT has none)."""
    stored = ctx.stored_people() if ctx.stored_people else pd.DataFrame()
    stored = stored.drop_duplicates("person_id").set_index("person_id") if len(stored) else None
    for column in ("department", "cost_center", "location", "active"):
        p = pick(pos, column.replace("_", " ")) if column != "active" else None
        values = text(raw, p).reset_index(drop=True)
        if stored is not None:
            kept = pid.map(stored[column]).map(_as_text)
            values = values.where(values.notna(), kept)
        if p is not None or values.notna().any():
            b.add(raw.headers[p] if p is not None else f"(stored {column})", column, values)


def _as_text(v):
    if v is None or (isinstance(v, float) and v != v):
        return np.nan
    return ("true" if v else "false") if isinstance(v, (bool, np.bool_)) else str(v)


# ------------------------------------------------------------------ licenses


def licenses(raw: RawSheet, ctx: Context) -> Translated:
    """Entitlements (one per license: its name and product key), and titles not stored yet.

    Snipe-IT's import writes one row per checked-out seat: rows repeating a
    license (same name and key) are one entitlement. Purchase cost is the
    license's, so unit_cost = cost / seats.
    """
    pos = position(raw)
    name_p = pick(pos, "item name", "license name", "name", "license")
    if name_p is None:
        raise PresetError(
            f"{raw.name}: no 'Item Name' or 'Name' column: this is not a Snipe-IT license file"
        )
    title = text(raw, name_p).reset_index(drop=True)
    key_p = pick(pos, "serial number", "product key", "serial")
    key = text(raw, key_p).reset_index(drop=True)
    ent_id = first_of(key, title)
    keep = (~pd.DataFrame({"t": title, "k": key}).duplicated()).to_numpy()
    b = Builder(raw, "entitlements")
    b.add(raw.headers[key_p if key_p is not None else name_p], "entitlement_id", ent_id)
    b.add(raw.headers[name_p], "title_id", title)
    seats_p = pick(pos, "seats", "total seats")
    seats = text(raw, seats_p).reset_index(drop=True)
    if seats_p is not None:
        b.add(raw.headers[seats_p], "quantity", seats)
    cost_p = pick(pos, *COST)
    if cost_p is not None:
        b.add(
            raw.headers[cost_p],
            "unit_cost",
            _per_seat(strip_thousands(money(text(raw, cost_p))), seats),
        )
    b.column(pos, ("purchase date",), "purchase_date", fix=dates)
    b.column(pos, ("expiration date", "expires"), "term_end", fix=dates)
    sheets = [
        _titles(raw, pos, name_p, title, keep, ctx.known_titles),
        b.build(errors=list(raw.errors), keep=keep),
    ]
    read = {
        "item name",
        "license name",
        "name",
        "license",
        "serial number",
        "product key",
        "serial",
        "seats",
        "total seats",
        "purchase cost",
        "purchase date",
        "expiration date",
        "expires",
        "manufacturer",
    }
    warns = unread(raw, pos, read, "Snipe-IT licenses")
    if sheets[0] is not None:
        unknown = int((sheets[0].data[2] == "Unknown").sum())
        if unknown:
            warns.append(
                f"{raw.name}: {unknown} new title(s) without a manufacturer get the publisher "
                "'Unknown' (the package requires one)"
            )
    return Translated([s for s in sheets if s is not None], warns)


def _per_seat(cost: pd.Series, seats: pd.Series) -> pd.Series:
    """cost / seats where both are numbers; otherwise the cost as written (the validator speaks)."""
    c = pd.to_numeric(cost.reset_index(drop=True), errors="coerce")
    s = pd.to_numeric(seats, errors="coerce")
    ok = c.notna() & s.notna() & (s > 0)
    out = cost.reset_index(drop=True).astype(object).copy()
    out[ok] = (c[ok] / s[ok]).map(lambda v: f"{v:.4f}")
    return out


def _titles(
    raw: RawSheet,
    pos: dict[str, int],
    name_p: int,
    title: pd.Series,
    keep: np.ndarray,
    known: set[str],
) -> RawSheet | None:
    """Software titles for licenses whose title is not stored yet (publisher: the manufacturer)."""
    new = (title.notna() & ~title.isin(known) & ~title.duplicated()).to_numpy()
    if not new.any():
        return None
    b = Builder(raw, "software")
    b.add(raw.headers[name_p], "title_id", title)
    b.add(raw.headers[name_p], "title", title)
    publisher = text(raw, pick(pos, "manufacturer")).reset_index(drop=True)
    # The package requires a publisher; Snipe-IT does not. Say so rather than refuse the file.
    b.add(
        "manufacturer"
        if pick(pos, "manufacturer") is None
        else raw.headers[pick(pos, "manufacturer")],
        "publisher",
        publisher.fillna("Unknown"),
    )
    return b.build(keep=new)
