"""The blueprint's starting suggestions for the ITAM strategy, as data.

Taken from the blueprint in ../shared/reference (Phases 1 and 2), wording kept
short and faithful. The RACI charts of step 2.4 are images in the blueprint,
so their activities are drawn from the activities the text names (steps 2.2,
2.4, 2.7, 2.9) and the assignments are a suggested start, valid by the rules
(one A, at least one R per activity). `suggest` names metric ids: at seeding
time an item is linked to the KPIs built on those metrics.
"""

from __future__ import annotations

GOALS = ("optimize_spend", "manage_risk", "enhance_service")
GOAL_LABELS = {
    "optimize_spend": "Optimize spend",
    "manage_risk": "Manage risk",
    "enhance_service": "Enhance IT service",
}
HORIZONS = ("next_year", "three_years")
HORIZON_LABELS = {"next_year": "Next year", "three_years": "Three years", "": "Not planned"}

# ------------------------------------------------------------ step 1.1 challenges
CHALLENGES = (
    "Leadership and executives don't understand the value of asset management and don't fund or resource it.",
    "Tools aren't fit for purpose, don't scale, or are broken.",
    "There's a cultural tendency to focus on tools over processes.",
    "ITAM data is fragmented across multiple repositories.",
    "ITAM data is widely viewed as untrustworthy.",
    "Stakeholders respond to vendor audits before consulting ITAM, which leads to confusion and risks penalties.",
    "No time for improvement; we're always fighting fires.",
    "We don't audit our own ITAM data for accuracy.",
    "End-user equipment is shared, re-assigned, or disposed without notifying or involving IT.",
    "No dedicated resources.",
    "Lack of clarity on roles and responsibilities.",
    "Technicians don't track assets consistently; ITAM is seen as administrative busywork.",
    "Many ITAM tasks are manual and prone to error.",
    "Inconsistent organizational policies and procedures.",
    "We try to manage too many hardware types/software titles.",
    "IT is not involved in the procurement process.",
    "Request and procurement is seen as slow and excessively bureaucratic.",
    "Hardware/software standards don't exist or aren't enforced.",
    "Extensive rogue purchases/shadow IT are challenging to manage via ITAM tools and processes.",
)

# ----------------------------------------------- steps 1.3-1.4 opportunities
# (text, goal, suggested metrics)
OPPORTUNITIES = (
    ("Improve data to increase IT spend transparency.", "optimize_spend", ("spend_vs_budget_pct",)),
    ("Increase asset utilization.", "optimize_spend", ("pool_cost_avoidance_30d",)),
    (
        "Consolidate major software contracts to drive discounts.",
        "optimize_spend",
        ("top10_contract_spend",),
    ),
    (
        "Identify opportunities to retire applications with redundant functionality.",
        "optimize_spend",
        (),
    ),
    ("Track and anticipate IT asset spending.", "optimize_spend", ("spend_vs_budget_pct",)),
    (
        "Acquire the right tech at the right time to support transformational initiatives.",
        "enhance_service",
        ("requests_beyond_target_pct_90d",),
    ),
    (
        "Provide IT asset data to technicians supporting end users.",
        "enhance_service",
        ("csat_avg_90d",),
    ),
    (
        "Provide input on opportunities to standardize hardware and software.",
        "enhance_service",
        ("standard_devices_pct",),
    ),
    (
        "Identify abandoned or out-of-spec IT assets.",
        "manage_risk",
        ("deployed_not_discovered_30d_pct",),
    ),
    (
        "Provide IT asset data to support controls development.",
        "manage_risk",
        ("deployed_not_discovered_30d_pct",),
    ),
    (
        "Support security incident teams with IT asset data.",
        "manage_risk",
        ("security_incidents_undiscovered_12m",),
    ),
)

# ------------------------------------------------------------- step 1.4 tactics
TACTICS = (
    (
        "Review and improve hardware budgeting exercises.",
        "optimize_spend",
        ("spend_vs_budget_pct",),
    ),
    ("Reallocate unused licenses, hardware.", "optimize_spend", ("pool_cost_avoidance_30d",)),
    ("Ensure ELP reports are up to date.", "optimize_spend", ()),
    ("Validate software usage.", "optimize_spend", ()),
    ("Data to support software renewal negotiations.", "optimize_spend", ("top10_contract_spend",)),
    (
        "Use info from ITAM for more efficient adds, moves, changes.",
        "enhance_service",
        ("requests_beyond_target_pct_90d",),
    ),
    (
        "Integrate asset records with the ticket intake system, so the service desk sees a caller's assigned equipment.",
        "enhance_service",
        ("csat_avg_90d",),
    ),
    (
        "Find and retire abandoned devices or services with access to the organization's network.",
        "manage_risk",
        ("deployed_not_discovered_30d_pct",),
    ),
    ("Report on lost/stolen devices.", "manage_risk", ()),
    ("Develop reliable disposal processes.", "manage_risk", ("disposed_without_certificate",)),
    (
        "Report on unpatched devices/software.",
        "manage_risk",
        ("security_incidents_undiscovered_12m",),
    ),
)

# ------------------------------------------------------ step 1.4 maturity ladder
# (key, name, subtitle, statements). Each level includes the ones below it.
MATURITY = (
    (
        "unreliable",
        "Unreliable",
        "Struggles to support",
        (
            "No data, or data is typically unusable.",
            "No allocated staff, no cooperation between parties responsible for ITAM data collection.",
            "No related policies or documentation.",
            "Tools are non-existent or not fit-for-purpose.",
        ),
    ),
    (
        "firefighter",
        "Firefighter",
        "Reactive asset tracking",
        (
            "Data is often untrustworthy, may be fragmented across multiple repositories, and typically requires significant effort to translate or validate before use.",
            "Insufficient staff, fragmented or incomplete policies or documentation.",
            "Data tracking processes are extremely manual; effective cooperation for ITAM data collection is challenging.",
            "ITAM tools are in place, but additional configuration or tooling is needed.",
        ),
    ),
    (
        "trusted_operator",
        "Trusted Operator",
        "Controls assets",
        (
            "ITAM data for deployed hardware and software is regularly audited for accuracy.",
            "Sufficient staff and skills to support asset tracking, including a dedicated IT asset management role.",
            "Teams responsible for ITAM data collection cooperate effectively.",
            "Policies and procedures are documented and enforced.",
            "Key licenses and contracts are available to the ITAM team.",
            "Discovery, tracking, and analysis tools support most important use cases.",
        ),
    ),
    (
        "partner",
        "Business & Technology Partner",
        "Proactive asset management",
        (
            "ITAM data is integral to decisions on budget, project planning, IT architecture, contract renewal, and vendor management.",
            "Software and cloud assets are reviewed as frequently as required to manage costs.",
            "ITAM data consumers have self-serve access to ITAM data.",
            "Continuous improvement practices strengthen ITAM efficiency and effectiveness.",
            "ITAM processes, standards, and related policies are regularly reviewed and updated.",
            "ITAM teams work closely with SMEs for key tools integrated with ITAM (e.g. AD, ITSM, monitoring) to maximize the value and reliability of integrations.",
        ),
    ),
    (
        "innovator",
        "Innovator",
        "Optimized asset management",
        (
            "Business and IT stakeholders collaborate regularly with the ITAM team to find new ways to use ITAM practices and data to mitigate risks, optimize spend, and improve service.",
            "The ITAM program scales with the business.",
        ),
    ),
)

# ------------------------------------------------------------------ step 2.1 scope
# (name, in scope, reason). Categories are the data package's; locations come
# from the data when the strategy is first opened.
SCOPE_CATEGORIES = (
    ("laptop", True, "End-user device housing data, replaced through lifecycle refresh."),
    ("desktop", True, "End-user device housing data, replaced through lifecycle refresh."),
    ("tablet", True, "End-user device housing data, replaced through lifecycle refresh."),
    ("phone", True, "End-user device housing data, replaced through lifecycle refresh."),
    ("monitor", True, "End-user equipment worth more than $300, refreshed on a cycle."),
    ("server", True, "Infrastructure device managed directly by IT."),
    ("network", True, "Infrastructure device (network, telecom, video conferencing)."),
    ("storage", True, "Infrastructure device managed directly by IT."),
    (
        "printer",
        True,
        "Tracked for warranty and location; review whether to delegate MFPs to the vendor.",
    ),
    ("iot", False, "IoT devices: no capability to track them today; revisit later."),
    (
        "other",
        True,
        "High-value equipment, tracked in less detail (purchase date, location, vendor, model).",
    ),
)
SCOPE_SOFTWARE = (
    ("End-user software purchased under contract", True, ""),
    ("Single license purchases", True, "Best efforts."),
    ("Infrastructure software", True, "Solutions used by IT to manage the infrastructure."),
    ("Enterprise applications", True, ""),
    ("Cloud (SaaS, IaaS, PaaS)", True, ""),
    ("Departmental applications", False, "Managed by the departments for now."),
    ("Open-source applications", False, "No capability or need today."),
    ("In-house developed applications", False, "No capability or need today."),
    ("Freeware & shareware", False, "No capability or need today."),
)

# --------------------------------------------------------------- step 2.2 sourcing
# (activity, group, decision): the blueprint's example decides three of them.
SOURCING = (
    ("Contract review", "itam", "undecided"),
    ("Software audit management", "itam", "undecided"),
    ("Asset tagging", "itam", "undecided"),
    ("Asset disposal and recycling", "itam", "outsource"),
    ("Initial ITAM record creation", "itam", "undecided"),
    ("End-user device imaging", "itam", "undecided"),
    ("End-user device deployment", "itam", "undecided"),
    ("End-user software provisioning", "itam", "undecided"),
    ("End-user image management", "itam", "undecided"),
    ("ITAM database administration", "itam", "undecided"),
    ("ELP report creation", "itam", "potentially_outsource"),
    ("ITAM process management", "itam", "insource"),
    ("ITAM report generation", "itam", "undecided"),
    ("Tier 1 support/service desk", "adjacent", "undecided"),
    ("Deskside/field support", "adjacent", "undecided"),
    ("Tier 3 support", "adjacent", "undecided"),
    ("IT procurement", "adjacent", "undecided"),
    ("Device management/managed IT services", "adjacent", "undecided"),
    ("Budget development", "adjacent", "undecided"),
    ("Applications development, maintenance", "adjacent", "undecided"),
    ("Infrastructure hosting (e.g. cloud or colocation)", "adjacent", "undecided"),
    ("Infrastructure management and support", "adjacent", "undecided"),
    ("Discovery/monitoring tools management and support", "adjacent", "undecided"),
)

# -------------------------------------------------------------- step 2.3 structure
ARCHETYPES = {
    "centralized": (
        "Centralized",
        "ITAM is entirely centralized in a single function, which reports into a central IT department.",
    ),
    "decentralized": (
        "Decentralized",
        "Local IT groups are responsible and accountable for ITAM. They may coordinate informally but do not report to any central team.",
    ),
    "shared_services": (
        "Hybrid: shared services",
        "Local IT can opt in to shared services but must follow centrally set ITAM practices to do so, usually with support from a shared ITAM function.",
    ),
    "federated": (
        "Hybrid: federated",
        "Local IT departments are free to develop their own approach to ITAM outside of core, centrally set requirements.",
    ),
}
STRUCTURE_AREAS = {
    "data": "Data collection & analysis",
    "budget_contracts": "Budget and contract management",
    "technology": "Technology management",
}
# (area, direction, action): the blueprint's example table.
STRUCTURE = (
    ("data", "centralize", "Make better use of central ITAM database."),
    (
        "data",
        "decentralize",
        "Support local IT departments building runbooks for data tracking during lifecycle activities (templates, examples).",
    ),
    ("budget_contracts", "centralize", "Centralize Microsoft contracts."),
    (
        "budget_contracts",
        "centralize",
        "Create a runbook to onboard new companies to Microsoft contracts.",
    ),
    (
        "budget_contracts",
        "decentralize",
        "Create tools and data views to support local department budget exercises.",
    ),
    (
        "technology",
        "centralize",
        "Ensure all end-user devices are visible to centrally managed Intune, ConfigMgr.",
    ),
    ("technology", "decentralize", "Enable direct shipping from vendor to local sites."),
    ("technology", "decentralize", "Establish disposal/pickup at local sites."),
)

# ------------------------------------------------------------------- step 2.4 RACI
RACI_ROLES = (
    "CIO",
    "Asset manager",
    "ITAM team",
    "IT leaders & managers",
    "Service desk & technicians",
    "Procurement & vendor mgmt",
    "Finance",
    "Security",
)
# (group, activity, {role: letter}), read from the chart below: one activity a line, then
# the letter of each role in RACI_ROLES order ("-": no part), as the blueprint draws it.
_RACI_CHART = """
governance       | Set ITAM strategy, goals and priorities         | A R I C - - C C
governance       | Approve and enforce ITAM policies               | A R - C I - - C
governance       | Define ITAM scope                               | I A R C - - - -
governance       | Fund and resource the ITAM practice             | A C - - - - R -
governance       | Define KPIs and report on ITAM performance      | I A R - - - I -
governance       | Lead the response to vendor audits              | I A R - - C - -
governance       | Maintain ITAM documentation and SOPs            | - A R - I - - -
asset_management | Procure hardware and software                   | - - C R - A C -
asset_management | Receive, tag and create initial asset records   | - A R - R - - -
asset_management | Deploy, move and change end-user devices        | - - I A R - - -
asset_management | Maintain the ITAM database and integrations     | - A R - - - - C
asset_management | Create effective licence position (ELP) reports | - A R - - C - -
asset_management | Review contracts and renewals                   | - C R - - A C -
asset_management | Harvest and reallocate licences and hardware    | - A R - R - - -
asset_management | Audit ITAM data (internal audits)               | - A R - C - - -
asset_management | Dispose of and recycle assets                   | - A - - R - I C
"""


def _raci_row(line: str) -> tuple[str, str, dict[str, str]]:
    group, activity, letters = (part.strip() for part in line.split("|"))
    return (
        group,
        activity,
        {r: x for r, x in zip(RACI_ROLES, letters.split(), strict=True) if x != "-"},
    )


RACI = tuple(_raci_row(line) for line in _RACI_CHART.strip().splitlines())

# ------------------------------------------------------------- step 2.7 audit plan
# (approach, how often, scope, who is involved, comments)
AUDIT_PLAN = (
    (
        "Compare tool records",
        "Monthly",
        "ITAM DB, Intune/ConfigMgr and vulnerability scanner data; end-user devices first",
        "Asset manager leads; tool admins pull data",
        "Discrepancies between tools are understood or remediated.",
    ),
    (
        "IT-led audit",
        "Annual",
        "End-user devices at a subset of locations",
        "Asset manager with ITSM admins; local techs audit in person",
        "Scope each audit to known problem areas.",
    ),
    (
        "User-led audit",
        "Annual",
        "Assigned personal devices (start with a pilot group)",
        "Asset coordinator with the ITSM admin",
        "Run a pilot with power users first.",
    ),
)
# (step, owner): the example vendor audit checklist.
AUDIT_RESPONSE = (
    (
        "Bring the audit request to ITAM and IT leadership; assemble the response team.",
        "Asset manager",
    ),
    ("Acknowledge receipt of the audit notice.", "Asset manager"),
    ("Negotiate timing and scope of the audit.", "Procurement & vendor mgmt"),
    (
        "Direct staff not to remove or acquire licenses for software under audit without the ITAM team.",
        "CIO",
    ),
    (
        "Gather installation data and entitlement documents (contracts, addendums, receipts, invoices).",
        "ITAM team",
    ),
    ("Compare entitlements to installed software.", "ITAM team"),
    ("Investigate any anomalies (unexpected or non-compliant software).", "ITAM team"),
    ("Review results with the audit response team.", "Asset manager"),
)

# --------------------------------------------------------- step 2.9 documentation
# (document, kind, status, owner, stored in, accessible by, trigger for review)
DOCUMENTATION = (
    (
        "ITAM policy and related policies",
        "governance",
        "needed",
        "Asset manager",
        "",
        "All staff",
        "Annual review",
    ),
    (
        "ITAM strategy document",
        "governance",
        "in_progress",
        "Asset manager",
        "This dashboard (Strategy)",
        "IT leadership",
        "Annual review; major business change",
    ),
    (
        "ITAM roadmap",
        "governance",
        "in_progress",
        "Asset manager",
        "This dashboard (Strategy)",
        "IT leadership",
        "Quarterly review",
    ),
    (
        "Job descriptions",
        "governance",
        "needed",
        "IT leaders & managers",
        "",
        "HR, IT leadership",
        "On role change",
    ),
    (
        "Functional requirements for ITAM tools",
        "governance",
        "needed",
        "Asset manager",
        "",
        "ITAM team",
        "Before a tool selection",
    ),
    (
        "Hardware asset management SOP",
        "operational",
        "needed",
        "ITAM manager",
        "ITAM SharePoint site > Operating procedures",
        "All IT staff",
        "Annual review; major tooling changes",
    ),
    (
        "Software asset management SOP",
        "operational",
        "needed",
        "ITAM manager",
        "ITAM SharePoint site > Operating procedures",
        "All IT staff",
        "Annual review; major tooling changes",
    ),
    (
        "Work instructions / knowledgebase articles",
        "operational",
        "needed",
        "ITAM team",
        "ITSM knowledge base",
        "All IT staff",
        "As processes change",
    ),
    (
        "Contracts, purchase orders, invoices, MSAs, SOWs",
        "operational",
        "exists",
        "Procurement & vendor mgmt",
        "Contract repository",
        "ITAM team, Procurement",
        "On renewal",
    ),
    (
        "Effective licence position (ELP) reports",
        "operational",
        "needed",
        "ITAM team",
        "",
        "ITAM team, Procurement",
        "Quarterly; before renewals",
    ),
    (
        "Training and communication materials",
        "operational",
        "needed",
        "Asset manager",
        "",
        "All IT staff",
        "On process change",
    ),
    (
        "Tool and integration documentation",
        "tooling",
        "needed",
        "ITAM team",
        "",
        "ITAM team, tool admins",
        "On integration change",
    ),
)

# ------------------------------------------------ step 2.10 communication plan
# (group, ITAM benefits, impact, channels, timing)
COMMUNICATION = (
    (
        "CFO",
        "More accurate IT spend predictions; better equipment utilization and value for money.",
        "Sponsor an integration between the ITAM DB and the financial system; support a procurement procedures review.",
        "Face-to-face, based on their availability",
        "Within the next month",
    ),
    (
        "CIO",
        "Better oversight into IT spend; data to help demonstrate IT value.",
        "Resources required to support tool and ITAM process improvements.",
        "Standing bi-monthly 1:1 meetings",
        "Review strategy at next meeting",
    ),
    (
        "IT managers",
        "Reliable asset data for planning, refresh and support.",
        "Teams follow ITAM procedures during lifecycle activities.",
        "Managers' meeting",
        "After approval",
    ),
    (
        "Field techs",
        "Assigned equipment visible when supporting users.",
        "Consistent tracking at deploy, move and disposal.",
        "Team huddles, knowledge base",
        "Before the new procedures start",
    ),
)

# ------------------------------------------------ step 2.10 findings, next steps
FINDINGS = (
    ("finding", "ITAM data is fragmented and not trusted enough to support decisions."),
    ("finding", "The priorities are to optimize spend and manage risk."),
    (
        "finding",
        "Reaching Trusted Operator in one year needs regular data audits and a dedicated ITAM role.",
    ),
    ("next_step", "Approve the ITAM strategy and its key initiatives."),
    ("next_step", "Fund a dedicated asset manager role."),
    ("next_step", "Start monthly tool-record comparisons."),
)
