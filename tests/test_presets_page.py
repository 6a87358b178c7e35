"""AppTest: the Data page lists every built-in preset with where to export its file, and imports one."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard import presets
from tests.test_data_page import count, frames, open_page, upload

TOOLS = Path(__file__).parent / "data" / "presets" / "tools"


def test_every_preset_is_offered_with_its_hint(estate):
    at = open_page("am1", "data")
    options = at.selectbox(key="data_format").options
    for label in presets.PRESET_LABELS.values():
        assert label in options
    for name, hint in presets.PRESET_HINTS.items():
        at.selectbox(key="data_format").set_value(name)
        at.run()
        assert not at.exception, at.exception
        assert any(hint in c.value for c in at.caption), name


@pytest.mark.parametrize(
    ("name", "preset", "table", "inserted"),
    [("aws_cur.csv", "aws", "cloud_spend", 6), ("jamf_computers.csv", "jamf", "discovery", 3)],
)
def test_a_preset_upload_previews_then_imports(estate, name, preset, table, inserted):
    at = upload(open_page("am1", "data"), name, (TOOLS / name).read_bytes(), preset)
    assert not at.exception, at.exception
    assert frames(at)[0].to_dict("records")[0] == {
        "table": table, "to insert": inserted, "to update": 0, "unchanged": 0
    }  # fmt: skip
    before = count(estate, f"SELECT count(*) FROM {table}")
    at.button(key="data_confirm").click()
    at.run()
    assert not at.exception, at.exception
    assert count(estate, f"SELECT count(*) FROM {table}") == before + inserted
