""" "Download PDF" buttons: the executive pack (Scorecard) and a page as PDF (CFO page).

Built only when pressed (a callable), for the logged-in user's roles and scope and the
filters in force, by the same code as the mailed PDFs (dashboard/pdf.py).
"""

from __future__ import annotations

import streamlit as st

from dashboard import oplog, permissions
from dashboard.ui import data, state, widgets


def pack_button() -> None:
    """The executive pack as PDF, for users with a pack role."""
    user = widgets.current_user()
    access = permissions.access_for(user)
    if not access.may("pack") or widgets.effective_filters() is None:
        return
    as_of, filters = state.as_of(), state.filters() or None

    def build() -> bytes:
        # built only when pressed: dashboard.pdf brings fpdf and the chart renderer (≈1.8 s)
        from dashboard import pdf

        return pdf.pack_pdf(data.engine(), as_of, filters, access=access, made_for=user.name)

    name = f"executive-pack-{as_of.isoformat()}.pdf"
    st.download_button(
        "Download PDF", oplog.logged_download(name, user.username, build), name, "application/pdf",
        key="dl_pack_pdf", icon=":material/picture_as_pdf:", on_click="ignore",
        help="The executive pack as a PDF (cover, scorecard, your role pages, breakdowns) with these filters.",
    )  # fmt: skip


def page_button(page: str) -> None:
    """The page's tiles and charts as PDF (the page digest a subscription mails), these filters."""
    user = widgets.current_user()
    if widgets.effective_filters() is None:
        return
    access = permissions.access_for(user)
    as_of, filters = state.as_of(), state.filters() or None

    def build() -> bytes:
        # built only when pressed: dashboard.pdf brings fpdf and the chart renderer (≈1.8 s)
        from dashboard import pdf

        return pdf.digest_pdf(
            data.engine(), as_of, filters, access=access, page=page, made_for=user.name
        )

    name = f"{page.replace('_', '-')}-{as_of.isoformat()}.pdf"
    st.download_button(
        "Download PDF", oplog.logged_download(name, user.username, build), name, "application/pdf",
        key=f"dl_{page}_pdf", icon=":material/picture_as_pdf:", on_click="ignore",
        help="This page's figures and charts as a PDF, with these filters.",
    )  # fmt: skip
