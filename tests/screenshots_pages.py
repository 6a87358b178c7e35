"""Every page at 1440 px and 390 px wide, from the demo estate, for looking at (issue 16).

    python -m tests.screenshots_pages DEMO_DIR OUT_DIR [page ...]

SHOT_HEIGHT (default 3000) is the window height: Streamlit scrolls inside the page, so a
tall window is what shows it whole. DEMO_DIR holds demo.duckdb and auth.yaml built by
`python -m dashboard demo` (with
DATABASE_URL and ITAM_AUTH_FILE pointing there); pictures go to OUT_DIR as <page>-<width>.png.
The README's pictures are `make screenshots` (tests/screenshots.py), not these.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from tests.screenshots import serve

KEY = "screenshots-only-Qm4Zr8Wx2Kv6Lp0Tn3Bj7Hs5"
# page path (after the host) -> demo user who opens it
VIEWS = {
    "scorecard": "admin",
    "cio": "admin",
    "cfo": "admin",
    "asset_manager": "admin",
    "explore?metric=hardware_spend_12m&by=department": "admin",
    "explore?metric=in_stock&by=category": "admin",
    "kpi": "admin",
    "estimates": "admin",
    "data": "admin",
    "users": "admin",
    "technician?q=lt00000": "tech",
}
WIDTHS = (1440, 390)
HEIGHT = int(os.environ.get("SHOT_HEIGHT", "3000"))


def shoot(demo: Path, out: Path, only: list[str]) -> None:
    from playwright.sync_api import sync_playwright

    from tests.browser_support import ARGS, CHROMIUM, settle

    env = {
        **os.environ,
        "DATABASE_URL": f"duckdb:///{demo / 'demo.duckdb'}",
        "ITAM_AUTH_FILE": str(demo / "auth.yaml"),
        "ITAM_COOKIE_KEY": KEY,
        "ITAM_DAILY_SNAPSHOT": "0",
    }
    out.mkdir(parents=True, exist_ok=True)
    proc = serve(env, demo)
    base = "http://127.0.0.1:8765/"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for user in sorted(set(VIEWS.values())):
                ctx = browser.new_context(viewport={"width": 1440, "height": 1000})
                page = ctx.new_page()
                page.goto(base)
                page.get_by_role("button", name="Log in").wait_for(timeout=120_000)
                settle(page)
                page.get_by_label("Username").fill(user)
                page.get_by_label("Password", exact=True).first.fill(f"demo-{user}")
                page.get_by_role("button", name="Log in").click()
                page.get_by_role("button", name="Log out").wait_for(timeout=120_000)
                settle(page, timeout=300_000)
                for path, who in VIEWS.items():
                    if who != user or (only and not any(path.startswith(o) for o in only)):
                        continue
                    for width in WIDTHS:
                        # Streamlit scrolls inside its own container: a tall window shows the page
                        page.set_viewport_size({"width": width, "height": HEIGHT})
                        sep = "&" if "?" in path else "?"
                        page.goto(f"{base}{path}{sep}as_of=2026-06-30")
                        settle(page, timeout=300_000)
                        page.wait_for_timeout(
                            1500
                        )  # a search reruns once more after the first paint
                        settle(page, timeout=300_000)
                        name = path.replace("?", "-").replace("&", "-").replace("=", "_")
                        page.screenshot(path=str(out / f"{name}-{width}.png"), full_page=True)
                        print("saved", out / f"{name}-{width}.png", file=sys.stderr)
                ctx.close()
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)


if __name__ == "__main__":
    shoot(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:])
