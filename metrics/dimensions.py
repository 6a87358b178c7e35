"""The one registry of drill-down dimensions.

Column names in metric SQL only ever come from here; values only ever travel
as bound parameters. Every subject exposes each dimension it carries as a
column of the same name.
"""

from __future__ import annotations

DIMENSIONS: tuple[str, ...] = (
    "vendor",
    "department",
    "cost_center",
    "location",
    "product",
    "category",
)

# A breakdown that only device_age_years_avg offers (metrics.md: its age buckets).
AGE_BUCKET = "age_bucket"
ALL_DIMENSIONS: tuple[str, ...] = DIMENSIONS + (AGE_BUCKET,)

LABELS = {
    "vendor": "Vendor",
    "department": "Department",
    "cost_center": "Cost center",
    "location": "Location",
    "product": "Product",
    "category": "Category",
    AGE_BUCKET: "Age (years)",
}

NONE_MEMBER = "(none)"


def column(dim: str) -> str:
    """The quoted SQL column of a dimension; anything else is refused."""
    if dim not in ALL_DIMENSIONS:
        raise ValueError(f"unknown dimension {dim!r}; known: {', '.join(ALL_DIMENSIONS)}")
    return f'"{dim}"'
