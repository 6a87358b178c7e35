"""A throwaway PostgreSQL server for tests: `pg_url` (session scope).

initdb into a temporary folder, listen on a unix socket in that folder only
(no TCP port to collide with), start with pg_ctl, yield a SQLAlchemy URL,
stop and remove everything at the end. PostgreSQL refuses to run as root,
so as root the server runs as `postgres` (or `nobody`) through runuser.
Without the server binaries the tests that use it are skipped, not failed.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

TOOLS = ("initdb", "pg_ctl", "postgres")
USER = "itam"  # the database superuser initdb creates (trust auth, socket only)


def bin_dir() -> Path | None:
    """A folder holding initdb, pg_ctl and postgres, newest version first."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(str(Path(on_path).resolve().parent))
    for folder in candidates:
        if all(os.access(Path(folder) / t, os.X_OK) for t in TOOLS):
            return Path(folder)
    return None


def _run_as() -> tuple[list[str], str | None]:
    """The command prefix that drops root, and the user it drops to."""
    if os.geteuid() != 0:
        return [], None
    runuser = shutil.which("runuser")
    if runuser is None:
        pytest.skip("PostgreSQL cannot run as root and runuser is missing")
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return [runuser, "-u", name, "--"], name
    pytest.skip("PostgreSQL cannot run as root and there is no postgres or nobody user")


def _run(cmd: list[str], what: str) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"{what} failed ({done.returncode}): {done.stderr or done.stdout}")


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """The URL of a fresh PostgreSQL cluster (database `postgres`) for this session."""
    binaries = bin_dir()
    if binaries is None:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl, postgres) not found")
    pytest.importorskip("psycopg", reason="the psycopg driver is not installed")
    prefix, user = _run_as()
    # Short path: a unix socket path must stay under ~107 bytes.
    root = Path(tempfile.mkdtemp(prefix="itam-pg-", dir="/tmp"))
    data, log = root / "data", root / "server.log"
    if user is not None:
        entry = pwd.getpwnam(user)
        os.chown(root, entry.pw_uid, entry.pw_gid)
    try:
        _run(
            prefix
            + [
                str(binaries / "initdb"),
                "-D",
                str(data),
                "-U",
                USER,
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C",
            ],
            "initdb",
        )
        # No TCP; durability is pointless for a throwaway cluster.
        options = (
            f"-c listen_addresses='' -k {root} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        _run(
            prefix
            + [
                str(binaries / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(log),
                "-o",
                options,
                "-w",
                "-t",
                "60",
                "start",
            ],
            "pg_ctl start",
        )
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        shutil.rmtree(root, ignore_errors=True)
        pytest.fail(f"could not start PostgreSQL: {exc}")
    try:
        yield f"postgresql+psycopg://{USER}@/postgres?host={root}"
    finally:
        subprocess.run(
            prefix + [str(binaries / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(root, ignore_errors=True)


def new_database(pg_url: str, name: str) -> str:
    """A new empty database `name` on the test server (dropped first if there), by URL."""
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return pg_url.replace("/postgres?", f"/{name}?")
