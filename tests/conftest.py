"""Shared fixtures: a fresh database per test, the app's hand-made estate, the
browser and app server of the browser tests, an OIDC provider, a PostgreSQL cluster
and a small tmpfs.

Test modules take fixtures from here, never by importing them from one another.

Under xdist (`make test`: three workers, whole files each) the files run longest first, by
tests/file_seconds.json, so the workers end together (see `pytest_collection_modifyitems`).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from dashboard import database, importer
from dashboard.readers import read_package
from tests.app_estate import build_estate
from tests.browser_support import browser, server  # noqa: F401  (fixtures: Chromium, the app)
from tests.pg import new_database, pg_url  # noqa: F401  (pg_url: a PostgreSQL cluster for the session)
from tests.sample_estate import SAMPLE
from tests.sso_support import provider  # noqa: F401  (fixture: an OIDC provider)

FILE_SECONDS = Path(__file__).with_name("file_seconds.json")
NEW_FILE_SECONDS = 5.0  # a file not measured yet: in the middle, not first nor last


def pytest_collection_modifyitems(config, items) -> None:
    """On xdist workers, put the files that take longest first (stable: a file's tests keep
    their order). `make test` hands whole files to three workers in this order
    (--dist loadfile --no-loadscope-reorder): longest first, the last file to start is a short
    one and the workers end together. Without xdist the order stays alphabetical."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return
    seconds = json.loads(FILE_SECONDS.read_text()) if FILE_SECONDS.exists() else {}
    items.sort(key=lambda item: -seconds.get(item.path.name, NEW_FILE_SECONDS))


@pytest.fixture
def engine(tmp_path):
    """An empty DuckDB file with every table created."""
    path = tmp_path / "test.duckdb"
    eng = database.get_engine(path)
    yield eng
    database.dispose(path)


@pytest.fixture(scope="module")
def estate_template(tmp_path_factory):
    """The hand-made estate of tests/app_estate.py, built once per module (the users'
    bcrypt hashes and the tables take seconds); tests get copies (`estate`)."""
    folder = tmp_path_factory.mktemp("estate")
    return folder, build_estate(folder)


@pytest.fixture
def estate(estate_template, tmp_path, monkeypatch):
    """A private copy of the hand-made estate for one test, in the environment the app
    reads (DATABASE_URL, ITAM_AUTH_FILE, ...): imports in one test do not change
    another's data. Returns the database file."""
    folder, env = estate_template
    shutil.copytree(folder, tmp_path, dirs_exist_ok=True)
    for key, value in env.items():
        monkeypatch.setenv(key, value.replace(str(folder), str(tmp_path)))
    # Not disposed afterwards: the app's daily-snapshot thread may still hold the connection
    # (tests/test_app.py keeps its estate open for the same reason).
    return tmp_path / "app.duckdb"


@pytest.fixture
def tmpfs(tmp_path):
    """A 64 MB tmpfs (unmounted at the end); skipped when this user cannot mount."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], capture_output=True)


@pytest.fixture(scope="module")
def raw_sample():
    """The public sample estate (tests/data/sample-estate) read into frames, once per module."""
    raw, _warnings = read_package(SAMPLE / "sample-estate.xlsx")
    return raw


@pytest.fixture(scope="module")
def sample_in_both(pg_url, raw_sample, tmp_path_factory):  # noqa: F811  (pg_url: imported above)
    """(PostgreSQL engine, DuckDB engine, their import results): the sample in both."""
    url = new_database(pg_url, "sample")
    pg = database.get_engine(url)
    path = tmp_path_factory.mktemp("duck") / "sample.duckdb"
    duck = database.get_engine(path)
    results = [importer.import_package(e, raw_sample, filename="sample") for e in (pg, duck)]
    for result in results:
        assert result.ok, result.errors[:5]
    yield pg, duck, results
    database.dispose(url)
    database.dispose(path)
