"""Benchmark: a wrong password for a known user and for an unknown one take the same time.

`run()` builds a users file with one user and a fresh DuckDB file, then times
`dashboard.login.attempt` (throttle claims, bcrypt, audit row, the whole path
the login form takes) for a wrong password on the known user and on unknown
names, interleaved so that machine noise falls on both alike. Each attempt
uses its own client address and username, so the throttle never refuses one
(a refusal would be a different, faster path). The issue measured 1.13 s
against 0.50 s before; the target is no difference beyond noise.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

ROUNDS = 15


def _setup(tmp: Path):
    os.environ["ITAM_AUTH_FILE"] = str(tmp / "auth.yaml")
    from dashboard import auth, database

    config = auth.load_config()
    auth.add_user(config, "known", "the-right-password", ["cio"])
    auth.save_config(config)
    return database.get_engine(tmp / "bench.duckdb"), auth.load_config()


def _time(engine, config, username: str, i: int) -> float:
    from dashboard import login, sessions

    t = time.perf_counter()
    outcome = login.attempt(
        engine, config, username, "a-wrong-password", ip=f"10.1.{i // 250}.{i % 250}"
    )
    elapsed = time.perf_counter() - t
    assert outcome.message and outcome.message.startswith("Wrong username"), outcome
    sessions.unlock(engine, username)  # the next round starts from no failures, like this one
    return elapsed


def run() -> list[dict]:
    saved = os.environ.get("ITAM_AUTH_FILE")
    with tempfile.TemporaryDirectory() as tmp:
        try:
            engine, config = _setup(Path(tmp))
            known, unknown = [], []
            for i in range(ROUNDS):
                known.append(_time(engine, config, "known", 2 * i))
                unknown.append(_time(engine, config, f"nobody{i}", 2 * i + 1))
        finally:
            from dashboard import database

            database.dispose(Path(tmp) / "bench.duckdb")
            if saved is None:
                os.environ.pop("ITAM_AUTH_FILE", None)
            else:
                os.environ["ITAM_AUTH_FILE"] = saved
    gap = statistics.median(known) - statistics.median(unknown)
    noise = statistics.pstdev(known + unknown)
    return [
        {
            "what": "wrong password, known user (median)",
            "size": ROUNDS,
            "seconds": round(statistics.median(known), 3),
            "note": f"min {min(known):.3f} s, max {max(known):.3f} s",
        },
        {
            "what": "wrong password, unknown user (median)",
            "size": ROUNDS,
            "seconds": round(statistics.median(unknown), 3),
            "note": f"min {min(unknown):.3f} s, max {max(unknown):.3f} s",
        },
        {
            "what": "known minus unknown (medians)",
            "size": ROUNDS,
            "seconds": round(gap, 3),
            "note": f"spread of all attempts (std dev) {noise:.3f} s",
        },
    ]


if __name__ == "__main__":
    for row in run():
        print(row)
