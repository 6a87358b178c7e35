"""Old name of metrics/store/schema.py (the bottom layer, docs/architecture.md).

This module *is* that one (the same object, so a test's monkeypatch reaches
every reader); new code imports `metrics.store.schema`.
"""

import sys

from metrics.store import schema as _schema

sys.modules[__name__] = _schema
