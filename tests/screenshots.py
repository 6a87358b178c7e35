"""`make screenshots`: the README's pictures, taken from the demo estate in a real browser.

Builds a scale-1 demo (as of 2026-06-30) with its demo users in a temporary
folder, serves the app, logs in as each demo role and saves its landing page
(and Explore) to docs/screenshots/. Needs Debian's Chromium and Playwright.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "docs" / "screenshots"
AS_OF = dt.date(2026, 6, 30)
# (demo user, password, file, path after login)
VIEWS = [
    ("cio", "demo-cio", "cio.png", ""),
    ("cfo", "demo-cfo", "cfo.png", ""),
    ("assets", "demo-assets", "asset_manager.png", ""),
    ("tech", "demo-tech", "technician_lookup.png", "technician?q={person}"),
    ("admin", "demo-admin", "scorecard.png", ""),
    (
        "admin",
        "demo-admin",
        "explore.png",
        "explore?metric=hardware_spend_12m&by=department&as_of=2026-06-30",
    ),
]


def build(tmp: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"duckdb:///{tmp / 'demo.duckdb'}",
        "ITAM_AUTH_FILE": str(tmp / "auth.yaml"),
        "ITAM_COOKIE_KEY": "screenshots-only-Qm4Zr8Wx2Kv6Lp0Tn3Bj7Hs5",
    }
    subprocess.run(
        [sys.executable, "-m", "dashboard", "demo", "--as-of", AS_OF.isoformat()],
        env=env,
        check=True,
        cwd=tmp,
    )
    return env


def a_person_with_kit(tmp: Path) -> str:
    """Someone with two or more deployed devices, for the technician's look-up."""
    import duckdb

    with duckdb.connect(str(tmp / "demo.duckdb"), read_only=True) as con:
        return con.execute(
            "SELECT p.name FROM people p JOIN assets a ON a.assigned_to = p.person_id "
            "WHERE a.status = 'deployed' GROUP BY p.name HAVING count(*) > 1 ORDER BY 1 LIMIT 1"
        ).fetchone()[0]


def serve(env: dict[str, str], tmp: Path, port: int = 8765) -> subprocess.Popen:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "dashboard" / "app.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        env=env,
        cwd=ROOT,
        stdout=open(tmp / "server.log", "w"),
        stderr=subprocess.STDOUT,
    )
    for _ in range(200):
        try:
            if (
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).status
                == 200
            ):
                return proc
        except OSError:
            time.sleep(0.3)
    raise SystemExit("the server did not start: " + (tmp / "server.log").read_text()[-2000:])


def main() -> None:
    from playwright.sync_api import sync_playwright

    from tests.browser_support import ARGS, CHROMIUM, settle

    SHOTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        env = build(tmp)
        person = a_person_with_kit(tmp)
        proc = serve(env, tmp)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                for user, password, file, path in VIEWS:
                    page = browser.new_page(viewport={"width": 1400, "height": 1000})
                    page.goto("http://127.0.0.1:8765/")
                    page.get_by_role("button", name="Log in").wait_for(timeout=120_000)
                    settle(page)
                    page.get_by_label("Username").fill(user)
                    page.get_by_label("Password", exact=True).first.fill(password)
                    page.get_by_role("button", name="Log in").click()
                    page.get_by_role("button", name="Log out").wait_for(timeout=120_000)
                    settle(page, timeout=300_000)
                    if path:  # open the view itself (a deep link is tested in test_browser)
                        page.goto("http://127.0.0.1:8765/" + path.format(person=person))
                        settle(page, timeout=300_000)
                    page.screenshot(path=str(SHOTS / file), full_page=True)
                    print("saved", SHOTS / file)
                    page.close()
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=30)


if __name__ == "__main__":
    main()
