"""What a visitor sees when the database is broken: one message with an error id, in Chromium.

Not a traceback, not a file path: the probe of issue 17 found both on a damaged
or read-only database. The app is started on a damaged file and on a file on a
read-only mount (root only; skipped otherwise).
"""

from __future__ import annotations

import re
import subprocess

import pytest

from tests.browser_support import require_chromium
from tests.test_operations import App, _damaged, _estate

pytestmark = pytest.mark.browser
require_chromium()  # skips the module without Chromium (fails under CI=true)


def _visit(browser, url: str) -> str:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url)
    page.locator('[data-testid="stAlert"]').first.wait_for(timeout=60_000)
    text = page.locator("body").inner_text()
    page.close()
    return text


def _check(text: str, message: str, tmp: str) -> None:
    assert message in text
    assert re.search(r"error id [0-9a-f]{8}", text)
    assert "Traceback" not in text and tmp not in text and ".duckdb" not in text


def test_damaged_file_page(tmp_path, browser):
    app = App(tmp_path, _damaged(tmp_path))
    try:
        _check(_visit(browser, app.url), "The database file is damaged", str(tmp_path))
    finally:
        app.stop()


def test_read_only_file_page(tmp_path, tmpfs, browser):
    db = _estate(tmpfs)
    subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], check=True)
    try:
        app = App(tmp_path, db)
        try:
            _check(_visit(browser, app.url), "The database file cannot be written", str(tmp_path))
        finally:
            app.stop()
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(tmpfs)], check=True)
