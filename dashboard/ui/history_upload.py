"""The Data page's "Past metric values" section: import the KPI history an organisation kept
(CSV or xlsx of metric_id, as_of, value[, dimension, member]) with a preview and row-level
errors, and export every recorded value in the same shape (dashboard/history_io.py)."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from dashboard import history_io
from dashboard.ui import data
from dashboard.ui.widgets import empty

EXAMPLE = pd.DataFrame(
    {
        "metric_id": ["in_stock", "active_devices", "active_devices"],
        "as_of": ["2025-12-31", "2025-12-31", "2025-12-31"],
        "value": [118, 1540, 212],
        "dimension": ["", "", "department"],
        "member": ["", "", "Sales"],
    }
)


def section(scoped: bool) -> None:
    """Import and export of past metric values (whole-estate values: not for scoped users)."""
    st.subheader("Past metric values")
    st.caption(
        "Bring the KPI history you kept in spreadsheets: one row per metric and month end "
        "(`metric_id, as_of, value`, optionally `dimension, member` for one member of a "
        "breakdown). The values are stored as recorded snapshots: trends show them as "
        "recorded points, and a state metric's past (stock, active devices...) comes only "
        "from such records."
    )
    if scoped:
        st.caption("Past values are for the whole estate: an administrator imports them.")
        return
    with st.expander("What the file looks like"):
        st.dataframe(EXAMPLE, hide_index=True)
    upload = st.file_uploader("Past values file", type=["csv", "xlsx"], key="hist_upload")
    if upload is not None:
        _preview_and_store(upload.getvalue(), upload.name)
    _export()


def _preview_and_store(raw: bytes, name: str) -> None:
    key = (hashlib.sha256(raw).hexdigest(), data.version())
    if st.session_state.get("hist_preview_key") != key:
        try:
            preview = history_io.import_history(data.engine(), raw, name, dry_run=True)
        except ValueError as exc:  # refused before parsing (size, not a workbook...)
            st.error(f"{name}: {exc}", icon=":material/error:")
            return
        st.session_state["hist_preview"], st.session_state["hist_preview_key"] = preview, key
    preview = st.session_state["hist_preview"]
    if not preview.ok:
        st.error(
            f"{len(preview.errors)} problem(s) in {name}: nothing will be stored until they are "
            "fixed.",
            icon=":material/error:",
        )
        st.dataframe(pd.DataFrame(preview.errors), hide_index=True)
        return
    if preview.preview.empty:
        empty(f"{name} holds no values.")
        return
    shown = preview.preview.rename(columns={"metric": "metric_id", "dim": "dimension"})
    st.dataframe(shown, hide_index=True, height=min(400, 38 + 35 * len(shown)))
    if st.button(
        f"Confirm: store {len(shown):,} past value(s)",
        type="primary",
        key="hist_confirm",
        icon=":material/history:",
    ):
        result = history_io.import_history(data.engine(), raw, name)
        st.session_state.pop("hist_preview_key", None)
        data.clear_trends()
        st.success(
            f"Stored {result.stored:,} past value(s) from {name} "
            f"({result.replaced:,} replaced a stored value).",
            icon=":material/check_circle:",
        )


def _export() -> None:
    """Every recorded value as a file that imports back (built when the button is pressed)."""
    st.download_button(
        "Download recorded values (.xlsx)",
        lambda: history_io.export_bytes(data.engine(), "metric-history.xlsx"),
        "metric-history.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="dl_metric_history",
        icon=":material/download:",
        on_click="ignore",
    )
