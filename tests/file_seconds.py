"""Write tests/file_seconds.json (seconds per test file) from a JUnit XML report.

    .venv/bin/python -m pytest -n 2 --dist loadfile -q --junitxml=/tmp/junit.xml
    .venv/bin/python -m tests.file_seconds /tmp/junit.xml

conftest.py orders the files longest first under xdist, so the two workers of `make test`
end together; refresh the table when a file grows a lot or a new slow file appears.
Only the order matters, so times from a busy machine serve as well as quiet ones.
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

OUT = Path(__file__).with_name("file_seconds.json")


def file_seconds(junit: Path) -> dict[str, float]:
    """Seconds per test file name (setup, call and teardown of its tests), longest first."""
    totals: dict[str, float] = defaultdict(float)
    for case in ET.parse(junit).getroot().iter("testcase"):
        # classname is the dotted module path, e.g. "tests.test_browser" (or with a class)
        parts = case.get("classname", "").split(".")
        name = next((p for p in parts if p.startswith("test_")), None)
        if name:
            totals[f"{name}.py"] += float(case.get("time") or 0)
    return {k: round(v, 1) for k, v in sorted(totals.items(), key=lambda kv: -kv[1])}


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m tests.file_seconds JUNIT_XML", file=sys.stderr)
        return 2
    table = file_seconds(Path(argv[0]))
    OUT.write_text(json.dumps(table, indent=1) + "\n")
    print(f"{len(table)} files, {sum(table.values()):.0f} s in all: {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
