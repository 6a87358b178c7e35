"""The metric catalogue: 66 metrics in six categories, plus hidden measures."""

from __future__ import annotations

from metrics.catalog import compliance, cost, finance, progress, quality, quantity, time
from metrics.catalog.base import Metric

# finance: issue 15's metrics, after the 66 of the first catalogue.
_MODULES = (compliance, quality, quantity, cost, time, progress, finance)

# Every metric and measure by id; METRICS holds the 66 of metrics.md in spec order.
ALL: dict[str, Metric] = {}
for _module in _MODULES:
    for _m in getattr(_module, "MEASURES", ()) + _module.METRICS:
        if _m.id in ALL:
            raise ValueError(f"metric id declared twice: {_m.id}")
        ALL[_m.id] = _m

METRICS: dict[str, Metric] = {m.id: m for module in _MODULES for m in module.METRICS}

__all__ = ["ALL", "METRICS", "Metric"]
