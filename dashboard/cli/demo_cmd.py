"""`python -m dashboard demo --db FILE [--as-of DATE] [--seed N] [--scale X] [--variant cfo]`: write the demo estate."""

from __future__ import annotations

import argparse
import time

from dashboard import database, demo, demo_finance, first_start
from dashboard.cli.common import add_as_of, add_db, fail


def positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be > 0: {text!r}")
    return value


def configure(p: argparse.ArgumentParser) -> None:
    add_db(p)
    add_as_of(p)
    p.add_argument("--seed", type=int, default=7, metavar="N", help="random seed (default 7)")
    p.add_argument(
        "--scale",
        type=positive,
        default=1.0,
        metavar="X",
        help="1 = about 2,000 people and 2,000 assets; 500 = about a million assets (default 1)",
    )
    p.add_argument(
        "--variant",
        choices=demo_finance.VARIANTS,
        default="standard",
        help="cfo: a fiscal year starting in April, US-dollar cloud bills and contracts, "
        "the London site's hardware in pounds (default standard)",
    )


def run(args) -> int:
    started = time.perf_counter()

    def progress(line: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f} s] {line}", flush=True)

    engine = database.get_engine(args.db)
    try:
        counts = demo.build_demo(
            engine,
            as_of=args.as_of,
            seed=args.seed,
            scale=args.scale,
            progress=progress,
            variant=args.variant,
        )
        first_start.run(engine)  # default KPIs and history, cookie key and demo users
    except ValueError as exc:
        return fail(f"demo: {exc}")
    finally:
        database.dispose(args.db)
    print(render(counts, time.perf_counter() - started))
    return 0


def render(counts: dict[str, int], seconds: float) -> str:
    """The summary: rows per table, the total and the time taken."""
    width = max(len(name) for name in counts)
    lines = [f"{name:<{width}}  {rows:>10,}" for name, rows in counts.items()]
    lines.append(f"{'total':<{width}}  {sum(counts.values()):>10,}")
    lines.append(f"demo estate written in {seconds:.1f} s")
    return "\n".join(lines)
