"""The hand-made estate and users behind the AppTest and browser tests.

Four assets, two people; the headline values are computed by hand in
tests/test_app.py's docstring.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

from dashboard import auth, database, store
from tests.metric_fixtures import asset, day, load, person

KEY = "tK3v9Qz-Lm2Xw8Rb_Yp4Nc7Hs1Jd6Fg0Ua5Ee"  # a test key; random-looking (low-entropy keys are refused)
PASSWORD = "correct-horse-1"
USERS = {
    "cio1": (["cio"], None),
    "cfo1": (["cfo"], None),
    "am1": (["asset_manager"], None),
    "tech1": (["technician"], None),
    "admin1": (["admin"], None),
    "fin": (["cfo", "cio"], {"department": ["Finance"]}),
}


_HASHED: dict[str, dict] = {}


def write_users(path: Path, users: dict, password: str) -> None:
    """Write the users file `path`: each of `users` (name: (roles, scope)) with `password`
    and the upper-cased name. Hashed once per process and set of users, then copied: bcrypt
    takes a quarter to half a second a user and the estates are built in many modules (every
    hash is still a real bcrypt hash of `password`; only the salt is shared)."""
    key = json.dumps([users, password], sort_keys=True)
    if key not in _HASHED:
        config: dict = {"credentials": {"usernames": {}}}  # auth.load_config of no file
        for name, (roles, scope) in users.items():
            auth.add_user(config, name, password, roles, name=name.upper(), scope=scope)
        _HASHED[key] = config
    auth.save_config(copy.deepcopy(_HASHED[key]), path)


def build_estate(tmp: Path) -> dict[str, str]:
    """Write the database and users file into `tmp`; the environment the app needs."""
    db = tmp / "app.duckdb"
    engine = database.get_engine(db)
    load(
        engine,
        people=[
            person(
                "p1",
                name="Pat Finance",
                department="Finance",
                cost_center="CC-110",
                location="Paris",
            ),
            person(
                "p2", name="Sam Sales", department="Sales", cost_center="CC-140", location="Oslo"
            ),
        ],
        assets=[
            asset(
                "A1",
                assigned_to="p1",
                manufacturer="Dell",
                model="Latitude",
                purchase_date=day(-100),
                purchase_cost=1000.0,
                serial="S1",
                hostname="h1",
                warranty_end=day(200),
            ),
            asset(
                "A2",
                assigned_to="p2",
                manufacturer="Lenovo",
                model="T14",
                purchase_date=day(-200),
                purchase_cost=1500.0,
                serial="S2",
                hostname="h2",
                warranty_end=day(-5),
            ),
            asset(
                "A3",
                "desktop",
                "in_stock",
                department="Sales",
                location="Oslo",
                manufacturer="HP",
                model="EliteDesk",
                purchase_date=day(-400),
                purchase_cost=800.0,
            ),
            asset(
                "A4",
                "laptop",
                "retired",
                department="Finance",
                manufacturer="Dell",
                purchase_date=day(-1000),
                purchase_cost=900.0,
                retired_date=day(-10),
            ),
        ],
    )
    store.set_setting(engine, "organisation", "Testco")
    store.set_setting(engine, "demo_mode", "false")
    store.mark_data_changed(engine)
    database.dispose(db)
    write_users(tmp / "auth.yaml", USERS, PASSWORD)
    return {
        "DATABASE_URL": f"duckdb:///{db}",
        "ITAM_AUTH_FILE": str(tmp / "auth.yaml"),
        "ITAM_COOKIE_KEY": KEY,
        "ITAM_DAILY_SNAPSHOT": "0",
    }
