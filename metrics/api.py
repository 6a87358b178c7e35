"""What the app, the CLI and the KPIs ask of the metric engine.

Every function takes an SQLAlchemy engine first. Values follow metrics.md:
a ratio over an empty denominator is None, a sum over no rows is 0.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd
from sqlalchemy import Engine, text

from metrics import compiler, fiscal, materialize
from metrics.catalog import ALL, METRICS
from metrics.catalog.base import Metric
from metrics.dimensions import ALL_DIMENSIONS, DIMENSIONS, MEMBER_SOURCES, NONE_MEMBER
from metrics.params import as_of_params
from metrics.store.connections import raw_cursor
from metrics.subjects import SUBJECTS

Filters = Mapping[str, Sequence[str]]

__all__ = [
    "DIMENSIONS",
    "METRICS",
    "UnknownMetric",
    "UnsupportedDimension",
    "breakdown",
    "breakdown_sets",
    "breakdown_sets_days",
    "compute",
    "compute_days",
    "dimensions",
    "members",
    "records",
    "supports",
    "trend",
]


class UnknownMetric(KeyError):
    """No metric has this id."""

    def __str__(self) -> str:
        return f"unknown metric {self.args[0]!r}"


class UnsupportedDimension(ValueError):
    """The metric's rows do not carry this dimension."""


def _metric(metric_id: str) -> Metric:
    try:
        return ALL[metric_id]
    except KeyError:
        raise UnknownMetric(metric_id) from None


def dimensions(metric_id: str) -> tuple[str, ...]:
    """The drill-down dimensions a metric (or measure) supports."""
    m = _metric(metric_id)
    if m.kind == "simple":
        dims = tuple(d for d in SUBJECTS[m.subject].dimensions if d in DIMENSIONS)
    else:
        common = [set(dimensions(i)) for i in m.inputs]
        dims = tuple(d for d in DIMENSIONS if all(d in c for c in common))
    return dims + m.extra_dimensions


def supports(metric_id: str, dims: Iterable[str]) -> bool:
    have = dimensions(metric_id)
    return all(d in have for d in dims)


def _check(metric_ids: Iterable[str], *specs: Filters | None) -> None:
    for metric_id in metric_ids:
        _metric(metric_id)
        for spec in specs:
            for dim in spec or {}:
                if dim not in ALL_DIMENSIONS:
                    raise UnsupportedDimension(
                        f"unknown dimension {dim!r}; known: {', '.join(DIMENSIONS)}"
                    )
                if not supports(metric_id, [dim]):
                    raise UnsupportedDimension(
                        f"{metric_id} cannot be filtered or broken down by {dim}: its rows "
                        f"carry {', '.join(dimensions(metric_id)) or 'no dimension'}"
                    )


# ---------------------------------------------------------------- execution


def _run(engine: Engine, sql: str, params: dict, frame: bool):
    """Run metric SQL with only the parameters it names: rows, or a DataFrame."""
    used = compiler.used_params(sql)
    bound = {k: v for k, v in params.items() if k in used}
    if engine.dialect.name == "duckdb":
        cur = raw_cursor(engine)
        try:
            result = cur.execute(compiler.to_dollar(sql, bound), bound)
            return result.df() if frame else result.fetchall()
        finally:
            cur.close()
    with engine.connect() as conn:
        if frame:
            return pd.read_sql(text(sql), conn, params=bound)
        return [tuple(r) for r in conn.execute(text(sql), bound).all()]


def _execute(engine: Engine, sql: str, params: dict) -> list[tuple]:
    return _run(engine, sql, params, frame=False)


def _frame(engine: Engine, sql: str, params: dict) -> pd.DataFrame:
    return _run(engine, sql, params, frame=True)


def _number(value) -> float | None:
    if value is None:
        return None
    return float(value)


# ------------------------------------------------------------------ values


def _simple_measures(metric_ids: Iterable[str]) -> dict[str, Metric]:
    """The simple measures the metrics are computed from, by id."""
    out: dict[str, Metric] = {}
    stack = list(metric_ids)
    while stack:
        m = _metric(stack.pop())
        if m.kind == "simple":
            out[m.id] = m
        else:
            stack.extend(m.inputs)
    return out


def _with_scope(exclude: Filters | None, scope: Filters | None, subject: str) -> Filters | None:
    """Explicit exclusions plus the scope switch's, on the dimensions the subject carries.

    Out-of-scope categories and locations leave the rows that carry them; a
    subject whose rows have no category (contracts, cloud spend...) is untouched.
    """
    if not scope:
        return exclude
    merged = {dim: list(values) for dim, values in (exclude or {}).items()}
    for dim, values in scope.items():
        if dim in SUBJECTS[subject].dimensions:
            merged[dim] = list(dict.fromkeys(merged.get(dim, []) + list(values)))
    return merged or None


def active_scope(engine: Engine) -> Filters | None:
    """The exclusions every metric honours now (the strategy's scope switch), or None."""
    return materialize.ensure_fresh(engine)


def _scans(measures: Iterable[Metric]) -> list[tuple[str, list[Metric]]]:
    """Measures grouped into scans: one per subject, distinct counts apart.

    A DISTINCT aggregate beside plain ones makes DuckDB materialise the whole
    subject first (seconds at a million rows); on its own it is one hash pass.
    """
    groups: dict[tuple[str, bool], list[Metric]] = defaultdict(list)
    for m in measures:
        groups[(m.subject, m.agg == "count_distinct")].append(m)
    return [(subject, ms) for (subject, _distinct), ms in groups.items()]


def _combine(metric_id: str, values: Mapping[str, float | None]) -> float | None:
    m = ALL[metric_id]
    if m.kind == "simple":
        return values.get(metric_id)
    parts = [_combine(i, values) for i in m.numerator]
    if m.kind == "sum":
        return None if any(p is None for p in parts) else float(sum(parts))
    den = _combine(m.denominator, values)
    if not den:
        return None
    num = sum(p or 0.0 for p in parts)
    return num / den * m.scale


def compute(
    engine: Engine,
    as_of: dt.date,
    metric_ids: Sequence[str] | None = None,
    filters: Filters | None = None,
    exclude: Filters | None = None,
    in_scope: bool = True,
) -> dict[str, float | None]:
    """Headline values as of `as_of`, one scan per subject.

    With `in_scope` (the default) the exclusions of the strategy's scope switch
    apply too, where the rows carry the dimension (see `_with_scope`).
    """
    return compute_days(engine, [as_of], metric_ids, filters, exclude, in_scope)[as_of]


def compute_days(
    engine: Engine,
    days: Sequence[dt.date],
    metric_ids: Sequence[str] | None = None,
    filters: Filters | None = None,
    exclude: Filters | None = None,
    in_scope: bool = True,
) -> dict[dt.date, dict[str, float | None]]:
    """`compute` as of each of `days`: {day: {metric: value}}, one statement per subject.

    Several days run as one UNION ALL per subject (see `compiler.over_days`);
    the values are those `compute` gives day by day.
    """
    ids = list(metric_ids) if metric_ids is not None else list(METRICS)
    days = list(dict.fromkeys(days))
    _check(ids, filters, exclude)
    if not days:
        return {}
    scope = materialize.ensure_fresh(engine)
    scope = scope if in_scope else None
    fy_start = fiscal.start_month(engine)  # the fiscal year of the data's settings
    per_day = [as_of_params(day, fy_start) for day in days]
    values: list[dict[str, float | None]] = [{} for _ in days]
    for subject, measures in _scans(_simple_measures(ids).values()):
        excl = _with_scope(exclude, scope, subject)
        sql, fparams = compiler.headline(subject, measures, filters, excl)
        if len(days) == 1:
            rows = [(0, *row) for row in _execute(engine, sql, {**per_day[0], **fparams})]
        else:
            rows = _execute(engine, *compiler.over_days(sql, fparams, per_day))
        for index, *row in rows:
            for m, value in zip(measures, row, strict=True):
                values[index][m.id] = _number(value)
    return {day: {i: _combine(i, values[n]) for i in ids} for n, day in enumerate(days)}


def breakdown(
    engine: Engine,
    metric_id: str,
    by: str,
    as_of: dt.date,
    filters: Filters | None = None,
    exclude: Filters | None = None,
    in_scope: bool = True,
) -> dict[str, float | None]:
    """A metric's value per member of `by` ("(none)" for blanks), members with rows only."""
    m = _metric(metric_id)
    if m.kind == "sum":
        raise UnsupportedDimension(f"{metric_id} cannot be broken down")
    _check([metric_id], filters, exclude, {by: []})
    scope = materialize.ensure_fresh(engine)
    scope = scope if in_scope else None
    params = fiscal.params(engine, as_of)
    per_member: dict[str, dict[str, float | None]] = defaultdict(dict)
    for subject, measures in _scans(_simple_measures([metric_id]).values()):
        excl = _with_scope(exclude, scope, subject)
        sql, fparams = compiler.breakdown(measures, by, filters, excl)
        for row in _execute(engine, sql, {**params, **fparams}):
            member = NONE_MEMBER if row[0] is None else str(row[0])
            for measure, value in zip(measures, row[1:], strict=True):
                per_member[member][measure.id] = _number(value)
    out = {}
    for member in sorted(per_member, key=lambda k: (k == NONE_MEMBER, k)):
        values = per_member[member]
        for measure_id in _simple_measures([metric_id]):
            values.setdefault(measure_id, _empty(ALL[measure_id]))
        out[member] = _combine(metric_id, values)
    return out


Members = tuple[str, ...]


def breakdown_sets(
    engine: Engine,
    metric_ids: Sequence[str],
    sets: Sequence[Sequence[str]],
    as_of: dt.date,
    filters: Filters | None = None,
    exclude: Filters | None = None,
    in_scope: bool = True,
) -> dict[tuple[str, tuple[str, ...]], dict[Members, float | None]]:
    """Breakdowns by several dimension sets at once: {(metric, dims): {members: value}}.

    Each (metric, dims) pair where the metric carries every dimension of the set
    gets the values `breakdown` would give member by member (one member tuple per
    combination with rows), with the same scope, exclusions and filters; one
    GROUPING SETS scan per subject instead of one query per metric and set.
    """
    got = breakdown_sets_days(engine, metric_ids, sets, [as_of], filters, exclude, in_scope)
    return got[as_of]


def breakdown_sets_days(
    engine: Engine,
    metric_ids: Sequence[str],
    sets: Sequence[Sequence[str]],
    days: Sequence[dt.date],
    filters: Filters | None = None,
    exclude: Filters | None = None,
    in_scope: bool = True,
) -> dict[dt.date, dict[tuple[str, tuple[str, ...]], dict[Members, float | None]]]:
    """`breakdown_sets` as of each of `days`, one statement per subject (`compiler.over_days`)."""
    sets = [tuple(dset) for dset in sets]
    days = list(dict.fromkeys(days))
    wanted = [
        (mid, dset)
        for mid in dict.fromkeys(metric_ids)
        if _metric(mid).kind != "sum"
        for dset in sets
        if supports(mid, dset)
    ]
    _check({mid for mid, _ in wanted}, filters, exclude)
    if not wanted or not days:
        return {day: {} for day in days}
    scope = materialize.ensure_fresh(engine)  # also builds the derived tables
    scope = scope if in_scope else None
    per_day = [fiscal.params(engine, day) for day in days]
    got: list[dict] = [defaultdict(dict) for _ in days]
    for subject, measures in _scans(_simple_measures({m for m, _ in wanted}).values()):
        own_sets = [d for d in sets if all(x in SUBJECTS[subject].dimensions for x in d)]
        if not own_sets:
            continue
        excl = _with_scope(exclude, scope, subject)
        sql, fparams = compiler.grouping_sets(measures, own_sets, filters, excl)
        dims = list(dict.fromkeys(d for dset in own_sets for d in dset))
        for index, *row in _execute(engine, *compiler.over_days(sql, fparams, per_day)):
            _collect_set_row(got[index], measures, dims, row)
    return {day: _combine_sets(wanted, got[n]) for n, day in enumerate(days)}


def _collect_set_row(got: dict, measures: Sequence[Metric], dims: list[str], row) -> None:
    """One GROUPING SETS row into got[(dims grouped by, members)][measure] = value."""
    n, k = len(dims), len(measures)
    used = tuple(dims[i] for i in range(n) if row[n + i] == 0)
    members = tuple(
        NONE_MEMBER if row[dims.index(d)] is None else str(row[dims.index(d)]) for d in used
    )
    values, counts = row[2 * n : 2 * n + k], row[2 * n + k :]
    for m, value, count in zip(measures, values, counts, strict=True):
        if count:  # as in `breakdown`: a member lists the measures it has rows of
            got[(used, members)][m.id] = _number(value)


def _combine_sets(wanted, got) -> dict[tuple[str, tuple[str, ...]], dict[Members, float | None]]:
    """Each metric's value per member combination, from its measures' (as `breakdown`)."""
    by_set: dict[tuple[str, ...], list] = defaultdict(list)
    for (used, members), values in got.items():
        by_set[tuple(sorted(used))].append((used, members, values))
    out: dict[tuple[str, tuple[str, ...]], dict[Members, float | None]] = {}
    for mid, dset in wanted:
        parts = _simple_measures([mid])
        rows = {}
        for used, members, values in by_set.get(tuple(sorted(dset)), ()):
            # a combination counts for the metric when one of its measures has rows there
            if not any(p in values for p in parts):
                continue
            ordered = tuple(members[used.index(d)] for d in dset)
            full = {p: values.get(p, _empty(ALL[p])) for p in parts}
            rows[ordered] = _combine(mid, full)
        out[(mid, dset)] = dict(
            sorted(rows.items(), key=lambda kv: [(k == NONE_MEMBER, k) for k in kv[0]])
        )
    return out


def members(engine: Engine, dim: str) -> list[str]:
    """The values a filter on `dim` can take (from every table that carries it), A to Z."""
    if dim not in MEMBER_SOURCES:
        raise UnsupportedDimension(f"no members listed for {dim!r}")
    sql = " UNION ".join(f'SELECT DISTINCT trim("{c}") FROM "{t}"' for t, c in MEMBER_SOURCES[dim])
    found = {r[0] for r in _execute(engine, sql, {}) if r[0]}
    return sorted(found, key=str.lower)


def _empty(measure: Metric) -> float | None:
    """A measure's value over no rows: 0 for counts and sums, None for means and maxima."""
    return 0.0 if measure.agg in ("count", "count_distinct", "sum") else None


def month_ends(as_of: dt.date, months: int) -> list[dt.date]:
    """The last day of each of the `months` months ending with as_of's (as_of itself last)."""
    out = []
    year, month = as_of.year, as_of.month
    for _ in range(months - 1):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        out.append(dt.date(year, month, calendar.monthrange(year, month)[1]))
    return sorted(out) + [as_of]


def trend(
    engine: Engine,
    metric_id: str,
    as_of: dt.date,
    months: int = 12,
    filters: Filters | None = None,
    exclude: Filters | None = None,
    in_scope: bool = True,
) -> list[tuple[dt.date, float | None]]:
    """The monthly series, recomputed as of each month's last day."""
    days = month_ends(as_of, months)
    got = compute_days(engine, days, [metric_id], filters, exclude, in_scope)
    return [(day, got[day][metric_id]) for day in days]


# ----------------------------------------------------------------- records


def _records_spec(m: Metric) -> list[tuple[str, str, str, tuple[str, ...]]]:
    """(part, subject, where, columns) of the rows behind a metric."""
    if m.records_subject or m.records_where:
        subject = m.records_subject or m.subject
        return [
            (
                m.id,
                subject,
                m.records_where or m.where,
                m.records_columns or SUBJECTS[subject].records,
            )
        ]
    if m.kind == "simple":
        return [(m.id, m.subject, m.where, m.records_columns or SUBJECTS[m.subject].records)]
    parts = []
    for i in m.numerator:
        parts.extend(_records_spec(ALL[i]))
    return parts


def records(
    engine: Engine,
    metric_id: str,
    as_of: dt.date,
    filters: Filters | None = None,
    exclude: Filters | None = None,
    limit: int | None = None,
    columns: Sequence[str] | None = None,
    in_scope: bool = True,
) -> pd.DataFrame:
    """The rows a metric counts or sums (for ratios, those that need attention).

    `columns` picks other columns of the same rows (any column of the subject),
    for a chart that needs them (e.g. purchase_date of the hardware bought).
    """
    m = _metric(metric_id)
    _check([metric_id], filters, exclude)
    scope = materialize.ensure_fresh(engine)
    scope = scope if in_scope else None
    params = fiscal.params(engine, as_of)
    parts = _records_spec(m)
    if columns is not None:
        parts = [(part, subject, where, tuple(columns)) for part, subject, where, _ in parts]
    frames = []
    for part, subject, where, columns in parts:
        excl = _with_scope(exclude, scope, subject)
        sql, fparams = compiler.records(subject, where, columns, filters, excl, limit)
        frame = _frame(engine, sql, {**params, **fparams})
        if len(parts) > 1:
            frame.insert(0, "part", part)
        frames.append(frame)
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)


# ------------------------------------------------------------- compiled SQL


def compiled_sql(metric_id: str, dialect: str = "duckdb", by: str | None = None) -> str:
    """The SQL a metric's headline (or breakdown) runs, for review and snapshots."""
    m = _metric(metric_id)
    by_subject: dict[str, list[Metric]] = defaultdict(list)
    for measure in _simple_measures([metric_id]).values():
        by_subject[measure.subject].append(measure)
    parts = []
    for subject, measures in sorted(by_subject.items()):
        measures = sorted(measures, key=lambda x: x.id)
        if by is None:
            sql, _ = compiler.headline(subject, measures)
        else:
            sql, _ = compiler.breakdown(measures, by)
        if dialect == "duckdb":
            sql = compiler.to_dollar(sql, as_of_params(dt.date(2000, 1, 1)))
        parts.append(f"-- {m.id}: {subject}\n{sql.strip()};\n")
    return "\n".join(parts)
