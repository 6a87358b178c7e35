"""Backup and restore: one file, every table, DuckDB and PostgreSQL either way.

The sample estate (with KPIs, an audit row and a setting) is imported into
one database, backed up through the CLI, restored through the CLI into a new
one; every table's rows and every headline metric must match. Wrong files and
newer schemas are refused with a message; an older database is upgraded in
place after a backup is written beside it.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from sqlalchemy import text

from dashboard import backup, database, importer, kpis, store, upgrade
from metrics import api
from tests.pg import new_database
from tests.sample_estate import AS_OF, headline_mismatches

ROOT = Path(__file__).resolve().parent.parent


def cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        env=env,
    )


def _fill(db: str, raw) -> None:
    """The sample estate, the default KPIs, a setting and an audit row."""
    engine = database.get_engine(db)
    assert importer.import_package(engine, raw, filename="sample").ok
    kpis.ensure_default_kpis(engine)
    store.set_setting(engine, "organisation", "Backup & Co")
    database.dispose(db)


def _tables(db: str) -> dict[str, list[tuple]]:
    """Every table's rows, sorted, values as text (engines print numbers alike)."""
    engine = database.get_engine(db)
    out = {}
    with engine.connect() as conn:
        for name in backup.table_names(engine):
            rows = conn.execute(text(f'SELECT * FROM "{name}"')).all()
            out[name] = sorted(tuple(_norm(v) for v in r) for r in rows)
    database.dispose(db)
    return out


def _norm(value):
    if isinstance(value, float):
        return round(value, 9)
    return None if value is None else str(value)


def _metrics(db: str) -> dict:
    engine = database.get_engine(db)
    try:
        return api.compute(engine, AS_OF)
    finally:
        database.dispose(db)


def _without_volatile(tables: dict) -> dict:
    """Restore bumps the data version and the last import time: compare the rest."""
    out = dict(tables)
    out["app_settings"] = [
        r
        for r in tables["app_settings"]
        if r[0] not in ("data_version", "last_import_at", "derived_fingerprint")
    ]
    out.pop("operations_log", None)  # the backup and the restore log themselves
    return out


def _roundtrip(source: str, target: str, tmp_path: Path) -> None:
    out = tmp_path / "any name.bak"
    done = cli("backup", "--db", source, "--out", str(out), "--json")
    assert done.returncode == 0, done.stderr
    manifest = json.loads(done.stdout)
    assert manifest["schema_version"] == upgrade.SCHEMA_VERSION
    assert manifest["tables"]["assets"]["rows"] == _tables(source)["assets"].__len__()
    done = cli("restore", str(out), "--db", target)
    assert done.returncode == 0, done.stderr
    assert "Restored" in done.stdout
    before, after = _without_volatile(_tables(source)), _without_volatile(_tables(target))
    assert before.keys() == after.keys()
    for name in before:
        assert before[name] == after[name], name
    got, want = _metrics(target), _metrics(source)
    assert got.keys() == want.keys()
    for metric, value in want.items():
        assert got[metric] == pytest.approx(value, rel=1e-12, nan_ok=True), metric
    assert headline_mismatches_of(target) == {}


def headline_mismatches_of(db: str) -> dict:
    engine = database.get_engine(db)
    try:
        return headline_mismatches(engine)
    finally:
        database.dispose(db)


def test_duckdb_to_duckdb(tmp_path, raw_sample):
    source, target = str(tmp_path / "a.duckdb"), str(tmp_path / "b.duckdb")
    _fill(source, raw_sample)
    _roundtrip(source, target, tmp_path)


def test_ids_continue_after_restore(tmp_path, raw_sample):
    """Sequences move past the restored ids: a new KPI does not collide."""
    source, target = str(tmp_path / "a.duckdb"), str(tmp_path / "b.duckdb")
    _fill(source, raw_sample)
    engine = database.get_engine(source)
    with engine.connect() as conn:
        top = conn.execute(text("SELECT max(id) FROM kpis")).scalar()
    database.dispose(source)
    out = tmp_path / "x.bak"
    assert cli("backup", "--db", source, "--out", str(out)).returncode == 0
    assert cli("restore", str(out), "--db", target).returncode == 0
    engine = database.get_engine(target)
    row = kpis.create_kpi(
        engine,
        "admin",
        metric="disposed_without_certificate",
        goal="manage_risk",
        target_kind="equals",
        target=0.0,
    )
    assert row.id > top
    database.dispose(target)


@pytest.mark.parametrize(
    "direction", ["duckdb->postgresql", "postgresql->duckdb", "postgresql->postgresql"]
)
def test_across_engines(tmp_path, raw_sample, pg_url, direction):
    src_kind, dst_kind = direction.split("->")
    tag = direction.replace("->", "_to_")

    def make(kind: str, role: str) -> str:
        if kind == "duckdb":
            return str(tmp_path / f"{role}.duckdb")
        return new_database(pg_url, f"{tag}_{role}")

    source, target = make(src_kind, "src"), make(dst_kind, "dst")
    _fill(source, raw_sample)
    _roundtrip(source, target, tmp_path)


def test_a_server_database_is_backed_up_in_batches(tmp_path, raw_sample, pg_url, monkeypatch):
    """PostgreSQL tables stream through a server-side cursor BATCH_ROWS rows at a time (here
    1,500): the Parquet holds one row group per batch, and a restore gives every row back."""
    source = new_database(pg_url, "batched_src")
    _fill(source, raw_sample)
    monkeypatch.setattr(backup, "BATCH_ROWS", 1500)
    out = tmp_path / "batched.bak"
    engine = database.get_engine(source)
    manifest = backup.backup(engine, out)
    database.dispose(source)
    rows = _tables(source)
    assert manifest.tables["assets"]["rows"] == len(rows["assets"]) > 3 * 1500
    with zipfile.ZipFile(out) as zf:
        parquet = pq.ParquetFile(io.BytesIO(zf.read("tables/assets.parquet")))
    assert parquet.metadata.num_row_groups == -(-len(rows["assets"]) // 1500)  # ceil
    assert str(parquet.schema_arrow.field("purchase_cost").type) == "double"
    assert str(parquet.schema_arrow.field("purchase_date").type) == "date32[day]"
    target = str(tmp_path / "from-batches.duckdb")
    engine = database.get_engine(target)
    backup.restore(engine, out)
    database.dispose(target)
    before, after = _without_volatile(rows), _without_volatile(_tables(target))
    for name in before:
        assert before[name] == after[name], name


def test_restore_replaces_what_was_there(tmp_path, raw_sample):
    """A restore into a database holding other data leaves only the backup's."""
    source, target = str(tmp_path / "a.duckdb"), str(tmp_path / "b.duckdb")
    _fill(source, raw_sample)
    engine = database.get_engine(target)
    store.set_setting(engine, "organisation", "Someone else")
    database.dispose(target)
    out = tmp_path / "x.bak"
    assert cli("backup", "--db", source, "--out", str(out)).returncode == 0
    assert cli("restore", str(out), "--db", target).returncode == 0
    engine = database.get_engine(target)
    assert store.get_setting(engine, "organisation") == "Backup & Co"
    database.dispose(target)


def _newer_backup(tmp_path: Path) -> Path:
    path = tmp_path / "newer.bak"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(
            backup.MARKER,
            json.dumps(
                {
                    "format": backup.FORMAT,
                    "schema_version": 99,
                    "created": "2030-01-01",
                    "source": "duckdb",
                    "tables": {},
                }
            ),
        )
    return path


def _plain_zip(tmp_path: Path) -> Path:
    path = tmp_path / "photos.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("a.txt", "hello")
    return path


@pytest.mark.parametrize(
    "make, message",
    [
        (
            lambda p: (p / "notes.txt").write_text("hello") and p / "notes.txt",
            "is not a dashboard backup",
        ),
        (_plain_zip, "is not a dashboard backup"),
        (_newer_backup, "comes from a newer version of the dashboard (schema 99"),
        (lambda p: p / "missing.bak", "no such file"),
    ],
)
def test_restore_refuses(tmp_path, make, message):
    path = make(tmp_path)
    target = tmp_path / "t.duckdb"
    done = cli("restore", str(path), "--db", str(target))
    assert done.returncode == 1
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert not target.exists()  # refused before the database was touched


def test_older_database_upgraded_after_a_backup(tmp_path, raw_sample):
    """A first-wave database (no version, a column missing) is backed up, then upgraded."""
    db = tmp_path / "old.duckdb"
    _fill(str(db), raw_sample)
    engine = database.get_engine(db)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM app_settings WHERE key = 'schema_version'"))
        conn.execute(text('ALTER TABLE kpis DROP COLUMN "note"'))
    database.dispose(db)
    engine = database.get_engine(db)  # opening it upgrades it
    assert upgrade.stored_version(engine) == upgrade.SCHEMA_VERSION
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(note) FROM kpis")).scalar() == 0
        kpi_rows = conn.execute(text("SELECT count(*) FROM kpis")).scalar()
    database.dispose(db)
    saved = list(tmp_path.glob("itam-before-schema-*-from-1-*.itambackup"))
    assert len(saved) == 1
    manifest = backup.read_manifest(saved[0])
    assert manifest.tables["kpis"]["rows"] == kpi_rows
    assert "note" not in manifest.tables["kpis"]["columns"]  # the state before the upgrade


def test_newer_database_refused(tmp_path):
    db = tmp_path / "new.duckdb"
    engine = database.get_engine(db)
    store.set_setting(engine, "schema_version", "99")
    database.dispose(db)
    done = cli("metrics", "--db", str(db), "--json")
    assert done.returncode == 1
    assert "written by a newer version of the dashboard (schema 99" in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_every_table_is_saved(tmp_path):
    """Tables are enumerated from the database: one no module declares is saved too."""
    db = tmp_path / "a.duckdb"
    engine = database.get_engine(db)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE added_later (k VARCHAR, n BIGINT)"))
        conn.execute(text("INSERT INTO added_later VALUES ('x', 1), ('y', 2)"))
    manifest = backup.backup(engine, tmp_path / "b.bak")
    database.dispose(db)
    assert manifest.tables["added_later"] == {"rows": 2, "columns": ["k", "n"]}
    assert "derived_assets" not in manifest.tables
