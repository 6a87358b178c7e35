"""A hand-made estate of two departments, and users of every role, for the permission tests.

As of A = 2026-06-30, by hand:
- Finance: person pf (Finance, CC-110, Paris), laptop F1 deployed to pf, bought 100 days ago for 1,000;
  budget 2026 hardware 12,000 (a monthly line of 1,000).
- Sales: person ps (Sales, CC-140, Oslo) whose name is a markdown link, laptop S1 deployed to ps,
  bought 200 days ago for 1,500, model a markdown image; contract C1 (software, Sales) 758,106 a year;
  budget 2026 hardware 24,000.
- A third person px has an HTML name (department Sales) and a laptop S2 retired over a year ago.
- Whole estate: active devices 2, hardware spend (12 months) 2,500, top-10 contract spend 758,106,
  monthly budget line (12,000 + 24,000) / 12 = 3,000.
- Finance only: active devices 1, hardware spend 1,000, top-10 contract spend 0, budget line 1,000.
"""

from __future__ import annotations

from pathlib import Path

from dashboard import auth, database, store
from tests.app_estate import write_users
from tests.metric_fixtures import asset, budget, contract, day, load, person

KEY = "pR7w2Kx-Nq9Lb4Zs_Vt6Hm1Jc8Fd3Gy5Ae0Uo"  # random-looking: low-entropy keys are refused
PASSWORD = "correct-horse-2"
LINK_NAME = "[Session expired](http://attacker.example/login)"
IMAGE_MODEL = "![](http://attacker.example/pixel)"
HTML_NAME = '<img src="http://attacker.example/x.png"><a href="http://attacker.example">Click</a>'
FINANCE = {"department": ["Finance"]}
USERS = {
    "cio1": (["cio"], None),
    "cfo1": (["cfo"], None),
    "am1": (["asset_manager"], None),
    "tech1": (["technician"], None),
    "admin1": (["admin"], None),
    "fincfo": (["cfo"], FINANCE),
    "finam": (["asset_manager"], FINANCE),
}


def load_estate(engine) -> None:
    load(
        engine,
        people=[
            person(
                "pf",
                name="Pat Finance",
                department="Finance",
                cost_center="CC-110",
                location="Paris",
            ),
            person("ps", name=LINK_NAME, department="Sales", cost_center="CC-140", location="Oslo"),
            person("px", name=HTML_NAME, department="Sales", cost_center="CC-140", location="Oslo"),
        ],
        assets=[
            asset(
                "F1",
                assigned_to="pf",
                department="Finance",
                cost_center="CC-110",
                location="Paris",
                manufacturer="Dell",
                model="Latitude",
                purchase_date=day(-100),
                purchase_cost=1000.0,
                serial="SF1",
                hostname="hf1",
            ),
            asset(
                "S1",
                assigned_to="ps",
                department="Sales",
                cost_center="CC-140",
                location="Oslo",
                manufacturer="Lenovo",
                model=IMAGE_MODEL,
                purchase_date=day(-200),
                purchase_cost=1500.0,
                serial="SS1",
                hostname="hs1",
            ),
            # retired (not counted as active, bought years ago): only so that the look-up finds px
            asset(
                "S2",
                "laptop",
                "retired",
                assigned_to="px",
                department="Sales",
                cost_center="CC-140",
                location="Oslo",
                purchase_date=day(-1500),
                purchase_cost=900.0,
                retired_date=day(-400),
            ),
        ],
        contracts=[
            contract("C1", 758_106.0, department="Sales", cost_center="CC-140", vendor="BigSoft")
        ],
        budget=[
            budget(2026, "hardware", 12_000.0, department="Finance", cost_center="CC-110"),
            budget(2026, "hardware", 24_000.0, department="Sales", cost_center="CC-140"),
        ],
    )
    store.set_setting(engine, "organisation", "Permco")
    store.set_setting(engine, "demo_mode", "false")
    store.mark_data_changed(engine)


def build(tmp: Path) -> dict[str, str]:
    """The database and users file in `tmp`; the environment the app needs."""
    db = tmp / "perm.duckdb"
    engine = database.get_engine(db)
    load_estate(engine)
    database.dispose(db)
    write_users(tmp / "auth.yaml", USERS, PASSWORD)  # hashed once per process
    return {
        "DATABASE_URL": f"duckdb:///{db}",
        "ITAM_AUTH_FILE": str(tmp / "auth.yaml"),
        "ITAM_COOKIE_KEY": KEY,
        "ITAM_DAILY_SNAPSHOT": "0",
    }


def user(name: str) -> auth.User:
    roles, scope = USERS[name]
    return auth.User(name, name.upper(), None, tuple(roles), dict(scope or {}))
