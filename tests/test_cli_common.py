"""The helpers the CLI commands share (dashboard/cli/common.py) and the small shared pieces
issue 16's clean-up made of duplicated code: database.raw_transaction, backup.Manifest.rows,
sessions._sealed."""

from __future__ import annotations

import argparse
import json

import pytest
from sqlalchemy import text

from dashboard import database, sessions
from dashboard.backup import Manifest
from dashboard.cli import common


def _count(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT COUNT(*) FROM t")).scalar()


def test_raw_transaction_commits_the_block(engine):
    with database.raw_transaction(engine) as cur:
        cur.execute("CREATE TABLE t (x INTEGER)")
        cur.execute("INSERT INTO t VALUES (1), (2)")
    assert _count(engine) == 2


def test_raw_transaction_rolls_back_on_an_error_and_raises_it(engine):
    with database.raw_transaction(engine) as cur:
        cur.execute("CREATE TABLE t (x INTEGER)")
        cur.execute("INSERT INTO t VALUES (1)")
    with pytest.raises(ValueError, match="stop here"), database.raw_transaction(engine) as cur:
        cur.execute("INSERT INTO t VALUES (2), (3)")
        raise ValueError("stop here")
    assert _count(engine) == 1  # the two rows of the failed block are gone


def _operations(engine) -> list[tuple]:
    with engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(text("SELECT kind, source, what, outcome FROM operations_log"))
        ]


def test_recorded_writes_one_line_when_the_work_succeeds(engine):
    with common.recorded(engine, "backup", "/tmp/x.zip"):
        pass
    assert _operations(engine) == [("backup", "cli", "/tmp/x.zip", "ok")]


def test_recorded_writes_nothing_when_the_work_fails(engine):
    with pytest.raises(RuntimeError), common.recorded(engine, "restore", "b.zip"):
        raise RuntimeError("refused")
    assert _operations(engine) == []


@pytest.mark.parametrize(
    ("as_json", "expected"),
    [
        (True, '{\n "rows": 1200,\n "file": "b.zip"\n}\n'),
        (False, "Restored 1,200 rows\n"),
    ],
)
def test_output_prints_the_json_or_the_text(capsys, as_json, expected):
    args = argparse.Namespace(json=as_json)
    code = common.output(args, {"rows": 1200, "file": "b.zip"}, "Restored 1,200 rows")
    assert code == 0
    assert capsys.readouterr().out == expected


def test_print_step_goes_to_standard_error(capsys):
    common.print_step(3, 12, "assets")
    out, err = capsys.readouterr()
    assert (out, err) == ("", "[3/12] assets\n")


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--out", "a.xlsx"], {"out": "a.xlsx", "json": False}),
        (["--out", "dir", "--json"], {"out": "dir", "json": True}),
    ],
)
def test_add_out_and_add_json(argv, expected):
    p = argparse.ArgumentParser()
    common.add_out(p, "where to write", metavar="PATH")
    common.add_json(p, "print JSON")
    assert vars(p.parse_args(argv)) == expected
    assert "--out PATH" in p.format_help()


def test_add_out_is_required(capsys):
    p = argparse.ArgumentParser()
    common.add_out(p, "where to write")
    with pytest.raises(SystemExit):
        p.parse_args([])
    assert "the following arguments are required: --out" in capsys.readouterr().err


def test_manifest_rows_adds_the_tables_rows_and_stays_out_of_the_json():
    manifest = Manifest(3, "2026-12-01 10:00:00", "duckdb", {"a": {"rows": 2}, "b": {"rows": 5}})
    assert manifest.rows == 7
    assert "rows" not in json.loads(json.dumps(manifest.__dict__))


def test_a_sealed_token_unseals_with_its_ticket_only():
    token = b"token-123"
    sealed = sessions._sealed("ticket-a", token)
    assert sealed != token and len(sealed) == len(token)
    assert sessions._sealed("ticket-a", sealed) == token
    assert sessions._sealed("ticket-b", sealed) != token
