"""`python -m dashboard COMMAND ...`: everything the app does, headless.

One module per command in this package, each with `configure(parser)` and
`run(args) -> int` (the exit status). Flags and JSON output are a contract.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time

from dashboard import database, failures, jobs, oplog
from dashboard.database import DatabaseBusy

COMMANDS = {
    "setup": "first start: build the demo database when none exists, make a cookie key",
    "demo": "write a realistic demo estate into a database",
    "import": "import a data package (.xlsx, folder of CSVs, .zip)",
    "export": "export the whole data package (.xlsx or a folder of CSVs)",
    "metrics": "compute metrics (headline or broken down)",
    "records": "list the records behind a metric",
    "kpis": "KPI values, targets and status",
    "snapshot": "record metric values for a date (history)",
    "history": "past metric values: import a CSV/xlsx of them, export them",
    "users": "manage dashboard users (the users file)",
    "estimates": "the estimation tracker: template, import, compare",
    "report": "the executive pack (.xlsx)",
    "strategy": "the ITAM strategy: export the deck and workbook",
    "subscriptions": "who gets the executive pack, a page digest or KPI alerts by mail",
    "notify": "send the subscribed packs, digests and KPI alerts that are due (cron, timers)",
    "settings": "the organisation's settings: organisation name, currency (set, list)",
    "backup": "write the whole database to one file",
    "restore": "rebuild a database from a backup file",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard", description=__doc__.splitlines()[0]
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, help_text in COMMANDS.items():
        module = importlib.import_module(f"dashboard.cli.{name}_cmd")
        p = sub.add_parser(name, help=help_text, description=help_text)
        module.configure(p)
        p.set_defaults(_run=module.run)
    return parser


def _handed_to_app(args: argparse.Namespace, argv: list[str]) -> int | None:
    """When a live app holds the DuckDB file, it runs the command (dashboard/jobs.py)."""
    if not hasattr(args, "db") or database.in_job():
        return None
    path = database.duckdb_path(database.database_url(args.db))
    if path is None or path == ":memory:":
        return None
    pid = jobs.server_pid(path)
    if pid is None:
        return None
    return jobs.submit(argv, path, pid=pid)


def _log(
    args: argparse.Namespace, outcome: str, started: float, error_id: str | None = None
) -> None:
    """One JSON line per command (imports, exports, sends, snapshots...): `itam.ops`."""
    oplog.record(
        None,
        kind=args.command,
        source="cli",
        outcome=outcome,
        error_id=error_id,
        seconds=round(time.monotonic() - started, 3),
    )


def main(argv: list[str] | None = None) -> int:
    oplog.setup_logging(cli=True)
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    started = time.monotonic()
    try:
        handed = _handed_to_app(args, argv)
        if handed is not None:
            return handed
        code = int(args._run(args) or 0)
        _log(args, "ok" if code == 0 else f"failed (exit {code})", started)
        return code
    except DatabaseBusy as exc:
        print(exc, file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - one clear paragraph and an error id, no traceback
        failure = failures.contain(exc, context=f"`{args.command}` command")
        print(failure.text, file=sys.stderr)
        _log(args, f"failed ({failure.kind})", started, failure.error_id)
        return (
            2 if failure.kind in ("busy", "disk_full", "read_only", "corrupt", "unreachable") else 1
        )
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `... | head`: the reader has gone, nothing to say
        sys.stderr.close()
        return 0
