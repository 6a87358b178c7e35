"""The CFO's year in pictures (issue 15): the `cfo` demo's CFO page at 1440 and 390 px.

`python -m tests.screenshots_cfo [OUT_DIR]` builds the cfo variant of the demo
(an April fiscal year, dollars and pounds) as of 2026-12-05 in a temporary
folder, serves the app and saves docs/screenshots/cfo_year.png (1440 px wide)
and cfo_year_phone.png (390 px). Needs Debian's Chromium and Playwright.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.screenshots import SHOTS, serve

AS_OF = "2026-12-05"
# Streamlit scrolls inside its own container: a tall window shows the whole page.
WIDTHS = {"cfo_year.png": (1440, 4300), "cfo_year_phone.png": (390, 9800)}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build(tmp: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"duckdb:///{tmp / 'demo.duckdb'}",
        "ITAM_AUTH_FILE": str(tmp / "auth.yaml"),
        "ITAM_COOKIE_KEY": "screenshots-only-Qm4Zr8Wx2Kv6Lp0Tn3Bj7Hs5",
    }
    subprocess.run([sys.executable, "-m", "dashboard", "demo", "--as-of", AS_OF,
                    "--variant", "cfo"], env=env, check=True, cwd=tmp)  # fmt: skip
    return env


def main(out: Path = SHOTS) -> None:
    from playwright.sync_api import sync_playwright

    from tests.browser_support import ARGS, CHROMIUM, settle

    out.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        proc = serve(build(tmp), tmp, port)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                for file, (width, height) in WIDTHS.items():
                    page = browser.new_page(viewport={"width": width, "height": height})
                    page.goto(f"http://127.0.0.1:{port}/")
                    page.get_by_role("button", name="Log in").wait_for(timeout=120_000)
                    settle(page)
                    page.get_by_label("Username").fill("cfo")
                    page.get_by_label("Password", exact=True).first.fill("demo-cfo")
                    page.get_by_role("button", name="Log in").click()
                    page.get_by_role("button", name="Log out").wait_for(timeout=120_000)
                    settle(page, timeout=300_000)
                    page.screenshot(path=str(out / file), full_page=True)
                    print("saved", out / file)
                    page.close()
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=30)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else SHOTS)
