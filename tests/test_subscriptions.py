"""Subscriptions: the schedule rule (latest slot), validation, and the CLI's add/list/remove."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from dashboard import auth, subscriptions
from dashboard.cli import main
from dashboard.subscriptions import Schedule, SubscriptionError, latest_slot

T = dt.time
D = dt.datetime


@pytest.mark.parametrize(
    ("sched", "now", "slot"),
    [
        # 2026-06-29 is a Monday.
        (Schedule("weekly", 0, T(7, 0)), D(2026, 6, 29, 7, 0), D(2026, 6, 29, 7, 0)),  # on the dot
        (
            Schedule("weekly", 0, T(7, 0)),
            D(2026, 6, 29, 6, 59),
            D(2026, 6, 22, 7, 0),
        ),  # a minute early
        (Schedule("weekly", 0, T(7, 0)), D(2026, 7, 1, 12, 0), D(2026, 6, 29, 7, 0)),  # Wednesday
        (
            Schedule("weekly", 4, T(18, 30)),
            D(2026, 6, 29, 9, 0),
            D(2026, 6, 26, 18, 30),
        ),  # Friday's
        (
            Schedule("weekly", 6, T(0, 0)),
            D(2026, 7, 5, 0, 0),
            D(2026, 7, 5, 0, 0),
        ),  # Sunday midnight
        (Schedule("monthly", 1, T(7, 0)), D(2026, 7, 1, 7, 0), D(2026, 7, 1, 7, 0)),
        (Schedule("monthly", 1, T(7, 0)), D(2026, 7, 1, 6, 0), D(2026, 6, 1, 7, 0)),
        (
            Schedule("monthly", 15, T(7, 0)),
            D(2026, 1, 10, 0, 0),
            D(2025, 12, 15, 7, 0),
        ),  # into last year
        (
            Schedule("monthly", 31, T(7, 0)),
            D(2026, 4, 30, 8, 0),
            D(2026, 4, 30, 7, 0),
        ),  # April's last day
        (Schedule("monthly", 31, T(7, 0)), D(2026, 3, 2, 8, 0), D(2026, 2, 28, 7, 0)),  # February's
        (Schedule("monthly", 29, T(7, 0)), D(2028, 3, 1, 0, 0), D(2028, 2, 29, 7, 0)),  # leap year
    ],
)
def test_latest_slot(sched, now, slot):
    assert latest_slot(sched, now) == slot


@pytest.mark.parametrize(
    ("every", "text", "day"),
    [("weekly", None, 0), ("weekly", "friday", 4), ("weekly", "Sun", 6), ("monthly", None, 1),
     ("monthly", "31", 31), ("monthly", 15, 15)],
)  # fmt: skip
def test_parse_day(every, text, day):
    assert subscriptions.parse_day(every, text) == day


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"what": "pdf"}, "--what must be one of pack, digest, alerts"),
        ({"what": "pack", "every": "daily"}, "--every must be weekly or monthly"),
        ({"what": "pack", "day": "funday"}, "--day for weekly must be a weekday"),
        ({"what": "pack", "every": "monthly", "day": "32"}, "from 1 to 31"),
        ({"what": "pack", "at": "7"}, "--at must be a time HH:MM"),
        ({"what": "pack", "at": "24:00"}, "--at must be a time HH:MM"),
        ({"what": "alerts", "every": "weekly"}, "KPI alerts have no schedule"),
        ({"what": "pack", "username": "nobody"}, "no such user in the users file: 'nobody'"),
    ],
)
def test_add_refuses(engine, kwargs, message):
    args = {"username": "cfo", **kwargs}
    with pytest.raises(SubscriptionError, match=message):
        subscriptions.add(
            engine, args.pop("username"), args.pop("what"), known_users={"cfo"}, **args
        )
    assert subscriptions.list_all(engine) == []


def test_defaults_and_duplicates(engine):
    row = subscriptions.add(engine, "CFO", "pack")
    assert (row.username, row.every, row.day, row.at_time) == ("cfo", "weekly", 0, "07:00")
    assert subscriptions.describe(row) == "weekly on Monday at 07:00"
    monthly = subscriptions.add(engine, "cfo", "pack", "monthly", at="7:30")
    assert subscriptions.describe(monthly) == "monthly on day 1 at 07:30"
    with pytest.raises(SubscriptionError, match="already has this subscription"):
        subscriptions.add(engine, "cfo", "pack", "weekly", "Monday", "07:00")
    assert [s.id for s in subscriptions.list_all(engine)] == [row.id, monthly.id]


def test_remove_only_ones_own(engine):
    row = subscriptions.add(engine, "cfo", "alerts")
    with pytest.raises(SubscriptionError, match="is not cio's"):
        subscriptions.remove(engine, row.id, username="cio")
    subscriptions.remove(engine, row.id, username="cfo")
    assert subscriptions.list_all(engine) == []
    with pytest.raises(SubscriptionError, match=f"no subscription with id {row.id}"):
        subscriptions.remove(engine, row.id)


@pytest.fixture
def users_file(tmp_path, monkeypatch):
    path = tmp_path / "auth.yaml"
    config = {"credentials": {"usernames": {}}}
    auth.add_user(
        config,
        "frances",
        "password1",
        ["cfo"],
        email="frances@example.org",
        scope={"department": ["Finance"]},
    )
    auth.save_config(config, path)
    monkeypatch.setenv("ITAM_AUTH_FILE", str(path))
    return path


def test_cli_add_list_remove(tmp_path, users_file, capsys):
    db = str(tmp_path / "cli.duckdb")
    assert (
        main(
            [
                "subscriptions",
                "add",
                "--db",
                db,
                "--user",
                "frances",
                "--what",
                "pack",
                "--every",
                "monthly",
                "--day",
                "15",
                "--at",
                "06:45",
            ]
        )
        == 0
    )
    assert capsys.readouterr().out.strip() == (
        "Subscribed frances to the executive pack, monthly on day 15 at 06:45 (subscription 1)"
    )
    assert (
        main(
            ["subscriptions", "add", "--db", db, "--user", "frances", "--what", "alerts", "--json"]
        )
        == 0
    )
    added = json.loads(capsys.readouterr().out)
    assert (added["what"], added["every"], added["schedule"]) == (
        "alerts",
        None,
        "when a KPI changes status (checked on every run)",
    )
    assert main(["subscriptions", "add", "--db", db, "--user", "nobody", "--what", "pack"]) == 1
    assert "no such user in the users file: 'nobody'" in capsys.readouterr().err
    assert main(["subscriptions", "list", "--db", db, "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["subscriptions"]
    assert [
        (s["id"], s["user"], s["what"], s["every"], s["day"], s["at"], s["last_send"])
        for s in listed
    ] == [
        (1, "frances", "pack", "monthly", 15, "06:45", None),
        (2, "frances", "alerts", None, None, None, None),
    ]
    assert main(["subscriptions", "remove", "--db", db, "1"]) == 0
    assert "Removed subscription 1 (frances: the executive pack)" in capsys.readouterr().out
    assert main(["subscriptions", "remove", "--db", db, "1"]) == 1
    assert "no subscription with id 1" in capsys.readouterr().err
    assert main(["subscriptions", "list", "--db", db]) == 0
    assert "KPI alerts" in capsys.readouterr().out
