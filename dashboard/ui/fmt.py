"""Formatting lives in `dashboard.fmt` (pure, shared with the CLI and exports)."""

from dashboard.fmt import *  # noqa: F401,F403
from dashboard.fmt import (  # noqa: F401
    DEFAULT_CURRENCY,
    SYMBOLS,
    UNIT_SUFFIX,
    axis_title,
    change_text,
    date_text,
    is_missing,
    metric_value,
    money,
    number,
    target_text,
    vega_format,
)
