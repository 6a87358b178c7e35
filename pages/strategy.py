"""Strategy: where the ITAM practice is going and why, next to the KPIs that measure it.

One tab per decision of the blueprint (Phases 1 and 2). Asset managers and
admins edit; CIO and CFO read. The tabs are drawn by dashboard/ui/strategy/;
every save goes through dashboard.strategy (validated, audited).
"""

from __future__ import annotations

import streamlit as st

from dashboard.ui.strategy import delivery, editors, goals, operating

page = editors.open_page()

tabs = st.tabs(
    [
        "Priorities",
        "Opportunities & challenges",
        "Mission & vision",
        "Maturity",
        "Scope",
        "Sourcing & structure",
        "RACI",
        "Audits, documents, communication",
        "Roadmap",
        "Findings & document",
        "Change log",
    ]
)
with tabs[0]:
    goals.priorities(page)
with tabs[1]:
    goals.opportunities(page)
with tabs[2]:
    goals.statements(page)
with tabs[3]:
    goals.maturity(page)
with tabs[4]:
    operating.scope(page)
with tabs[5]:
    operating.sourcing(page)
with tabs[6]:
    operating.raci(page)
with tabs[7]:
    operating.plans(page)
with tabs[8]:
    delivery.roadmap(page)
with tabs[9]:
    delivery.findings(page)
with tabs[10]:
    delivery.change_log(page)
