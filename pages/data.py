"""Data (asset manager, admin): upload a data package or another tool's export, preview
every change and every error, then confirm; import history; download the whole package."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from dashboard import (
    exporter,
    first_admin,
    import_log,
    importer,
    oplog,
    permissions,
    presets,
    schema,
    scoped_data,
    settings,
    ui,
    valuemaps,
    vendors,
)
from dashboard.ui import columns, history_upload
from dashboard.upload_checks import Limits

me = ui.require("data")
ui.page_header("Data", "What is loaded, and what would this file change?")
engine = ui.data.engine()

PACKAGE, MAPPING = presets.PACKAGE, presets.MAPPING
profiles = presets.list_profiles(engine)
FORMATS = presets.formats(profiles)  # every built-in preset, from the registry


def _errors_table(errors: list[dict]) -> None:
    frame = pd.DataFrame(errors, columns=["sheet", "row", "column", "value", "reason"])
    st.error(
        f"**{len(errors):,} problem(s): nothing will be imported.** Fix them in the file and upload it again.",
        icon=":material/error:",
    )
    st.dataframe(columns.readable(frame)[0], hide_index=True)
    ui.download(frame, "import-errors", "Import errors", key="dl_import_errors")


COUNT_COLUMNS = {
    c: st.column_config.NumberColumn(format="localized")
    for c in (
        "to insert",
        "to update",
        "unchanged",
        "inserted",
        "updated",
        "existing rows to delete",
    )
}


def _counts_table(result, deleting: dict[str, int] | None = None) -> pd.DataFrame:
    """Rows per table; with `deleting` (a replace: the tables' current row counts) how many
    stored rows the replace deletes, so nobody empties a table by surprise."""
    rows = [
        {"table": t, "to insert": c.inserted, "to update": c.updated, "unchanged": c.unchanged}
        for t, c in result.tables.items()
    ]
    if deleting is not None:
        for row in rows:
            row["existing rows to delete"] = deleting.get(row["table"], 0)
    return pd.DataFrame(rows)


def _mapping_step(data: bytes, name: str) -> presets.Profile | None:
    """Choose a table and, for each header of the file, the column it feeds."""
    try:
        headers = presets.headers_of(data, filename=name)
    except ValueError as exc:
        st.error(str(exc))
        return None
    tables = [t.name for t in schema.TABLES]
    table = st.selectbox(
        "The file holds rows of", tables, index=tables.index("discovery"), key="map_table"
    )
    columns = ["(ignore)"] + list(schema.table(table).names)
    suggested = presets.suggested_mapping(headers, table)
    st.caption(
        "Choose the column each header feeds; required columns: "
        + ", ".join(c.name for c in schema.table(table).columns if c.required)
    )
    mapping: dict[str, str] = {}
    cols = st.columns(3)
    for i, header in enumerate(h for h in headers if h.strip()):
        default = suggested.get(header, "(ignore)")
        choice = cols[i % 3].selectbox(
            header, columns, index=columns.index(default), key=f"map_{table}_{i}"
        )
        if choice != "(ignore)":
            mapping[header] = choice
    constants_text = st.text_input(
        "Values for every row (column=value; ...)", key="map_constants", placeholder="source=sccm"
    )
    constants = dict(
        (k.strip(), v.strip())
        for k, _, v in (p.partition("=") for p in constants_text.split(";"))
        if k.strip()
    )
    name_col, save_col = st.columns([3, 1])
    profile_name = name_col.text_input("Save this mapping as a profile named", key="map_name")
    profile = presets.Profile(profile_name.strip() or "(unsaved)", table, mapping, constants)
    problems = [p for p in presets.check_profile(profile) if "needs a name" not in p]
    if problems:
        st.warning(ui.widgets.plain("; ".join(problems)))
        return None
    if save_col.button("Save profile", key="map_save", disabled=not profile_name.strip()):
        presets.save_profile(engine, profile, user=me.username)
        st.success(
            f"Saved the mapping profile “{ui.widgets.plain(profile.name)}”: it is now a choice of format "
            f"above and `--preset {profile.name}` in the CLI."
        )
    return profile


def _options(kind: str) -> valuemaps.ImportOptions:
    """The value map kept for this format plus this upload's choices, the date order, the encoding."""
    picks = st.session_state.get("data_value_picks", {})
    return valuemaps.ImportOptions(
        values=valuemaps.merge(valuemaps.saved(engine, kind), picks),
        date_order=st.session_state.get("data_date_order"),
        encoding=st.session_state.get("data_encoding"),
    )


def _run(
    kind: str, data: bytes, name: str, profile, *, replace: bool, dry_run: bool, progress=None
):
    limits = Limits.from_settings(engine)
    opts = _options(kind)
    if me.scope:  # a scoped user imports rows of their scope only (dashboard/scoped_data.py)
        preset = (
            None
            if kind == PACKAGE
            else profile
            if kind == MAPPING
            else kind.removeprefix("profile:")
        )
        return scoped_data.import_in_scope(
            engine,
            permissions.access_for(me),
            scoped_data.reader(engine, data, name, limits, preset, opts),
            filename=name,
            replace=replace,
            dry_run=dry_run,
            user=me.username,
            progress=progress,
            options=opts,
        )
    if kind == PACKAGE:
        return importer.import_package(
            engine,
            data,
            filename=name,
            replace=replace,
            dry_run=dry_run,
            limits=limits,
            user=me.username,
            progress=progress,
            options=opts,
        )
    preset = profile if kind == MAPPING else kind.removeprefix("profile:")
    return presets.import_with_preset(
        engine,
        data,
        preset,
        filename=name,
        dry_run=dry_run,
        limits=limits,
        user=me.username,
        progress=progress,
        options=opts,
    )


def _value_choices(preview) -> None:
    """Every value the importer cannot place, once per column with its rows, beside the allowed values."""
    st.markdown(
        "**Values to map** — choose what each of your values means; the choices are kept for "
        "this format and used again next time."
    )
    picks = {c: dict(v) for c, v in st.session_state.get("data_value_picks", {}).items()}
    with st.form("data_values_form"):
        for column, values in preview.unmapped.items():
            allowed = ["(choose)"] + preview.choices.get(column, [])
            st.caption(f"Column “{column}”")
            cols = st.columns(3)
            for i, (value, rows) in enumerate(values.items()):
                cols[i % 3].selectbox(
                    f"{value} ({rows:,} row{'s' if rows != 1 else ''})",
                    allowed,
                    key=f"data_pick_{column}_{value}",
                )
        sent = st.form_submit_button("Use these values", icon=":material/translate:")
    if sent:
        for column, values in preview.unmapped.items():
            for value in values:
                choice = st.session_state.get(f"data_pick_{column}_{value}")
                if choice and choice != "(choose)":
                    picks.setdefault(column, {})[value] = choice
        st.session_state["data_value_picks"] = picks
        st.rerun()


def _questions(preview) -> None:
    for q in preview.questions:
        st.info(q, icon=":material/help:")
    if preview.questions:
        orders = {
            "mdy": "Month first (10/1/22 = 1 October 2022)",
            "dmy": "Day first (10/1/22 = 10 January 2022)",
        }
        choice = st.radio(
            "How are the slashed dates of this file written?",
            list(orders),
            format_func=orders.get,
            index=None,
            key="data_date_order_pick",
        )
        if choice and choice != st.session_state.get("data_date_order"):
            st.session_state["data_date_order"] = choice
            st.rerun()
    if any("--encoding" in (e.get("reason") or "") for e in preview.errors):
        names = {"latin-1": "Latin-1 (ISO 8859-1)", "mac-roman": "Mac Roman (old Mac Excel)"}
        choice = st.radio(
            "Read the file as",
            list(names),
            format_func=names.get,
            index=None,
            key="data_encoding_pick",
        )
        if choice and choice != st.session_state.get("data_encoding"):
            st.session_state["data_encoding"] = choice
            st.rerun()


def _admin_form() -> first_admin.Admin | None:
    """Leaving the demo: the importing admin's own account, and the organisation's name and currency."""
    st.markdown(
        "**Your own admin account** — the demo accounts are removed with the demo; "
        "you stay logged in as this one."
    )
    rows = [st.columns(2) for _ in range(3)]  # one row per pair, so a phone shows them in order
    admin = first_admin.Admin(
        name=rows[0][0].text_input("Your name", key="first_admin_name"),
        email=rows[0][1].text_input("Your e-mail", key="first_admin_email"),
        username=rows[1][0].text_input("Username", key="first_admin_username"),
        password=rows[2][0].text_input(
            "Password (8 characters or more)", type="password", key="first_admin_password"
        ),
        repeat=rows[2][1].text_input(
            "Repeat the password", type="password", key="first_admin_repeat"
        ),
    )
    st.markdown("**Your organisation**")
    org, cur = st.columns(2)
    org.text_input("Your organisation's name", key="first_org", placeholder="Example Ltd")
    cur.text_input("Its currency (ISO code)", key="first_currency", value="EUR", max_chars=3)
    found = first_admin.problems(admin)
    for key, label in (("organisation", "first_org"), ("currency", "first_currency")):
        try:
            settings.setting(key).clean(st.session_state.get(label) or "")
        except settings.SettingError as exc:
            found.append(str(exc))
    if found:
        st.caption("To confirm: " + "; ".join(found) + ".")
        return None
    return admin


def _become(admin: first_admin.Admin) -> None:
    """Create the admin, store the organisation's settings, and log this browser in as them."""
    username = first_admin.create(admin)
    settings.put(engine, "organisation", st.session_state["first_org"])
    settings.put(engine, "currency", st.session_state["first_currency"])
    # The router turns these into a session of the new user (the demo admin's is gone).
    st.session_state.pop("_session_token", None)
    st.session_state["authentication_status"] = True
    st.session_state["username"] = username
    # The router then sends the browser once through the cookie route and back here, a new
    # session: the address carries the welcome over.
    st.query_params["welcome"] = "1"


tab_import, tab_history, tab_export, tab_settings, tab_vendors = st.tabs(
    ["Import", "History", "Export", "Organisation", "Vendors"]
)

with tab_import:
    if st.query_params.get("welcome") == "1":
        del st.query_params["welcome"]
        st.success(
            f"Welcome, {ui.widgets.plain(me.name)}: the demo is gone, your data is loaded and "
            "you are logged in with your own account.",
            icon=":material/celebration:",
        )
    if ui.data.demo_mode():
        st.info(
            "**You are looking at the demo.** Your first import replaces the whole demo estate (every "
            "table, the demo's settings and history) — nothing is merged — and creates your own admin "
            "account, since the demo accounts go with the demo.",
            icon=":material/science:",
        )
    kind = st.selectbox("Format", list(FORMATS), format_func=FORMATS.get, key="data_format")
    if presets.hint(kind):
        st.caption(f"Where to export it — {presets.hint(kind)}")
    accept = ["xlsx", "csv", "zip"] if kind == PACKAGE else ["csv"]
    # The stated limit is the import's (the max_upload_mb setting), not Streamlit's 200 MB.
    upload = st.file_uploader(
        "File to import",
        type=accept,
        key="data_upload",
        max_upload_size=max(1, round(Limits.from_settings(engine).max_upload_mb)),
    )
    replace = False
    if kind == PACKAGE and not ui.data.demo_mode():  # leaving the demo replaces everything anyway
        replace = st.checkbox(
            "Replace tables: empty every table present in the file first", key="data_replace"
        )
        if replace:
            sure = st.checkbox(
                "I understand: the rows of those tables that are not in this file are deleted",
                key="data_replace_sure",
            )
            replace = replace and sure
            if not sure:
                st.warning(
                    "Replace mode needs the confirmation above; until then the file is previewed as "
                    "an update.",
                    icon=":material/warning:",
                )
    if upload is not None:
        data = upload.getvalue()
        profile = _mapping_step(data, upload.name) if kind == MAPPING else None
        digest = hashlib.sha256(data).hexdigest()
        if st.session_state.get("data_imported") == digest:
            # Just imported: previewing the same file again would only offer to import it twice.
            st.caption(
                f"{ui.widgets.plain(upload.name)} is imported. Upload another file to import more."
            )
        elif kind != MAPPING or profile is not None:
            key = (digest, kind, replace, repr(profile), ui.data.version(), repr(_options(kind)))
            if st.session_state.get("data_preview_key") != key:
                with st.spinner("Checking every value..."):
                    st.session_state["data_preview"] = _run(
                        kind, data, upload.name, profile, replace=replace, dry_run=True
                    )
                st.session_state["data_preview_key"] = key
            preview = st.session_state["data_preview"]
            st.subheader("Preview")
            notes = set(getattr(preview, "notes", []))
            for w in preview.warnings:  # what the readers inferred is said as a note, not a warning
                if w in notes:
                    st.info(ui.widgets.plain(w), icon=":material/info:")
                else:
                    st.warning(ui.widgets.plain(w), icon=":material/warning:")
            _questions(preview)
            if preview.unmapped:
                _value_choices(preview)
            if not preview.ok:
                _errors_table(preview.errors)
            else:
                st.dataframe(
                    _counts_table(preview, ui.data.data_counts() if replace else None),
                    hide_index=True,
                    column_config=COUNT_COLUMNS,
                )
                admin = _admin_form() if preview.leaves_demo else None
                mode = "replace the tables above" if replace else "insert and update the rows above"
                if preview.leaves_demo:
                    mode = "replace the demo with this data"
                if st.button(
                    f"Confirm: {mode}",
                    type="primary",
                    key="data_confirm",
                    icon=":material/upload:",
                    disabled=preview.leaves_demo and admin is None,
                ):
                    bar = st.progress(0.0, text="starting")
                    result = _run(
                        kind,
                        data,
                        upload.name,
                        profile,
                        replace=replace,
                        dry_run=False,
                        progress=lambda f, text: bar.progress(min(max(f, 0.0), 1.0), text=text),
                    )
                    if result.ok:
                        picks = st.session_state.pop("data_value_picks", None)
                        if picks:
                            valuemaps.save(engine, kind, picks)
                        if result.leaves_demo and admin is not None:
                            _become(admin)
                        ui.data.clear_settings()
                        st.session_state.pop("data_preview_key", None)
                        st.session_state["data_imported"] = digest
                        # The engine's derived tables are rebuilt once per change to the data;
                        # doing it here keeps the first dashboard visit fast (seconds at 1M rows).
                        bar.progress(1.0, text="Preparing the metrics for the new data...")
                        ui.data.prepare_metrics()
                        bar.empty()
                        total = sum(c.inserted + c.updated for c in result.tables.values())
                        st.success(
                            f"Imported {ui.widgets.plain(upload.name)}: {total:,} row(s) inserted or updated.",
                            icon=":material/check_circle:",
                        )
                        st.dataframe(
                            _counts_table(result).rename(columns=lambda c: c.replace("to ", "")),
                            hide_index=True,
                            column_config=COUNT_COLUMNS,
                        )
                        if result.leaves_demo:
                            st.rerun()  # the router logs this browser in as the new admin
                    else:
                        _errors_table(result.errors)

with tab_history:
    history = import_log.import_history(engine)
    if history.empty and ui.data.demo_mode():
        ui.empty("No import yet: what you see is the generated demo estate; your first import "
                 "replaces it and starts this history.")  # fmt: skip
    elif history.empty:
        ui.empty("No import yet.")
    else:
        ui.table(history, name="import-history", title="Import history", key="dl_import_history")
    history_upload.section(scoped=bool(me.scope))  # past metric values (issue 12)

with tab_export:
    st.markdown(
        "Your scope's part of the data package: the tables that carry its columns, its rows only, "
        "in the import format."
        if me.scope
        else "The whole data package, every table, in the import format (it imports back unchanged)."
    )
    counts = ui.data.data_counts()
    if not me.scope:  # whole-estate counts are not a scoped user's to see
        st.caption(
            " · ".join(f"{t} {n:,}" for t, n in counts.items() if n) or "The database is empty."
        )

    def _package() -> bytes:  # a scoped user's holds the rows of their scope only
        return scoped_data.package_bytes(engine, permissions.access_for(me))[0]

    if me.scope:
        st.caption(
            f"Only the rows of your scope ({ui.widgets.plain(permissions.scope_text(me.scope))})."
        )
    # A table longer than a sheet goes out as a .zip of CSVs (the name is fixed before the click).
    as_zip = not me.scope and max(counts.values(), default=0) > exporter.SHEET_DATA_ROWS
    kind_label, file_name, mime = (
        (".zip of CSVs", "itam-data-package.zip", "application/zip")
        if as_zip
        else (
            ".xlsx",
            "itam-data-package.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    )
    st.download_button(
        f"Download the data package ({kind_label})",
        oplog.logged_download(file_name, me.username, _package),
        file_name,
        mime,
        key="dl_package",
        icon=":material/download:",
        on_click="ignore",
    )

with tab_settings:
    st.markdown("The organisation's settings (also `python -m dashboard settings set KEY=VALUE`).")
    with st.form("data_settings_form"):
        entries = settings.all_values(engine)
        for entry in entries:
            choices = dict(settings.setting(entry["key"]).choices)
            if entry["value"] in choices:  # a list where the values are few (the fiscal month)
                st.selectbox(
                    entry["label"],
                    list(choices),
                    index=list(choices).index(entry["value"]),
                    format_func=choices.get,
                    help=entry["help"],
                    key=f"setting_{entry['key']}",
                )
                continue
            st.text_input(
                entry["label"],
                value=entry["value"],
                help=entry["help"],
                key=f"setting_{entry['key']}",
            )
        saved = st.form_submit_button("Save settings", icon=":material/save:")
    if saved:
        try:
            cleaned = {
                e["key"]: settings.setting(e["key"]).clean(st.session_state[f"setting_{e['key']}"])
                for e in entries
            }
        except settings.SettingError as exc:
            st.error(str(exc))
        else:
            for k, v in cleaned.items():
                settings.put(engine, k, v)
            ui.data.clear_settings()
            st.success("Settings saved.", icon=":material/check_circle:")

with tab_vendors:
    st.markdown(
        "One vendor however it is written: each import turns the names below into the vendor beside "
        "them (manufacturer, supplier, publisher, vendor columns) and keeps the text as written. "
        "Add your own names, change a vendor, or delete a row to keep that name as written."
    )
    edited = st.data_editor(
        vendors.table(engine)[["alias", "vendor"]],
        num_rows="dynamic",
        hide_index=True,
        key="vendor_editor",
        column_config={
            "alias": st.column_config.TextColumn("Name as written", required=True),
            "vendor": st.column_config.TextColumn("Vendor", required=True),
        },
    )
    if st.button("Save the vendor table", key="vendor_save", icon=":material/save:"):
        stored = vendors.save(engine, edited.to_dict("records"))
        st.success(
            f"Saved: {stored:,} of your own entries over the built-in table. The next import uses it.",
            icon=":material/check_circle:",
        )
    seen = vendors.originals_summary(engine)
    if seen.empty:
        ui.empty("No vendor name has been changed by an import yet.")
    else:
        ui.table(
            seen,
            name="vendor-names-as-written",
            title="Names as written, and the vendor they became",
            key="dl_vendor_originals",
        )
