"""The admin's Operations page and the rows it lists (AppTest on the hand-made estate)."""

from __future__ import annotations

import json
import os

import pytest

from dashboard import database, operations, oplog
from tests.app_estate import USERS
from tests.test_app import open_app, title


def _engine():
    return database.get_engine(os.environ["DATABASE_URL"])


def test_admin_sees_health_and_the_runs(estate):
    engine = _engine()
    oplog.record(engine, kind="snapshot", source="schedule", what="2026-06-30", seconds=1.5)
    oplog.record(
        engine,
        kind="import",
        source="cli",
        what="estate.xlsx",
        outcome="failed (exit 2)",
        error_id="abcd1234",
    )
    at = open_app("admin1", "operations")
    assert not at.exception, at.exception
    assert title(at) == "Operations"
    assert "The database answers (duckdb, schema 2" in at.success[0].value
    assert [t.label for t in at.tabs] == [
        "Imports",
        "Scheduled runs and commands",
        "Sends",
        "Logins",
    ]
    ran = next(d.value for d in at.dataframe if "Kind" in d.value.columns)
    mine = ran[ran["What"].isin(["estate.xlsx", "2026-06-30"])].to_dict("records")
    # newest first; the app may have added its own daily snapshot run on top
    assert [(r["Kind"], r["Source"], r["Outcome"], r["Error id"]) for r in mine] == [
        ("import", "cli", "failed (exit 2)", "abcd1234"),
        ("snapshot", "schedule", "ok", ""),
    ]


@pytest.mark.parametrize("user", [u for u, (roles, _) in USERS.items() if "admin" not in roles])
def test_only_admins_open_it(estate, user):
    at = open_app(user)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("../pages/operations.py")


def test_import_rows_are_summed(estate):
    engine = _engine()
    with engine.begin() as conn:
        from sqlalchemy import text

        conn.execute(
            text(
                'INSERT INTO import_log (id, created_at, "user", file_name, mode, counts) VALUES '
                "(nextval('import_log_id_seq'), '2030-01-01 10:00:00', 'am1', 'x.xlsx', 'replace', :c)"
            ),
            {
                "c": json.dumps(
                    {
                        "assets": {"inserted": 3, "updated": 1, "unchanged": 2},
                        "people": {"inserted": 4, "updated": 0, "unchanged": 0},
                    }
                )
            },
        )
    newest = operations.imports(engine)[0]
    assert (newest["file_name"], newest["rows"], newest["tables"]) == ("x.xlsx", 10, 2)
