"""`python -m dashboard notify`: send what the subscriptions ask for (run it from cron or a timer).

Each subscription gets its latest slot at or before --now that was not sent yet; KPI
alerts get the status changes since the last alert. Running it again sends nothing
new. A mail server that refuses or is down is reported (exit status 1) and retried
on the next run. SMTP: ITAM_SMTP_HOST, ITAM_SMTP_PORT, ITAM_SMTP_USER,
ITAM_SMTP_PASSWORD, ITAM_SMTP_STARTTLS (1 = on), ITAM_MAIL_FROM, or the same keys in
.streamlit/secrets.toml. `--json` prints {"now", "sent", "failed", "outcomes": [{subscription,
user, what, status, slot, recipient, subject, detail, attachments}]}.

With the embedded database, run it while the server is stopped or against PostgreSQL
(DATABASE_URL): DuckDB lets one process hold a file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from dashboard import database, notify
from dashboard.cli.common import add_as_of, add_db, add_json, print_json


def iso_datetime(text: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a date and time (YYYY-MM-DD HH:MM): {text!r}"
        ) from None


def configure(p: argparse.ArgumentParser) -> None:
    add_db(p)
    add_as_of(p)
    p.add_argument(
        "--now",
        type=iso_datetime,
        metavar="DATETIME",
        help="the run's time, YYYY-MM-DD[THH:MM] (default: now)",
    )
    add_json(p, "print JSON (see the module's help)")


def _progress(outcome: notify.Outcome) -> None:
    where = f" to {outcome.recipient}" if outcome.recipient else ""
    slot = f" [{outcome.slot:%Y-%m-%d %H:%M}]" if outcome.slot else ""
    what = (
        f": {outcome.subject}"
        if outcome.status == "sent"
        else (f": {outcome.detail}" if outcome.detail else "")
    )
    print(
        f"{outcome.status:<10} #{outcome.subscription} {outcome.user} {outcome.what}{slot}{where}{what}",
        file=sys.stderr,
    )


def run(args) -> int:
    now = args.now or dt.datetime.now()
    engine = database.get_engine(args.db)
    try:
        outcomes = notify.run(engine, now, args.as_of, progress=_progress)
    finally:
        database.dispose(args.db)
    sent = sum(o.status == "sent" for o in outcomes)
    failed = sum(o.status == "failed" for o in outcomes)
    if args.json:
        print_json(
            {
                "now": now.replace(microsecond=0).isoformat(sep=" "),
                "sent": sent,
                "failed": failed,
                "outcomes": [o.to_json() for o in outcomes],
            }
        )
    print(
        f"{sent} sent, {failed} failed (retried on the next run), "
        f"{len(outcomes) - sent - failed} with nothing to send",
        file=sys.stderr,
    )
    return 1 if failed else 0
