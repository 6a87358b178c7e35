"""Issue 12, "done means": on a held-out estate imported fresh, a dated metric's trend is
recomputed and equals an independent computation at each month end; a state metric's past
is a gap until values are imported, then it reads them back as recorded; import refuses bad
rows by sheet, row and column and stores nothing; export gives the same shape back."""

from __future__ import annotations

import datetime as dt
import io
import json

import pandas as pd
import pytest

from dashboard import database, history, history_io
from dashboard.cli import main
from tests import pandas_reference
from tests.sample_estate import SAMPLE, close

AS_OF = "2026-06-30"
MONTH_ENDS = ["2025-12-31", "2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31"]


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    from dashboard.importer import import_package

    path = tmp_path_factory.mktemp("held_out") / "sample.duckdb"
    engine = database.get_engine(path)
    result = import_package(engine, SAMPLE / "sample-estate.xlsx")
    assert result.ok, result.errors[:5]
    yield engine
    database.dispose(path)


def _cli(capsys, *args) -> tuple[int, dict | str]:
    code = main(list(args))
    out = capsys.readouterr().out
    try:
        return code, json.loads(out)
    except json.JSONDecodeError:
        return code, out


def _trend(capsys, engine, metric, months=6):
    url = engine.info["url"]
    code, out = _cli(
        capsys,
        "metrics",
        "--db",
        url,
        "--metric",
        metric,
        "--trend",
        str(months),
        "--as-of",
        AS_OF,
        "--json",
    )
    assert code == 0
    assert out["metric"] == metric
    return out["points"]


def test_a_dated_metric_is_recomputed_and_equals_pandas_at_each_month_end(sample, capsys):
    points = _trend(capsys, sample, "hardware_spend_12m")
    assert [p["as_of"] for p in points] == MONTH_ENDS + [AS_OF]
    assert {p["source"] for p in points} == {"recomputed"}
    frames = pandas_reference.load_frames(sample)
    for p in points:
        want = pandas_reference.compute_all(frames, dt.date.fromisoformat(p["as_of"]))
        assert close(p["value"], want["hardware_spend_12m"]), p


def test_a_state_metric_has_no_past_but_its_as_of_value(sample, capsys):
    points = _trend(capsys, sample, "in_stock")
    assert [(p["value"], p["source"]) for p in points[:-1]] == [(None, "none")] * 6
    assert points[-1]["source"] == "recomputed"
    frames = pandas_reference.load_frames(sample)
    want = pandas_reference.compute_all(frames, dt.date.fromisoformat(AS_OF))["in_stock"]
    assert points[-1]["value"] == want


def test_imported_values_come_back_recorded_and_export_round_trips(sample, capsys, tmp_path):
    csv = tmp_path / "kept.csv"
    csv.write_text(
        "metric_id,as_of,value\n"
        "in_stock,2026-02-28,371\n"
        "in_stock,2026-03-31,380\n"
        "in_stock,2026-04-30,395.5\n"
    )
    url = sample.info["url"]
    code, out = _cli(capsys, "history", "import", str(csv), "--db", url, "--json")
    assert code == 0 and out["ok"] and out["stored"] == 3
    points = _trend(capsys, sample, "in_stock")
    got = {p["as_of"]: (p["value"], p["source"]) for p in points}
    assert got["2026-02-28"] == (371.0, "recorded")
    assert got["2026-03-31"] == (380.0, "recorded")
    assert got["2026-04-30"] == (395.5, "recorded")
    assert got["2026-01-31"] == (None, "none") and got["2026-05-31"] == (None, "none")

    out_file = tmp_path / "history.xlsx"
    code, out = _cli(capsys, "history", "export", "--db", url, "--out", str(out_file), "--json")
    assert code == 0 and out["rows"] == 3
    exported = pd.read_excel(out_file, sheet_name="history", dtype={"member": str})
    assert list(exported.columns) == ["metric_id", "as_of", "value", "dimension", "member"]
    assert list(exported["value"]) == [371.0, 380.0, 395.5]

    # into another database: the same points, recorded
    other = database.get_engine(tmp_path / "other.duckdb")
    result = history_io.import_history(other, out_file.read_bytes(), out_file.name)
    assert result.ok and result.stored == 3
    assert history_io.export_frame(other).equals(history_io.export_frame(sample))


@pytest.mark.parametrize(
    "row,column,reason",
    [
        ("nope,2026-03-31,1,,", "metric_id", "unknown metric"),
        ("in_stock,2026-02-30,1,,", "as_of", "not a date"),
        ("in_stock,2099-01-31,1,,", "as_of", "after today"),
        ("in_stock,2026-03-31,many,,", "value", "not a number"),
        ("in_stock,2026-03-31,1,department,", "member", "needs its member"),
        ("in_stock,2026-03-31,1,,Finance", "dimension", "needs its dimension"),
        ("in_stock,2026-03-31,1,age_bucket,1", "dimension", "no breakdown by age_bucket"),
        (
            "titles_under_licensed,2026-03-31,1,location,Site 1",
            "dimension",
            "no breakdown by location",
        ),
        ("in_stock,2026-03-31,1,planet,Mars", "dimension", "no breakdown by planet"),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_stored(engine, row, column, reason):
    data = (
        "metric_id,as_of,value,dimension,member\nin_stock,2026-01-31,7,,\n" + row + "\n"
    ).encode()
    result = history_io.import_history(engine, data, "kept.csv")
    assert not result.ok and result.stored == 0
    assert [(e["sheet"], e["row"], e["column"]) for e in result.errors] == [("kept", 3, column)]
    assert reason in result.errors[0]["reason"]
    assert history_io.export_frame(engine).empty  # the good row was not stored either


def test_the_same_value_twice_names_both_rows(engine):
    data = b"metric_id,as_of,value\nin_stock,2026-01-31,7\nin_stock,2026-01-31,8\n"
    result = history_io.import_history(engine, data, "kept.csv")
    assert [(e["row"], e["reason"]) for e in result.errors] == [
        (3, "the same metric, date and member as row 2")
    ]


def test_a_missing_column_is_named(engine):
    result = history_io.import_history(
        engine, b"metric,as_of,value\nin_stock,2026-01-31,7\n", "kept.csv"
    )
    assert not result.ok
    assert result.errors[0]["column"] == "metric_id"
    assert "missing column" in result.errors[0]["reason"]


def test_dry_run_checks_and_stores_nothing(engine, capsys, tmp_path):
    path = tmp_path / "kept.csv"
    path.write_text("metric_id,as_of,value\nin_stock,2026-01-31,7\n")
    url = engine.info["url"]
    code, out = _cli(capsys, "history", "import", str(path), "--db", url, "--dry-run", "--json")
    assert code == 0 and out["ok"] and out["dry_run"] and out["stored"] == 0
    assert history_io.export_frame(engine).empty


def test_an_xlsx_with_members_and_a_recorded_null(engine):
    frame = pd.DataFrame(
        {
            "metric_id": ["active_devices", "active_devices", "standard_devices_pct"],
            "as_of": [dt.date(2026, 1, 31)] * 3,
            "value": [12, 5, None],
            "dimension": ["", "department", ""],
            "member": ["", "IT", ""],
        }
    )
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        frame.to_excel(xl, sheet_name="history", index=False)
    result = history_io.import_history(engine, buf.getvalue(), "kept.xlsx")
    assert result.ok, result.errors
    got = history_io.export_frame(engine)
    assert list(zip(got["metric_id"], got["dimension"], got["member"], got["value"], strict=True))[
        :2
    ] == [("active_devices", "", "", 12.0), ("active_devices", "department", "IT", 5.0)]
    assert pd.isna(got["value"].iloc[2])


def test_a_record_of_a_state_metric_survives_a_later_import_a_dated_ones_does_not(engine):
    """A state metric's record is its past whatever happens to the data since; a dated
    metric's stored value is used only while no data change came after it."""
    from dashboard import store

    data = b"metric_id,as_of,value\nin_stock,2026-01-31,7\nhardware_spend_12m,2026-01-31,999\n"
    assert history_io.import_history(engine, data, "kept.csv").ok
    store.mark_data_changed(engine, dt.datetime.now() + dt.timedelta(seconds=5))
    got = history.points_on_days(
        engine, ["in_stock", "hardware_spend_12m"], [dt.date(2026, 1, 31)], dt.date(2026, 6, 30)
    )
    assert got[dt.date(2026, 1, 31)] == {
        "in_stock": (7.0, "recorded"),
        "hardware_spend_12m": (0.0, "recomputed"),  # an empty estate spent nothing
    }
