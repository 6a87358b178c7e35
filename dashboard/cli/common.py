"""Arguments and output helpers shared by the commands."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import sys
import time
from collections.abc import Iterator

from dashboard import oplog
from metrics.dimensions import NONE_MEMBER


def add_db(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--db",
        metavar="FILE",
        help="DuckDB file or database URL (default: $DATABASE_URL, else data/itam.duckdb)",
    )


def add_out(p: argparse.ArgumentParser, help: str, *, metavar: str = "FILE") -> None:
    """The file (or folder) a command writes: `--out`, always required."""
    p.add_argument("--out", required=True, metavar=metavar, help=help)


def add_json(p: argparse.ArgumentParser, help: str | None = None) -> None:
    """`--json`: standard output then holds only the JSON (progress goes to stderr)."""
    p.add_argument("--json", action="store_true", help=help)


def iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def add_as_of(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--as-of", type=iso_date, metavar="YYYY-MM-DD", help="as-of date (default: today)"
    )


def filter_pair(text: str) -> tuple[str, str]:
    dim, sep, value = text.partition("=")
    if not sep or not dim.strip():
        raise argparse.ArgumentTypeError(f"expected DIM=VALUE, got {text!r}")
    return dim.strip(), value.strip()


def add_filters(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--filter",
        type=filter_pair,
        action="append",
        default=[],
        metavar="DIM=VALUE",
        help=f"keep rows whose DIM is VALUE; repeat for several values ({NONE_MEMBER} = blank)",
    )


def filters_dict(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for dim, value in pairs:
        out.setdefault(dim, []).append(value)
    return out


def print_step(i: int, n: int, name: str) -> None:
    """Progress of work over `n` named parts, on standard error: `[3/12] assets`."""
    print(f"[{i}/{n}] {name}", file=sys.stderr)


@contextlib.contextmanager
def recorded(engine, kind: str, what: str) -> Iterator[None]:
    """One line of the operations log with the duration, when the work inside succeeds."""
    started = time.monotonic()
    yield
    oplog.record(
        engine, kind=kind, source="cli", what=what, seconds=round(time.monotonic() - started, 3)
    )


def output(args: argparse.Namespace, as_json, text: str) -> int:
    """With --json the JSON, else the text for people; the exit status 0."""
    if args.json:
        print_json(as_json)
    else:
        print(text)
    return 0


def print_json(obj) -> None:
    json.dump(obj, sys.stdout, indent=1, default=str, ensure_ascii=False)
    sys.stdout.write("\n")


def fail(message: str, code: int = 1) -> int:
    print(message, file=sys.stderr)
    return code
