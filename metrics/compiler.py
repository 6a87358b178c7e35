"""One compiler: metric + as-of + filters + breakdown -> (sql, params).

SQL uses named parameters (`:name`); values never enter the text. Column
names come from the dimension registry. A breakdown wraps the subject with
GROUP BY; a headline computes every requested measure of one subject in a
single scan with FILTER clauses.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence

from metrics.catalog.base import Metric
from metrics.dimensions import NONE_MEMBER, column
from metrics.subjects import SUBJECTS

Filters = Mapping[str, Sequence[str]]

_PARAM = re.compile(r"(?<![:\w]):([a-z_][a-z0-9_]*)")


def aggregate(metric: Metric, filtered: bool = True) -> str:
    """The measure's aggregate over its subject's rows, limited to its own rows."""
    flt = f" FILTER (WHERE {metric.where})" if filtered and metric.where != "true" else ""
    if metric.agg == "count":
        sql = f"count({metric.expr}){flt}"
    elif metric.agg == "count_distinct":
        sql = f"count(DISTINCT {metric.expr}){flt}"
    elif metric.agg == "sum":
        # A sum over no rows is 0 (metrics.md); a blank number adds 0.
        sql = f"coalesce(sum({metric.expr}){flt}, 0)"
    elif metric.agg in ("avg", "max"):
        sql = f"{metric.agg}({metric.expr}){flt}"
    else:  # pragma: no cover - the validator refuses it
        raise ValueError(f"unknown aggregate {metric.agg}")
    if metric.factor != 1:
        sql = f"{metric.factor!r} * {sql}"
    return sql


def where_dims(filters: Filters | None, exclude: Filters | None, params: dict) -> list[str]:
    """SQL conditions for dimension filters (OR within, AND across) and exclusions."""
    clauses = []
    for kind, spec in (("f", filters or {}), ("x", exclude or {})):
        for dim, values in spec.items():
            col = column(dim)
            values = list(dict.fromkeys(values))
            names = []
            for value in values:
                if value == NONE_MEMBER:
                    continue
                name = f"{kind}{len(params)}"
                params[name] = value
                names.append(f":{name}")
            has_none = NONE_MEMBER in values
            listed = f"{col} IN ({', '.join(names)})" if names else None
            if kind == "f":
                parts = [p for p in (listed, f"{col} IS NULL" if has_none else None) if p]
                clauses.append("(" + " OR ".join(parts) + ")" if parts else "false")
            else:
                keep = [f"{col} NOT IN ({', '.join(names)})" if names else None]
                if has_none:
                    keep.append(f"{col} IS NOT NULL")
                    clauses.append("(" + " AND ".join(k for k in keep if k) + ")")
                else:
                    clauses.append(f"({col} IS NULL OR {keep[0]})" if names else "true")
    return clauses


def headline(subject: str, measures: Iterable[Metric], filters=None, exclude=None):
    """One scan of `subject` computing every measure: (sql, params)."""
    params: dict = {}
    cond = where_dims(filters, exclude, params)
    cols = ",\n  ".join(f'{aggregate(m)} AS "{m.id}"' for m in measures)
    sql = f"SELECT\n  {cols}\nFROM ({SUBJECTS[subject].sql}) s"
    if cond:
        sql += "\nWHERE " + " AND ".join(cond)
    return sql, params


def over_days(sql: str, params: Mapping[str, object], days_params: Sequence[Mapping[str, object]]):
    """One statement running `sql` once per as-of date: (sql, params).

    Day i's copy has its parameters renamed `<name>__i` and its rows tagged
    with `day_index` i. One statement instead of one per day saves DuckDB's
    per-statement cost (a 12-month sparkline is 13 days), in the SQL subset
    that PostgreSQL shares.
    """
    used = used_params(sql)
    parts, bound = [], {}
    for i, day_params in enumerate(days_params):
        renamed = _PARAM.sub(lambda m, i=i: f":{m.group(1)}__{i}", sql)
        parts.append(f"SELECT {i} AS day_index, q{i}.*\nFROM (\n{renamed}\n) q{i}")
        merged = {**day_params, **params}
        bound.update({f"{k}__{i}": v for k, v in merged.items() if k in used})
    return "\nUNION ALL\n".join(parts), bound


def breakdown(metrics: Sequence[Metric], by: str, filters=None, exclude=None):
    """Measures of one subject grouped by the dimension `by`: (sql, params).

    Only members that have rows of at least one of the measures are listed.
    """
    subject = metrics[0].subject
    params: dict = {}
    cond = where_dims(filters, exclude, params)
    own = [m.where for m in metrics]
    if "true" not in own:
        cond.append("(" + " OR ".join(f"({w})" for w in own) + ")")
    col = column(by)
    cols = ",\n  ".join(f'{aggregate(m)} AS "{m.id}"' for m in metrics)
    sql = f"SELECT {col} AS member,\n  {cols}\nFROM ({SUBJECTS[subject].sql}) s"
    if cond:
        sql += "\nWHERE " + " AND ".join(cond)
    sql += f"\nGROUP BY {col}"
    return sql, params


def grouping_sets(
    metrics: Sequence[Metric], sets: Sequence[Sequence[str]], filters=None, exclude=None
):
    """Measures of one subject grouped by several dimension sets in one scan: (sql, params).

    Rows: one column per dimension named in `sets` (in order of first use), then
    GROUPING(col) of each (0 when the row is grouped by it), then the measures,
    then the number of rows of each measure. A breakdown by several dimensions at
    once (GROUPING SETS, shared by DuckDB and PostgreSQL).
    """
    subject = metrics[0].subject
    params: dict = {}
    cond = where_dims(filters, exclude, params)
    own = [m.where for m in metrics]
    if "true" not in own:
        cond.append("(" + " OR ".join(f"({w})" for w in own) + ")")
    dims = list(dict.fromkeys(d for dset in sets for d in dset))
    cols = [column(d) for d in dims]
    aggs = ",\n  ".join(f'{aggregate(m)} AS "{m.id}"' for m in metrics)
    # whether the member has rows of each measure (a sum over its rows may be 0)
    aggs += ",\n  " + ",\n  ".join(
        f"count(*) FILTER (WHERE {m.where})" if m.where != "true" else "count(*)" for m in metrics
    )
    flags = ", ".join(f"GROUPING({c})" for c in cols)
    sql = f"SELECT {', '.join(cols)}, {flags},\n  {aggs}\nFROM ({SUBJECTS[subject].sql}) s"
    if cond:
        sql += "\nWHERE " + " AND ".join(cond)
    groups = ", ".join("(" + ", ".join(column(d) for d in dset) + ")" for dset in sets)
    sql += f"\nGROUP BY GROUPING SETS ({groups})"
    return sql, params


def records(
    subject: str,
    where: str,
    columns: Sequence[str],
    filters=None,
    exclude=None,
    limit: int | None = None,
):
    """The rows behind a measure: (sql, params)."""
    params: dict = {}
    cond = [f"({where})"] + where_dims(filters, exclude, params)
    cols = ", ".join(f'"{c}"' for c in columns)
    sql = f"SELECT {cols}\nFROM ({SUBJECTS[subject].sql}) s\nWHERE " + " AND ".join(cond)
    if SUBJECTS[subject].order:
        sql += f"\nORDER BY {SUBJECTS[subject].order}"
    if limit is not None:
        sql += f"\nLIMIT {int(limit)}"
    return sql, params


def used_params(sql: str) -> set[str]:
    return set(_PARAM.findall(sql))


def _sql_type(value) -> str:
    if isinstance(value, dt.datetime):
        return "TIMESTAMP"
    if isinstance(value, dt.date):
        return "DATE"
    if isinstance(value, bool):
        return "BOOLEAN"
    if isinstance(value, int):
        return "BIGINT"
    if isinstance(value, float):
        return "DOUBLE"
    return "VARCHAR"


def to_dollar(sql: str, params: Mapping[str, object]) -> str:
    """DuckDB's named-parameter style ($name), typed so the plan is not re-bound."""
    return _PARAM.sub(lambda m: f"CAST(${m.group(1)} AS {_sql_type(params[m.group(1)])})", sql)
