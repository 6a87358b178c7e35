"""The fiscal year's first month as a setting (issue 15): CLI, registry, metrics."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard import database, settings
from dashboard.cli import main
from metrics import api, fiscal
from metrics.params import fiscal_year_start
from tests.metric_fixtures import asset, load


@pytest.mark.parametrize(
    "a, start, expected",
    [
        (dt.date(2027, 2, 10), 4, dt.date(2026, 4, 1)),
        (dt.date(2027, 4, 1), 4, dt.date(2027, 4, 1)),
        (dt.date(2027, 3, 31), 4, dt.date(2026, 4, 1)),
        (dt.date(2026, 12, 31), 1, dt.date(2026, 1, 1)),
        (dt.date(2026, 6, 30), 7, dt.date(2025, 7, 1)),
        (dt.date(2026, 1, 1), 12, dt.date(2025, 12, 1)),
    ],
)
def test_fiscal_year_start(a, start, expected):
    assert fiscal_year_start(a, start) == expected


@pytest.mark.parametrize("value", ["0", "13", "April", "", "4.5"])
def test_the_setting_refuses_what_is_not_a_month(value):
    with pytest.raises(settings.SettingError, match="month number from 1"):
        settings.setting("fiscal_year_start_month").clean(value)


def test_cli_sets_it_and_the_year_to_date_follows(tmp_path, capsys):
    db = tmp_path / "s.duckdb"
    engine = database.get_engine(db)
    load(engine, assets=[asset("A", purchase_date="2026-05-01", purchase_cost=10),
                         asset("B", purchase_date="2026-02-01", purchase_cost=1)])  # fmt: skip
    as_of = dt.date(2026, 6, 30)
    assert api.compute(engine, as_of, ["spend_ytd"]) == {"spend_ytd": 11.0}
    database.dispose(db)
    assert main(["settings", "set", "fiscal_year_start_month=4", "--db", str(db)]) == 0
    assert "fiscal_year_start_month  4" in capsys.readouterr().out
    engine = database.get_engine(db)
    try:
        assert fiscal.start_month(engine) == 4
        assert api.compute(engine, as_of, ["spend_ytd"]) == {"spend_ytd": 10.0}
    finally:
        database.dispose(db)
    assert main(["settings", "set", "fiscal_year_start_month=13", "--db", str(db)]) == 2
