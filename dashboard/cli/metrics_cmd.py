"""`python -m dashboard metrics`: headline values or breakdowns, as a table or JSON.

Contract: without --by, {"as_of", "values": {metric: number | null}} with every
requested metric (all 66 by default); with --by DIM, {"as_of", "by", "values":
{metric: {member: number}}} with the additive metrics that support DIM (and
any metric named with --metric that supports it). With --trend N and one
--metric: {"metric", "points": [{"as_of", "value": number | null, "source":
"recorded" | "recomputed" | "none"}]}, one point per month end of the N months
before the as-of date, then the as-of date (dashboard/history.py says where a
past value comes from).
"""

from __future__ import annotations

import datetime as dt
import sys

from dashboard import history
from dashboard.cli.common import (
    add_as_of,
    add_db,
    add_filters,
    add_json,
    fail,
    filters_dict,
    print_json,
)
from dashboard.database import get_engine
from dashboard.fmt import metric_value
from dashboard.store import get_setting
from metrics import api
from metrics.catalog import METRICS
from metrics.dimensions import ALL_DIMENSIONS


def configure(p) -> None:
    add_db(p)
    add_as_of(p)
    p.add_argument(
        "--metric",
        nargs="+",
        action="extend",
        default=[],
        metavar="ID",
        help="metric ids (default: all 66); repeatable",
    )
    p.add_argument(
        "--by",
        choices=ALL_DIMENSIONS,
        metavar="DIM",
        help=f"break down by one of: {', '.join(ALL_DIMENSIONS)}",
    )
    p.add_argument(
        "--trend",
        type=int,
        metavar="N",
        help="one --metric's value at the N month ends before the as-of date, then "
        "at it, each point marked recorded, recomputed or none",
    )
    add_filters(p)
    add_json(p, "print JSON (the stable contract)")


def _requested(args) -> list[str]:
    unknown = [m for m in args.metric if m not in METRICS]
    if unknown:
        raise SystemExit(f"unknown metric: {', '.join(unknown)} (see `metrics` without --metric)")
    return list(dict.fromkeys(args.metric)) or list(METRICS)


def _usable(ids: list[str], dims: list[str]) -> tuple[list[str], list[str]]:
    ok = [m for m in ids if api.supports(m, dims)]
    return ok, [m for m in ids if m not in ok]


def run(args) -> int:
    as_of = args.as_of or dt.date.today()
    filters = filters_dict(args.filter)
    ids = _requested(args)
    engine = get_engine(args.db)
    currency = get_setting(engine, "currency", "EUR") or "EUR"
    if args.trend is not None:
        return _run_trend(args, engine, as_of, filters, currency)
    if args.by:
        return _run_by(args, engine, as_of, ids, filters, currency)
    usable, unavailable = _usable(ids, list(filters))
    values = api.compute(engine, as_of, usable, filters)
    out = {"as_of": as_of.isoformat(), "values": {m: values.get(m) for m in ids}}
    if unavailable:
        out["not_available"] = unavailable
    if args.json:
        print_json(out)
        return 0
    _print_table(as_of, filters, ids, out["values"], unavailable, currency)
    return 0


def _run_by(args, engine, as_of, ids, filters, currency) -> int:
    dims = [args.by, *filters]
    if args.metric:
        chosen, skipped = _usable(ids, dims)
    else:
        chosen = [m for m in ids if METRICS[m].is_additive and api.supports(m, dims)]
        skipped = []
    for m in skipped:
        print(
            f"note: {m} cannot be broken down by {', '.join(dims)}: its rows carry "
            f"{', '.join(api.dimensions(m)) or 'no dimension'}",
            file=sys.stderr,
        )
    values = {m: api.breakdown(engine, m, args.by, as_of, filters) for m in chosen}
    if args.json:
        print_json({"as_of": as_of.isoformat(), "by": args.by, "values": values})
        return 0
    print(f"As of {as_of.isoformat()}, by {args.by}{_filters_text(filters)}")
    for m, members in values.items():
        print(f"\n{METRICS[m].label} ({m})")
        width = max((len(k) for k in members), default=0)
        for member, value in members.items():
            print(
                f"  {member:<{width}}  {metric_value(value, METRICS[m].unit, currency, False):>20}"
            )
    return 0


def _run_trend(args, engine, as_of, filters, currency) -> int:
    if len(args.metric) != 1 or args.by:
        return fail("--trend takes exactly one --metric (and no --by)", 2)
    if args.trend < 0:
        return fail("--trend N: N is a number of months, 0 or more", 2)
    metric = args.metric[0]
    if not api.supports(metric, list(filters)):
        return fail(
            f"{metric} cannot be filtered by {', '.join(filters)}: its rows carry "
            f"{', '.join(api.dimensions(metric)) or 'no dimension'}",
            2,
        )
    points = history.trend_points(engine, metric, as_of, args.trend, filters or None)
    if args.json:
        print_json({"metric": metric, "points": points})
        return 0
    unit = METRICS[metric].unit
    print(
        f"{METRICS[metric].label} ({metric}), month ends to {as_of.isoformat()}"
        f"{_filters_text(filters)}"
    )
    for p in points:
        shown = "-" if p["value"] is None else metric_value(p["value"], unit, currency, False)
        print(f"  {p['as_of']}  {shown:>20}  {p['source']}")
    return 0


def _filters_text(filters) -> str:
    if not filters:
        return ""
    return " where " + " and ".join(f"{d} in ({', '.join(v)})" for d, v in filters.items())


def _print_table(as_of, filters, ids, values, unavailable, currency) -> None:
    print(f"As of {as_of.isoformat()}{_filters_text(filters)}")
    width = max(len(METRICS[m].label) for m in ids)
    category = None
    for m in ids:
        metric = METRICS[m]
        if metric.category != category:
            category = metric.category
            print(f"\n{category.upper()}")
        shown = (
            "not available for these filters"
            if m in unavailable
            else metric_value(values[m], metric.unit, currency, False)
        )
        print(f"  {metric.label:<{width}}  {shown:>24}  {m}")
