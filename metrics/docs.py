"""The README's metric table, generated from the catalogue (a test keeps them equal)."""

from __future__ import annotations

from metrics.api import dimensions
from metrics.catalog import METRICS

START, END = "<!-- metrics:start -->", "<!-- metrics:end -->"
DIRECTION = {"up": "higher is better", "down": "lower is better", None: "-"}


def metric_table() -> str:
    lines = [
        "| id | category | unit | direction | time basis | drill-down | definition |",
        "|---|---|---|---|---|---|---|",
    ]
    for m in METRICS.values():
        dims = ", ".join(dimensions(m.id)) or "-"
        additive = "" if m.is_additive else " (not additive)"
        lines.append(
            f"| `{m.id}` | {m.category} | {m.unit} | {DIRECTION[m.direction]} | {m.time_basis} | "
            f"{dims}{additive if dims != '-' else ''} | {m.description} |"
        )
    return "\n".join(lines)


def splice(readme: str) -> str:
    """README text with the table between the markers replaced by the current one."""
    head, _, rest = readme.partition(START)
    _, _, tail = rest.partition(END)
    return f"{head}{START}\n{metric_table()}\n{END}{tail}"


if __name__ == "__main__":  # python -m metrics.docs README.md: rewrite the table in place
    import sys
    from pathlib import Path

    path = Path(sys.argv[1] if len(sys.argv) > 1 else "README.md")
    path.write_text(splice(path.read_text()))
