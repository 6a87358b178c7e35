"""Shared widgets and data access for the page scripts in `pages/`.

Pages import only this package (and `metrics.catalog` for labels): never the
database. `can_edit(page)` tells a page whether the user may change things on it.
"""

from __future__ import annotations

from dashboard.ui import change_log, charts, data, export, fmt, state, widgets
from dashboard.ui.widgets import (
    DIM_LABELS,
    auth_page,
    breakdown_chart,
    can_edit,
    current_page,
    current_user,
    download,
    effective_filters,
    empty,
    kpi_tile,
    kpi_tiles,
    metric_tile,
    metric_tiles,
    mview,
    no_data_yet,
    page_header,
    records_expander,
    require,
    scope,
    section,
    table,
)

__all__ = [
    "DIM_LABELS",
    "auth_page",
    "breakdown_chart",
    "records_expander",
    "section",
    "can_edit",
    "change_log",
    "charts",
    "current_page",
    "current_user",
    "data",
    "download",
    "effective_filters",
    "empty",
    "export",
    "fmt",
    "kpi_tile",
    "kpi_tiles",
    "metric_tile",
    "metric_tiles",
    "mview",
    "no_data_yet",
    "page_header",
    "require",
    "scope",
    "state",
    "table",
    "widgets",
]
