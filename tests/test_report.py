"""The executive pack: sheets, values, status colours, native charts (read back with
openpyxl), neutralised text, the CLI, and LibreOffice opening it (when installed).

The estate (as of A = 2026-06-30), by hand:
- L1, L2 laptops deployed to Finance, 1,000 each, bought 10 days ago;
  L3 laptop in stock for the department "=HYPERLINK(...)" (a formula payload), 500, 20 days ago;
  D1 desktop deployed with no department, bought 400 days ago (outside 12 months), 800.
- active_devices by department: Finance 2, the payload 1, (none) 1 = 4.
- hardware_spend_12m by department: Finance 2,000, the payload 500, (none) 0 = 2,500.
- standard_devices_pct: every active end-user device meets the standard = 100 (KPI at_least 97: green).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from openpyxl.chart import BarChart, LineChart

from dashboard import database, report
from dashboard.cli import main
from metrics.catalog import METRICS
from tests.metric_fixtures import A, asset, day, load

PAYLOAD = '=HYPERLINK("http://evil.example","x")'
SHEETS = [
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


def build(engine) -> None:
    load(
        engine,
        assets=[
            asset(
                "L1",
                department="Finance",
                manufacturer="Dell",
                purchase_date=day(-10),
                purchase_cost=1000.0,
            ),
            asset(
                "L2",
                department="Finance",
                manufacturer="Dell",
                purchase_date=day(-10),
                purchase_cost=1000.0,
            ),
            asset(
                "L3",
                status="in_stock",
                department=PAYLOAD,
                manufacturer="HP",
                purchase_date=day(-20),
                purchase_cost=500.0,
            ),
            asset("D1", "desktop", manufacturer="HP", purchase_date=day(-400), purchase_cost=800.0),
        ],
    )


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    """The pack of the estate above, built once per module: the tests only read it."""
    path = tmp_path_factory.mktemp("pack") / "pack.duckdb"
    engine = database.get_engine(path)
    build(engine)
    book = openpyxl.load_workbook(io.BytesIO(report.build_pack(engine, A)))
    database.dispose(path)
    return book


def table(ws, header_row: int = 4) -> pd.DataFrame:
    rows = list(ws.iter_rows(min_row=header_row, values_only=True))
    head = list(
        rows[0][: rows[0].index(None)] if None in rows[0] else rows[0]
    )  # the first table only
    return pd.DataFrame([r[: len(head)] for r in rows[1:] if r[0] is not None], columns=head)


def test_sheets(pack):
    assert pack.sheetnames == SHEETS


def test_scorecard_values_and_colours(pack):
    ws = pack["Scorecard"]
    frame = table(ws)
    kpis = frame[frame["Goal"].isin(["Optimize spend", "Manage risk", "Enhance IT service"])]
    assert len(kpis) == 10  # the default KPIs
    row = kpis.index[kpis["KPI"] == METRICS["standard_devices_pct"].label][0] + 5
    assert ws.cell(row=row, column=3).value == 100.0
    assert ws.cell(row=row, column=6).value == "on target"
    assert ws.cell(row=row, column=6).fill.fgColor.rgb.endswith("C6EFCE")
    counts = frame[frame["Goal"].isin(["on target", "near target", "breached", "no data"])]
    assert counts["KPI"].sum() == 10


@pytest.mark.parametrize(
    ("sheet", "role"), [("CIO", "cio"), ("CFO", "cfo"), ("Asset manager", "asset_manager")]
)
def test_role_sheets_list_the_roles_metrics(pack, sheet, role):
    frame = table(pack[sheet])
    assert list(frame["Metric"]) == [m.label for m in METRICS.values() if role in m.roles]


def test_role_values(pack):
    cio = table(pack["CIO"]).set_index("Metric")
    assert cio.loc[METRICS["active_devices"].label, "Value"] == 4
    assert cio.loc[METRICS["hardware_spend_12m"].label, "Value"] == 2500


def test_breakdown_by_department(pack):
    ws = pack["By department"]
    frame = table(ws).set_index("Department")
    devices = METRICS["active_devices"].label
    spend = METRICS["hardware_spend_12m"].label
    assert frame[devices].to_dict() == {"Finance": 2, PAYLOAD: 1, "(none)": 1, "Total": 4}
    assert frame[spend].to_dict() == {"Finance": 2000, PAYLOAD: 500, "(none)": 0, "Total": 2500}


def test_formula_like_text_is_neutralised(pack):
    ws = pack["By department"]
    cells = [c for row in ws.iter_rows() for c in row if c.value == PAYLOAD]
    assert cells, "the payload member is listed"
    for c in cells:
        assert c.data_type == "s" and c.quotePrefix
    # no cell anywhere in the pack is a formula
    assert not [
        c.coordinate for ws in pack for row in ws.iter_rows() for c in row if c.data_type == "f"
    ]


def chart_refs(chart) -> list[str]:
    return [s.val.numRef.f for s in chart.series]


@pytest.mark.parametrize(
    ("sheet", "kind", "ref_part"),
    [
        ("Scorecard", BarChart, "'Scorecard'!$B$"),
        ("CFO", BarChart, "'CFO'!$I$"),
        ("By department", BarChart, "'By department'!$C$"),
        ("By vendor", BarChart, "'By vendor'!$C$"),
        ("Spend trend", LineChart, "'Spend trend'!$B$"),
    ],
)
def test_native_charts(pack, sheet, kind, ref_part):
    charts = pack[sheet]._charts
    assert len(charts) == 1
    assert isinstance(charts[0], kind)
    assert any(ref_part in ref for ref in chart_refs(charts[0]))


def test_chart_points_at_the_values(pack):
    ws = pack["By department"]
    ref = chart_refs(ws._charts[0])[0]  # 'By department'!$C$5:$C$7: the members, not the total
    cells = ref.split("!")[1].replace("$", "")
    values = [r[0].value for r in ws[cells]]
    frame = table(ws)
    members = frame[frame["Department"] != "Total"]
    assert values == list(members[METRICS["hardware_spend_12m"].label]) and sorted(values) == [
        0,
        500,
        2000,
    ]


def test_trend_has_twelve_month_ends(pack):
    frame = table(pack["Spend trend"])
    assert len(frame) == 12
    assert frame.iloc[-1, 1] == 2500  # hardware spend as of A


def test_scope_filters_every_sheet(engine):
    build(engine)
    wb = openpyxl.load_workbook(
        io.BytesIO(report.build_pack(engine, A, {"department": ["Finance"]}))
    )
    cio = table(wb["CIO"]).set_index("Metric")
    assert cio.loc[METRICS["active_devices"].label, "Value"] == 2
    assert cio.loc[METRICS["titles_managed"].label, "Shown"] == "not available in this scope"
    assert "department = Finance" in wb["Notes"]["B4"].value


def test_cli_report(tmp_path, capsys):
    from dashboard import database

    db = tmp_path / "r.duckdb"
    build(database.get_engine(db))
    database.dispose(db)
    out = tmp_path / "pack.xlsx"
    assert main(["report", "--db", str(db), "--out", str(out), "--as-of", A.isoformat()]) == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == SHEETS and wb["Notes"]["B3"].value == A.isoformat()
    assert main(["report", "--db", str(db), "--out", str(tmp_path / "x.pdf")]) == 1


def _calc_installed() -> bool:
    # Debian splits LibreOffice: soffice may be there without Calc (libreoffice-calc).
    return shutil.which("soffice") is not None and any(
        Path(p).exists()
        for p in (
            "/usr/lib/libreoffice/program/libsclo.so",
            "/usr/lib64/libreoffice/program/libsclo.so",
        )
    )


@pytest.mark.skipif(not _calc_installed(), reason="LibreOffice Calc is not installed")
def test_libreoffice_opens_the_pack(engine, tmp_path):
    build(engine)
    path = tmp_path / "pack.xlsx"
    path.write_bytes(report.build_pack(engine, A))
    profile = tmp_path / "lo-profile"
    done = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    pdf = tmp_path / "pack.pdf"
    assert pdf.exists(), done.stdout + done.stderr
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page(?!s)", data)) >= len(SHEETS)
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        # the scorecard's table, and the charts' titles (drawn only when LibreOffice renders the charts)
        for words in (
            "KPI scorecard",
            "on target",
            "KPIs by status",
            "Spend over the last 12 months",
            "By department: 12-month hardware spend",
        ):
            assert words in text, words


# ------------------------------------------------------------------ table downloads (dashboard/ui/export.py)


def test_table_downloads_neutralise_formulas():
    from dashboard.ui import export

    frame = pd.DataFrame({"name": [PAYLOAD, "plain", "+1", "@SUM(A1)"], "n": [1, 2, 3, 4]})
    wb = openpyxl.load_workbook(
        io.BytesIO(export.xlsx_bytes(frame, title="t", filters_line="as of x"))
    )
    ws = wb.active
    assert ws["A1"].value == "t" and ws["A2"].value == "Filters: as of x"
    risky = {
        c.value: (c.data_type, c.quotePrefix)
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value[0] in "=+@"
    }
    assert risky == {PAYLOAD: ("s", True), "+1": ("s", True), "@SUM(A1)": ("s", True)}
    text = export.csv_bytes(frame, title="t", filters_line="f").decode()
    assert "'" + PAYLOAD.replace('"', '""') in text and "'+1" in text and "\nplain," in text
