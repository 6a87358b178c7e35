"""Actions taken in the app are JSON lines of the operations log (ITAM_LOG_FILE): logins,
failures, delays and log-outs (dashboard/login.py via audit.record), imports (the importer,
as the Data page calls it), downloads (oplog.logged_download around an export builder) and
mail sends (notify, to a real in-process SMTP server). Never a password, hash or token, never
the data itself.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import logging
import socket

import pandas as pd
import pytest
from aiosmtpd.controller import Controller

from dashboard import auth, database, kpis, login, notify, oplog, subscriptions
from dashboard.importer import import_package
from dashboard.ui import export
from tests.sample_estate import SAMPLE

PASSWORD = "Corr3ct-Horse-Battery"


@pytest.fixture
def log_file(tmp_path, monkeypatch):
    """The `itam` loggers writing to a fresh ITAM_LOG_FILE, as the app sets them up."""
    path = tmp_path / "itam.log"
    monkeypatch.setenv("ITAM_LOG_FILE", str(path))
    root = logging.getLogger("itam")
    saved = root.handlers[:], root.level, root.propagate
    root.handlers = [h for h in root.handlers if not getattr(h, "_itam", False)]
    oplog.setup_logging()
    yield path
    for handler in root.handlers:
        if getattr(handler, "_itam", False):
            handler.close()
    root.handlers, root.level, root.propagate = saved[0], saved[1], saved[2]


def lines(path, *events: str) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    return [r for r in rows if r.get("event") in events]


def brief(rows: list[dict]) -> list[tuple]:
    return [(r["event"], r["source"], r.get("user"), r["outcome"]) for r in rows]


def users() -> dict:
    config = {"credentials": {"usernames": {}}}
    auth.add_user(config, "alice", PASSWORD, ["cio"], name="Alice Admin")
    auth.add_user(
        config, "frances", PASSWORD, ["cfo"], name="Frances Finance", email="frances@example.org"
    )
    return config


def test_logins_failures_delays_and_logouts(tmp_path, log_file):
    engine = database.get_engine(tmp_path / "login.duckdb")
    config = users()
    now = dt.datetime(2026, 6, 30, 9, 0)
    ok = login.attempt(engine, config, "Alice", PASSWORD, ip="10.0.0.7", now=now)
    assert ok.token
    login.logout(engine, ok.token, "alice")
    for _ in range(4):  # the third failure earns a delay: the fourth attempt is refused
        login.attempt(engine, config, "alice", "wrong-guess", ip="10.0.0.7", now=now)
    refused = login.attempt(engine, config, "alice", PASSWORD, ip="10.0.0.7", now=now)
    assert refused.token is None
    database.dispose(tmp_path / "login.duckdb")

    rows = lines(log_file, "login", "logout")
    assert brief(rows) == [
        ("login", "app", "alice", "ok"),
        ("logout", "app", "alice", "ok"),
        ("login", "app", "alice", "failed"),
        ("login", "app", "alice", "failed"),
        ("login", "app", "alice", "failed"),
        ("login", "app", "alice", "locked out"),
        ("login", "app", "alice", "refused (delay)"),
        ("login", "app", "alice", "refused (delay)"),  # even the right password, until then
    ]
    assert rows[0]["what"] == "ip 10.0.0.7, source local"
    assert rows[4]["what"] == "failures 3, ip 10.0.0.7"
    assert rows[5]["what"] == "failures 3, seconds 1.0"
    assert rows[7]["what"] == "by username, ip 10.0.0.7"
    assert all(r["level"] == "info" and r["logger"] == "itam.ops" for r in rows)
    text = log_file.read_text()
    stored_hash = config["credentials"]["usernames"]["alice"]["password"]
    for secret in (PASSWORD, "wrong-guess", ok.token, stored_hash):
        assert secret not in text


def test_imports_as_the_data_page_makes_them(tmp_path, log_file):
    engine = database.get_engine(tmp_path / "import.duckdb")
    data = (SAMPLE / "sample-estate.xlsx").read_bytes()
    result = import_package(engine, data, filename="estate.xlsx", user="ada")
    assert result.ok
    refused = import_package(engine, b"not a spreadsheet", filename="junk.xlsx", user="ada")
    assert not refused.ok
    dry = import_package(engine, data, filename="estate.xlsx", user="ada", dry_run=True)
    database.dispose(tmp_path / "import.duckdb")

    rows = lines(log_file, "import")
    assert brief(rows) == [
        ("import", "app", "ada", "ok"),
        ("import", "app", "ada", f"rejected ({len(refused.errors)} errors)"),
        ("import", "app", "ada", "ok"),
    ]
    written = sum(c.inserted + c.updated for c in result.tables.values())
    assert written > 1000 and len(result.tables) >= 10  # the sample estate's scale
    assert rows[0]["what"] == (
        f"estate.xlsx (upsert): {len(result.tables)} tables, {written} rows inserted or updated"
    )
    assert rows[1]["what"] == "junk.xlsx (upsert): 0 tables, 0 rows inserted or updated"
    # The same file again: every row is already there, nothing inserted or updated.
    assert rows[2]["what"] == (
        f"estate.xlsx (dry run, upsert): {len(dry.tables)} tables, 0 rows inserted or updated"
    )


def test_a_download_is_one_export_line_without_its_content(log_file):
    frame = pd.DataFrame({"serial": ["SN-SECRET-0001", "SN-SECRET-0002"], "cost": [1200, 800]})
    build = oplog.logged_download(
        "assets.xlsx",
        "ada",
        lambda: export.xlsx_bytes(frame, title="Assets", filters_line="all", made_by="ada"),
    )
    assert lines(log_file, "export") == []  # building the button logs nothing; pressing it does
    data = build()

    def broken() -> bytes:
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        oplog.logged_download("pack.pdf", "bo", broken)()

    rows = lines(log_file, "export")
    assert brief(rows) == [("export", "app", "ada", "ok"), ("export", "app", "bo", "failed")]
    assert rows[0]["what"] == f"assets.xlsx ({len(data)} bytes)"
    assert rows[1]["what"] == "pack.pdf"
    assert "SN-SECRET" not in log_file.read_text()


class Inbox:
    def __init__(self):
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_sends_failed_then_sent(tmp_path, log_file):
    engine = database.get_engine(tmp_path / "notify.duckdb")
    assert import_package(engine, SAMPLE / "sample-estate.xlsx").ok
    kpis.ensure_default_kpis(engine)
    sub = subscriptions.add(engine, "frances", "alerts")
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        now, as_of = dt.datetime(2026, 6, 30, 8, 0), dt.date(2026, 6, 30)
        down = notify.MailSettings("127.0.0.1", free_port(), password="smtp-Secret-42")
        [first] = notify.run(engine, now, as_of, config=users(), settings=down)
        up = notify.MailSettings("127.0.0.1", controller.port, sender="ITAM <itam@example.org>")
        later = now + dt.timedelta(minutes=5)
        [second] = notify.run(engine, later, as_of, config=users(), settings=up)
    finally:
        controller.stop()
        database.dispose(tmp_path / "notify.duckdb")
    assert (first.status, second.status, len(inbox.messages)) == ("failed", "sent", 1)

    rows = lines(log_file, "send")
    assert brief(rows) == [("send", "cli", "frances", "failed"), ("send", "cli", "frances", "sent")]
    # An alert's slot is the run's minute: 08:00 failed, 08:05 sent.
    assert [r["what"] for r in rows] == [
        f"subscription {sub.id} (alerts), slot 2026-06-30 08:00",
        f"subscription {sub.id} (alerts), slot 2026-06-30 08:05",
    ]
    assert (first.slot, second.slot) == (now, later)
    text = log_file.read_text()
    assert "smtp-Secret-42" not in text and PASSWORD not in text
    assert inbox.messages[0]["Subject"] not in text  # the mail's content stays out of the log


def test_the_strategy_documents_built_on_the_page(engine, tmp_path, monkeypatch, log_file):
    """Built when the button is pressed, downloaded from memory: the line comes with the build."""
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("DATABASE_URL", f"duckdb:///{(tmp_path / 'test.duckdb').resolve()}")
    page = str(Path(__file__).resolve().parent.parent / "pages" / "strategy.py")
    at = AppTest.from_file(page, default_timeout=90)
    at.session_state["_user"] = auth.User("cio", "Cio", None, ("cio",))
    at.session_state["_page"] = "strategy"
    at.run()
    assert lines(log_file, "export") == []
    next(b for b in at.button if b.label == "Build the deck and the workbook").click().run()
    assert not at.exception
    rows = lines(log_file, "export")
    assert brief(rows) == [("export", "app", "cio", "ok")]
    assert rows[0]["what"] == "strategy deck and workbook"
