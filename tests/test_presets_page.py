"""AppTest: the Data page lists every built-in preset with where to export its file, and imports one."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard import presets
from dashboard.presets import registry, servicenow
from tests.test_data_page import count, frames, open_page, upload

TOOLS = Path(__file__).parent / "data" / "presets" / "tools"


def test_every_preset_is_offered_with_its_hint(estate):
    at = open_page("am1", "data")
    options = at.selectbox(key="data_format").options
    for preset in presets.REGISTRY.values():
        assert preset.label in options
    for name, preset in presets.REGISTRY.items():
        at.selectbox(key="data_format").set_value(name)
        at.run()
        assert not at.exception, at.exception
        assert any(preset.hint in c.value for c in at.caption), name


def test_a_registry_entry_is_offered_by_the_page(estate, monkeypatch):
    """The page's formats come from the registry: one entry added there is offered, with its hint."""
    glpi = registry.Preset("glpi", "GLPI computers (CSV)", "assets",
                           "GLPI: Assets → Computers → Export.", servicenow.assets)  # fmt: skip
    monkeypatch.setitem(registry.REGISTRY, "glpi", glpi)
    at = open_page("am1", "data")
    assert not at.exception, at.exception
    assert at.selectbox(key="data_format").options[-2:] == [
        "GLPI computers (CSV)",
        "Another CSV: map its columns",
    ]
    at.selectbox(key="data_format").set_value("glpi")
    at.run()
    assert not at.exception, at.exception
    assert "Where to export it — GLPI: Assets → Computers → Export." in [
        c.value for c in at.caption
    ]


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
