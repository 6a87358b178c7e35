"""`python -m dashboard COMMAND ...`: everything the app does, headless.

One module per command in this package, each with `configure(parser)` and
`run(args) -> int` (the exit status). Flags and JSON output are a contract.
"""

from __future__ import annotations

import argparse
import importlib
import sys

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
    "users": "manage dashboard users (the users file)",
    "estimates": "the estimation tracker: template, import, compare",
    "report": "the executive pack (.xlsx)",
    "strategy": "the ITAM strategy: export the deck and workbook",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, help_text in COMMANDS.items():
        module = importlib.import_module(f"dashboard.cli.{name}_cmd")
        p = sub.add_parser(name, help=help_text, description=help_text)
        module.configure(p)
        p.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args._run(args) or 0)
    except DatabaseBusy as exc:
        print(exc, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `... | head`: the reader has gone, nothing to say
        sys.stderr.close()
        return 0
