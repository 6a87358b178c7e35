"""Users file, roles, scopes, cookie key, throttling, demo users, users CLI (pages: test_navigation.py)."""

from __future__ import annotations

import io
import json

import pytest

from dashboard import auth
from dashboard.cli import main as cli


@pytest.fixture
def users_file(tmp_path, monkeypatch):
    path = tmp_path / "auth.yaml"
    monkeypatch.setenv("ITAM_AUTH_FILE", str(path))
    return path


# ------------------------------------------------------------------ scopes


@pytest.mark.parametrize(
    ("filters", "scope", "expected"),
    [
        (None, None, {}),
        ({"vendor": ["Dell"]}, None, {"vendor": ["Dell"]}),
        (None, {"department": ["Finance", "HR"]}, {"department": ["Finance", "HR"]}),
        (
            {"department": ["HR", "Sales"]},
            {"department": ["Finance", "HR"]},
            {"department": ["HR"]},
        ),
        ({"department": ["Sales"]}, {"department": ["Finance"]}, None),
        (
            {"vendor": ["Dell"]},
            {"location": ["Oslo"], "department": ["IT"]},
            {"vendor": ["Dell"], "location": ["Oslo"], "department": ["IT"]},
        ),
    ],
)
def test_scoped_filters(filters, scope, expected):
    assert auth.scoped_filters(filters, scope) == expected


def test_scope_keeps_only_known_keys():
    assert auth.clean_scope({"department": "Finance", "vendor": ["Dell"], "location": []}) == {
        "department": ["Finance"]
    }


# ------------------------------------------------------------------ cookie key


@pytest.mark.parametrize(
    ("key", "fragment"),
    [
        (None, "No cookie key"),
        ("", "No cookie key"),
        ("x" * 31, "31 bytes long"),
        ("replace-me-with-a-random-string-of-at-least-32-bytes", "example value"),
        ("some_key", "example value"),
        (" " * 32, "guessable"),
        ("a" * 32, "guessable"),
        ("Zq3-" * 12, "guessable"),
        ("ab" * 40, "guessable"),
        ("f8f4039a93a20633745c7d1e2b6a09e5", None),  # 32 random hex digits (~119 bits)
        ("AlH4m-4eWkvZO90m8Kfe_Pq1Xr7sTb2LnYc3", None),
    ],
)
def test_cookie_key_problem(key, fragment):
    problem = auth.cookie_key_problem(key)
    assert (problem is None) if fragment is None else (fragment in problem)


def test_example_file_key_is_refused():
    example = (auth.ROOT / ".streamlit" / "secrets.toml.example").read_text()
    key = example.split('cookie_key = "')[1].split('"')[0]
    assert "example" in auth.cookie_key_problem(key)


def test_ensure_cookie_key_writes_once(tmp_path, monkeypatch):
    monkeypatch.delenv("ITAM_COOKIE_KEY", raising=False)
    path = tmp_path / "secrets.toml"
    path.write_text('other = "kept"\ncookie_key = "short"\n')
    assert auth.ensure_cookie_key(path) is True
    key = auth.read_secrets_key(path)
    assert auth.cookie_key_problem(key) is None
    assert 'other = "kept"' in path.read_text()
    assert auth.ensure_cookie_key(path) is False
    assert auth.read_secrets_key(path) == key


# ------------------------------------------------------------------ users file and demo users


def test_users_file_round_trip(users_file):
    config = auth.load_config()
    auth.add_user(config, "Alice", "password1", ["cfo", "cio"], scope={"department": ["Finance"]})
    auth.save_config(config)
    saved = auth.load_config()
    entry = saved["credentials"]["usernames"]["alice"]
    assert entry["roles"] == ["cio", "cfo"]
    assert entry["scope"] == {"department": ["Finance"]}
    assert entry["password"].startswith("$2") and auth.check_password(
        "password1", entry["password"]
    )
    assert oct(users_file.stat().st_mode & 0o777) == "0o600"


def test_first_and_last_name_accepted(users_file):
    users_file.write_text(
        "credentials:\n  usernames:\n    Bo:\n      first_name: Bo\n      last_name: Li\n"
        "      email: b@x\n      password: x\n      roles: [technician, unknown]\n"
    )
    (user,) = auth.list_users(auth.load_config())
    assert (user.username, user.name, user.roles) == ("bo", "Bo Li", ("technician",))


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: auth.add_user(c, "a b", "password1", ["cio"]), "not a valid username"),
        (lambda c: auth.add_user(c, "x", "short", ["cio"]), "at least 8"),
        (lambda c: auth.add_user(c, "x", "password1", ["boss"]), "unknown role"),
        (lambda c: auth.set_roles(c, "nobody", ["cio"]), "no such user"),
    ],
)
def test_user_errors(call, message):
    with pytest.raises(auth.UserError, match=message):
        call({"credentials": {"usernames": {}}})


def test_demo_users_follow_demo_mode(users_file):
    assert auth.sync_demo_users(True) is True
    names = {u.username for u in auth.list_users(auth.load_config())}
    assert names == {u for u, *_ in auth.DEMO_USERS}
    assert auth.sync_demo_users(True) is False  # idempotent
    config = auth.load_config()
    assert auth.get_user(config, "cio", demo_mode=False) is None  # refused once demo mode ends
    assert auth.sync_demo_users(False) is True
    assert auth.list_users(auth.load_config()) == []


def test_adding_a_real_user_removes_demo_users(users_file):
    auth.sync_demo_users(True)
    config = auth.load_config()
    auth.add_user(config, "real", "password1", ["admin"])
    assert list(config["credentials"]["usernames"]) == ["real"]


# ------------------------------------------------------------------ CLI


def run_cli(args, monkeypatch, stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return cli(["users", *args])


def test_cli_manages_users(users_file, monkeypatch, capsys, tmp_path):
    db = ["--db", str(tmp_path / "none.duckdb")]  # no database yet: the users file alone
    assert (
        run_cli(
            [
                "add",
                "Carol",
                "--role",
                "cfo",
                "--scope",
                "cost_center=CC-1",
                "--password-stdin",
                *db,
            ],
            monkeypatch,
            "s3cret-pass\n",
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "s3cret-pass" not in out and "added carol" in out
    assert not (tmp_path / "none.duckdb").exists()  # never created just to record a change
    assert run_cli(["set-roles", "carol", "cio", "admin", *db], monkeypatch) == 0
    assert run_cli(["set-scope", "carol", "department=IT", "location=Oslo", *db], monkeypatch) == 0
    assert (
        run_cli(["set-password", "carol", "--password-stdin", *db], monkeypatch, "another-pass\n")
        == 0
    )
    capsys.readouterr()
    assert run_cli(["list", "--json"], monkeypatch) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row == {
        "username": "carol",
        "name": "carol",
        "email": "",
        "roles": ["cio", "admin"],
        "scope": {"department": ["IT"], "location": ["Oslo"]},
        "demo": False,
    }
    entry = auth.load_config()["credentials"]["usernames"]["carol"]
    assert auth.check_password("another-pass", entry["password"])
    assert "another-pass" not in users_file.read_text()
    assert run_cli(["remove", "carol", *db], monkeypatch) == 0
    assert auth.load_config()["credentials"]["usernames"] == {}


@pytest.mark.parametrize(
    ("args", "stdin", "ends", "action", "detail"),
    [
        (
            ["set-password", "dora", "--password-stdin"],
            "new-password-1\n",
            True,
            "password changed",
            "",
        ),
        (["set-roles", "dora", "cfo"], "", True, "roles changed", "roles: cfo"),
        (["remove", "dora"], "", True, "user removed", ""),
        (
            ["set-scope", "dora", "department=HR"],
            "",
            False,
            "scope changed",
            "scope: {'department': ['HR']}",
        ),
        (["end-sessions", "dora"], "", True, "sessions ended", ""),
    ],
)
def test_cli_changes_reach_the_database(
    users_file, monkeypatch, capsys, tmp_path, args, stdin, ends, action, detail
):
    from dashboard import audit, database, sessions

    db = tmp_path / "d.duckdb"
    config = auth.load_config()
    auth.add_user(config, "dora", "password-dora", ["cio"])
    auth.save_config(config)
    engine = database.get_engine(db)
    token = sessions.create_session(engine, "dora")
    database.dispose(db)
    assert run_cli([*args, "--db", str(db)], monkeypatch, stdin) == 0
    out = capsys.readouterr().out
    assert ("ended 1 session(s) of dora" in out) is ends
    engine = database.get_engine(db)
    try:
        with engine.connect() as conn:
            revoked = conn.exec_driver_sql(
                "SELECT revoked_at IS NOT NULL FROM login_sessions"
            ).scalar()
        assert revoked is ends
        (row,) = audit.recent(engine)
        assert (row["action"], row["user"]) == (action, "dora")
        assert row["by"].startswith("cli")
        assert detail in row["detail"] and "password-dora" not in row["detail"]
        assert (sessions.resolve_session(engine, token) is None) is (
            ends or action != "scope changed"
        )
    finally:
        database.dispose(db)


def test_cli_unlock(users_file, monkeypatch, capsys, tmp_path):
    from dashboard import audit, database, sessions

    db = tmp_path / "u.duckdb"
    engine = database.get_engine(db)
    for _ in range(4):
        sessions.claim(engine, sessions.user_key("erin"), sessions.USER_POLICY)
    assert sessions.locked_users(engine)["erin"]["failures"] == 3
    database.dispose(db)
    assert run_cli(["unlock", "Erin", "--db", str(db)], monkeypatch) == 0
    assert run_cli(["unlock", "erin", "--db", str(db)], monkeypatch) == 0
    assert capsys.readouterr().out.splitlines() == [
        "unlocked erin",
        "erin has no login delay to lift",
    ]
    engine = database.get_engine(db)
    try:
        assert sessions.locked_users(engine) == {}
        assert [r["action"] for r in audit.recent(engine)] == ["unlocked"]
    finally:
        database.dispose(db)
    assert run_cli(["unlock", "erin", "--db", str(tmp_path / "missing.duckdb")], monkeypatch) == 1
    assert "no database yet" in capsys.readouterr().err


def test_cli_unlock_address(users_file, monkeypatch, capsys, tmp_path):
    from dashboard import audit, database, sessions

    db = tmp_path / "a.duckdb"
    engine = database.get_engine(db)
    for _ in range(12):
        sessions.claim(engine, sessions.address_key("10.1.2.3"), sessions.ADDRESS_POLICY)
    sessions.claim(engine, sessions.user_key("erin"), sessions.USER_POLICY)
    assert list(sessions.locked_addresses(engine)) == ["10.1.2.3"]
    database.dispose(db)
    assert run_cli(["unlock-address", "10.1.2.3", "--db", str(db)], monkeypatch) == 0
    assert run_cli(["unlock-address", "10.1.2.3", "--db", str(db)], monkeypatch) == 0
    assert capsys.readouterr().out.splitlines() == [
        "unlocked address 10.1.2.3",
        "address 10.1.2.3 has no login delay to lift",
    ]
    engine = database.get_engine(db)
    try:
        assert sessions.locked_addresses(engine) == {}
        assert list(sessions.locked_users(engine)) == ["erin"]  # a user's delay is its own
        [entry] = audit.recent(engine)
        assert entry["action"] == "unlocked" and "ip: 10.1.2.3" in entry["detail"]
    finally:
        database.dispose(db)


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["add", "x", "--role", "boss", "--password-stdin"], "password1\n", "unknown role"),
        (["add", "x", "--role", "cio", "--password-stdin"], "short\n", "at least 8"),
        (["remove", "ghost"], "", "no such user"),
        (["set-scope", "ghost", "vendor=Dell"], "", "expected KEY=VALUE"),
    ],
)
def test_cli_errors(users_file, monkeypatch, capsys, args, stdin, message):
    assert run_cli(args, monkeypatch, stdin) == 1
    assert message in capsys.readouterr().err


def test_cli_add_ends_demo_mode_in_the_database(users_file, monkeypatch, tmp_path):
    from dashboard import database, store

    db = tmp_path / "d.duckdb"
    engine = database.get_engine(db)
    store.set_setting(engine, "demo_mode", "true")
    database.dispose(db)
    auth.sync_demo_users(True)
    assert (
        run_cli(
            ["add", "real", "--role", "admin", "--password-stdin", "--db", str(db)],
            monkeypatch,
            "password1\n",
        )
        == 0
    )
    engine = database.get_engine(db)
    assert store.get_setting(engine, "demo_mode") == "false"
    database.dispose(db)
    assert [u.username for u in auth.list_users(auth.load_config())] == ["real"]
