"""AppTest: the Data page's "Past metric values" section (issue 12, item 3): a preview of
the rows, row-level errors with nothing stored, confirm stores them as recorded values that
the trends then show; a scoped asset manager is not offered it."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import database, history
from tests.metric_fixtures import A
from tests.test_data_page import frames, open_page

GOOD = b"metric_id,as_of,value\nin_stock,2026-04-30,3\nin_stock,2026-05-31,2\n"
BAD = b"metric_id,as_of,value,dimension,member\nin_stok,2026-04-30,3,,\nin_stock,2026-05-31,2,age_bucket,1\n"


def _frame_with(at, column: str) -> pd.DataFrame:
    return [f for f in frames(at) if column in f.columns][-1]  # after the example


def _upload(at, name: str, data: bytes):
    at.file_uploader(key="hist_upload").set_value((name, data, "text/csv"))
    at.run()
    return at


def test_preview_then_confirm_then_the_trend_reads_them(estate):
    at = _upload(open_page("admin1", "data"), "kept.csv", GOOD)
    assert not at.exception, at.exception
    preview = _frame_with(at, "metric_id")
    assert preview[["metric_id", "value"]].values.tolist() == [["in_stock", 3.0], ["in_stock", 2.0]]
    engine = database.get_engine(estate)
    assert history.points_on_days(engine, ["in_stock"], [pd.Timestamp("2026-05-31").date()], A)[
        pd.Timestamp("2026-05-31").date()
    ]["in_stock"] == (None, "none")  # a preview stores nothing
    at.button(key="hist_confirm").click()
    at.run()
    assert not at.exception, at.exception
    assert any("Stored 2 past value(s) from kept.csv" in s.value for s in at.success)
    got = history.series_with_source(engine, "in_stock", A, 3)
    assert [(v, s) for _d, v, s in got[:2]] == [(3.0, "recorded"), (2.0, "recorded")]


def test_errors_name_the_row_and_nothing_can_be_confirmed(estate):
    at = _upload(open_page("am1", "data"), "kept.csv", BAD)
    assert not at.exception, at.exception
    errors = _frame_with(at, "reason")
    assert errors[["row", "column", "value"]].values.tolist() == [
        [2, "metric_id", "in_stok"],
        [3, "dimension", "age_bucket"],
    ]
    assert not [b for b in at.button if b.key == "hist_confirm"]


@pytest.mark.parametrize("user", ["admin1", "am1"])
def test_the_data_page_roles_are_offered_the_upload(estate, user):
    at = open_page(user, "data")
    assert [u for u in at.get("file_uploader") if u.key == "hist_upload"]
    assert [b for b in at.get("download_button") if b.key == "dl_metric_history"]
