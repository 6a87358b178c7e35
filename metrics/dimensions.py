"""The one registry of drill-down dimensions.

Column names in metric SQL only ever come from here; values only ever travel
as bound parameters. Every subject exposes each dimension it carries as a
column of the same name (metrics/subjects.py says which subject carries which).

Each entry says what the dimension does across the app; every list of
dimension names elsewhere (the sidebar's filters, the users' and the KPIs'
scopes, the snapshot's breakdowns, the pack's sheets, the budget filters, the
filter members) is derived from it with `names(...)`. Adding a dimension is a
schema column, an entry here and the subjects that carry it
(docs/architecture.md, "Adding a dimension").
"""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Dimension:
    """A dimension and what it drives. The int flags hold a place (1, 2, ...; 0: no),
    because the order of their lists shows: the KPI scope message, the rows of a
    snapshot, the sheets of the pack. The bool flags keep the registry's order."""

    name: str  # the SQL column name on every subject that carries it
    label: str  # what the UI, the CLI help and the files call it
    # a breakdown only the metrics naming it in `extra_dimensions` offer (no filter, no member)
    extra: bool = False
    filters: bool = True  # the sidebar (and the URL, the CLI --filter) filters by it
    scopes_users: bool = False  # a user can be limited to members of it (users file, look-up)
    scopes_kpis: int = 0  # a KPI can be scoped to one member of it (dashboard/kpis.py)
    snapshotted: int = 0  # a snapshot records each metric's value per member (history.py)
    in_pack: int = 0  # the executive workbook has a "By <label>" sheet (report.py)
    in_pdf: bool = False  # the executive PDF has a "By <label>" section (pdf.py)
    budgets: bool = False  # budget rows carry it: budget views can be filtered by it
    # on assets, the asset's own value, else that of the person it is assigned to
    # (derived_asset_facts, metrics/materialize.py)
    from_person: bool = False
    members: tuple[tuple[str, str], ...] = ()  # (table, column) supplying filter members


REGISTRY: tuple[Dimension, ...] = (
    Dimension(
        "vendor",
        "Vendor",
        scopes_kpis=3,
        snapshotted=3,
        in_pack=2,
        members=(
            ("assets", "manufacturer"),
            ("software", "publisher"),
            ("contracts", "vendor"),
            ("cloud_spend", "provider"),
        ),
    ),
    Dimension(
        "department",
        "Department",
        scopes_users=True,
        scopes_kpis=1,
        snapshotted=1,
        in_pack=1,
        in_pdf=True,
        budgets=True,
        from_person=True,
        members=tuple(
            (t, "department")
            for t in ("people", "assets", "entitlements", "contracts", "cloud_spend", "budget")
        ),
    ),
    Dimension(
        "cost_center",
        "Cost center",
        scopes_users=True,
        scopes_kpis=2,
        snapshotted=2,
        in_pack=3,
        in_pdf=True,
        budgets=True,
        from_person=True,
        members=tuple(
            (t, "cost_center")
            for t in ("people", "assets", "entitlements", "contracts", "cloud_spend", "budget")
        ),
    ),
    Dimension(
        "location",
        "Location",
        scopes_users=True,
        scopes_kpis=4,
        snapshotted=5,
        from_person=True,
        members=(("people", "location"), ("assets", "location")),
    ),
    Dimension("product", "Product", members=(("assets", "model"), ("software", "title"))),
    Dimension("category", "Category", filters=False, snapshotted=4),
    # metrics.md: device_age_years_avg's age buckets
    Dimension("age_bucket", "Age (years)", extra=True, filters=False),
)

_FLAGS = frozenset(f.name for f in fields(Dimension)) - {"name", "label", "members"}


def names(**flags: bool) -> tuple[str, ...]:
    """The dimensions whose flags are as given, e.g. `names(scopes_users=True)`.

    In the registry's order; for a flag asked True that holds a place (the int
    flags), in that place's order."""
    unknown = set(flags) - _FLAGS
    if unknown:
        raise TypeError(f"no dimension flag {', '.join(sorted(unknown))}; known: {sorted(_FLAGS)}")
    chosen = [d for d in REGISTRY if all(bool(getattr(d, k)) == v for k, v in flags.items())]
    asked = [k for k, v in flags.items() if v]
    return tuple(d.name for d in sorted(chosen, key=lambda d: [int(getattr(d, k)) for k in asked]))


def get(name: str) -> Dimension:
    """The registry entry of `name`; anything else is refused."""
    for d in REGISTRY:
        if d.name == name:
            return d
    raise ValueError(f"unknown dimension {name!r}; known: {', '.join(ALL_DIMENSIONS)}")


# The dimensions every subject may carry and filters may name (age_bucket aside).
DIMENSIONS: tuple[str, ...] = names(extra=False)
# A breakdown that only device_age_years_avg offers (metrics.md: its age buckets).
AGE_BUCKET = "age_bucket"
ALL_DIMENSIONS: tuple[str, ...] = DIMENSIONS + names(extra=True)
LABELS: dict[str, str] = {d.name: d.label for d in REGISTRY}
# Where a filter's members come from: every table that carries the dimension.
MEMBER_SOURCES: dict[str, tuple[tuple[str, str], ...]] = {
    d.name: d.members for d in REGISTRY if d.members
}

NONE_MEMBER = "(none)"


def column(dim: str) -> str:
    """The quoted SQL column of a dimension; anything else is refused."""
    if dim not in ALL_DIMENSIONS:
        raise ValueError(f"unknown dimension {dim!r}; known: {', '.join(ALL_DIMENSIONS)}")
    return f'"{dim}"'


def by_label(**flags: bool) -> tuple[tuple[str, str], ...]:
    """(name, "By <label>") of `names(**flags)`: the pack's sheet and section titles."""
    return tuple((n, f"By {LABELS[n].lower()}") for n in names(**flags))
