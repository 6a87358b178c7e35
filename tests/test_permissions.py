"""Permissions at the data (issue 17): what each role and a Finance-scoped user may download,
export and import, and what the files hold. The estate is tests/perm_estate.py (values by hand
in its docstring).

Every download button of every page is enumerated under every user (AppTest); AppTest cannot
read a download's bytes, so the functions that build them are called for the same users and
their files opened (sheet names, departments, values).
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from dashboard import database, navigation, permissions, report, scoped_data, strategy
from dashboard import strategy_export as X
from dashboard.permissions import Access, OutsideScope, Refused, access_for
from tests.metric_fixtures import A
from tests.perm_estate import FINANCE, USERS, build, load_estate, user

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard" / "app.py")
ALL_SHEETS = [
    "Scorecard",
    "CIO",
    "CFO",
    "Asset manager",
    "By department",
    "By vendor",
    "By cost center",
    "Spend trend",
    "Notes",
]


# ------------------------------------------------------------------ the rules


@pytest.mark.parametrize(
    ("roles", "kind", "allowed"),
    [
        (("technician",), "pack", False),
        (("technician",), "records", True),
        (("technician",), "package_export", False),
        (("technician",), "strategy_export", False),
        (("cfo",), "pack", True),
        (("cfo",), "pack:cfo", True),
        (("cfo",), "pack:asset_manager", False),
        (("cfo",), "pack:cio", False),
        (("cfo",), "budget", True),
        (("cfo", "asset_manager"), "pack:asset_manager", True),
        (("cio",), "pack:cfo", True),  # a CIO may open the CFO page, so the CFO sheet too
        (("asset_manager",), "pack:spend", False),
        (("asset_manager",), "package_import", True),
        (("admin",), "pack:spend", True),
        (("admin",), "no such kind", False),
        ((), "records", False),
    ],
)
def test_may(roles, kind, allowed):
    assert Access(roles).may(kind) is allowed


@pytest.mark.parametrize(
    ("scope", "filters", "expected"),
    [
        ({}, None, {}),
        ({}, {"vendor": ["Dell"]}, {"vendor": ["Dell"]}),
        (FINANCE, None, {"department": ["Finance"]}),
        (FINANCE, {"vendor": ["Dell"]}, {"vendor": ["Dell"], "department": ["Finance"]}),
        (FINANCE, {"department": ["Finance", "Sales"]}, {"department": ["Finance"]}),
        (FINANCE, {"department": ["Sales"]}, OutsideScope),
    ],
)
def test_scoped_never_widens(scope, filters, expected):
    access = Access(("cfo",), scope)
    if expected is OutsideScope:
        with pytest.raises(OutsideScope, match="department = Finance"):
            access.scoped(filters)
    else:
        assert access.scoped(filters) == expected


def test_access_for_takes_roles_and_scope_of_the_user():
    got = access_for(user("fincfo"))
    assert (got.roles, got.scope, got.username, got.is_scoped) == (
        ("cfo",),
        FINANCE,
        "fincfo",
        True,
    )
    assert access_for(None).may("records") is False


# ------------------------------------------------------------------ the files


@pytest.fixture
def estate(engine):
    load_estate(engine)
    return engine


def pack_of(engine, name: str, filters=None) -> openpyxl.Workbook:
    data = report.build_pack(engine, A, filters, access=access_for(user(name)))
    return openpyxl.load_workbook(io.BytesIO(data))


def cells(ws) -> list[tuple]:
    return [r for r in ws.iter_rows(values_only=True) if any(v is not None for v in r)]


def value_of(ws, label: str):
    return next(r[1] for r in ws.iter_rows(min_row=5, values_only=True) if r[0] == label)


@pytest.mark.parametrize(
    ("name", "sheets"),
    [
        ("cio1", ALL_SHEETS),
        ("admin1", ALL_SHEETS),
        (
            "cfo1",
            [
                "Scorecard",
                "CFO",
                "By department",
                "By vendor",
                "By cost center",
                "Spend trend",
                "Notes",
            ],
        ),
        (
            "fincfo",
            [
                "Scorecard",
                "CFO",
                "By department",
                "By vendor",
                "By cost center",
                "Spend trend",
                "Notes",
            ],
        ),
        (
            "am1",
            ["Scorecard", "Asset manager", "By department", "By vendor", "By cost center", "Notes"],
        ),
    ],
)
def test_pack_holds_the_sections_of_the_roles(estate, name, sheets):
    assert pack_of(estate, name).sheetnames == sheets


def test_technician_gets_no_pack(estate):
    from dashboard import pdf

    with pytest.raises(Refused, match="Technician"):
        report.build_pack(estate, A, access=access_for(user("tech1")))
    with pytest.raises(Refused):  # nor as PDF (dashboard/pdf.py builds on the same access)
        pdf.pack_pdf(estate, A, access=access_for(user("tech1")))


def test_scoped_pack_holds_its_scope_only(estate):
    whole, fin = pack_of(estate, "cfo1"), pack_of(estate, "fincfo")
    label = "Top 10 software contracts"
    assert label in [r[0] for r in whole["CFO"].iter_rows(values_only=True)]
    assert (value_of(whole["CFO"], label), value_of(fin["CFO"], label)) == (758_106, 0)
    assert (
        value_of(whole["CFO"], "Hardware spend (12 months)"),
        value_of(fin["CFO"], "Hardware spend (12 months)"),
    ) == (2_500, 1_000)
    members = [r[0] for r in fin["By department"].iter_rows(min_row=5, values_only=True) if r[0]]
    assert members == ["Finance", "Total"]
    notes = dict((r[0], r[1]) for r in fin["Notes"].iter_rows(values_only=True))
    assert notes["Scope"] == "department = Finance"
    assert "scope: department = Finance" in fin["CFO"]["A2"].value  # every sheet's cover line


def test_scoped_pack_refuses_filters_outside_its_scope(estate):
    with pytest.raises(OutsideScope):
        pack_of(estate, "fincfo", {"department": ["Sales"]})


def kpi_values(content) -> dict[str, float | None]:
    return {k.metric: k.value for k in content.kpis}


def test_strategy_documents_in_the_readers_scope(estate):
    whole = X.gather(estate, A, access=access_for(user("cfo1")))
    fin = X.gather(estate, A, access=access_for(user("fincfo")))
    assert (kpi_values(whole)["top10_contract_spend"], kpi_values(fin)["top10_contract_spend"]) == (
        758_106,
        0,
    )
    book = openpyxl.load_workbook(io.BytesIO(X.build_workbook(fin)))
    assert ("Figures for", "department = Finance") in cells(book["Summary"])
    kpi_rows = [r for r in cells(book["KPIs"]) if r and "Top 10 software contracts" in str(r)]
    assert kpi_rows and all("758" not in str(r) for r in kpi_rows)
    deck = Presentation(io.BytesIO(X.build_deck(fin)))
    cover = " ".join(s.text for s in deck.slides[0].shapes if s.has_text_frame)
    assert "figures for department = Finance" in cover
    with pytest.raises(Refused):
        X.gather(estate, A, access=access_for(user("tech1")))


def test_scope_tab_effect_in_the_readers_scope(estate):
    strategy.ensure_seeded(estate)
    rows = [
        r
        for r in strategy.get_rows(estate, "scope")
        if (r["kind"], r["name"]) != ("location", "Oslo")
    ]
    strategy.save_rows(
        estate,
        "scope",
        rows + [{"kind": "location", "name": "Oslo", "in_scope": False, "reason": "closing"}],
        "am1",
    )
    whole = {e["metric"]: e for e in strategy.scope_effect(estate, A)}
    fin = {e["metric"]: e for e in strategy.scope_effect(estate, A, filters=FINANCE)}
    # Whole estate: F1 and S1 active, S1 in Oslo (out of scope); Finance: F1 only, in Paris.
    assert (whole["active_devices"]["whole"], whole["active_devices"]["in_scope"]) == (2, 1)
    assert (fin["active_devices"]["whole"], fin["active_devices"]["in_scope"]) == (1, 1)


def package(engine, name: str) -> dict[str, pd.DataFrame]:
    data, _ = scoped_data.package_bytes(engine, access_for(user(name)))
    return pd.read_excel(io.BytesIO(data), sheet_name=None)


def test_scoped_export_holds_the_rows_of_the_scope(estate):
    fin, whole = package(estate, "finam"), package(estate, "am1")
    assert sorted(whole["people"]["person_id"]) == ["pf", "ps", "px"]
    assert list(fin["people"]["person_id"]) == ["pf"]
    assert list(fin["assets"]["asset_tag"]) == ["F1"]
    assert fin["contracts"].empty and list(whole["contracts"]["contract_id"]) == ["C1"]
    assert list(fin["budget"]["department"]) == ["Finance"]
    assert {"discovery", "roadmap", "vendor_audits"}.isdisjoint(
        fin
    )  # cannot be tied to a department
    for frame in fin.values():
        if "department" in frame:
            assert set(frame["department"].dropna()) <= {"Finance"}
    with pytest.raises(Refused):
        scoped_data.package_bytes(estate, access_for(user("cfo1")))


def csv_sheets(text: str, name: str = "people"):
    from dashboard.readers import read_package

    return lambda: read_package(text.encode(), filename=f"{name}.csv")


def finam_import(engine, text: str, name: str = "people", **kw):
    return scoped_data.import_in_scope(
        engine,
        access_for(user("finam")),
        csv_sheets(text, name),
        filename=f"{name}.csv",
        user="finam",
        **kw,
    )


def stored(engine, sql: str) -> list[tuple]:
    from sqlalchemy import text

    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


@pytest.mark.parametrize(
    ("name", "text", "error"),
    [
        (
            "people",
            "person_id,name,department\nq1,New,Finance\nq2,Other,Sales\n",
            ("people", 3, "department", "Sales"),
        ),
        ("people", "person_id,name,department\nq1,New,\n", ("people", 2, "department", None)),
        ("people", "person_id,name\nq1,New\n", ("people", 2, "department", None)),
        (
            "assets",
            "asset_tag,category,status,department\nS1,laptop,deployed,Finance\n",
            ("assets", 2, "asset_tag", "S1"),
        ),
        ("installs", "title_id,asset_tag\nT1,F1\n", ("installs", None, None, None)),
    ],
)
def test_scoped_import_refuses_rows_outside_the_scope(estate, name, text, error):
    before = stored(estate, "SELECT person_id, department FROM people ORDER BY 1")
    assets = stored(estate, "SELECT asset_tag, department FROM assets ORDER BY 1")
    result = finam_import(estate, text, name)
    assert not result.ok
    first = result.errors[0]
    assert (first["sheet"], first["row"], first["column"], first["value"]) == error
    assert "scope" in first["reason"]
    assert stored(estate, "SELECT person_id, department FROM people ORDER BY 1") == before
    assert stored(estate, "SELECT asset_tag, department FROM assets ORDER BY 1") == assets


def test_scoped_import_takes_rows_in_scope(estate):
    result = finam_import(estate, "person_id,name,department\nq1,New,Finance\n")
    assert result.ok, result.errors
    assert stored(estate, "SELECT department FROM people WHERE person_id = 'q1'") == [("Finance",)]
    refused = finam_import(estate, "person_id,name,department\nq2,New,Finance\n", replace=True)
    assert not refused.ok and "replace mode" in refused.errors[0]["reason"]


def test_scoped_import_applies_value_maps_and_the_date_order(estate, tmp_path):
    """A scoped user's import reads their value choices and date answer like anyone's (#11)."""
    from dashboard.valuemaps import ImportOptions

    text = "asset_tag,category,status,department,purchase_date\nQ9,Notebook,Active,Finance,03/04/2026\n"
    raw = tmp_path / "assets.csv"
    raw.write_text(text)
    plain = finam_import(estate, text, "assets")
    # Notebook and Active are no category or status of the package; 03/04/2026 is ambiguous
    assert not plain.ok
    assert {e["column"] for e in plain.errors} == {"category", "status", "purchase_date"}
    options = ImportOptions(
        values={"category": {"notebook": "laptop"}, "status": {"active": "deployed"}},
        date_order="dmy",
    )
    result = scoped_data.import_in_scope(
        estate,
        access_for(user("finam")),
        scoped_data.reader(estate, raw.read_bytes(), "assets.csv", None, None, options),
        filename="assets.csv",
        user="finam",
        options=options,
    )
    assert result.ok, result.errors
    assert stored(
        estate,
        "SELECT category, status, CAST(purchase_date AS VARCHAR) FROM assets WHERE asset_tag = 'Q9'",
    ) == [("laptop", "deployed", "2026-04-03")]


# ------------------------------------------------------------------ every download button


@pytest.fixture(scope="module")
def app_env(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("perm-app")
    env = build(tmp)
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    yield tmp
    database.dispose(env["DATABASE_URL"].removeprefix("duckdb:///"))
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def open_app(username: str, page: str | None = None, **params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = username
    at.query_params["as_of"] = A.isoformat()
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    if page:
        at.switch_page(f"../pages/{page}.py")
        at.run()
    return at


def downloads(at: AppTest) -> list[str]:
    return sorted(b.proto.label for b in at.get("download_button"))


PAGES = ("scorecard", "cio", "cfo", "asset_manager", "technician", "data", "strategy")
CASES = [(u, p) for u, (roles, _) in USERS.items() for p in PAGES if navigation.can_open(roles, p)]
PACK = "Download the executive pack (.xlsx)"
PACKAGE = "Download the data package (.xlsx)"
HISTORY = "Download recorded values (.xlsx)"
PDF = "Download PDF"  # issue 13: the pack as PDF on the Scorecard, the page as PDF on the CFO page


@pytest.mark.parametrize(("name", "page"), CASES)
def test_every_download_button_per_role(app_env, name, page):
    at = open_app(name, page)
    assert not at.exception, at.exception
    if page == "strategy":
        [b for b in at.button if b.label == "Build the deck and the workbook"][0].click().run()
        assert not at.exception, at.exception
    got = downloads(at)
    access = access_for(user(name))
    assert (PACK in got) is (page == "scorecard" and access.may("pack"))
    assert ("Download PDF" in got) is (
        page == "cfo" or (page == "scorecard" and access.may("pack"))
    )
    assert (PACKAGE in got) is (page == "data")
    # Recorded metric values are the whole estate's: never offered to a scoped user.
    assert (HISTORY in got) is (page == "data" and not access.is_scoped)
    if page == "strategy":
        assert {"Download the deck (.pptx)", "Download the workbook (.xlsx)"} <= set(got)
    # Every other button is a table download built from the page's own scoped figures.
    assert set(got) - {
        PACK,
        PACKAGE,
        HISTORY,
        "Download PDF",
        "Download the deck (.pptx)",
        "Download the workbook (.xlsx)",
    } <= {"Download .xlsx"}
    if page == "strategy" and access.is_scoped:
        docs = at.session_state["_strategy_docs"]
        book = openpyxl.load_workbook(io.BytesIO(docs[1]))
        assert ("Figures for", "department = Finance") in cells(book["Summary"])


@pytest.mark.parametrize(
    ("name", "params", "line"),
    [
        ("cfo1", {}, "Dashed line: fiscal 2026 budget / 12 = €3,000 a month."),
        ("fincfo", {}, "Dashed line: fiscal 2026 budget / 12 = €1,000 a month."),
        (
            "fincfo",
            {"department": "Sales"},
            "These filters are outside your scope: no budget line.",
        ),
        ("cfo1", {"department": "Sales"}, "Dashed line: fiscal 2026 budget / 12 = €2,000 a month."),
    ],
)
def test_budget_line_respects_the_scope(app_env, name, params, line):
    at = open_app(name, "cfo", **params)
    assert not at.exception, at.exception
    captions = [c.value for c in at.caption]
    assert any(line in c for c in captions), captions


@pytest.mark.parametrize("page", ["scorecard", "kpi"])
def test_kpis_for_filters_outside_the_scope_are_none(app_env, page):
    at = open_app("fincfo", page, department="Sales")
    assert not at.exception, at.exception
    shown = " ".join(m.value for m in at.markdown) + " ".join(i.value for i in at.info)
    assert "€758" not in shown  # Sales' (and the whole estate's) top-10 contracts: €758.1k
    assert any(
        w.value.startswith("Your filters select nothing in your scope (department \\= Finance)")
        for w in at.warning
    ), [w.value for w in at.warning]
    if page == "scorecard":
        assert any("select nothing in your scope" in i.value for i in at.info)
        assert PACK not in downloads(at)
    whole = open_app("cfo1", page, department="Sales")  # the same filters, unscoped: Sales' figures
    assert not whole.exception, whole.exception
    if page == "scorecard":
        assert "### €758.1k" in [m.value for m in whole.markdown]


def test_records_need_a_role():
    assert not permissions.Access(()).may("records")


# ------------------------------------------------------------------ the CLI acts for a user


@pytest.fixture
def cli_env(tmp_path, monkeypatch):
    env = build(tmp_path)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    yield tmp_path / "perm.duckdb"
    database.dispose(tmp_path / "perm.duckdb")


@pytest.mark.parametrize(
    ("argv", "code", "said"),
    [
        (
            ["report", "--out", "{tmp}/p.xlsx", "--as-user", "tech1"],
            1,
            "not available to your role(s): Technician",
        ),
        (["report", "--out", "{tmp}/p.xlsx", "--as-user", "nobody"], 1, "no user 'nobody'"),
        (
            [
                "report",
                "--out",
                "{tmp}/p.xlsx",
                "--as-user",
                "fincfo",
                "--filter",
                "department=Sales",
            ],
            1,
            "your filters select nothing in your scope (department = Finance)",
        ),
        (
            ["strategy", "export", "--out", "{tmp}/s.xlsx", "--as-user", "tech1"],
            1,
            "strategy export",
        ),
        (["export", "--out", "{tmp}/d.xlsx", "--as-user", "cfo1"], 1, "package export"),
    ],
)
def test_cli_refuses_for_the_user(cli_env, capsys, argv, code, said):
    from dashboard.cli import main

    tmp = cli_env.parent
    assert main([a.format(tmp=tmp) for a in argv] + ["--db", str(cli_env)]) == code
    assert said in capsys.readouterr().err


def test_cli_builds_for_a_scoped_user(cli_env, capsys):
    from dashboard.cli import main

    tmp = cli_env.parent
    db = ["--db", str(cli_env)]
    assert (
        main(
            ["report", "--out", f"{tmp}/p.xlsx", "--as-of", A.isoformat(), "--as-user", "fincfo"]
            + db
        )
        == 0
    )
    pack = openpyxl.load_workbook(tmp / "p.xlsx")
    assert pack.sheetnames == [
        "Scorecard",
        "CFO",
        "By department",
        "By vendor",
        "By cost center",
        "Spend trend",
        "Notes",
    ]
    assert value_of(pack["CFO"], "Top 10 software contracts") == 0
    assert (
        main(
            [
                "strategy",
                "export",
                "--out",
                f"{tmp}/s.xlsx",
                "--as-of",
                A.isoformat(),
                "--as-user",
                "fincfo",
            ]
            + db
        )
        == 0
    )
    assert ("Figures for", "department = Finance") in cells(
        openpyxl.load_workbook(tmp / "s.xlsx")["Summary"]
    )
    assert main(["export", "--out", f"{tmp}/d.xlsx", "--as-user", "finam"] + db) == 0
    people = pd.read_excel(tmp / "d.xlsx", sheet_name="people")
    assert list(people["person_id"]) == ["pf"]


def test_data_page_refuses_a_scoped_users_rows_outside_the_scope(app_env):
    at = open_app("finam", "data")
    assert not at.exception, at.exception
    at.selectbox(key="data_format").set_value("package").run()
    sales = b"person_id,name,department\nq1,New,Finance\nq2,Other,Sales\n"
    at.file_uploader(key="data_upload").set_value(("people.csv", sales, "text/csv")).run()
    assert not at.exception, at.exception
    errors = at.dataframe[0].value
    assert errors[["Sheet", "Row", "Column", "Value"]].values.tolist() == [
        ["people", 3, "department", "Sales"]
    ]
    assert "outside your scope (department = Finance)" in errors["Reason"][0]
    assert not [b for b in at.button if b.label.startswith("Confirm")]


def test_scope_tab_offers_data_locations_to_unscoped_editors_only(app_env):
    from dashboard import store
    from tests.metric_fixtures import asset, day, load

    open_app("am1", "strategy")  # seeds the scope table from the data's locations
    engine = database.get_engine(os.environ["DATABASE_URL"])
    # A location the scope table does not list yet (a retired laptop: no headline moves).
    load(
        engine,
        assets=[
            asset(
                "B1",
                "laptop",
                "retired",
                department="Sales",
                location="Berlin",
                purchase_date=day(-2000),
                purchase_cost=700.0,
                retired_date=day(-900),
            )
        ],
    )
    store.mark_data_changed(engine)
    offered = {}
    for name in ("am1", "finam"):
        at = open_app(name, "strategy")
        assert not at.exception, at.exception
        offered[name] = [b.label for b in at.button if "found in the data" in b.label]
    assert offered == {"am1": ["Add 1 location(s) found in the data: Berlin"], "finam": []}
