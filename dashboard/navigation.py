"""The pages of the app and who may open or edit each: the page registry.

Pure Python (no streamlit): the router (`dashboard/app.py`), the permission
checks, the notifications, the executive pack and the tests share it. Who a
user is (the users file, passwords, the cookie key) lives in `dashboard/auth.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from metrics.catalog.base import ROLES  # the one definition of the roles

ROOT = Path(__file__).resolve().parent.parent

ROLE_LABELS = {
    "cio": "CIO",
    "cfo": "CFO",
    "asset_manager": "Asset manager",
    "technician": "Technician",
    "admin": "Administrator",
}


@dataclass(frozen=True)
class PageSpec:
    """A page of the app: where it lives, who may open it, who may edit on it."""

    key: str  # url path and pages/<key>.py
    title: str
    icon: str
    section: str
    roles: tuple[str, ...]
    edit_roles: tuple[str, ...] = ()
    filters: bool = True  # shows the filter bar
    optional: bool = False  # written by others; listed only when pages/<key>.py exists


ALL = ROLES
NOT_TECH = ("cio", "cfo", "asset_manager", "admin")
MANAGERS = ("asset_manager", "admin")  # who edits the data, the estimates and the strategy


def _manage(key: str, title: str, icon: str, roles: tuple[str, ...]) -> PageSpec:
    """A page of the Manage section that the asset managers edit (no filter bar)."""
    return PageSpec(
        key, title, icon, "Manage", roles, edit_roles=MANAGERS, filters=False, optional=True
    )


PAGES: tuple[PageSpec, ...] = (
    PageSpec("scorecard", "Scorecard", ":material/speed:", "Overview", ALL),
    PageSpec("cio", "CIO", ":material/insights:", "Overview", ("cio", "admin")),
    PageSpec("cfo", "CFO", ":material/payments:", "Overview", ("cfo", "cio", "admin")),
    PageSpec(
        "asset_manager",
        "Asset manager",
        ":material/inventory_2:",
        "Overview",
        ("asset_manager", "cio", "admin"),
    ),
    PageSpec(
        "technician",
        "Technician lookup",
        ":material/person_search:",
        "Overview",
        ("technician", "asset_manager", "admin"),
        filters=False,
    ),
    PageSpec("explore", "Explore", ":material/query_stats:", "Analyse", NOT_TECH),
    PageSpec("kpi", "KPI detail", ":material/flag:", "Analyse", NOT_TECH, edit_roles=MANAGERS),
    _manage("data", "Data", ":material/upload_file:", MANAGERS),
    _manage("estimates", "Estimates", ":material/calculate:", MANAGERS + ("cio", "cfo")),
    _manage("strategy", "Strategy", ":material/flag_circle:", MANAGERS + ("cio", "cfo")),
    PageSpec(
        "subscriptions",
        "Subscriptions",
        ":material/mail:",
        "Manage",
        ALL,
        edit_roles=("admin",),  # everyone manages their own; an admin anyone's
        filters=False,
        optional=True,
    ),
    PageSpec(
        "users",
        "Users",
        ":material/group:",
        "Manage",
        ("admin",),
        edit_roles=("admin",),
        filters=False,
    ),
    # health, imports, scheduled runs, sends, logins (helper F, issue 14)
    PageSpec(
        "operations", "Operations", ":material/monitor_heart:", "Manage", ("admin",), filters=False
    ),
)
PAGE_BY_KEY = {p.key: p for p in PAGES}
LANDING_ORDER = ("cio", "cfo", "asset_manager", "technician")


def page_file(spec: PageSpec, root: Path = ROOT) -> Path:
    return root / "pages" / f"{spec.key}.py"


def pages_for(roles: list[str] | tuple[str, ...], root: Path = ROOT) -> list[PageSpec]:
    """The pages any of `roles` may open (optional ones only when written)."""
    have = set(roles)
    return [
        p for p in PAGES if have & set(p.roles) and (not p.optional or page_file(p, root).exists())
    ]


def can_open(roles, page_key: str) -> bool:
    spec = PAGE_BY_KEY.get(page_key)
    return spec is not None and bool(set(roles) & set(spec.roles))


def can_edit(roles, page_key: str) -> bool:
    spec = PAGE_BY_KEY.get(page_key)
    return spec is not None and bool(set(roles) & set(spec.edit_roles))


def landing_page(roles) -> str:
    """The first of cio, cfo, asset_manager, technician the user has; else the Scorecard."""
    for role in LANDING_ORDER:
        if role in roles:
            return role
    return "scorecard"
