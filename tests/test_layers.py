"""Issue 16, item 9: the layers of docs/architecture.md, checked on the source.

Every import statement (at module level and inside functions) of every module is
read with `ast`; a rule names the packages a layer must not import. A second
check imports the bottom layers in a fresh interpreter and looks at what got
loaded, so an import hidden behind `importlib` would be caught too.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# (folder, forbidden top-level packages or dotted prefixes, why)
RULES = [
    ("metrics", ("dashboard", "pages", "streamlit"), "metrics/ is pure: no app, no UI"),
    (
        "metrics/store",
        (
            "metrics.api",
            "metrics.catalog",
            "metrics.compiler",
            "metrics.subjects",
            "metrics.materialize",
            "metrics.fx",
            "metrics.kpi",
            "metrics.dimensions",
        ),
        "metrics/store/ is the bottom: nothing above it",
    ),
    (
        "pages",
        ("duckdb", "duckdb_engine", "sqlalchemy", "sqlmodel"),
        "pages/ are thin: no database access of their own",
    ),
    ("dashboard", ("pages",), "no module of the app imports a page script"),
]


def imported_names(source: str) -> list[tuple[int, str]]:
    """(line, dotted module) of every import in `source`, relative imports left out."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append((node.lineno, node.module))
            # `from metrics import api` imports metrics.api
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def breaks(module: str, forbidden: tuple[str, ...]) -> bool:
    return any(module == f or module.startswith(f + ".") for f in forbidden)


def violations(folder: str, forbidden: tuple[str, ...]) -> list[str]:
    out = []
    for path in sorted((ROOT / folder).rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        for line, module in imported_names(path.read_text()):
            if breaks(module, forbidden):
                out.append(f"{rel}:{line} imports {module}")
    return sorted(set(out))


@pytest.mark.parametrize(("folder", "forbidden", "why"), RULES, ids=[r[0] for r in RULES])
def test_layer_imports_only_what_it_may(folder, forbidden, why):
    assert violations(folder, forbidden) == [], why


@pytest.mark.parametrize(
    ("source", "forbidden", "expected"),
    [
        ("from dashboard.database import raw_cursor", ("dashboard",), True),
        ("def f():\n    from dashboard import schema\n", ("dashboard",), True),
        ("import streamlit as st", ("streamlit",), True),
        ("from metrics import api", ("metrics.api",), True),
        ("from metrics.store import schema", ("metrics.api",), False),
        ("import sqlalchemy.orm", ("sqlalchemy",), True),
        ("from dashboards_extra import x", ("dashboard",), False),
        ("from . import sibling", ("dashboard",), False),
    ],
)
def test_the_check_finds_what_it_looks_for(source, forbidden, expected):
    assert any(breaks(m, forbidden) for _, m in imported_names(source)) is expected


@pytest.mark.parametrize(
    ("module", "forbidden"),
    [
        ("metrics.api", ("dashboard", "streamlit", "pages")),
        ("metrics.materialize", ("dashboard", "streamlit", "pages")),
        ("metrics.store.schema", ("dashboard", "streamlit", "metrics.api", "sqlalchemy")),
        ("metrics.store.connections", ("dashboard", "streamlit", "metrics.api")),
    ],
)
def test_importing_a_lower_layer_loads_nothing_above_it(module, forbidden):
    code = f"import sys, {module}\nprint('\\n'.join(sorted(sys.modules)))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.split()
    assert [m for m in loaded if breaks(m, forbidden)] == []


def test_dashboard_schema_is_the_bottom_layers_module():
    """The old name is an alias (docs/architecture.md), not a second definition."""
    from dashboard import schema as old
    from metrics.store import schema

    assert old is schema
    assert schema.table("assets").name == "assets"


def test_roles_have_one_definition():
    """Issue 16, item 8: the app's roles are the catalogue's (metrics/catalog/base.py)."""
    from dashboard import auth, navigation
    from metrics.catalog import base

    # the users file (auth) and the page registry (navigation) import them, neither defines them
    assert auth.ROLES is base.ROLES
    assert navigation.ROLES is base.ROLES
    assert base.ROLES == ("cio", "cfo", "asset_manager", "technician", "admin")


def _uncommented_function_imports(path: Path) -> list[str]:
    lines = path.read_text().splitlines()
    out = []
    for node in ast.walk(ast.parse("\n".join(lines))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for sub in ast.walk(node):
                if isinstance(sub, ast.Import | ast.ImportFrom):
                    line, above = lines[sub.lineno - 1], lines[sub.lineno - 2].strip()
                    if "#" not in line and not above.startswith("#"):
                        out.append(f"{path}:{sub.lineno}: {line.strip()}")
    return out


@pytest.mark.parametrize("folder", ["metrics", "dashboard", "pages"])
def test_imports_at_the_top_or_say_why(folder):
    """Issue 16, item 9: an import inside a function stays only with a comment on why
    (a real cost avoided, or a cycle), in every layer."""
    found = [
        x for p in sorted((ROOT / folder).rglob("*.py")) for x in _uncommented_function_imports(p)
    ]
    assert found == []


def test_the_function_import_check_finds_one(tmp_path):
    code = tmp_path / "m.py"
    code.write_text("def f():\n    import json\n\n\ndef g():\n    import csv  # costly\n")
    assert [x.split(": ", 1)[1] for x in _uncommented_function_imports(code)] == ["import json"]


# "(none)" that is not a dimension's blank member: a deck's empty list of actions, a
# file name without a suffix in an error message.
NONE_ELSEWHERE = {"dashboard/strategy_deck.py", "dashboard/cli/records_cmd.py"}


def test_the_blank_member_is_the_named_constant():
    """Issue 16, item 8: the blank member is metrics.dimensions.NONE_MEMBER everywhere."""
    found = []
    for folder in ("dashboard", "metrics", "pages"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if rel in NONE_ELSEWHERE or rel == "metrics/dimensions.py":
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Constant) and node.value == "(none)":
                    found.append(f"{rel}:{node.lineno}")
    assert found == []


def _fixtures(path: Path) -> set[str]:
    """Names of the functions decorated with pytest.fixture in `path`."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.FunctionDef):
            for dec in node.decorator_list:
                target = dec.func if isinstance(dec, ast.Call) else dec
                if isinstance(target, ast.Attribute) and target.attr == "fixture":
                    names.add(node.name)
    return names


def test_no_test_module_imports_another_ones_fixtures():
    """Issue 16, item 11: shared fixtures come from tests/conftest.py."""
    tests = ROOT / "tests"
    found = []
    for path in sorted(tests.glob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("tests.test_"):
                source = tests / (node.module.split(".")[1] + ".py")
                taken = {a.name for a in node.names} & _fixtures(source)
                found += [
                    f"{path.name}:{node.lineno} imports {n} from {source.name}" for n in taken
                ]
    assert found == []
