"""A real browser uploads a Snipe-IT export on the Data page, sees the preview and confirms.

Reuses the server and browser fixtures of tests/test_browser.py (Debian's Chromium
through Playwright); skips without Chromium, except under CI=true.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser_support import SHOTS, login, require_chromium, settle

pytestmark = pytest.mark.browser
require_chromium()  # skips the module without Chromium (fails under CI=true)

SNIPEIT = Path(__file__).parent / "data" / "presets" / "snipeit_assets.csv"


def test_upload_preview_confirm(server, browser):
    page = login(browser, server, "am1", "data")
    page.get_by_role("heading", name="Data").first.wait_for(timeout=60_000)
    # Choose the Snipe-IT preset in the format select box.
    page.get_by_label("Format").first.click()
    page.get_by_role("option", name="Snipe-IT asset export (CSV)").click()
    settle(page)
    page.locator('input[type="file"]').first.set_input_files(str(SNIPEIT))
    page.get_by_text("Preview").first.wait_for(timeout=60_000)
    settle(page)
    confirm = page.get_by_role("button", name="Confirm: insert and update the rows above")
    confirm.wait_for(timeout=60_000)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "data-upload-preview.png"), full_page=True)
    confirm.click()
    page.get_by_text("Imported snipeit_assets.csv: 12 row(s) inserted or updated.").wait_for(
        timeout=60_000
    )
    page.close()
