"""The estimation tracker: template, validation, snapshots, comparison arithmetic, progress, CLI.

The estate (as of A = 2026-06-30), by hand:
- laptops L1-L10 deployed, 1,000 each bought 10 days ago; L1-L4 Finance, L5-L10 Sales;
  L11 retired. active_devices{category=laptop} = 10, of which Finance 4, Sales 6;
  hardware_spend_12m{category=laptop} = 10,000 (L11 was bought 2,000 days ago).
- desktops D1, D2 in stock, bought 400 days ago: active_devices{category=desktop} = 2.
- no tickets: csat_avg_90d is null (a mean over no rows).
"""

from __future__ import annotations

import datetime as dt
import io
import json

import openpyxl
import pytest

from dashboard import estimates
from dashboard.cli import main
from tests.metric_fixtures import A, asset, day, load

HEADER = (
    "line_item,asset_class,count_metric,spend_metric,filter,estimated_count,count_margin_pct,"
    "estimated_spend,spend_margin_pct,confidence,data_sources,assumptions,consulted\n"
)
LINES = (
    "Laptops,hardware,active_devices,hardware_spend_12m,category=laptop,12.5,20,9000,10,high,CMDB,,IT ops\n"
    "Desktops,hardware,active_devices,,category=desktop,2,,,,medium,,,\n"
    "Finance laptops,hardware,active_devices,,category=laptop; department=Finance,8,25,,,low,,,\n"
    "Gut feeling,hardware,,,,5,10,,,low,,,\n"
    "Satisfaction,,csat_avg_90d,,,4,5,,,medium,,,\n"
)

# (line_item, measure, estimate, margin, low, high, metric, filter, actual, within, confidence)
EXPECTED = [
    (
        "Laptops",
        "count",
        12.5,
        20.0,
        10.0,
        15.0,
        "active_devices",
        "category=laptop",
        10.0,
        True,
        "high",
    ),
    (
        "Laptops",
        "spend",
        9000.0,
        10.0,
        8100.0,
        9900.0,
        "hardware_spend_12m",
        "category=laptop",
        10000.0,
        False,
        "high",
    ),
    (
        "Desktops",
        "count",
        2.0,
        0.0,
        2.0,
        2.0,
        "active_devices",
        "category=desktop",
        2.0,
        True,
        "medium",
    ),
    (
        "Finance laptops",
        "count",
        8.0,
        25.0,
        6.0,
        10.0,
        "active_devices",
        "category=laptop;department=Finance",
        4.0,
        False,
        "low",
    ),
    ("Gut feeling", "count", 5.0, 10.0, 4.5, 5.5, None, None, None, None, "low"),
    ("Satisfaction", "count", 4.0, 5.0, 3.8, 4.2, "csat_avg_90d", None, None, None, "medium"),
]
KEYS = (
    "line_item",
    "measure",
    "estimate",
    "margin_pct",
    "low",
    "high",
    "metric",
    "filter",
    "actual",
    "within_margin",
    "confidence",
)


@pytest.fixture
def estate(engine):
    laptops = [
        asset(
            f"L{i}",
            department="Finance" if i <= 4 else "Sales",
            purchase_date=day(-10),
            purchase_cost=1000.0,
        )
        for i in range(1, 11)
    ]
    load(
        engine,
        assets=laptops
        + [
            asset("L11", status="retired", purchase_date=day(-2000), purchase_cost=700.0),
            asset("D1", "desktop", "in_stock", purchase_date=day(-400), purchase_cost=500.0),
            asset("D2", "desktop", "in_stock", purchase_date=day(-400), purchase_cost=500.0),
        ],
    )
    return engine


def csv(lines: str = LINES) -> bytes:
    return (HEADER + lines).encode()


def keep(engine, name="baseline", date=A, lines: str = LINES):
    date = dt.date.fromisoformat(date) if isinstance(date, str) else date
    result = estimates.import_estimates(
        engine, csv(lines), name, date=date, filename="estimates.csv"
    )
    assert result.ok, result.errors
    return result


# ------------------------------------------------------------------ arithmetic


@pytest.mark.parametrize(
    ("estimate", "margin", "low", "high"),
    [
        (100, 10, 90, 110),
        (100, None, 100, 100),
        (12.5, 20, 10, 15),
        (8, 25, 6, 10),
        (3, 33, 2.01, 3.99),
        (0, 50, 0, 0),
        (70, 10, 63, 77),
    ],
)
def test_band(estimate, margin, low, high):
    assert estimates.band(estimate, margin) == (
        pytest.approx(low, abs=1e-12),
        pytest.approx(high, abs=1e-12),
    )


@pytest.mark.parametrize(
    ("actual", "low", "high", "inside"),
    [
        (10, 10, 15, True),
        (15, 10, 15, True),
        (9.999, 10, 15, False),
        (15.001, 10, 15, False),
        (12, 10, 15, True),
        (None, 10, 15, None),
        (0, 0, 0, True),
        (2.01, *estimates.band(3, 33), True),
        (0.1 + 0.2, 0.3, 0.3, True),
    ],  # a float sum on the boundary is inside
)
def test_within(actual, low, high, inside):
    assert estimates.within(actual, low, high) is inside


def test_boundaries_are_exact_for_whole_numbers():
    for e in range(1, 500):
        for m in (5, 10, 15, 20, 25, 30, 33, 50):
            low, high = estimates.band(e, m)
            assert low == e * (100 - m) / 100 and high == e * (100 + m) / 100


# ------------------------------------------------------------------ template


def test_template_sheets_lines_and_validation():
    wb = openpyxl.load_workbook(io.BytesIO(estimates.template_bytes()))
    assert wb.sheetnames == ["estimates", "metrics", "instructions"]
    ws = wb["estimates"]
    assert [c.value for c in ws[1]] == list(estimates.NAMES)
    items = [r[0] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert items == [line[0] for line in estimates.STANDARD_LINES]
    laptops = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == "Laptops")
    assert laptops[:5] == (
        "Laptops",
        "hardware",
        "active_devices",
        "hardware_spend_12m",
        "category=laptop",
    )
    lists = {dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"}
    assert '"high,medium,low"' in lists and '"hardware,software,cloud"' in lists
    conf = next(
        dv for dv in ws.data_validations.dataValidation if dv.formula1 == '"high,medium,low"'
    )
    assert str(conf.sqref) == "J2:J500"
    text = " ".join(r[0] or "" for r in wb["instructions"].iter_rows(values_only=True))
    for words in ("one hour", "margin of error", "assumptions", "data sources", "consulted"):
        assert words in text


def test_every_standard_line_names_real_metrics_and_filters():
    from metrics import api

    for item, _klass, count_metric, spend_metric, flt in estimates.STANDARD_LINES:
        filters, why = estimates.parse_filter(flt)
        assert why is None, item
        for metric in filter(None, (count_metric, spend_metric)):
            assert api.supports(metric, filters), (item, metric)


def test_template_filled_in_imports(estate):
    wb = openpyxl.load_workbook(io.BytesIO(estimates.template_bytes()))
    ws = wb["estimates"]
    ws["F2"], ws["G2"], ws["J2"] = 10, 0, "High"  # Laptops: exactly 10
    buf = io.BytesIO()
    wb.save(buf)
    result = estimates.import_estimates(
        estate, buf.getvalue(), "from template", date=A, filename="t.xlsx"
    )
    assert result.ok, result.errors
    assert result.snapshot["lines"] == 1  # the lines left blank are skipped (warnings)
    assert len(result.warnings) == len(estimates.STANDARD_LINES) - 1
    doc = estimates.compare(estate, "from template", A)
    assert [(x["line_item"], x["actual"], x["within_margin"]) for x in doc["lines"]] == [
        ("Laptops", 10.0, True)
    ]


# ------------------------------------------------------------------ validation


@pytest.mark.parametrize(
    ("line", "column", "value", "reason"),
    [
        ("X,,nosuch,,,1,,,,high,,,", "count_metric", "nosuch", "unknown metric id"),
        ("X,,,nosuch_spend,,,,5,,high,,,", "spend_metric", "nosuch_spend", "unknown metric id"),
        (
            "X,,active_devices,,category,1,,,,high,,,",
            "filter",
            "category",
            "is not dimension=value",
        ),
        (
            "X,,active_devices,,colour=red,1,,,,high,,,",
            "filter",
            "colour=red",
            "unknown dimension 'colour'",
        ),
        (
            "X,,titles_managed,,location=Paris,1,,,,high,,,",
            "filter",
            "location=Paris",
            "titles_managed cannot be filtered by location",
        ),
        ("X,,active_devices,,,1,-5,,,high,,,", "count_margin_pct", "-5.0", "must be at least 0"),
        ("X,,active_devices,,,1,,,,sure,,,", "confidence", "sure", "not one of: high, medium, low"),
        (
            "X,,active_devices,,,,,,,high,,,",
            "estimated_count",
            None,
            "estimated_count or estimated_spend is required",
        ),
        ("X,,active_devices,,,1,,,,,CMDB,,", "confidence", None, "a required value is blank"),
        ("X,,active_devices,,,ten,,,,high,,,", "estimated_count", "ten", "not a number"),
        (
            "X,planet,active_devices,,,1,,,,high,,,",
            "asset_class",
            "planet",
            "not one of: hardware, software, cloud",
        ),
    ],
)
def test_errors_name_row_and_column(engine, line, column, value, reason):
    result = estimates.import_estimates(
        engine,
        csv("Ok,,active_devices,,,1,,,,high,,,\n" + line + "\n"),
        "n",
        filename="estimates.csv",
    )
    assert not result.ok
    assert [(e["sheet"], e["row"], e["column"], e["value"]) for e in result.errors] == [
        ("estimates", 3, column, value)
    ]
    assert reason in result.errors[0]["reason"]
    assert estimates.list_snapshots(engine) == []  # nothing kept


def test_duplicate_line_item(engine):
    result = estimates.import_estimates(engine, csv("A,,,,,1,,,,high,,,\nA,,,,,2,,,,low,,,\n"), "n")
    assert [(e["row"], e["column"], e["reason"]) for e in result.errors] == [
        (3, "line_item", "duplicate line item: the same as row 2")
    ]


def test_missing_sheet_and_nothing_estimated(engine):
    wb = openpyxl.Workbook()
    wb.active.title = "other"
    buf = io.BytesIO()
    wb.save(buf)
    result = estimates.import_estimates(engine, buf.getvalue(), "n", filename="x.xlsx")
    assert "no sheet named 'estimates'" in result.errors[0]["reason"]
    result = estimates.import_estimates(engine, csv("A,,active_devices,,,,,,,,,,\n"), "n")
    assert result.errors[0]["reason"] == "no line is estimated: nothing to import"


# ------------------------------------------------------------------ snapshots and comparison


def test_compare_arithmetic(estate):
    keep(estate)
    doc = estimates.compare(estate, as_of=A)
    assert doc["snapshot"] == {"name": "baseline", "date": A.isoformat()}
    assert [tuple(x[k] for k in KEYS) for x in doc["lines"]] == EXPECTED


def test_compare_respects_the_users_scope(estate):
    keep(estate)
    doc = estimates.compare(estate, as_of=A, scope={"department": ["Sales"]})
    got = {(x["line_item"], x["measure"]): (x["actual"], x["within_margin"]) for x in doc["lines"]}
    assert got[("Laptops", "count")] == (6.0, False)  # L5-L10 only; band 10-15
    assert got[("Finance laptops", "count")] == (None, None)  # outside the scope
    assert got[("Desktops", "count")] == (0.0, False)  # D1, D2 carry no department


def test_snapshots_kept_by_name_and_date(estate):
    first = keep(estate, "baseline", day(-90))
    assert first.snapshot["replaced"] is False
    again = keep(
        estate,
        "baseline",
        day(-90),
        "Laptops,hardware,active_devices,,category=laptop,10,0,,,high,,,\n",
    )
    assert again.snapshot["replaced"] is True
    keep(estate, "baseline", A)
    keep(
        estate,
        "other",
        day(-30),
        "Desktops,hardware,active_devices,,category=desktop,3,50,,,medium,,,\n",
    )
    snaps = [
        (s["name"], s["date"].isoformat(), s["lines"]) for s in estimates.list_snapshots(estate)
    ]
    assert snaps == [
        ("baseline", day(-90), 1),
        ("other", day(-30), 1),
        ("baseline", A.isoformat(), 5),
    ]
    assert estimates.compare(estate, as_of=A)["snapshot"] == {
        "name": "baseline",
        "date": A.isoformat(),
    }
    assert (
        estimates.compare(estate, "other", A)["lines"][0]["within_margin"] is True
    )  # 2 in 1.5-4.5
    assert estimates.compare(estate, "nosuch", A) is None


def test_progress(estate):
    keep(
        estate,
        "q1",
        day(-90),
        "Laptops,hardware,active_devices,,category=laptop,20,10,,,low,,,\n"
        "Desktops,hardware,active_devices,,category=desktop,2,0,,,low,,,\n",
    )
    keep(estate, "q2", A)
    got = estimates.progress(estate, as_of=A)
    assert got == [
        {
            "name": "q1",
            "date": day(-90),
            "estimates": 2,
            "with_actual": 2,
            "within_margin": 1,
            "within_pct": 50.0,
            "confidence": {"high": 0, "medium": 0, "low": 2},
        },
        {
            "name": "q2",
            "date": A.isoformat(),
            "estimates": 6,
            "with_actual": 4,
            "within_margin": 2,
            "within_pct": 50.0,
            "confidence": {"high": 1, "medium": 2, "low": 2},
        },
    ]


# ------------------------------------------------------------------ CLI


def test_cli_round_trip(tmp_path, capsys):
    from dashboard import database

    db = tmp_path / "cli.duckdb"
    engine = database.get_engine(db)
    laptops = [
        asset(
            f"L{i}",
            department="Finance" if i <= 4 else "Sales",
            purchase_date=day(-10),
            purchase_cost=1000.0,
        )
        for i in range(1, 11)
    ]
    load(
        engine,
        assets=laptops + [asset("D1", "desktop", "in_stock"), asset("D2", "desktop", "in_stock")],
    )
    database.dispose(db)
    template = tmp_path / "t.xlsx"
    assert main(["estimates", "template", "--out", str(template)]) == 0
    assert openpyxl.load_workbook(template).sheetnames[0] == "estimates"
    path = tmp_path / "estimates.csv"
    path.write_bytes(csv())
    assert (
        main(
            [
                "estimates",
                "import",
                str(path),
                "--db",
                str(db),
                "--name",
                "baseline",
                "--date",
                "2026-06-01",
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert main(["estimates", "compare", "--db", str(db), "--as-of", A.isoformat(), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["snapshot"] == {"name": "baseline", "date": "2026-06-01"}
    assert [tuple(x[k] for k in KEYS) for x in doc["lines"]] == [tuple(e) for e in EXPECTED]
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv("X,,nosuch,,,1,,,,high,,,\n"))
    assert main(["estimates", "import", str(bad), "--db", str(db), "--name", "bad"]) == 1
    assert "row 2, column 'count_metric'" in capsys.readouterr().out
    assert main(["estimates", "compare", "--db", str(db), "--name", "nosuch", "--json"]) == 1
