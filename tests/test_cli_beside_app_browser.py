"""Done means (issue 14): with the app serving a DuckDB file in a browser session, a CLI
`import --replace` into that file succeeds and the app shows it, without a restart."""

from __future__ import annotations

import json
import shutil
import time

import pytest

from tests.browser_support import login, require_chromium, settle, tile
from tests.metric_fixtures import A
from tests.test_operations import SAMPLE, App, _estate, cli

pytestmark = pytest.mark.browser
require_chromium()  # skips the module without Chromium (fails under CI=true)


def test_cli_import_shows_in_the_open_browser_session(tmp_path, browser):
    ref = tmp_path / "ref"
    ref.mkdir()
    shutil.copy(_estate(ref), ref / "ref.duckdb")
    assert (
        cli("import", str(SAMPLE), "--db", str(ref / "ref.duckdb"), "--replace", cwd=ref).returncode
        == 0
    )
    done = cli(
        "metrics",
        "--db",
        str(ref / "ref.duckdb"),
        "--metric",
        "active_devices",
        "--as-of",
        A.isoformat(),
        "--json",
        cwd=ref,
    )
    want = f"{json.loads(done.stdout)['values']['active_devices']:,.0f}"
    db = _estate(tmp_path)
    app = App(tmp_path, db)
    try:
        page = login(browser, app.url, "cio1", f"?as_of={A.isoformat()}")
        assert tile(page, "Active devices") == "3"
        done = cli("import", str(SAMPLE), "--db", str(db), "--replace", cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        assert "it runs this command" in done.stderr
        deadline = time.time() + 60
        while time.time() < deadline:
            page.reload()
            settle(page)
            if tile(page, "Active devices") == want:
                break
        assert tile(page, "Active devices") == want != "3"
        assert page.get_by_role("button", name="Log out").is_visible()  # still logged in
        page.close()
    finally:
        app.stop()
