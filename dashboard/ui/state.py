"""Filter state shared by every page, and the URL that mirrors it.

The session state is the truth while a session lasts; the URL query string
mirrors it on every run, so a copied address reopens the same view. The URL
wins only when it differs from what we last wrote there: a fresh session (a
shared link, a reload, the first run before login) or a link that carries
parameters. Streamlit clears the query string on a page switch; the next run
writes it back from the session state.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard.ui import data
from metrics import dimensions

FILTER_DIMS: tuple[str, ...] = dimensions.names(filters=True)
AS_OF = "as_of"
# Parameters a page owns besides the filters (Explore's metric and breakdown, ...).
PAGE_PARAMS: dict[str, tuple[str, ...]] = {
    "explore": ("metric", "by"),
    "kpi": ("kpi",),
    "technician": ("q",),
}
_ALL_PAGE_PARAMS = {p for names in PAGE_PARAMS.values() for p in names}
# The widget that shows each page parameter: reset when a URL sets the parameter.
PARAM_WIDGETS = {"metric": "exp_metric", "by": "exp_by", "kpi": "kpi_pick", "q": "tech_q"}


def _ss():
    return st.session_state


def _current_url() -> dict[str, list[str]]:
    return {k: [v for v in st.query_params.get_all(k)] for k in st.query_params.keys()}


# The as-of dates the metrics can compute: a year back and twelve month ends must stay real
# dates (0001-01-01 overflowed), and no IT asset data predates 1900.
MIN_AS_OF = dt.date(1900, 1, 1)
MAX_AS_OF = dt.date(2199, 12, 31)
AS_OF_PROBLEM = "_as_of_problem"  # the message the filter bar shows once


def parse_as_of(text: str | None) -> tuple[dt.date | None, str | None]:
    """A date from the URL, or None and why it was refused (None, None: no date given)."""
    if not text:
        return None, None
    shown = text if len(text) <= 40 else text[:40] + "…"
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        return None, f"“{shown}” is not a date (YYYY-MM-DD)"
    if not MIN_AS_OF <= day <= MAX_AS_OF:
        return None, (
            f"{day.isoformat()} is outside the dates the dashboard computes "
            f"({MIN_AS_OF.isoformat()} to {MAX_AS_OF.isoformat()})"
        )
    return day, None


def _parse_date(text: str | None) -> dt.date | None:
    return parse_as_of(text)[0]


def take_as_of_problem() -> str | None:
    """The refused as-of date's message, once (the filter bar shows it)."""
    return _ss().pop(AS_OF_PROBLEM, None)


def absorb_url() -> None:
    """Take filters and page parameters from the URL when it was not written by us."""
    ss = _ss()
    ss.setdefault("_filters", {})
    ss.setdefault("_as_of", None)
    ss.setdefault("_params", {})
    url = _current_url()
    if not url or url == ss.get("_url_written"):
        return
    for dim in FILTER_DIMS:
        if dim in url:
            values = [v for v in url[dim] if v]
            set_filter(dim, values)
    if AS_OF in url:
        # A refused date falls back to the default and is not kept: the next run's URL drops it.
        ss["_as_of"], problem = parse_as_of(url[AS_OF][-1])
        if problem:
            ss[AS_OF_PROBLEM] = (
                f"The as-of date in the address was refused: {problem}. Showing the default date."
            )
        ss.pop("flt_as_of", None)
    for name in _ALL_PAGE_PARAMS & url.keys():
        ss["_params"][name] = url[name][-1]
        ss.pop(PARAM_WIDGETS.get(name, ""), None)


def filters() -> dict[str, list[str]]:
    """The filters the user chose (not yet narrowed to their scope)."""
    return {k: list(v) for k, v in _ss().get("_filters", {}).items() if v}


def set_filter(dim: str, values: list[str]) -> None:
    ss = _ss()
    ss.setdefault("_filters", {})
    if values:
        ss["_filters"][dim] = list(values)
    else:
        ss["_filters"].pop(dim, None)
    # The widget shows the session's value next time it is drawn.
    ss[f"flt_{dim}"] = list(values)


def clear_filters() -> None:
    for dim in FILTER_DIMS:
        set_filter(dim, [])
    _ss()["_as_of"] = None
    _ss().pop("flt_as_of", None)


def default_as_of() -> dt.date:
    return data.default_as_of()


def as_of() -> dt.date:
    return _ss().get("_as_of") or default_as_of()


def set_as_of(day: dt.date | None) -> None:
    _ss()["_as_of"] = None if day == default_as_of() else day


def param(name: str, default: str | None = None) -> str | None:
    return _ss().get("_params", {}).get(name) or default


def set_param(name: str, value: str | None) -> None:
    params = _ss().setdefault("_params", {})
    if value:
        params[name] = value
    else:
        params.pop(name, None)


def choice_index(widget_key: str, options: list, wanted, fallback) -> int:
    """The index a page parameter's selectbox starts from: `wanted` (from the URL), else
    `fallback`.

    Given as the widget's default rather than preset in the session state: a browser that
    re-creates the widget (the rerun after a login) reports its default back as a change, and
    that default must be the chosen value, not the first option. A stored value the options
    no longer hold is dropped, so the default applies.
    """
    ss = _ss()
    if widget_key in ss and ss[widget_key] not in options:
        del ss[widget_key]
    return options.index(wanted if wanted in options else fallback)


def url_params(page_key: str | None, *, always_as_of: bool = False) -> dict[str, list[str]]:
    """What the URL of `page_key` holds: filters, the as-of date when chosen, page parameters."""
    out: dict[str, list[str]] = {}
    ss = _ss()
    chosen = ss.get("_as_of")
    if chosen or always_as_of:
        out[AS_OF] = [(chosen or default_as_of()).isoformat()]
    for dim in FILTER_DIMS:
        values = ss.get("_filters", {}).get(dim)
        if values:
            out[dim] = list(values)
    for name in PAGE_PARAMS.get(page_key or "", ()):
        value = ss.get("_params", {}).get(name)
        if value:
            out[name] = [value]
    return out


def write_url(page_key: str | None, *, always_as_of: bool = False) -> None:
    """Mirror the state into the query string (repeatable keys for several values)."""
    params = url_params(page_key, always_as_of=always_as_of)
    if params != _current_url():
        st.query_params.from_dict({k: v if len(v) > 1 else v[0] for k, v in params.items()})
    _ss()["_url_written"] = params


def filters_text(flt: dict[str, list[str]] | None, as_of_day: dt.date, scope=None) -> str:
    """One line naming the as-of date, filters and scope (for exports and captions)."""
    parts = [f"as of {as_of_day.isoformat()}"]
    for dim, values in (flt or {}).items():
        parts.append(f"{dim.replace('_', ' ')} = {' or '.join(values)}")
    if scope:
        parts.append("scope: " + "; ".join(f"{k} = {' or '.join(v)}" for k, v in scope.items()))
    return ", ".join(parts) if len(parts) > 1 else parts[0] + ", no filters"
