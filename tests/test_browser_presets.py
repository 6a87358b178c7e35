"""A real browser picks the AWS preset on the Data page, reads where to export the file,
uploads a Cost and Usage Report and sees the summed rows in the preview (1440 and 390 px wide).

Reuses the server and browser fixtures of tests/test_browser.py (Debian's Chromium
through Playwright); skips without Chromium, except under CI=true.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard import presets
from tests.browser_support import SHOTS, login, require_chromium, settle

pytestmark = pytest.mark.browser
require_chromium()  # skips the module without Chromium (fails under CI=true)

CUR = Path(__file__).parent / "data" / "presets" / "tools" / "aws_cur.csv"


@pytest.mark.parametrize("width", [1440, 390])
def test_aws_preset_hint_and_preview(server, browser, width):
    page = login(browser, server, "am1", "data")
    page.set_viewport_size({"width": width, "height": 1100})
    page.get_by_role("heading", name="Data").first.wait_for(timeout=60_000)
    page.get_by_label("Format").first.click()
    page.get_by_role("option", name=presets.REGISTRY["aws"].label).click()
    settle(page)  # the hint appears after the rerun the choice starts
    page.get_by_text("Data Exports → a Cost and Usage Report").first.wait_for(timeout=60_000)
    page.locator('input[type="file"]').first.set_input_files(str(CUR))
    settle(page)  # a rerun that lands during the upload can hide the preview's first frame
    page.get_by_text("Preview").first.wait_for(timeout=60_000)
    settle(page)
    page.get_by_text("7 bill lines summed into 6 rows").first.wait_for(timeout=60_000)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"data-preset-aws-{width}.png"), full_page=True)
    page.close()
