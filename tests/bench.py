"""`python -m tests.bench [NAME ...]` (what `make bench` runs).

Imports every `tests/bench_<name>.py` (or only the NAMEs given), calls its
`run() -> list[dict]`, prints the rows and rewrites the section between the
bench markers of docs/benchmarks.md: one markdown table per module, the date
and the machine. Text outside the markers is kept.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
FIRST = ("what", "size")  # columns shown first; the others follow in order of appearance


def modules(names: list[str] | None = None) -> list[str]:
    found = sorted(p.stem.removeprefix("bench_") for p in Path(__file__).parent.glob("bench_*.py"))
    if not names:
        return found
    unknown = sorted(set(names) - set(found))
    if unknown:
        raise SystemExit(f"no benchmark named {', '.join(unknown)} (have: {', '.join(found)})")
    return names


def _cpu() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return f"{platform.processor() or platform.machine()} x {os.cpu_count()}"
    models = [
        line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("model name")
    ]
    return f"{models[0] if models else platform.machine()} x {len(models) or os.cpu_count()}"


def _ram_gb() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GB"
    except OSError:
        pass
    return "unknown"


def machine() -> str:
    import duckdb
    import pandas

    return (
        f"CPU {_cpu()} · RAM {_ram_gb()} · Python {platform.python_version()} · "
        f"DuckDB {duckdb.__version__} · pandas {pandas.__version__} · {platform.system()} {platform.release()}"
    )


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 100 else f"{value:,.0f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return "" if value is None else str(value).replace("|", "\\|")


def table(rows: list[dict]) -> str:
    cols = [c for c in FIRST if any(c in r for r in rows)]
    for r in rows:
        cols += [c for c in r if c not in cols]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(_cell(r.get(c)) for c in cols) + " |" for r in rows]
    return "\n".join(lines)


def module_section(name: str, rows: list[dict], when: dt.datetime, host: str) -> str:
    return f"### bench_{name}\n\nRun {when:%Y-%m-%d %H:%M} on: {host}.\n\n{table(rows)}\n"


def _old_sections(body: str) -> dict[str, str]:
    """The module sections already in the marked body, by module name."""
    out = {}
    for chunk in body.split("### bench_")[1:]:
        name = chunk.partition("\n")[0].strip()
        out[name] = "### bench_" + chunk.strip() + "\n"
    return out


def rewrite(doc: str, results: dict[str, list[dict]], when: dt.datetime, host: str) -> str:
    """`doc` with the marked section rewritten (appended if missing).

    Modules run now get fresh tables; modules not run keep theirs (each says its
    own date and machine). Text outside the markers is kept as it is.
    """
    if START in doc and END in doc:
        head, rest = doc.split(START, 1)
        body, tail = rest.split(END, 1)
    else:
        head = doc.rstrip() + "\n\n" if doc.strip() else "# Benchmarks\n\n"
        body, tail = "", "\n"
    sections = _old_sections(body)
    for name, rows in results.items():
        sections[name] = module_section(name, rows, when, host)
    inner = "\n".join(sections[n] for n in sorted(sections))
    return f"{head}{START}\n\n{inner}\n{END}{tail}"


def main(argv: list[str]) -> int:
    results: dict[str, list[dict]] = {}
    for name in modules(argv):
        mod = importlib.import_module(f"tests.bench_{name}")
        print(f"== bench_{name}", flush=True)
        rows = mod.run()
        for row in rows:
            print("  " + ", ".join(f"{k}={_cell(v)}" for k, v in row.items()), flush=True)
        results[name] = rows
    doc = DOC.read_text() if DOC.exists() else ""
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(rewrite(doc, results, dt.datetime.now(), machine()))
    print(f"wrote {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
