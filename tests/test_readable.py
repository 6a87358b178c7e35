"""Issue 16, pages people read without squinting: exact values behind compact tiles, the
uploader's limit, charts labelled with titles and text alternatives.

The estate is tests/app_estate.py's plus one laptop A5 bought 50 days before the as-of
date for 32,630: hardware spend over 12 months = 1,000 (A1) + 1,500 (A2) + 32,630 = 35,130,
shown compact as €35.1k.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

from dashboard import database, fmt, upload_checks
from tests.app_estate import build_estate
from tests.metric_fixtures import asset, day, load

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "value, unit, currency, expected",
    [
        (35130, "money", "EUR", "€35,130"),  # shown €35.1k
        (1_234_567.4, "money", "USD", "$1,234,567"),  # shown $1.23M
        (9_999, "money", "EUR", None),  # shown €9,999 already
        (2500, "money", "EUR", None),
        (12, "count", "EUR", None),
        (97.25, "%", "EUR", None),
        (None, "money", "EUR", None),
        (float("nan"), "money", "EUR", None),
    ],
)
def test_exact_value(value, unit, currency, expected):
    assert fmt.exact_value(value, unit, currency) == expected


@pytest.fixture(scope="module")
def estate(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("readable")
    env = build_estate(tmp)
    engine = database.get_engine(tmp / "app.duckdb")
    load(
        engine,
        assets=[asset("A5", assigned_to="p2", purchase_date=day(-50), purchase_cost=32630.0)],
    )
    database.dispose(tmp / "app.duckdb")
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    yield tmp
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def test_explore_headline_states_exact_value(estate):
    from tests.test_app import open_app

    at = open_app("cfo1", "explore", metric="hardware_spend_12m")
    assert not at.exception
    tile = next(m for m in at.metric if m.label == "Hardware spend (12 months)")
    assert tile.value == "€35.1k"
    assert "Exact value: **€35,130**" in tile.help
    assert "Exact value: €35,130" in [c.value for c in at.caption]


def test_uploader_limit_is_the_import_limit():
    """Streamlit's default says 200 MB while imports stop at 50 MB: the config states the
    import's default limit (pages pass the stored setting to each uploader)."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == upload_checks.Limits().max_upload_mb == 50
