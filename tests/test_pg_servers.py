"""Two app servers on one PostgreSQL, a CLI import beside them, and imports that queue.

The small browser-test estate is copied into a fresh PostgreSQL database with
`backup`/`restore`; two `streamlit run` processes serve it; a CIO logs in to
each in Chromium. A CLI import of the sample estate then runs while both keep
answering /healthz, and both show the new value after a reload. Two imports
started together both succeed one after the other (the second says it waits
for the first), and the data is the sample estate's, never a mix.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from dashboard import database
from tests.app_estate import build_estate
from tests.browser_support import login, require_chromium, settle, tile
from tests.metric_fixtures import A
from tests.test_operations import free_port

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "data" / "sample-estate" / "sample-estate.xlsx"
pytestmark = pytest.mark.browser
require_chromium()  # skips the module without Chromium (fails under CI=true)


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


def cli_bg(*args: str, cwd: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "dashboard", *args],
        cwd=cwd,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


@pytest.fixture(scope="module")
def shared_db(pg_url, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("two")
    env = build_estate(tmp)
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text('DROP DATABASE IF EXISTS "two_servers"'))
        conn.execute(text('CREATE DATABASE "two_servers"'))
    admin.dispose()
    url = pg_url.replace("/postgres?", "/two_servers?")
    duck = env["DATABASE_URL"].removeprefix("duckdb:///")
    assert cli("backup", "--db", duck, "--out", str(tmp / "seed.bak"), cwd=tmp).returncode == 0
    done = cli("restore", str(tmp / "seed.bak"), "--db", url, cwd=tmp)
    assert done.returncode == 0, done.stderr
    return tmp, {**env, "DATABASE_URL": url}


def _server(tmp: Path, env: dict) -> tuple[subprocess.Popen, str]:
    port = free_port()
    log = open(tmp / f"server-{port}.log", "w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "dashboard" / "app.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=tmp,
        env={**os.environ, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"{url}/healthz", timeout=5)
            return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    pytest.fail("a server did not start")


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=30) as r:
            return r.status == 200 and json.loads(r.read())["database"] == "ok"
    except OSError:
        return False


def _active_devices(tmp: Path, db: str) -> str:
    done = cli(
        "metrics",
        "--db",
        db,
        "--metric",
        "active_devices",
        "--as-of",
        A.isoformat(),
        "--json",
        cwd=tmp,
    )
    assert done.returncode == 0, done.stderr
    return f"{json.loads(done.stdout)['values']['active_devices']:,.0f}"


def test_two_servers_and_a_cli_import(shared_db, browser):
    tmp, env = shared_db
    servers = [_server(tmp, env) for _ in range(2)]
    try:
        pages = [login(browser, url, "cio1", f"?as_of={A.isoformat()}") for _, url in servers]
        assert [tile(p, "Active devices") for p in pages] == ["3", "3"]
        job = cli_bg("import", str(SAMPLE), "--db", env["DATABASE_URL"], "--replace", cwd=tmp)
        answered = []
        while job.poll() is None:
            answered += [_healthy(url) for _, url in servers]
            time.sleep(0.3)
        _, err = job.communicate()
        assert job.returncode == 0, err
        assert answered and all(answered)
        want = _active_devices(tmp, env["DATABASE_URL"])
        assert want != "3"
        for page in pages:  # both servers show the import (within a minute, no restart)
            deadline = time.time() + 60
            while time.time() < deadline:
                page.reload()
                settle(page)
                if tile(page, "Active devices") == want:
                    break
            assert tile(page, "Active devices") == want
    finally:
        for proc, _ in servers:
            proc.terminate()
            proc.wait(timeout=20)


def test_concurrent_imports_queue(shared_db):
    """Imports queue on the bulk-write lock. Deterministic: the test holds the lock (as a
    running import would) until both imports are seen waiting for it in pg_locks; released,
    they run one after the other and the data is one import's, never interleaved."""
    tmp, env = shared_db
    holder = create_engine(env["DATABASE_URL"])
    conn = holder.connect()
    held = conn.begin()
    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": database.PG_WRITE_LOCK_KEY})
    jobs = [
        cli_bg("import", str(SAMPLE), "--db", env["DATABASE_URL"], "--replace", cwd=tmp)
        for _ in range(2)
    ]
    waiting = 0
    for _ in range(600):  # both imports read and check the file first, then ask for the lock
        waiting = conn.execute(
            text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
        ).scalar()
        if waiting == 2 or any(j.poll() is not None for j in jobs):
            break
        time.sleep(0.5)
    held.rollback()
    conn.close()
    holder.dispose()
    results = [j.communicate(timeout=300) for j in jobs]
    assert waiting == 2, [r[1][-500:] for r in results]
    assert [j.returncode for j in jobs] == [0, 0], [r[1][-500:] for r in results]
    waited = [err for _, err in results if "Another import is running on this database" in err]
    assert len(waited) == 2  # each was told why it waited
    engine = create_engine(env["DATABASE_URL"])
    with engine.connect() as conn:
        assets = conn.execute(text("SELECT count(*) FROM assets")).scalar()
        logged = conn.execute(text("SELECT count(*) FROM import_log")).scalar()
    engine.dispose()
    done = cli("import", str(SAMPLE), "--db", str(tmp / "ref.duckdb"), "--replace", cwd=tmp)
    assert done.returncode == 0
    ref = create_engine(f"duckdb:///{tmp / 'ref.duckdb'}")
    with ref.connect() as conn:
        assert assets == conn.execute(text("SELECT count(*) FROM assets")).scalar()
    ref.dispose()
    assert logged >= 2


def test_scheduled_work_runs_on_one_server_only(shared_db):
    """Two processes' engines on one database: while one holds the daily snapshot's lock
    the other is told to skip; on DuckDB (one process per file) it is always granted."""
    from dashboard import schedule

    _, env = shared_db
    first, second = create_engine(env["DATABASE_URL"]), create_engine(env["DATABASE_URL"])
    try:
        with schedule.exclusive(first, "daily_snapshot") as mine:
            assert mine is True
            with schedule.exclusive(second, "daily_snapshot") as theirs:
                assert theirs is False
            with schedule.exclusive(second, "another_job") as other:
                assert other is True
        with schedule.exclusive(second, "daily_snapshot") as later:
            assert later is True  # released when the first finished
    finally:
        first.dispose()
        second.dispose()
    duck = create_engine("duckdb:///:memory:")
    with schedule.exclusive(duck, "daily_snapshot") as mine:
        assert mine is True
