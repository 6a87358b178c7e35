"""Cloud bills into `cloud_spend`: AWS Cost and Usage Report and Azure cost management exports.

A bill has one line per resource and hour or day; the package keeps one row per
(month, provider, service, department, cost center). The preset sums the lines
to that grain. Department and cost center come from the resources' tags (tag
keys such as Department, Dept, CostCenter, cost-center, any case), through the
user's value map (by the tag's column, e.g. `resourceTags/user:Department` or
`Tags.Department`, or by `department`/`cost_center`) *before* summing, so two
tag spellings mapped to one department become one row. Sources: docs/decisions.md.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard import valuemaps
from dashboard.presets.common import (
    Builder,
    Context,
    PresetError,
    Translated,
    money,
    pick,
    position,
    text,
)
from dashboard.readers import RawSheet, error

TAG_KEYS = {
    "department": {"department", "dept"},
    "cost_center": {"costcenter", "costcentre"},
}


@dataclass(frozen=True)
class Bill:
    tool: str
    provider: str
    dates: tuple[str, ...]
    costs: tuple[str, ...]
    services: tuple[str, ...]
    tag_json: tuple[str, ...]  # columns holding all tags as one JSON map
    tag_prefix: str | None  # legacy CUR: one column per tag, "resourceTags/user:Department"
    cost_center: tuple[str, ...] = ()  # a column of its own (Azure EA's CostCenter)
    default_order: str | None = None  # the documented order of a slashed date


AWS = Bill(
    "AWS Cost and Usage Report", "aws",
    dates=("lineitem/usagestartdate", "line_item_usage_start_date", "bill/billingperiodstartdate",
           "bill_billing_period_start_date"),
    costs=("lineitem/unblendedcost", "line_item_unblended_cost"),
    services=("product/productname", "product_product_name", "lineitem/productcode", "line_item_product_code",
              "product_servicecode", "product/servicecode"),
    tag_json=("resource_tags",),
    tag_prefix="resourcetags/",
)  # fmt: skip
AZURE = Bill(
    "Azure cost management export", "azure",
    dates=("date", "usagedatetime", "usagedate", "billingperiodstartdate"),
    costs=("costinbillingcurrency", "cost", "pretaxcost", "costinusd"),
    services=("metercategory", "servicename", "consumedservice"),
    tag_json=("tags",),
    tag_prefix=None,
    cost_center=("costcenter",),
    default_order="mdy",  # Azure writes the Date column as MM/DD/YYYY
)  # fmt: skip

_ISO = re.compile(r"^(\d{4})-(\d{2})(?:-\d{2})?(?:[T ].*)?$")
_SLASH = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?:[ T].*)?$")


def aws(raw: RawSheet, ctx: Context) -> Translated:
    return translate(raw, AWS, ctx)


def azure(raw: RawSheet, ctx: Context) -> Translated:
    return translate(raw, AZURE, ctx)


def translate(raw: RawSheet, bill: Bill, ctx: Context) -> Translated:
    pos = position(raw)
    date_p, cost_p, service_p = (
        pick(pos, *bill.dates),
        pick(pos, *bill.costs),
        pick(pos, *bill.services),
    )
    if date_p is None or cost_p is None:
        raise PresetError(
            f"{raw.name}: no {bill.dates[0]!r} or {bill.costs[0]!r} column: "
            f"this is not an {bill.tool} file"
        )
    errors = list(raw.errors)
    warns: list[str] = []
    month = _months(raw, date_p, bill, ctx, errors, warns)
    cost = _costs(raw, cost_p, errors)
    tags, labels = _tags(raw, pos, bill, ctx, errors)
    frame = pd.DataFrame({
        "month": month, "service": _services(raw, pos, service_p),
        "department": tags["department"], "cost_center": tags["cost_center"],
        "cost": cost, "row": raw.rows,
    })  # fmt: skip
    if errors:  # nothing sensible to sum: report every bad line at once
        return Translated(
            [_sheet(raw, frame.iloc[0:0], bill, date_p, cost_p, service_p, labels, errors)], warns
        )
    summed = _sum(frame)
    for r in summed[summed["cost"] < 0].itertuples():
        errors.append(
            error(
                raw.name,
                int(r.row),
                raw.headers[cost_p],
                f"{r.cost:.2f}",
                "the lines of this month, service, department and cost center add up to less "
                "than zero (credits larger than charges): a month's cost cannot be negative",
            )
        )
    warns.append(
        f"{raw.name}: {len(frame):,} bill lines summed into {len(summed):,} rows "
        "(month, service, department, cost center)"
    )
    return Translated([_sheet(raw, summed, bill, date_p, cost_p, service_p, labels, errors)], warns)


def _services(raw: RawSheet, pos: dict[str, int], service_p: int | None) -> pd.Series:
    """The service of each line; CUR 2.0 keeps the product name in its `product` map
    (legacy CUR's product/ProductName), so both kinds of report name a service alike."""
    service = text(raw, service_p).reset_index(drop=True)
    product_p = pick(pos, "product")
    if product_p is None or (
        service_p is not None and raw.headers[service_p].lower() == "product/productname"
    ):
        return service
    names = {}
    for v in text(raw, product_p).dropna().unique():
        try:
            d = json.loads(v)
        except json.JSONDecodeError:
            continue
        if (
            isinstance(d, dict)
            and isinstance(d.get("product_name"), str)
            and d["product_name"].strip()
        ):
            names[v] = d["product_name"].strip()
    named = text(raw, product_p).reset_index(drop=True).map(names)
    return named.where(named.notna(), service)


def _sum(frame: pd.DataFrame) -> pd.DataFrame:
    keys = ["month", "service", "department", "cost_center"]
    filled = frame.assign(**{k: frame[k].fillna("\x00") for k in keys})
    out = (
        filled.groupby(keys, sort=True, dropna=False)
        .agg(cost=("cost", "sum"), row=("row", "min"))
        .reset_index()
    )
    for k in keys:
        out[k] = out[k].where(out[k] != "\x00", np.nan)
    out["cost"] = out["cost"].round(2)
    return out.sort_values("row").reset_index(drop=True)


def _sheet(
    raw: RawSheet,
    summed: pd.DataFrame,
    bill: Bill,
    date_p: int,
    cost_p: int,
    service_p: int | None,
    labels: dict[str, str],
    errors: list[dict],
) -> RawSheet:
    view = RawSheet(
        raw.name,
        raw.headers,
        summed,
        summed["row"].to_numpy(dtype=np.int64),
        [],
        raw.decimal_comma,
        raw.kind,
    )
    b = Builder(view, "cloud_spend")
    b.add(raw.headers[date_p], "month", summed["month"])
    b.constant("provider", bill.provider)
    if service_p is not None:
        b.add(raw.headers[service_p], "service", summed["service"])
    for column in ("department", "cost_center"):
        if column in labels:
            b.add(labels[column], column, summed[column])
    b.add(raw.headers[cost_p], "cost", summed["cost"].map(lambda v: f"{v:.2f}"))
    sheet = b.build(errors=errors)
    sheet.notes = list(getattr(raw, "notes", []))
    return sheet


def _costs(raw: RawSheet, p: int, errors: list[dict]) -> pd.Series:
    values = text(raw, p).reset_index(drop=True)
    out = pd.to_numeric(values, errors="coerce")  # bills write plain decimals: the fast path
    odd = out.isna() & values.notna()
    if odd.any():
        out[odd] = pd.to_numeric(money(values[odd]), errors="coerce")
    for i in np.flatnonzero(out.isna().to_numpy()):
        v = values.iat[i]
        reason = "not a number" if isinstance(v, str) else "a required value is blank"
        errors.append(
            error(
                raw.name,
                int(raw.rows[i]),
                raw.headers[p],
                v if isinstance(v, str) else None,
                reason,
            )
        )
    return out.fillna(0.0)


def _months(
    raw: RawSheet, p: int, bill: Bill, ctx: Context, errors: list[dict], warns: list[str]
) -> pd.Series:
    """YYYY-MM of each line; a slashed column is read in the order its own values settle."""
    values = text(raw, p).reset_index(drop=True).astype(object)
    # A bill repeats a few hundred timestamps: parse each distinct one once.
    distinct = pd.Series(values.dropna().unique(), dtype=object)
    iso = distinct.str.extract(_ISO.pattern) if len(distinct) else pd.DataFrame(columns=[0, 1])
    sl = distinct.str.extract(_SLASH.pattern) if len(distinct) else pd.DataFrame(columns=[0, 1, 2])
    first, second = pd.to_numeric(sl[0]), pd.to_numeric(sl[1])
    settled = bool((first > 12).any() or (second > 12).any())
    order = _order(
        bool((first > 12).any()), bool((second > 12).any()), ctx.date_order or bill.default_order
    )
    if order is None:
        errors.append(
            error(
                raw.name,
                None,
                raw.headers[p],
                None,
                "dates are written both day-first and month-first (values above 12 in both "
                "places): write them as YYYY-MM-DD",
            )
        )
        return pd.Series([None] * len(values), dtype=object)  # one problem, not one per line
    if sl[0].notna().any() and ctx.date_order is None and not settled:
        warns.append(
            f"{raw.name}: column {raw.headers[p]!r} read month-first (MM/DD/YYYY, as "
            f"{bill.tool.split()[0]} writes it); --date-order dmy reads it day-first"
        )
    month = first if order == "mdy" else second
    year = sl[2].where(sl[2].str.len() == 4, "20" + sl[2])
    ok = month.between(1, 12)
    slashed = (year + "-" + month.where(ok).map(lambda m: f"{int(m):02d}" if m == m else m)).where(
        ok
    )
    parsed = (iso[0] + "-" + iso[1]).where(iso[0].notna(), slashed)
    out = values.map(dict(zip(distinct, parsed, strict=True))).astype(object)
    out = out.where(out.notna(), None)
    for i in np.flatnonzero(out.isna().to_numpy()):
        v = values.iat[i]
        text_v = v if isinstance(v, str) else None
        reason = "a required value is blank" if text_v is None else "not a date"
        errors.append(error(raw.name, int(raw.rows[i]), raw.headers[p], text_v, reason))
    return out


def _order(first: bool, second: bool, fallback: str | None) -> str | None:
    """mdy or dmy from the column's own values (a part above 12 is the day); None if they disagree."""
    if first and second:
        return None
    return "dmy" if first else "mdy" if second else (fallback or "mdy")


def _tag_key(k: str) -> str:
    k = k.strip().lower()
    for prefix in ("user:", "user_", "aws:"):
        k = k.removeprefix(prefix)
    return re.sub(r"[^a-z0-9]", "", k)


def _tags(
    raw: RawSheet, pos: dict[str, int], bill: Bill, ctx: Context, errors: list[dict]
) -> tuple[dict[str, pd.Series], dict[str, str]]:
    """Department and cost center of each line, and the label each came from (for messages)."""
    n = len(raw.data)
    out = {c: pd.Series([np.nan] * n, dtype=object) for c in TAG_KEYS}
    labels: dict[str, str] = {}
    if bill.tag_prefix:
        for h, p in pos.items():
            if h.startswith(bill.tag_prefix):
                _take(
                    out, labels, _tag_key(h[len(bill.tag_prefix) :]), raw.headers[p], text(raw, p)
                )
    json_p = pick(pos, *bill.tag_json)
    if json_p is not None:
        parsed = _parse_json_tags(raw, json_p, errors)
        for key in sorted({k for d in parsed for k in d}):
            values = pd.Series([d.get(key) for d in parsed], dtype=object)
            _take(out, labels, _tag_key(key), f"{raw.headers[json_p]}.{key}", values)
    cc_p = pick(pos, *bill.cost_center)
    if cc_p is not None:
        _take(out, labels, "costcenter", raw.headers[cc_p], text(raw, cc_p))
    for column, label in labels.items():
        pairs = valuemaps.for_column(valuemaps.normalise(ctx.values), label, column)
        out[column] = valuemaps.apply(out[column], pairs)
    return out, labels


def _take(
    out: dict[str, pd.Series], labels: dict[str, str], key: str, label: str, values: pd.Series
) -> None:
    """Fill a package column from a tag, where an earlier tag left it blank."""
    for column, keys in TAG_KEYS.items():
        if key in keys:
            values = values.reset_index(drop=True).map(
                lambda v: v.strip() if isinstance(v, str) else v
            )
            values = values.where(values.map(lambda v: isinstance(v, str) and v != ""), np.nan)
            out[column] = out[column].where(out[column].notna(), values)
            labels.setdefault(column, label)


def _parse_json_tags(raw: RawSheet, p: int, errors: list[dict]) -> list[dict]:
    """Azure writes `"Dept": "Sales","env": "prod"` (with or without braces); CUR 2.0 a JSON map."""
    out = []
    for i, v in enumerate(text(raw, p).reset_index(drop=True)):
        if not isinstance(v, str):
            out.append({})
            continue
        try:
            d = json.loads(v if v.startswith("{") else "{" + v + "}")
            out.append(
                {str(k): (str(x) if x is not None else None) for k, x in d.items()}
                if isinstance(d, dict)
                else {}
            )
        except json.JSONDecodeError:
            errors.append(
                error(
                    raw.name,
                    int(raw.rows[i]),
                    raw.headers[p],
                    v,
                    'tags are not a JSON map like {"Department": "Sales"}',
                )
            )
            out.append({})
    return out
