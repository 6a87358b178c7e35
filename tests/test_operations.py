"""The app serving a DuckDB file while cron writes to it, and failures that stay contained.

Real processes: the app is `streamlit run dashboard/app.py` (its st.App with
/healthz and the job worker), the CLI is `python -m dashboard`. A full disk is
a small tmpfs mounted by the test (root only; skipped otherwise), a read-only
file sits on a tmpfs remounted read-only, a damaged file is written by hand.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import text

from dashboard import database, failures, store
from tests.app_estate import build_estate

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "data" / "sample-estate" / "sample-estate.xlsx"
BEFORE = {"assets": 4, "people": 2}  # build_estate's


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cli(*args: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=timeout,
        env=env,
    )


def cli_bg(*args: str, cwd: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return subprocess.Popen(
        [sys.executable, "-m", "dashboard", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def health(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=30) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


class App:
    """`streamlit run dashboard/app.py` on a database, stopped at the end."""

    def __init__(self, tmp: Path, db: Path) -> None:
        env = {**os.environ, **build_estate(tmp / "auth"), "DATABASE_URL": f"duckdb:///{db}"}
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(tmp / f"server-{self.port}.log", "w")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(ROOT / "dashboard" / "app.py"),
                "--server.port",
                str(self.port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=tmp,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.3)
        else:
            self.stop()
            pytest.fail("the app did not start")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=20)
        self.log.close()


def counts(db: Path) -> dict[str, int]:
    engine = database.get_engine(db)
    try:
        with engine.connect() as conn:
            return {t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar() for t in BEFORE}
    finally:
        database.dispose(db)


def _estate(tmp: Path, name: str = "app.duckdb") -> Path:
    """build_estate's small database, copied to `tmp / name`."""
    build_estate(tmp / "seed")
    shutil.copy(tmp / "seed" / "app.duckdb", tmp / name)
    return tmp / name


@pytest.fixture(scope="module")
def after_counts(tmp_path_factory) -> dict[str, int]:
    """The counts once the sample estate replaced the data (imported without any app)."""
    tmp = tmp_path_factory.mktemp("after")
    db = _estate(tmp)
    done = cli("import", str(SAMPLE), "--db", str(db), "--replace", cwd=tmp)
    assert done.returncode == 0, done.stderr
    return counts(db)


# ------------------------------------------------------------------ CLI beside the app


def test_cli_import_while_the_app_serves(tmp_path, after_counts):
    """The CLI hands the import to the app; the app answers meanwhile and shows the new data."""
    db = _estate(tmp_path)
    app = App(tmp_path, db)
    try:
        assert health(app.url)[1]["jobs"] == "serving"
        job = cli_bg(
            "import",
            "sample-estate.xlsx",
            "--db",
            "app.duckdb",
            "--replace",
            cwd=_with_sample(tmp_path),
        )
        answered = []
        while job.poll() is None:  # the app keeps answering while the import runs
            answered.append(health(app.url)[0])
            time.sleep(0.5)
        out, err = job.communicate()
        assert job.returncode == 0, err
        assert "it runs this command" in err
        assert "assets" in out
        assert answered and set(answered) == {200}
        # The app's own engine sees the import: a read through it (a job) gives the new count.
        done = cli("metrics", "--db", str(db), "--json", cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        assert "it runs this command" in done.stderr
        assert json.loads(done.stdout)["values"]
    finally:
        app.stop()
    assert counts(db) == after_counts


def _with_sample(tmp: Path) -> Path:
    shutil.copy(SAMPLE, tmp / "sample-estate.xlsx")
    return tmp


@pytest.mark.parametrize("delay", [2.5, 4.5, 6.0])
def test_killing_the_app_mid_import_leaves_before_or_after(tmp_path, after_counts, delay):
    db = _estate(tmp_path)
    before = counts(db)
    app = App(tmp_path, db)
    try:
        job = cli_bg(
            "import",
            "sample-estate.xlsx",
            "--db",
            "app.duckdb",
            "--replace",
            cwd=_with_sample(tmp_path),
        )
        time.sleep(delay)
        app.proc.send_signal(signal.SIGKILL)
        app.proc.wait(timeout=20)
        out, err = job.communicate(timeout=60)
    finally:
        app.stop()
    state = counts(db)
    assert state in (before, after_counts)
    if state == before:  # the CLI says the app stopped, and how things stand
        assert job.returncode == 3
        assert "stopped while running this command" in err
        assert "never between" in err


@pytest.mark.parametrize("delay", [0.5, 2.5])
def test_killing_the_cli_leaves_the_job_to_the_app(tmp_path, after_counts, delay):
    db = _estate(tmp_path)
    app = App(tmp_path, db)
    spool = Path(str(db) + ".jobs")
    try:
        job = cli_bg(
            "import",
            "sample-estate.xlsx",
            "--db",
            "app.duckdb",
            "--replace",
            cwd=_with_sample(tmp_path),
        )
        deadline = time.time() + 60
        while time.time() < deadline and not list(spool.glob("*.running")):
            time.sleep(0.1)  # the app has taken the job: the import is under way
        time.sleep(delay)
        job.send_signal(signal.SIGKILL)
        job.wait(timeout=20)
        deadline = time.time() + 120
        while time.time() < deadline and not list(spool.glob("*.result")):
            time.sleep(0.5)
        assert list(spool.glob("*.result")), "the app did not finish the job"
    finally:
        app.stop()
    assert counts(db) == after_counts


@pytest.mark.parametrize("delay", [2.0, 4.0])
def test_killing_a_cli_import_without_app_leaves_before_or_after(tmp_path, after_counts, delay):
    db = _estate(tmp_path)
    before = counts(db)
    job = cli_bg(
        "import",
        "sample-estate.xlsx",
        "--db",
        "app.duckdb",
        "--replace",
        cwd=_with_sample(tmp_path),
    )
    time.sleep(delay)
    job.send_signal(signal.SIGKILL)
    job.wait(timeout=20)
    assert counts(db) in (before, after_counts)


# ------------------------------------------------------------------ faults


# The fixture `tmpfs` (a small disk that can fill up or turn read-only): tests/conftest.py.


def _fill_disk(mount: Path, leave: int) -> Path:
    """A filler file taking all but `leave` bytes of the tmpfs."""
    free = shutil.disk_usage(mount).free
    filler = mount / "filler"
    with open(filler, "wb") as f:
        f.write(b"\0" * max(0, free - leave))
    return filler


NO_TRACEBACK = ("Traceback", 'File "/')


def _clean_message(stderr: str) -> None:
    for bad in NO_TRACEBACK:
        assert bad not in stderr
    assert "(error id " in stderr


def test_full_disk_during_a_cli_import(tmp_path, tmpfs):
    db = _estate(tmpfs)
    before = counts(db)
    _fill_disk(tmpfs, leave=64 * 1024)
    done = cli("import", str(SAMPLE), "--db", str(db), "--replace", cwd=tmp_path)
    assert done.returncode == 2
    assert "The disk holding the database is full" in done.stderr
    _clean_message(done.stderr)
    (tmpfs / "filler").unlink()
    assert counts(db) == before


def test_full_disk_in_the_app_then_the_next_request_works(tmp_path, tmpfs, after_counts):
    """The import fails inside the app (disk full); once space is freed the same app
    process answers and imports again, without a restart."""
    db = _estate(tmpfs)
    app = App(tmp_path, db)
    try:
        filler = _fill_disk(tmpfs, leave=64 * 1024)
        done = cli("import", str(SAMPLE), "--db", str(db), "--replace", cwd=tmp_path)
        assert done.returncode == 2, done.stderr
        assert "The disk holding the database is full" in done.stderr
        _clean_message(done.stderr)
        filler.unlink()
        status, body = health(app.url)
        assert (status, body["database"]) == (200, "ok")
        done = cli("import", str(SAMPLE), "--db", str(db), "--replace", cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        assert "it runs this command" in done.stderr  # the same app process did it
        assert app.proc.poll() is None
    finally:
        app.stop()
    assert counts(db) == after_counts


def _damaged(tmp_path: Path) -> Path:
    db = tmp_path / "damaged.duckdb"
    db.write_bytes(b"this is not a database " * 500)
    return db


def _truncated(tmp_path: Path) -> Path:
    good = _estate(tmp_path, "good.duckdb")
    db = tmp_path / "truncated.duckdb"
    db.write_bytes(good.read_bytes()[:5000])
    return db


@pytest.mark.parametrize("make", [_damaged, _truncated])
def test_damaged_file_cli(tmp_path, make):
    db = make(tmp_path)
    for args in (["metrics", "--json"], ["import", str(SAMPLE), "--replace"]):
        done = cli(*args, "--db", str(db), cwd=tmp_path)
        assert done.returncode == 2
        assert "The database file is damaged" in done.stderr
        assert "python -m dashboard restore" in done.stderr
        assert done.stdout == ""
        _clean_message(done.stderr)


def test_damaged_file_app_health_and_page(tmp_path):
    db = _damaged(tmp_path)
    app = App(tmp_path, db)
    try:
        status, body = health(app.url)
        assert status == 503
        assert body["database"] == "corrupt"
        assert "damaged" in body["message"] and len(body["error_id"]) == 8
        assert str(tmp_path) not in json.dumps(body)  # no file paths for visitors
    finally:
        app.stop()


def test_read_only_file(tmp_path, tmpfs):
    db = _estate(tmpfs)
    subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], check=True)
    try:
        done = cli("import", str(SAMPLE), "--db", str(db), "--replace", cwd=tmp_path)
        assert done.returncode == 2
        assert "The database file cannot be written" in done.stderr
        _clean_message(done.stderr)
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(tmpfs)], check=True)


@pytest.mark.parametrize(
    "error, kind",
    [
        (OSError('Could not write file "x.duckdb": No space left on device'), "disk_full"),
        (OSError('Cannot open file "x.duckdb": Read-only file system'), "read_only"),
        (OSError('The file "x" exists, but it is not a valid DuckDB database file!'), "corrupt"),
        (OSError("computed checksum 1 does not match stored checksum 2 in block"), "corrupt"),
        (OSError('connection failed: connection to server on socket "/x" failed'), "unreachable"),
        (database.DatabaseBusy("The database file x is open in another process"), "busy"),
        (ValueError("something else"), "other"),
    ],
)
def test_failure_kinds(error, kind):
    failure = failures.describe(error)
    assert failure.kind == kind
    assert len(failure.error_id) == 8 and failure.error_id in failure.text


def test_store_recovers_after_a_fatal_error(tmp_path, tmpfs):
    """In one process: a write that fails on a full disk, then space freed, then it works."""
    db = _estate(tmpfs)
    engine = database.get_engine(db)
    try:
        filler = _fill_disk(tmpfs, leave=16 * 1024)
        with pytest.raises(Exception) as got:
            for i in range(200):  # settings until the disk is full
                store.set_setting(engine, f"k{i}", "x" * 20_000)
            with database.raw_cursor(engine) as cur:
                cur.execute("CHECKPOINT")
        assert failures.kind_of(got.value) == "disk_full"
        failures.contain(got.value, [engine])
        filler.unlink()
        store.set_setting(engine, "after", "yes")
        assert store.get_setting(engine, "after") == "yes"
    finally:
        database.dispose(db)


def test_app_writes_continue_during_an_import(tmp_path):
    """Inside the app's process (where CLI jobs run), logins and settings are written while a
    bulk import is in its transaction: DuckDB runs them side by side."""
    import threading

    from dashboard import importer, sessions
    from dashboard.readers import read_package

    raw = read_package(SAMPLE)[0]
    db = _estate(tmp_path)
    engine = database.get_engine(db)
    try:
        result = {}
        worker = threading.Thread(
            target=lambda: result.update(
                ok=importer.import_package(engine, raw, filename="sample", replace=True).ok
            )
        )
        worker.start()
        written = 0
        while worker.is_alive():
            token = sessions.create_session(engine, "cio1", source="local")
            assert sessions.resolve_session(engine, token) == "cio1"
            store.set_setting(engine, "heartbeat", str(written))
            written += 1
        worker.join()
        assert result == {"ok": True}
        assert written >= 3  # several writes landed while the import ran
        assert store.get_setting(engine, "heartbeat") == str(written - 1)
    finally:
        database.dispose(db)
