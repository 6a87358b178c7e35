"""Widgets every page shares: the filter bar, the page header, tiles, tables, downloads."""

from __future__ import annotations

import datetime as dt
import re

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import auth, navigation, oplog, permissions
from dashboard.ui import charts, columns, data, export, fmt, state
from metrics.dimensions import LABELS, NONE_MEMBER

DIM_LABELS = LABELS  # the one dimension registry's labels

# Every character Streamlit's markdown gives a meaning: CommonMark punctuation, GFM (tables,
# strikethrough, autolinks after ':'), Streamlit's :color[...] / :material/icon: directives, $ for LaTeX.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=\"'@^/])")


WORD_JOINER = "\u2060"
_LINKY = re.compile(r"(?i)(?<=www)(?=\.)|(?=[:@])")


def plain(text) -> str:
    """`text` (a value from the data or the URL) as plain text inside markdown.

    Backslash-escapes every markdown character, so `[x](http://host)` stays those
    characters (no link), `![](http://host/pixel)` loads nothing, `<b>` shows as written;
    a bare URL or e-mail address is not linked (WORD_JOINER, invisible, breaks it); line
    breaks become spaces (a name never starts a heading or a list).
    """
    if text is None:
        return ""
    flat = re.sub(r"[\r\n\t]+", " ", str(text))
    # GFM turns URLs and e-mail addresses in the *rendered* text into links (escapes do not
    # stop it): an invisible word joiner before ':' and '@' and after 'www' breaks them.
    flat = _LINKY.sub(WORD_JOINER, flat)
    return _MARKDOWN.sub(r"\\\1", flat)


# --------------------------------------------------------------- who and what


def current_user() -> auth.User:
    user = st.session_state.get("_user")
    if user is None:  # pages only run through the router, which sets it
        st.error("Not logged in.")
        st.stop()
    return user


def current_page() -> str | None:
    return st.session_state.get("_page")


def can_edit(page_key: str | None = None) -> bool:
    """Whether the user may change things on `page_key` (default: the current page)."""
    user = st.session_state.get("_user")
    return bool(user) and navigation.can_edit(user.roles, page_key or current_page() or "")


def require(page_key: str) -> auth.User:
    """Stop unless the user may open `page_key` (the router already hides it; this guards AppTest and imports)."""
    user = current_user()
    if not navigation.can_open(user.roles, page_key):
        st.error("You may not open this page.")
        st.stop()
    return user


def scope() -> dict[str, list[str]]:
    user = st.session_state.get("_user")
    return dict(user.scope) if user else {}


def effective_filters() -> dict[str, list[str]] | None:
    """The chosen filters narrowed to the user's scope (None: nothing left to show)."""
    return auth.scoped_filters(state.filters(), scope())


def mview(metric_id: str) -> data.MetricView:
    return data.view(metric_id, state.filters(), scope())


# --------------------------------------------------------------- filter bar


def _sync_widget(dim: str) -> None:
    state.set_filter(dim, st.session_state.get(f"flt_{dim}", []))


def _sync_as_of() -> None:
    state.set_as_of(st.session_state.get("flt_as_of"))


def filter_bar() -> None:
    """Vendor, department, cost center, location, product and as-of date, in the sidebar."""
    sc = scope()
    sb = st.sidebar
    sb.markdown("**Filters**")
    ss = st.session_state
    if "flt_as_of" not in ss:
        ss["flt_as_of"] = state.as_of()
    sb.date_input(
        "As of",
        key="flt_as_of",
        on_change=_sync_as_of,
        format="YYYY-MM-DD",
        min_value=state.MIN_AS_OF,
        max_value=state.MAX_AS_OF,
        help="Every metric is computed as of this date.",
    )
    for dim in state.FILTER_DIMS:
        key = f"flt_{dim}"
        chosen = state.filters().get(dim, [])
        options = sc.get(dim) or data.members(dim, data.version())
        options = list(dict.fromkeys(list(options) + chosen + [NONE_MEMBER]))
        if key not in ss:
            ss[key] = chosen
        sb.multiselect(
            DIM_LABELS[dim],
            options,
            key=key,
            on_change=_sync_widget,
            args=(dim,),
            placeholder="in your scope" if dim in sc else "all",
        )
    if state.filters() or ss.get("_as_of"):
        sb.button("Clear filters", on_click=state.clear_filters, icon=":material/filter_alt_off:")


# --------------------------------------------------------------- header and states


def page_header(title: str, question: str | None = None) -> None:
    """Title, the question it answers, the as-of date, the filters, and data freshness."""
    st.title(title)
    if question:
        st.markdown(f"*{question}*")
    last = data.last_import()
    if data.demo_mode():  # the demo is generated, not imported (the import history is empty)
        fresh = f"demo data built {fmt.date_text(last)}" if last else "demo data"
    else:
        fresh = f"data imported {fmt.date_text(last)}" if last else "no data imported yet"
    line = state.filters_text(state.filters(), state.as_of(), scope())
    # The organisation and the filter values come from settings and the URL: shown as text.
    st.caption(f"{plain(data.organisation())} · {plain(line)} · {fresh}")
    if scope() and effective_filters() is None:  # every figure below is withheld: say why, once
        st.warning(
            "Your filters select nothing in your scope "
            f"({plain(permissions.scope_text(scope()))}): "
            "clear them or choose values inside it.",
            icon=":material/filter_alt_off:",
        )
    problem = (
        state.take_as_of_problem()
    )  # a refused ?as_of=: said once, in the page (sidebars fold)
    if problem:
        st.warning(plain(problem), icon=":material/event_busy:")
    note = data.scope_switch_note()
    if note:
        st.warning(note + " (Strategy → Scope).", icon=":material/filter_alt:")


def no_data_yet() -> bool:
    """True (after saying what to do) when the database holds no assets at all."""
    if data.data_counts().get("assets", 0):
        return False
    st.info(
        "No data yet: import your organisation's data package on the **Data** page "
        "(or build the demo with `python -m dashboard demo`).",
        icon=":material/upload_file:",
    )
    return True


def empty(message: str) -> None:
    st.info(message, icon=":material/info:")


# --------------------------------------------------------------- tiles


def metric_tile(
    metric_id: str,
    value,
    *,
    reason: str | None = None,
    delta: str | None = None,
    help_text: str | None = None,
    border: bool = True,
) -> None:
    m = data.metric(metric_id)
    shown = reason or fmt.metric_value(value, m.unit, data.currency())
    st.metric(
        m.label,
        shown,
        delta=delta,
        delta_color="off" if delta else "normal",
        help=tile_help(help_text or m.description, None if reason else value, m.unit),
        border=border,
    )


def tile_help(text: str, value, unit: str) -> str:
    """A tile's hover text: its description and, when the tile is compact (€35.1k), the exact
    figure (€35,130) so it can be reconciled with the ledger."""
    exact = fmt.exact_value(value, unit, data.currency())
    return f"{text}\n\nExact value: **{exact}**" if exact else text


def metric_tiles(metric_ids: list[str], columns: int = 4) -> dict[str, float | None]:
    """A row of headline tiles for metrics under the current filters and scope."""
    as_of = state.as_of()
    views = [mview(mid) for mid in metric_ids]
    values = data.values(views, as_of)
    cols = st.columns(columns)
    for i, v in enumerate(views):
        with cols[i % columns]:
            metric_tile(v.metric_id, values.get(v.metric_id), reason=v.reason)
    return {v.metric_id: (None if v.reason else values.get(v.metric_id)) for v in views}


# Coloured Material icons: emoji need a font that headless browsers and some desktops lack.
STATUS_ICON = {
    "green": ":green[:material/check_circle:]",
    "amber": ":orange[:material/error:]",
    "red": ":red[:material/cancel:]",
    "grey": ":gray[:material/radio_button_unchecked:]",
}
STATUS_WORD = {"green": "on target", "amber": "near target", "red": "breached", "grey": "no data"}


def kpi_tiles(results: list, columns: int = 3) -> None:
    """KPI tiles in a grid; their trends and year-on-year changes computed together."""
    as_of = state.as_of()
    views = {r.id: data.view(r.metric, state.filters(), scope()) for r in results}
    unique = list({v.metric_id: v for v in views.values()}.values())
    series = data.trends(unique, as_of, months=12)
    changes = data.change_texts(unique, as_of, trend_months=12)
    cols = st.columns(columns)
    for i, result in enumerate(results):
        v = views[result.id]
        with cols[i % columns]:
            kpi_tile(result, v, series.get(result.metric), changes.get(result.metric))


def kpi_tile(
    result, v: data.MetricView, series: pd.DataFrame | None, change, *, link: bool = True
) -> None:
    """Value, target, status colour, change against one year before and a sparkline."""
    m = data.metric(result.metric)
    cur = data.currency()
    with st.container(border=True):
        st.markdown(f"{STATUS_ICON.get(result.status, '')} **{m.label}**")
        if v.reason:
            st.markdown(f"### {v.reason}")
        else:
            st.markdown(
                f"### {fmt.metric_value(result.value, m.unit, cur)}",
                help=tile_help(m.description, result.value, m.unit),
            )
        st.caption(
            f"Target {fmt.target_text(result.target_kind, result.target, m.unit, cur)}"
            f" · {STATUS_WORD.get(result.status, result.status)}"
        )
        # a text from data.change_texts ("no record a year ago"), or a KPI's own change
        st.caption(f"Change: {change if isinstance(change, str) else fmt.change_text(change)}")
        if series is not None and series["value"].notna().sum() >= 2:
            st.altair_chart(charts.sparkline(series, result.status), width="stretch")
        if link and "kpi" in st.session_state.get("_pages_obj", {}):
            st.page_link(
                auth_page("kpi"),
                label="Why?" if result.status in ("red", "amber") else "Details",
                icon=":material/arrow_forward:",
                query_params={"kpi": result.id},
            )


def auth_page(key: str):
    """The st.Page the router registered for `key` (for page links)."""
    pages = st.session_state.get("_pages_obj", {})
    return pages.get(key, f"pages/{key}.py")


# --------------------------------------------------------------- tables and downloads


def download(
    frame: pd.DataFrame, name: str, title: str, *, key: str, formats: dict[str, str] | None = None
) -> None:
    """A .xlsx download whose first rows state the filters and scope it was made with.

    The file is built when the button is pressed (a callable), not on every rerun:
    writing a few thousand rows of .xlsx for each table on a page costs seconds.
    """
    user = st.session_state.get("_user")
    line = state.filters_text(state.filters(), state.as_of(), scope())
    if len(frame) > export.MAX_XLSX_ROWS:
        st.download_button(
            "Download .csv",
            oplog.logged_download(
                f"{name}.csv",
                user.username if user else None,
                lambda: export.csv_bytes(frame, title=title, filters_line=line),
            ),
            f"{name}.csv",
            "text/csv",
            key=key,
            icon=":material/download:",
            on_click="ignore",
        )
        return
    made_by = user.username if user else None
    st.download_button(
        "Download .xlsx",
        oplog.logged_download(
            f"{name}.xlsx",
            made_by,
            lambda: export.xlsx_bytes(
                frame, title=title, filters_line=line, made_by=made_by, formats=formats
            ),
        ),
        f"{name}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=key,
        icon=":material/download:",
        on_click="ignore",
    )


def table(
    frame: pd.DataFrame,
    *,
    name: str,
    title: str,
    key: str,
    height: int | None = None,
    config: dict | None = None,
) -> None:
    """`frame` formatted (see below) with its .xlsx download; `config`: column settings by
    worded header over the derived ones (a wide text column, say)."""
    if frame is None or frame.empty:
        empty("No records for these filters.")
        return
    # Worded headers, money with its currency, % and dates; the download has the same as
    # number formats (dashboard/ui/columns.py).
    shown, kinds = columns.readable(frame)
    cur = data.currency()
    # A blank text cell reads blank on screen, not "None" (the download keeps it empty too).
    blank = {
        c: "" for c, k in kinds.items() if k == "text" and pd.api.types.is_string_dtype(shown[c])
    }
    st.dataframe(
        columns.whole_money(shown.fillna(blank), kinds),
        hide_index=True,
        height=height or "auto",
        column_config={**columns.column_config(kinds, cur), **(config or {})},
    )
    money = {c: columns.money_header(c, cur) for c, k in kinds.items() if k == "money"}
    download(
        shown.rename(columns=money),
        name,
        title,
        key=key,
        formats={money.get(c, c): f for c, f in columns.xlsx_formats(kinds, cur).items()},
    )


def today() -> dt.date:
    return dt.date.today()


# --------------------------------------------------------------- page building blocks


def section(title: str, question: str | None = None) -> None:
    st.subheader(title)
    if question:
        st.caption(question)


def chart(
    c, *, key: str | None = None, legend_below: bool = False, extra: int = 0, where=None
) -> None:
    """Draw an Altair chart full width at the height its spec asks for (Streamlit would
    squeeze it to its default height: 11 bars then lose every other label)."""
    height = charts.element_height(c, legend_below)
    height = height + extra if height else None  # `extra`: a second legend below, ...
    (where or st).altair_chart(c, width="stretch", height=height or "content", key=key)


def breakdown_chart(
    metric_id: str, by: str, *, top: int = 15, target: float | None = None, key: str | None = None
) -> pd.DataFrame:
    """The metric broken down by `by` as bars (or a message saying why not)."""
    v = mview(metric_id)
    m = data.metric(metric_id)
    if v.reason:
        empty(f"{m.label}: {v.reason}.")
        return pd.DataFrame()
    if not data.supports(metric_id, (by,)):
        empty(f"{m.label} cannot be broken down by {DIM_LABELS.get(by, by).lower()}.")
        return pd.DataFrame()
    frame = data.breakdown(v, by, state.as_of())
    if frame.empty:
        empty(f"No {m.label.lower()} for these filters.")
        return frame
    chart(
        charts.bars(
            frame,
            label=m.label,
            unit=m.unit,
            dim_label=DIM_LABELS.get(by, by),
            currency=data.currency(),
            target=target,
            top=top,
        ),
        key=key,
    )
    return frame


def records_expander(
    metric_id: str, *, label: str | None = None, limit: int = 5000, expanded: bool = False
) -> None:
    """The records behind a metric, with the .xlsx download, in an expander."""
    v = mview(metric_id)
    m = data.metric(metric_id)
    with st.expander(label or f"Records behind “{m.label}”", expanded=expanded):
        if v.reason:
            empty(f"{m.label}: {v.reason}.")
            return
        frame = data.records(v, state.as_of(), limit)
        if len(frame) >= limit:
            st.caption(f"First {limit:,} records.")
        table(frame, name=metric_id, title=f"{m.label} — records", key=f"dl_{metric_id}")


# --------------------------------------------------------------- shared shapes of role pages


def refresh_quarters(as_of: dt.date) -> pd.DataFrame:
    """Refresh cost by the quarter the refresh falls due ("overdue" first), in order."""
    v = mview("refresh_forecast_12m")
    if v.reason:
        return pd.DataFrame(columns=["quarter", "cost", "devices"])
    return data.shaped(v, as_of, quarters_of_refresh, ("refresh_date", "purchase_cost"))


def quarters_of_refresh(rows: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """Rows with refresh_date and purchase_cost -> cost and devices by quarter due."""
    if rows.empty:
        return pd.DataFrame(columns=["quarter", "cost", "devices"])
    due = pd.to_datetime(rows["refresh_date"])
    label = due.dt.year.astype(str) + " Q" + due.dt.quarter.astype(str)
    label = label.where(due.dt.date > as_of, "overdue")
    out = (
        pd.DataFrame({"quarter": label, "cost": rows["purchase_cost"].fillna(0.0)})
        .groupby("quarter", as_index=False)
        .agg(cost=("cost", "sum"), devices=("cost", "size"))
    )
    out["order"] = out["quarter"].map(lambda q: "0" if q == "overdue" else q)
    return out.sort_values("order").drop(columns="order").reset_index(drop=True)


def alt_count():
    return alt.Tooltip("devices:Q", title="Devices", format=",.0f")


def renewals_timeline(as_of: dt.date) -> None:
    """Contracts ending in the next 90 days on a date axis, sized by annual value."""
    v = mview("renewals_90d")
    if v.reason:
        empty(f"Renewals: {v.reason}.")
        return
    frame = data.records(v, as_of)
    if frame.empty:
        empty("No contract ends in the next 90 days for these filters.")
        return
    frame = frame.copy()
    frame["contract"] = frame["contract_id"] + " · " + frame["vendor"].fillna("")
    chart(
        charts.timeline(
            frame,
            date="end_date",
            value="annual_value",
            label="contract",
            color_field="kind",
            currency=data.currency(),
            start=as_of,
            end=as_of + dt.timedelta(days=90),
        ),
        legend_below=True,
        extra=20 + 18 * int(frame["kind"].nunique()),
    )  # the kinds' legend, one line each


SPEND_SOURCES = (
    # type, metric, date column, amount columns
    ("hardware", "hardware_spend_12m", "purchase_date", ("purchase_cost",)),
    ("software", "software_spend_12m", "purchase_date", ("quantity", "unit_cost")),
    ("cloud", "cloud_spend_12m", "month", ("cost",)),
)


def monthly_spend(as_of: dt.date) -> tuple[pd.DataFrame, list[str]]:
    """Spend of the last 12 months by month and type (the rows of the three 12-month spend
    metrics), and the types the filters leave out (with why)."""
    parts, skipped = [], []
    for kind, metric_id, date_col, amount_cols in SPEND_SOURCES:
        v = mview(metric_id)
        if v.reason:
            skipped.append(f"{kind}: {v.reason}")
            continue
        months = data.shaped(v, as_of, amount_by_month, (date_col, *amount_cols))
        if not months.empty:
            parts.append(months.assign(spend_type=kind))
    if not parts:
        return pd.DataFrame(columns=["month", "spend_type", "amount"]), skipped
    frame = pd.concat(parts, ignore_index=True)[["month", "spend_type", "amount"]]
    return frame.sort_values(["month", "spend_type"], ignore_index=True), skipped


def amount_by_month(rows: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """Rows of (date, amount) or (date, quantity, unit cost) -> the amount summed by month."""
    if rows.empty:
        return pd.DataFrame(columns=["month", "amount"])
    amount = rows.iloc[:, 1].fillna(0.0).astype(float)
    if rows.shape[1] == 3:
        amount = amount * rows.iloc[:, 2].fillna(0.0).astype(float)
    month = pd.to_datetime(rows.iloc[:, 0]).dt.to_period("M").dt.to_timestamp()
    return (
        pd.DataFrame({"month": month, "amount": amount})
        .groupby("month", as_index=False)["amount"]
        .sum()
    )


def breakdown_table(metric_ids: list[str], by: str) -> pd.DataFrame:
    """Several metrics side by side, one row per member of `by` (metrics that lack it are left out)."""
    as_of = state.as_of()
    columns = {}
    for mid in metric_ids:
        v = mview(mid)
        if v.reason or not data.supports(mid, (by,)):
            continue
        got = data.breakdown(v, by, as_of)
        columns[data.metric(mid).label] = got.set_index("member")["value"]
    if not columns:
        return pd.DataFrame()
    frame = pd.DataFrame(columns).fillna(0.0)
    frame.index.name = DIM_LABELS.get(by, by)
    return frame.sort_values(frame.columns[0], ascending=False).reset_index()


DISCREPANCY_KINDS = {
    "deployed_unseen_30d": "deployed, not seen for 30 days",
    "discovered_not_in_itam": "discovered, not in ITAM",
    "user_mismatches": "user differs from assignment",
}


def discrepancies_by_source(as_of: dt.date) -> pd.DataFrame:
    """Discrepancy records counted by the discovery source that shows them, and by kind."""
    v = mview("discovery_discrepancies")
    if v.reason:
        return pd.DataFrame(columns=["source", "kind", "count"])
    return data.shaped(v, as_of, discrepancy_counts)


def discrepancy_counts(rows: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """Discrepancy records -> (source, kind, count)."""
    if rows.empty:
        return pd.DataFrame(columns=["source", "kind", "count"])
    source = rows["source"] if "source" in rows else pd.Series(None, index=rows.index)
    source = source.astype("object").where(source.notna(), None)
    source = source.fillna(rows["part"].map({"deployed_unseen_30d": "(no tool)"})).fillna(
        "(latest discovery)"
    )
    kind = rows["part"].map(DISCREPANCY_KINDS).fillna(rows["part"])
    return (
        pd.DataFrame({"source": source, "kind": kind}).value_counts().rename("count").reset_index()
    )


def licence_position(as_of: dt.date, top: int = 15) -> pd.DataFrame:
    """Demand against entitlements for the titles with the largest gaps (short or surplus)."""
    frames = []
    for mid in ("titles_under_licensed", "license_surplus_units"):
        v = mview(mid)
        rows = data.records(v, as_of)
        if not rows.empty:
            frames.append(rows[["title", "demand", "entitled"]])
    if not frames:
        return pd.DataFrame(columns=["title", "measure", "licences"])
    frame = pd.concat(frames).drop_duplicates("title")
    frame["gap"] = (frame["demand"].astype(float) - frame["entitled"].astype(float)).abs()
    frame = frame.sort_values("gap", ascending=False).head(top)
    long = frame.melt(
        id_vars=["title"],
        value_vars=["demand", "entitled"],
        var_name="measure",
        value_name="licences",
    )
    long["measure"] = long["measure"].map(
        {"demand": "in use (demand)", "entitled": "owned (entitled)"}
    )
    order = {t: i for i, t in enumerate(frame["title"])}
    return long.sort_values(by="title", key=lambda s: s.map(order)).reset_index(drop=True)
