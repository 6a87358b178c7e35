"""Two servers opening an older PostgreSQL database at the same moment (issue 14's named gap):
one upgrades it after one backup, the other waits and finds it current."""

from __future__ import annotations

import threading

from sqlalchemy import create_engine, text

from dashboard import database, importer, upgrade
from tests.pg import new_database


def _older_database(url: str, raw) -> None:
    """A database of the first wave: rows, no version recorded, the kpis.note column missing."""
    engine = database.get_engine(url)
    assert importer.import_package(engine, raw, filename="sample").ok
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM app_settings WHERE key = 'schema_version'"))
        conn.execute(text('ALTER TABLE kpis DROP COLUMN "note"'))
    database.dispose(url)


def test_two_servers_upgrade_an_older_database_once(pg_url, raw_sample, tmp_path, monkeypatch):
    url = new_database(pg_url, "upgrade_race")
    _older_database(url, raw_sample)
    monkeypatch.setenv("ITAM_BACKUP_DIR", str(tmp_path))
    engines = [create_engine(url), create_engine(url)]  # two servers' own engines
    for engine in engines:
        engine.info = {"url": url, "duckdb": False}  # as database.get_engine marks its engines
    start = threading.Barrier(2)
    results: list[object] = [None, None]

    def server(i: int) -> None:
        start.wait()
        try:
            results[i] = upgrade.ensure_current(engines[i])
        except Exception as exc:  # noqa: BLE001 - the test reports it below
            results[i] = exc

    threads = [threading.Thread(target=server, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not [r for r in results if isinstance(r, Exception)], results
    saved = sorted(tmp_path.glob("itam-before-schema-*-from-1-*.itambackup"))
    assert len(saved) == 1  # one backup: the second server found the version current
    assert sorted(r is None for r in results) == [False, True]  # one upgraded, one did not
    assert upgrade.stored_version(engines[0]) == upgrade.SCHEMA_VERSION
    with engines[0].connect() as conn:
        columns = conn.execute(
            text(
                "SELECT count(*) FROM information_schema.columns "
                "WHERE table_name = 'kpis' AND column_name = 'note'"
            )
        ).scalar()
    assert columns == 1
    for engine in engines:
        engine.dispose()
