"""The catalogue validator: run at start-up and in a test.

Checks what a reviewer would otherwise have to: ids, categories, units,
roles, subjects, aggregates, that ratio and sum inputs exist, that the
records of a metric can be filtered by every dimension the metric offers,
and that every KPI names a real metric.
"""

from __future__ import annotations

from collections.abc import Iterable

from metrics.api import dimensions
from metrics.catalog import ALL, METRICS
from metrics.catalog.base import AGGREGATES, CATEGORIES, ROLES, UNITS, Metric
from metrics.dimensions import ALL_DIMENSIONS
from metrics.kpi import DEFAULT_KPIS
from metrics.subjects import SUBJECTS


class CatalogError(ValueError):
    """The catalogue is inconsistent; the message lists every problem."""


def _problems(m: Metric) -> Iterable[str]:
    if m.category not in CATEGORIES:
        yield f"{m.id}: unknown category {m.category!r}"
    if m.unit not in UNITS:
        yield f"{m.id}: unknown unit {m.unit!r}"
    if m.direction not in ("up", "down", None):
        yield f"{m.id}: direction must be up, down or None"
    for role in m.roles:
        if role not in ROLES:
            yield f"{m.id}: unknown role {role!r}"
    for dim in m.extra_dimensions:
        if dim not in ALL_DIMENSIONS:
            yield f"{m.id}: unknown dimension {dim!r}"
    if m.kind == "simple":
        if m.subject not in SUBJECTS:
            yield f"{m.id}: unknown subject {m.subject!r}"
        if m.agg not in AGGREGATES:
            yield f"{m.id}: unknown aggregate {m.agg!r}"
        for dim in m.extra_dimensions:
            if m.subject in SUBJECTS and dim not in SUBJECTS[m.subject].dimensions:
                yield f"{m.id}: subject {m.subject} does not carry {dim}"
    else:
        for i in m.inputs:
            if i not in ALL:
                yield f"{m.id}: input {i!r} is not a metric or measure"
        if m.numerator == ():
            yield f"{m.id}: a ratio or sum needs a numerator"
    if m.records_subject and m.records_subject not in SUBJECTS:
        yield f"{m.id}: unknown records subject {m.records_subject!r}"


def _records_dims(m: Metric) -> Iterable[str]:
    subject = m.records_subject or (m.subject if m.kind == "simple" else None)
    if subject in SUBJECTS:
        for dim in dimensions(m.id):
            if dim not in SUBJECTS[subject].dimensions:
                yield f"{m.id}: its records ({subject}) cannot be filtered by {dim}"


def _kpi_problems() -> Iterable[str]:
    for kpi in DEFAULT_KPIS:
        metric = kpi["metric"] if isinstance(kpi, dict) else getattr(kpi, "metric", None)
        if metric not in METRICS:
            yield f"default KPI names unknown metric {metric!r}"


def problems() -> list[str]:
    out: list[str] = []
    for m in ALL.values():
        out.extend(_problems(m))
    if not out:
        for m in ALL.values():
            out.extend(_records_dims(m))
    out.extend(_kpi_problems())
    return out


def validate() -> None:
    """Raise CatalogError listing every problem, if there is any."""
    found = problems()
    if found:
        raise CatalogError("metric catalogue is inconsistent:\n- " + "\n- ".join(found))
