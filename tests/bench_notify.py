"""Benchmark: the mailed documents on the scale-1 demo (docs/benchmarks.md).

`run()` builds the demo as of 2026-06-30 in a fresh process, then, in another, times the
executive pack PDF for the operator (every section) and for a Finance-scoped CFO, a CIO's
digest, and one `notify` run sending a pack and KPI alerts to an in-process SMTP server,
with the process's peak memory. Charts are rendered by vl-convert (no browser).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

AS_OF = "2026-06-30"

_BUILD = r"""
import datetime as dt, sys
from dashboard import database, demo
engine = database.get_engine(sys.argv[1])
demo.build_demo(engine, as_of=dt.date.fromisoformat(sys.argv[2]), scale=1.0)
database.dispose(sys.argv[1])
"""

_TIME = r"""
import datetime as dt, json, resource, socket, sys, time
from aiosmtpd.controller import Controller
from dashboard import auth, database, notify, pdf, subscriptions
from dashboard.permissions import Access

engine = database.get_engine(sys.argv[1])
as_of = dt.date.fromisoformat(sys.argv[2])
rows = []

def timed(what, size, fn):
    t = time.perf_counter()
    out = fn()
    rows.append({"what": what, "size": size, "seconds": round(time.perf_counter() - t, 2)})
    return out

data = timed("pack PDF, every section", "scale-1 demo", lambda: pdf.pack_pdf(engine, as_of))
rows[-1]["kb"] = round(len(data) / 1024)
data = timed("pack PDF, Finance-scoped CFO", "scale-1 demo",
             lambda: pdf.pack_pdf(engine, as_of, access=Access(("cfo",), {"department": ["Finance"]})))
rows[-1]["kb"] = round(len(data) / 1024)
data = timed("CIO digest PDF", "scale-1 demo", lambda: pdf.digest_pdf(engine, as_of, access=Access(("cio",))))
rows[-1]["kb"] = round(len(data) / 1024)

class Sink:
    async def handle_DATA(self, server, session, envelope):
        return "250 OK"

with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
controller = Controller(Sink(), hostname="127.0.0.1", port=port)
controller.start()
config = {"credentials": {"usernames": {}}}
auth.add_user(config, "casey", "password1", ["cio"], email="casey@example.org")
subscriptions.add(engine, "casey", "pack")
subscriptions.add(engine, "casey", "alerts")
now = dt.datetime.combine(as_of, dt.time(8, 0))
settings = notify.MailSettings("127.0.0.1", port)
timed("notify: a pack and KPI alerts mailed", "2 subscriptions",
      lambda: notify.run(engine, now, as_of, config=config, settings=settings))
timed("notify again: nothing to send", "2 subscriptions",
      lambda: notify.run(engine, now, as_of, config=config, settings=settings))
controller.stop()
peak = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
for row in rows:
    row["peak_mb"] = peak
print(json.dumps(rows))
"""


def run() -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.duckdb")
        subprocess.run([sys.executable, "-c", _BUILD, db, AS_OF], check=True)
        out = subprocess.run([sys.executable, "-c", _TIME, db, AS_OF], check=True, capture_output=True,
                             text=True)  # fmt: skip
        return json.loads(out.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    for row in run():
        print(row)
