"""The strategy document written to a file: the deck (.pptx) or the workbook (.xlsx).

`python -m dashboard strategy export` calls `export`; the page builds both in
memory (strategy_deck.build_deck, strategy_workbook.build_workbook) from one
`gather`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import Engine

from dashboard.permissions import Access
from dashboard.strategy_content import gather
from dashboard.strategy_deck import build_deck
from dashboard.strategy_workbook import build_workbook

__all__ = ["build_deck", "build_workbook", "export", "gather"]


def export(
    engine: Engine, out: str | Path, as_of: dt.date | None = None, access: Access | None = None
) -> Path:
    """Write the deck (.pptx) or the workbook (.xlsx), chosen by the extension."""
    out = Path(out)
    kind = out.suffix.lower()
    if kind not in (".pptx", ".xlsx"):
        raise ValueError(f"the output must end in .pptx or .xlsx, not {out.name!r}")
    content = gather(engine, as_of, access=access)
    data = build_deck(content) if kind == ".pptx" else build_workbook(content)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    return out
