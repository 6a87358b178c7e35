"""The page registry (dashboard/navigation.py): who opens and edits each page, where it sits,
where a user lands, and which pages are listed."""

from __future__ import annotations

import pytest

from dashboard import navigation
from metrics.catalog.base import ROLES

# page -> (section, roles that open it, roles that edit on it, filter bar, optional)
PAGES = {
    "scorecard": ("Overview", {"cio", "cfo", "asset_manager", "technician", "admin"}, set(), True, False),
    "cio": ("Overview", {"cio", "admin"}, set(), True, False),
    "cfo": ("Overview", {"cfo", "cio", "admin"}, set(), True, False),
    "asset_manager": ("Overview", {"asset_manager", "cio", "admin"}, set(), True, False),
    "technician": ("Overview", {"technician", "asset_manager", "admin"}, set(), False, False),
    "explore": ("Analyse", {"cio", "cfo", "asset_manager", "admin"}, set(), True, False),
    "kpi": ("Analyse", {"cio", "cfo", "asset_manager", "admin"}, {"asset_manager", "admin"}, True, False),
    "data": ("Manage", {"asset_manager", "admin"}, {"asset_manager", "admin"}, False, True),
    "estimates": ("Manage", {"asset_manager", "admin", "cio", "cfo"}, {"asset_manager", "admin"}, False, True),
    "strategy": ("Manage", {"asset_manager", "admin", "cio", "cfo"}, {"asset_manager", "admin"}, False, True),
    "subscriptions": ("Manage", set(ROLES), {"admin"}, False, True),
    "users": ("Manage", {"admin"}, {"admin"}, False, False),
    "operations": ("Manage", {"admin"}, set(), False, False),
}  # fmt: skip


def test_every_page_is_in_the_table_in_menu_order():
    assert [p.key for p in navigation.PAGES] == list(PAGES)


@pytest.mark.parametrize(("page", "expected"), PAGES.items())
def test_who_opens_and_edits_each_page_and_where_it_sits(page, expected):
    section, openers, editors, filters, optional = expected
    spec = navigation.PAGE_BY_KEY[page]
    assert (spec.section, spec.filters, spec.optional) == (section, filters, optional)
    assert {r for r in ROLES if navigation.can_open([r], page)} == openers
    assert {r for r in ROLES if navigation.can_edit([r], page)} == editors


def test_an_unknown_page_opens_for_no_one():
    assert not navigation.can_open(ROLES, "nowhere")
    assert not navigation.can_edit(ROLES, "nowhere")


@pytest.mark.parametrize(
    ("roles", "landing"),
    [
        (["cio"], "cio"),
        (["cfo"], "cfo"),
        (["asset_manager"], "asset_manager"),
        (["technician"], "technician"),
        (["admin"], "scorecard"),
        (["admin", "cfo"], "cfo"),
        (["technician", "cio"], "cio"),
        ([], "scorecard"),
    ],
)
def test_landing_page(roles, landing):
    assert navigation.landing_page(roles) == landing


def test_optional_pages_listed_only_when_written(tmp_path):
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "data.py").write_text("")
    keys = [p.key for p in navigation.pages_for(["admin"], tmp_path)]
    assert keys == ["scorecard", "cio", "cfo", "asset_manager", "technician", "explore", "kpi",
                    "data", "users", "operations"]  # fmt: skip
    assert navigation.page_file(navigation.PAGE_BY_KEY["data"], tmp_path) == (
        tmp_path / "pages" / "data.py"
    )


def test_a_technician_sees_only_their_pages_of_the_repository():
    keys = [p.key for p in navigation.pages_for(["technician"])]
    assert keys == ["scorecard", "technician", "subscriptions"]


def test_every_role_has_a_label():
    assert list(navigation.ROLE_LABELS) == list(ROLES)
    assert navigation.ROLE_LABELS["asset_manager"] == "Asset manager"
