"""A realistic, deterministic demo estate: every table of the data package.

`generate(as_of, seed, scale)` returns one typed DataFrame per package table for
an organisation of about 2,000 people at scale 1 (about a million assets at
scale 500); `build_demo` writes them through `store.write_tables`.

Everything is vectorised (numpy for numbers and dates, pyarrow compute for
text), so the cost is a few passes over each column, never a Python loop per
row; the only loops run per title, per contract kind or per month. Each table
draws from its own random stream (`_rng(seed, table)`), so changing how one
table is generated leaves the others as they were.

The estate carries the problems real estates have, in plausible proportions:
devices that discovery never saw or lost sight of, devices it sees that are not
on record, disposals without certificates, under- and over-licensed titles,
users that differ from the assignee, unpatched machines, slow requests.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Engine

from dashboard import demo_history, schema, store

ORGANISATION = "Harbourline Logistics (demo)"
DOMAIN = "harbourline.example"

Progress = Callable[[str], None] | None

# ------------------------------------------------------------------ reference data

# (department, cost center, share of people)
DEPARTMENTS = (
    ("Finance", "CC-110", 0.06),
    ("HR", "CC-120", 0.04),
    ("IT", "CC-130", 0.08),
    ("Sales", "CC-140", 0.16),
    ("Engineering", "CC-150", 0.18),
    ("Marketing", "CC-160", 0.06),
    ("Operations", "CC-170", 0.15),
    ("Legal", "CC-180", 0.03),
    ("Procurement", "CC-190", 0.03),
    ("Support", "CC-200", 0.11),
    ("Research", "CC-210", 0.06),
    ("Facilities", "CC-220", 0.04),
)
LOCATIONS = (
    ("London", 0.30),
    ("Manchester", 0.18),
    ("Rotterdam", 0.14),
    ("New York", 0.14),
    ("Singapore", 0.08),
    ("Remote", 0.16),
)
FIRST_NAMES = (
    "Amelia Oliver Isla George Ava Noah Mia Arthur Ivy Leo Freya Oscar Lily Harry "
    "Sofia Jack Grace Charlie Ella Thomas Aisha Mohammed Priya Arjun Chen Wei Yuki "
    "Hiroshi Lucas Emma Liam Olivia Mateo Camila Sven Ingrid Pieter Anouk Fatima "
    "Omar Zara Ethan Chloe Daniel Hannah Samuel Nora Felix Clara Jonas Elena Marco "
    "Giulia Tomasz Zofia Kwame Amara Ravi Ananya"
).split()
LAST_NAMES = (
    "Smith Jones Taylor Brown Williams Wilson Johnson Davies Patel Khan Wright "
    "Walker Thompson Robinson Wood Hughes Green Evans Hall Lewis Clarke Jackson "
    "Nguyen Tan Lim Wong Chen Sato Tanaka Muller Schmidt deVries Jansen Bakker "
    "Visser Rossi Russo Garcia Martinez Lopez Kowalski Nowak Okafor Mensah Singh "
    "Sharma Ali Hassan Ahmed Murphy Kelly OBrien Novak Silva Costa Berg Larsen"
).split()

# category -> (tag prefix, share of assets)
CATEGORY_SHARE = {
    "laptop": ("LT", 0.40),
    "desktop": ("DT", 0.13),
    "tablet": ("TB", 0.05),
    "phone": ("PH", 0.14),
    "monitor": ("MN", 0.14),
    "server": ("SV", 0.04),
    "network": ("NW", 0.03),
    "storage": ("ST", 0.01),
    "printer": ("PR", 0.03),
    "iot": ("IO", 0.02),
    "other": ("OT", 0.01),
}
CATEGORIES = list(CATEGORY_SHARE)
CAT = {c: i for i, c in enumerate(CATEGORIES)}

# OS families: (os, [(version, share)])
OS_FAMILIES = {
    "windows": (
        "Windows",
        (("11 23H2", 0.42), ("11 24H2", 0.30), ("10 22H2", 0.18), ("11 22H2", 0.10)),
    ),
    "macos": ("macOS", (("15.1", 0.45), ("14.7", 0.40), ("13.7", 0.15))),
    "ios": ("iOS", (("18.1", 0.6), ("17.7", 0.4))),
    "ipados": ("iPadOS", (("18.1", 0.7), ("17.7", 0.3))),
    "android": ("Android", (("14", 0.65), ("13", 0.35))),
    "winserver": ("Windows Server", (("2022", 0.6), ("2019", 0.4))),
    "rhel": ("Red Hat Enterprise Linux", (("9.4", 0.6), ("8.10", 0.4))),
    "ubuntu": ("Ubuntu", (("24.04", 0.5), ("22.04", 0.5))),
}
FAMILIES = [None, *OS_FAMILIES]  # index 0 = no OS

# (category, manufacturer, model, price, os family, share within the category)
MODELS = (
    ("laptop", "Dell", "Latitude 5440", 1350, "windows", 0.26),
    ("laptop", "Lenovo", "ThinkPad T14 Gen 4", 1450, "windows", 0.24),
    ("laptop", "HP", "EliteBook 840 G10", 1420, "windows", 0.16),
    ("laptop", "Apple", "MacBook Pro 14", 2350, "macos", 0.12),
    ("laptop", "Apple", "MacBook Air 13", 1250, "macos", 0.10),
    ("laptop", "Microsoft", "Surface Laptop 5", 1500, "windows", 0.12),
    ("desktop", "Dell", "OptiPlex 7010", 850, "windows", 0.45),
    ("desktop", "HP", "EliteDesk 800 G9", 900, "windows", 0.25),
    ("desktop", "Lenovo", "ThinkCentre M70q", 780, "windows", 0.20),
    ("desktop", "Apple", "iMac 24", 1650, "macos", 0.10),
    ("tablet", "Apple", "iPad Air", 720, "ipados", 0.55),
    ("tablet", "Samsung", "Galaxy Tab S9", 680, "android", 0.20),
    ("tablet", "Microsoft", "Surface Pro 9", 1300, "windows", 0.25),
    ("phone", "Apple", "iPhone 15", 900, "ios", 0.55),
    ("phone", "Samsung", "Galaxy S24", 850, "android", 0.30),
    ("phone", "Google", "Pixel 8", 700, "android", 0.15),
    ("monitor", "Dell", "P2723D", 320, None, 0.50),
    ("monitor", "LG", "27UP850", 400, None, 0.25),
    ("monitor", "Samsung", "S27A600", 280, None, 0.25),
    ("server", "Dell", "PowerEdge R760", 12500, "winserver", 0.35),
    ("server", "HPE", "ProLiant DL380 Gen11", 11800, "rhel", 0.35),
    ("server", "Lenovo", "ThinkSystem SR650 V3", 10900, "ubuntu", 0.30),
    ("network", "Cisco", "Catalyst 9300", 6400, None, 0.40),
    ("network", "Cisco", "Meraki MR46", 950, None, 0.35),
    ("network", "Juniper", "EX2300", 2600, None, 0.25),
    ("storage", "NetApp", "AFF A250", 46000, None, 0.5),
    ("storage", "Dell", "PowerStore 500T", 39000, None, 0.5),
    ("printer", "HP", "LaserJet Enterprise M611", 1100, None, 0.5),
    ("printer", "Canon", "imageRUNNER C3226i", 3600, None, 0.3),
    ("printer", "Brother", "HL-L6400DW", 620, None, 0.2),
    ("iot", "Axis", "P3265-LVE Camera", 460, None, 0.5),
    ("iot", "Poly", "Studio X50", 2900, None, 0.3),
    ("iot", "Logitech", "Rally Bar", 3400, None, 0.2),
    ("other", "APC", "Smart-UPS 1500", 820, None, 0.6),
    ("other", "Zebra", "ZT411 Label Printer", 1750, None, 0.4),
)
SUPPLIERS = ("CDW", "Softcat", "Bechtle", "Insight", "Computacenter", "SHI")
WARRANTY_YEARS = {"phone": 2, "tablet": 2, "server": 5, "storage": 5, "network": 5}

STATUS = {s: i for i, s in enumerate(schema.STATUSES)}
# Status shares: mobile end-user devices get lost and stolen, the rest do not.
STATUS_MOBILE = (0.015, 0.07, 0.715, 0.02, 0.08, 0.06, 0.022, 0.018)
STATUS_FIXED = (0.01, 0.06, 0.76, 0.01, 0.09, 0.07, 0.0, 0.0)

# (title, publisher, license metric, unit price, reach among computers, server title)
TITLES = (
    ("Microsoft 365 Apps for enterprise", "Microsoft", "user", 264, 0.93, False),
    ("Microsoft Visio Plan 2", "Microsoft", "user", 180, 0.06, False),
    ("Microsoft Project Plan 3", "Microsoft", "user", 360, 0.04, False),
    ("Microsoft Power BI Pro", "Microsoft", "user", 120, 0.15, False),
    ("Microsoft Visual Studio Professional", "Microsoft", "user", 499, 0.08, False),
    ("Windows 11 Enterprise E3", "Microsoft", "device", 84, 0.70, False),
    ("Google Chrome", "Google", "device", 0, 0.80, False),
    ("Mozilla Firefox", "Mozilla", "device", 0, 0.25, False),
    ("7-Zip", "Igor Pavlov", "device", 0, 0.35, False),
    ("Notepad++", "Notepad++", "device", 0, 0.20, False),
    ("Adobe Acrobat Reader", "Adobe", "device", 0, 0.60, False),
    ("Adobe Acrobat Pro", "Adobe", "user", 239, 0.18, False),
    ("Adobe Photoshop", "Adobe", "user", 263, 0.03, False),
    ("Adobe Illustrator", "Adobe", "user", 263, 0.025, False),
    ("Adobe InDesign", "Adobe", "user", 263, 0.015, False),
    ("Adobe Creative Cloud All Apps", "Adobe", "user", 780, 0.02, False),
    ("AutoCAD", "Autodesk", "user", 2030, 0.025, False),
    ("AutoCAD LT", "Autodesk", "user", 560, 0.02, False),
    ("Revit", "Autodesk", "user", 2910, 0.01, False),
    ("SolidWorks Professional", "Dassault Systemes", "device", 5200, 0.008, False),
    ("MATLAB", "MathWorks", "user", 940, 0.02, False),
    ("Minitab Statistical Software", "Minitab", "user", 1780, 0.008, False),
    ("IBM SPSS Statistics", "IBM", "user", 1300, 0.01, False),
    ("Tableau Desktop", "Salesforce", "user", 900, 0.03, False),
    ("Salesforce Sales Cloud", "Salesforce", "user", 1800, 0.12, False),
    ("Slack", "Salesforce", "user", 105, 0.40, False),
    ("Zoom Workplace", "Zoom", "user", 160, 0.45, False),
    ("Webex Meetings", "Cisco", "user", 144, 0.08, False),
    ("Cisco Secure Client", "Cisco", "device", 45, 0.60, False),
    ("Jira Software", "Atlassian", "user", 93, 0.20, False),
    ("Confluence", "Atlassian", "user", 66, 0.25, False),
    ("IntelliJ IDEA Ultimate", "JetBrains", "user", 599, 0.06, False),
    ("PyCharm Professional", "JetBrains", "user", 249, 0.04, False),
    ("Oracle Java SE Universal", "Oracle", "user", 180, 0.12, False),
    ("VMware Workstation Pro", "Broadcom", "device", 199, 0.03, False),
    ("Citrix Workspace", "Citrix", "device", 0, 0.30, False),
    ("SAP GUI for Windows", "SAP", "user", 400, 0.08, False),
    ("Docker Desktop", "Docker", "user", 288, 0.06, False),
    ("GitHub Copilot Business", "GitHub", "user", 228, 0.05, False),
    ("Postman", "Postman", "user", 168, 0.04, False),
    ("Figma Professional", "Figma", "user", 180, 0.03, False),
    ("Miro Business", "Miro", "user", 192, 0.07, False),
    ("Snagit", "TechSmith", "device", 63, 0.05, False),
    ("Camtasia", "TechSmith", "device", 299, 0.01, False),
    ("Foxit PDF Editor", "Foxit", "device", 139, 0.04, False),
    ("Nitro PDF Pro", "Nitro", "device", 179, 0.02, False),
    ("WinZip Standard", "Corel", "device", 35, 0.03, False),
    ("CorelDRAW Graphics Suite", "Corel", "device", 549, 0.005, False),
    ("DocuSign eSignature", "DocuSign", "user", 480, 0.05, False),
    ("Okta Verify", "Okta", "device", 0, 0.50, False),
    ("CrowdStrike Falcon Sensor", "CrowdStrike", "device", 60, 0.90, False),
    ("Zscaler Client Connector", "Zscaler", "device", 72, 0.75, False),
    ("Qualys Cloud Agent", "Qualys", "device", 24, 0.80, False),
    ("Splunk Universal Forwarder", "Splunk", "device", 0, 0.10, False),
    ("ServiceNow Agent", "ServiceNow", "user", 1200, 0.05, False),
    ("Workday", "Workday", "user", 300, 0.04, False),
    ("Box Drive", "Box", "user", 180, 0.10, False),
    ("Dropbox Business", "Dropbox", "user", 180, 0.03, False),
    ("LastPass Business", "LastPass", "user", 72, 0.05, False),
    ("1Password Business", "1Password", "user", 96, 0.06, False),
    ("Sage 200", "Sage", "user", 950, 0.01, False),
    ("QlikView Desktop", "Qlik", "user", 1350, 0.01, False),
    ("Alteryx Designer", "Alteryx", "user", 5195, 0.005, False),
    ("ArcGIS Pro", "Esri", "user", 3800, 0.005, False),
    ("Windows Server 2022 Datacenter", "Microsoft", "device", 6155, 0.55, True),
    ("SQL Server 2022 Standard", "Microsoft", "device", 3945, 0.30, True),
    ("Red Hat Enterprise Linux Server", "Red Hat", "device", 1299, 0.35, True),
    ("VMware vSphere Enterprise Plus", "Broadcom", "device", 4600, 0.50, True),
    ("Veeam Backup & Replication", "Veeam", "device", 1050, 0.45, True),
    ("Oracle Database Enterprise Edition", "Oracle", "device", 47500, 0.06, True),
    ("Microsoft System Center", "Microsoft", "device", 1323, 0.40, True),
    ("Splunk Enterprise", "Splunk", "device", 2000, 0.08, True),
    ("Tomcat", "Apache", "device", 0, 0.20, True),
    ("Datadog Agent", "Datadog", "device", 276, 0.40, True),
)
# The long tail of small publishers, fictional, for the titles beyond the list.
TAIL_PUBLISHERS = (
    "Bluewater Labs",
    "Nordwind Software",
    "Apexline Systems",
    "Cobalt Logic",
    "Kestrel Soft",
    "Meridian Tools",
    "Quillon",
    "Tessellate",
    "Brightforge",
    "Lumina Data",
    "Harlow & Finch",
    "Vectorhaus",
    "Orbitra",
    "Pinecrest Software",
)
TAIL_PRODUCTS = (
    "Scheduler",
    "Analytics Studio",
    "Form Designer",
    "Viewer",
    "Toolkit",
    "Reporting Suite",
    "Sync Client",
    "Diagram Pro",
    "Route Planner",
    "Label Studio",
    "Fleet Monitor",
    "Invoice Capture",
    "Time Tracker",
    "Print Manager",
)

CONTRACT_VENDORS = {
    "software": (
        "Microsoft",
        "Adobe",
        "Autodesk",
        "Oracle",
        "SAP",
        "Broadcom",
        "IBM",
        "JetBrains",
        "Citrix",
        "MathWorks",
    ),
    "saas": (
        "Salesforce",
        "ServiceNow",
        "Zoom",
        "Atlassian",
        "Workday",
        "DocuSign",
        "Miro",
        "Box",
        "Okta",
        "Zscaler",
        "CrowdStrike",
        "GitHub",
    ),
    "iaas": ("Amazon Web Services", "Microsoft Azure", "Google Cloud"),
    "paas": ("Snowflake", "Databricks", "Datadog"),
    "hardware_maintenance": ("Dell", "HPE", "Cisco", "NetApp", "Lenovo"),
    "lease": ("Dell Financial Services", "HP Financial Services", "Lenovo Financial Services"),
    "support": ("Red Hat", "Canonical", "Cisco", "Veeam"),
    "services": ("Accenture", "Capgemini", "Computacenter", "Softcat", "CDW"),
}
CONTRACT_KINDS = tuple(CONTRACT_VENDORS)
CONTRACT_SHARE = (0.22, 0.24, 0.04, 0.05, 0.14, 0.07, 0.10, 0.14)
CONTRACT_MEDIAN = (70_000, 45_000, 350_000, 110_000, 35_000, 140_000, 25_000, 80_000)

# (provider, service, kind, monthly cost at scale 1, departments using it)
CLOUD_SERVICES = (
    ("AWS", "EC2", "iaas", 21_000, ("Engineering", "IT", "Research")),
    ("AWS", "S3", "iaas", 4_500, ("Engineering", "IT", "Marketing")),
    ("AWS", "RDS", "paas", 7_800, ("Engineering", "IT")),
    ("AWS", "Lambda", "paas", 1_900, ("Engineering",)),
    ("Azure", "Virtual Machines", "iaas", 16_500, ("IT", "Finance", "Operations")),
    ("Azure", "Blob Storage", "iaas", 2_600, ("IT", "Operations")),
    ("Azure", "SQL Database", "paas", 6_200, ("Finance", "IT", "Sales")),
    ("Azure", "App Service", "paas", 3_100, ("Engineering", "Sales")),
    ("Google Cloud", "BigQuery", "paas", 5_400, ("Research", "Marketing")),
    ("Google Cloud", "Compute Engine", "iaas", 4_800, ("Research",)),
    ("Snowflake", "Data Cloud", "saas", 9_200, ("Finance", "Research", "Sales")),
    ("Datadog", "Infrastructure Monitoring", "saas", 3_300, ("IT", "Engineering")),
)

ROADMAP = (
    (
        "Discovery coverage",
        (
            "Connect Jamf to the ITAM database",
            "Deploy the scanner to the Rotterdam site",
            "Reconcile Active Directory stale objects",
            "Onboard network devices into the scanner",
            "Weekly unknown-device review",
        ),
    ),
    (
        "Licence hygiene",
        (
            "Publish ELPs for the top 20 publishers",
            "Harvest unused Visio and Project licences",
            "Define a software request catalogue",
            "Automate reclaim after 90 days unused",
            "Normalise publisher names",
        ),
    ),
    (
        "Refresh programme",
        (
            "Agree the laptop refresh standard",
            "Replace Windows 10 machines",
            "Lease model for engineering workstations",
            "Refresh the London meeting rooms",
        ),
    ),
    (
        "Disposal compliance",
        (
            "Select a certified disposal partner",
            "Backfill missing disposal certificates",
            "Lost and stolen reporting with HR and Security",
        ),
    ),
    (
        "Cloud cost control",
        (
            "Tag every cloud resource with a cost center",
            "Rightsize idle VMs",
            "Reserved instances for steady workloads",
            "Monthly cloud spend review with Finance",
        ),
    ),
    (
        "Data quality",
        (
            "Quarterly tool-compare audits",
            "Fix assignee mismatches",
            "Clean up duplicate serials",
            "Mandatory fields on the intake form",
        ),
    ),
)
INTEGRATIONS = (
    ("Intune", "Microsoft Intune", True, 1300),
    ("SCCM", "Configuration Manager", True, 2400),
    ("Jamf", "Jamf Pro", True, 700),
    ("Qualys", "vuln_scanner", True, 500),
    ("Active Directory", "active_directory", True, 2800),
    ("ServiceNow", "ServiceNow ITSM", True, 1100),
    ("AWS Cost Explorer", "AWS", True, 420),
    ("Azure Cost Management", "Azure", True, 380),
    ("Workday", "Workday HCM", False, None),
    ("Coupa", "Coupa Procurement", False, None),
    ("Flexera One", "Flexera", False, None),
)

# ------------------------------------------------------------------- small helpers

_TABLE_STREAM = {t.name: i for i, t in enumerate(schema.TABLES)}


def _rng(seed: int, stream: str) -> np.random.Generator:
    """An independent generator per table, fixed by the seed."""
    return np.random.default_rng([seed, _TABLE_STREAM.get(stream, 99) + 1])


def _n(base: float, scale: float, minimum: int = 1) -> int:
    return max(minimum, int(round(base * scale)))


def _days(values) -> np.ndarray:
    return np.asarray(values, dtype="int64").astype("timedelta64[D]")


def _null_dates(n: int) -> np.ndarray:
    return np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")


def _text(values, idx: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """values[idx] as a pyarrow string array; null where `valid` is false."""
    arr = values if isinstance(values, pa.Array) else pa.array(list(values), pa.string())
    mask = None if valid is None else ~np.asarray(valid, dtype=bool)
    return pc.take(arr, pa.array(np.asarray(idx, dtype="int64"), mask=mask))


def _numbered(prefix, numbers: np.ndarray, width: int) -> pa.Array:
    """prefix + zero-padded number; `prefix` a string or a string array."""
    digits = pc.utf8_lpad(
        pa.array(np.asarray(numbers, dtype="int64")).cast(pa.string()), width, "0"
    )
    return pc.binary_join_element_wise(prefix, digits, "")


def _base36(values: np.ndarray, width: int) -> pa.Array:
    """Fixed-width upper-case base-36 codes of non-negative integers."""
    alphabet = np.frombuffer(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", dtype=np.uint8)
    v = np.asarray(values, dtype="int64")
    powers = 36 ** np.arange(width - 1, -1, -1, dtype="int64")
    digits = alphabet[(v[:, None] // powers) % 36]
    return pa.array(np.ascontiguousarray(digits).view(f"S{width}").ravel()).cast(pa.string())


def _with_variant(arr: pa.Array, fn) -> pa.Array:
    """arr followed by fn(arr): index i + len(arr) picks the variant of row i."""
    return pa.concat_arrays([arr, fn(arr)])


def _where(mask: np.ndarray, arr: pa.Array) -> pa.Array:
    """arr where mask, else null."""
    return pc.if_else(pa.array(np.asarray(mask, dtype=bool)), arr, pa.scalar(None, pa.string()))


def _choice(rng: np.random.Generator, shares, n: int) -> np.ndarray:
    p = np.asarray(shares, dtype=float)
    return rng.choice(len(p), size=n, p=p / p.sum())


def _unique(keys: np.ndarray) -> np.ndarray:
    """Sorted distinct values (a plain sort: numpy's hash-based unique is slower here)."""
    s = np.sort(np.asarray(keys))
    return s[np.r_[True, s[1:] != s[:-1]]] if len(s) else s


def _money(x: np.ndarray) -> np.ndarray:
    return np.round(np.asarray(x, dtype=float), 2)


def _frame(name: str, cols: dict[str, object], n: int) -> pd.DataFrame:
    """A frame with exactly the table's columns, typed per schema kind."""
    table = schema.table(name)
    unknown = set(cols) - set(table.names)
    if unknown:
        raise KeyError(f"{name}: unknown columns {sorted(unknown)}")
    out = {}
    for col in table.columns:
        out[col.name] = _series(col, cols.get(col.name), n)
    return pd.DataFrame(out)


def _series(col: schema.Column, value, n: int) -> pd.Series:
    kind = col.kind
    if kind in (schema.TEXT, schema.ENUM):
        if value is None:
            return pd.Series(pa.nulls(n, pa.string()), dtype="str")
        if not isinstance(value, pa.Array | pa.ChunkedArray):
            value = pa.array(list(value), pa.string())
        return pd.Series(value, dtype="str")
    if kind in (schema.DATE, schema.MONTH, schema.DATETIME):
        if value is None:
            value = _null_dates(n)
        return pd.Series(np.asarray(value).astype("datetime64[s]"))
    if kind == schema.INT:
        if value is None:
            return pd.Series(pd.array([pd.NA] * n, dtype="Int64"))
        arr = np.asarray(value)
        if arr.dtype.kind == "f":
            return pd.Series(arr).astype("Int64")
        return pd.Series(arr.astype("int64"))
    if kind == schema.NUMBER:
        if value is None:
            return pd.Series(np.full(n, np.nan))
        return pd.Series(np.asarray(value, dtype=float))
    if kind == schema.BOOL:
        if value is None:
            return pd.Series(pd.array([pd.NA] * n, dtype="boolean"))
        if isinstance(value, tuple):  # (values, valid): nullable
            vals, valid = value
            return pd.Series(
                pd.arrays.BooleanArray(np.asarray(vals, bool), ~np.asarray(valid, bool))
            )
        return pd.Series(np.asarray(value, dtype=bool))
    raise ValueError(kind)


# ------------------------------------------------------------------------ estate


class _Estate:
    """Shared state while the tables are generated (numpy arrays by row index)."""

    def __init__(self, as_of: dt.date, seed: int, scale: float) -> None:
        if scale <= 0:
            raise ValueError("scale must be > 0")
        self.as_of = as_of
        self.A = np.datetime64(as_of, "D")
        self.seed = seed
        self.scale = scale
        self.frames: dict[str, pd.DataFrame] = {}


def generate(
    as_of: dt.date | None = None, seed: int = 7, scale: float = 1.0, progress: Progress = None
) -> dict[str, pd.DataFrame]:
    """Every package table of the demo estate, as typed DataFrames in schema order."""
    est = _Estate(as_of or dt.date.today(), seed, scale)
    steps = (
        ("people", _people),
        ("assets", _assets),
        ("software", _software),
        ("installs", _installs),
        ("contracts", _contracts),
        ("entitlements", _entitlements),
        ("license_events", _license_events),
        ("discovery", _discovery),
        ("tickets", _tickets),
        ("audits", _audits),
        ("cloud_spend", _cloud_spend),
        ("vendor_audits", _vendor_audits),
        ("security_incidents", _security_incidents),
        ("roadmap", _roadmap),
        ("integrations", _integrations),
        ("budget", _budget),
        ("fx_rates", _fx_rates),
    )
    for name, step in steps:
        started = time.perf_counter()
        est.frames[name] = step(est, _rng(seed, name))
        if progress:
            rows = len(est.frames[name])
            progress(f"generated {name}: {rows:,} rows in {time.perf_counter() - started:.1f} s")
    # audits set the assets' last_audit_date (generated after the assets).
    return {t.name: est.frames[t.name] for t in schema.TABLES}


# ------------------------------------------------------------------------ people


def _people(est: _Estate, rng: np.random.Generator) -> pd.DataFrame:
    n = _n(2000, est.scale, 40)
    first = rng.integers(0, len(FIRST_NAMES), n)
    last = rng.integers(0, len(LAST_NAMES), n)
    dept = _choice(rng, [d[2] for d in DEPARTMENTS], n)
    loc = _choice(rng, [x[1] for x in LOCATIONS], n)
    active = rng.random(n) >= 0.05  # about 5% leavers still on record
    firsts = pa.array(FIRST_NAMES)
    lasts = pa.array(LAST_NAMES)
    name = pc.binary_join_element_wise(_text(firsts, first), _text(lasts, last), " ")
    local = pc.utf8_lower(
        pc.binary_join_element_wise(_text(firsts, first), _text(lasts, last), ".")
    )
    # The row number keeps the id unique however often a name repeats.
    pid = pc.binary_join_element_wise(_numbered(local, np.arange(1, n + 1), 1), f"@{DOMAIN}", "")
    est.n_people, est.person_dept, est.person_loc, est.person_active = n, dept, loc, active
    est.person_ids = pid
    return _frame(
        "people",
        {
            "person_id": pid,
            "name": name,
            "department": _text([d[0] for d in DEPARTMENTS], dept),
            "cost_center": _text([d[1] for d in DEPARTMENTS], dept),
            "location": _text([x[0] for x in LOCATIONS], loc),
            "active": active,
        },
        n,
    )


# ------------------------------------------------------------------------ assets


def _assets(est: _Estate, rng: np.random.Generator) -> pd.DataFrame:
    n = _n(2000, est.scale, 60)
    A = est.A
    cat = _choice(rng, [v[1] for v in CATEGORY_SHARE.values()], n)
    # Models within each category.
    model = np.empty(n, dtype="int64")
    for c, cname in enumerate(CATEGORIES):
        rows = np.flatnonzero(cat == c)
        ids = [i for i, m in enumerate(MODELS) if m[0] == cname]
        model[rows] = np.asarray(ids)[_choice(rng, [MODELS[i][5] for i in ids], len(rows))]
    mobile = np.isin(cat, [CAT["laptop"], CAT["tablet"], CAT["phone"]])
    status = np.where(mobile, _choice(rng, STATUS_MOBILE, n), _choice(rng, STATUS_FIXED, n))
    S = STATUS
    deployed_like = np.isin(status, [S["deployed"], S["in_repair"]])
    life = np.array([schema.EXPECTED_LIFE_YEARS[c] for c in CATEGORIES])[cat]

    # Ownership: leases for computers and printers, BYOD for phones and tablets.
    u = rng.random(n)
    own = np.zeros(n, dtype="int64")  # 0 owned, 1 leased, 2 byod
    computers = np.isin(cat, [CAT["laptop"], CAT["desktop"]])
    own[computers & (u < 0.12)] = 1
    own[(cat == CAT["printer"]) & (u < 0.4)] = 1
    handheld = np.isin(cat, [CAT["phone"], CAT["tablet"]])
    own[handheld & (u < 0.12)] = 2
    own[handheld & (u >= 0.12) & (u < 0.17)] = 1
    own[(own == 2) & ~np.isin(status, [S["deployed"], S["in_repair"], S["lost"], S["stolen"]])] = 0

    # Age in days at A by status.
    age = rng.integers(0, (life * 365 * 1.4).astype("int64") + 1)
    new_stock = (status == S["in_stock"]) & (rng.random(n) < 0.7)
    age = np.where(new_stock, rng.integers(0, 120, n), age)
    age = np.where(status == S["on_order"], rng.integers(0, 30, n), age)
    gone = np.isin(status, [S["retired"], S["disposed"]])
    age = np.where(gone, rng.integers(3 * 365, 8 * 365, n), age)
    lost = np.isin(status, [S["lost"], S["stolen"]])
    age = np.where(lost, rng.integers(60, 4 * 365, n), age)
    purchase = A - _days(age)

    price = np.array([m[3] for m in MODELS], dtype=float)[model]
    cost = _money(price * rng.uniform(0.88, 1.08, n))
    bought = own == 0
    warranty_years = np.array([WARRANTY_YEARS.get(c, 3) for c in CATEGORIES])[cat]
    warranty_end = purchase + _days(warranty_years * 365 - 1)
    explicit_life = rng.random(n) < 0.25
    life_value = np.where(explicit_life, life + rng.choice([-1.0, 0.0, 0.5, 1.0], n), np.nan)

    # Ever deployed: deployed, in repair, retired, disposed, lost, stolen.
    ever = ~np.isin(status, [S["on_order"], S["in_stock"]])
    lag = rng.integers(2, 21, n)
    deployed_date = np.minimum(purchase + _days(lag), A)
    wait = rng.integers(3, 30, n) + np.where(rng.random(n) < 0.06, rng.integers(20, 70, n), 0)
    has_request = ever & (rng.random(n) < 0.7)
    requested = deployed_date - _days(wait)
    retire_off = rng.integers(0, 1100, n)
    retired_date = A - _days(np.minimum(retire_off, age - 365))
    lost_off = rng.integers(0, np.minimum(age, 730) + 1)
    first_lost = np.flatnonzero(lost)[:2]  # some this year at any scale
    lost_off[first_lost] = np.array([40, 200])[: len(first_lost)]
    lost_date = A - _days(lost_off)

    disposal = np.where(status == S["disposed"], _choice(rng, (0.5, 0.15, 0.15, 0.12, 0.08), n), -1)
    certified = (status == S["disposed"]) & (rng.random(n) < 0.86)
    certified[np.flatnonzero(status == S["disposed"])[:2]] = False  # at any scale

    # Assignment: each deployed computer to a different person, a few people get
    # a second one; phones likewise; monitors to anyone.
    assignee = np.full(n, -1, dtype="int64")
    people = est.n_people
    for group in (("laptop", "desktop", "tablet"), ("phone",), ("monitor",)):
        holds = np.isin(cat, [CAT[g] for g in group]) & (deployed_like | lost)
        rows = np.flatnonzero(holds)
        who = rng.permutation(max(people, len(rows)))[: len(rows)] % people
        second = rng.random(len(rows)) < 0.04
        who[second] = rng.integers(0, people, int(second.sum()))
        if len(rows) >= 6:  # at any scale, a couple of people hold two
            who[[1, 3]] = who[[0, 2]]
        assignee[rows] = who
    assigned = assignee >= 0
    # Leavers keep their kit: make sure a couple of holders have left.
    leavers = assignee[np.flatnonzero(assigned & (status == S["deployed"]))[:2]]
    est.person_active[leavers] = False
    est.frames["people"]["active"] = est.person_active

    # Own department and location: servers and shared kit carry theirs, assigned
    # devices mostly take the person's (left blank, or copied).
    copy = assigned & (rng.random(n) < 0.35)
    own_dept = _choice(rng, [d[2] for d in DEPARTMENTS], n)
    infra = np.isin(cat, [CAT["server"], CAT["network"], CAT["storage"]])
    own_dept = np.where(infra, 2, own_dept)  # IT
    dept = np.where(copy, est.person_dept[np.maximum(assignee, 0)], own_dept)
    has_dept = copy | ~assigned
    loc = np.where(
        copy, est.person_loc[np.maximum(assignee, 0)], _choice(rng, [x[1] for x in LOCATIONS], n)
    )
    loc = np.where(infra & (loc == 5), 0, loc)  # no servers at "Remote"

    # Operating systems (index into the flattened (os, version) pairs).
    fam = np.array([FAMILIES.index(m[4]) for m in MODELS])[model]
    pairs: list[tuple[str, str | None]] = []
    pair = np.full(n, -1, dtype="int64")
    for f, fname in enumerate(FAMILIES):
        if fname is None:
            continue
        os_name, versions = OS_FAMILIES[fname]
        rows = np.flatnonzero(fam == f)
        base = len(pairs)
        pairs.extend((os_name, v) for v, _ in versions)
        pairs.append((os_name, None))
        shares = [s * 0.96 for _, s in versions] + [0.04]
        pair[rows] = base + _choice(rng, shares, len(rows))
    has_os = pair >= 0
    patch_off = np.where(rng.random(n) < 0.9, rng.geometric(0.12, n) - 1, rng.integers(31, 240, n))
    patched_ok = has_os & np.isin(status, [S["deployed"], S["in_repair"], S["in_stock"]])
    patched_ok &= rng.random(n) >= 0.02
    last_patched = A - _days(patch_off)

    meets = rng.random(n) >= 0.07
    is_capital = bought & (cost >= 5000)
    tag_width = max(6, len(str(n)))
    prefixes = [CATEGORY_SHARE[c][0] for c in CATEGORIES]
    idx = np.arange(1, n + 1)
    tag = _numbered(_text([p + "-" for p in prefixes], cat), idx, tag_width)
    makers = [m[1][:2].upper() for m in MODELS]
    serial_num = rng.integers(100, 1000, n) * 10**tag_width + idx
    serial = _where(
        status != S["on_order"], _numbered(_text(makers, model), serial_num, tag_width + 3)
    )
    named = (status != S["on_order"]) & ~np.isin(cat, [CAT["phone"], CAT["monitor"]])
    hostname = _where(named, _numbered(_text([p.lower() for p in prefixes], cat), idx, tag_width))
    notes = np.full(n, -1)
    notes[lost] = rng.integers(0, 3, int(lost.sum()))
    note_texts = (
        "Reported by the user to the service desk",
        "Police report filed",
        "Left in a taxi; remote wipe sent",
    )

    est.n_assets, est.cat, est.status, est.assignee = n, cat, status, assignee
    est.purchase, est.warranty_end, est.own = purchase, warranty_end, own
    est.asset_tags, est.serials, est.hostnames, est.named = tag, serial, hostname, named
    est.pair, est.pairs, est.model, est.retired_date = pair, pairs, model, retired_date
    est.purchase_cost = np.where(bought, cost, np.nan)
    est.is_capital = is_capital
    return _frame(
        "assets",
        {
            "asset_tag": tag,
            "category": _text(CATEGORIES, cat),
            "status": _text(schema.STATUSES, status),
            "serial": serial,
            "hostname": hostname,
            "manufacturer": _text([m[1] for m in MODELS], model),
            "model": _text([m[2] for m in MODELS], model),
            "ownership": _text(("owned", "leased", "byod"), own),
            "assigned_to": _text(est.person_ids, assignee, assigned),
            "department": _text([d[0] for d in DEPARTMENTS], dept, has_dept),
            "cost_center": _text([d[1] for d in DEPARTMENTS], dept, has_dept),
            "location": _text([x[0] for x in LOCATIONS], loc, copy | ~assigned),
            "supplier": _text(SUPPLIERS, rng.integers(0, len(SUPPLIERS), n), bought),
            "po_number": _where(bought, _numbered("PO-", rng.integers(100000, 1000000, n), 6)),
            "purchase_date": np.where(own == 2, np.datetime64("NaT"), purchase),
            "purchase_cost": est.purchase_cost,
            "warranty_end": np.where(own == 2, np.datetime64("NaT"), warranty_end),
            "expected_life_years": life_value,
            "requested_date": np.where(has_request, requested, np.datetime64("NaT")),
            "deployed_date": np.where(ever, deployed_date, np.datetime64("NaT")),
            "retired_date": np.where(gone, retired_date, np.datetime64("NaT")),
            "disposal_method": _text(
                ("recycled", "donated", "resold", "destroyed", "returned"), disposal, disposal >= 0
            ),
            "disposal_certificate": _where(
                certified, _numbered("WEEE-", rng.integers(0, 10**7, n), 7)
            ),
            "lost_stolen_date": np.where(lost, lost_date, np.datetime64("NaT")),
            "os": _text([p[0] for p in pairs], np.maximum(pair, 0), has_os),
            "os_version": _text([p[1] for p in pairs], np.maximum(pair, 0), has_os),
            "last_patched": np.where(patched_ok, last_patched, np.datetime64("NaT")),
            "meets_standard": meets,
            "is_capital": is_capital,
            "last_audit_date": None,  # filled from the audits
            "notes": _text(note_texts, notes, notes >= 0),
        },
        n,
    )


# ---------------------------------------------------------------------- software


def _software(est: _Estate, rng: np.random.Generator) -> pd.DataFrame:
    n = max(len(TITLES) + 10, int(round(150 * est.scale**0.25)))
    rows = list(TITLES)
    k = 0
    while len(rows) < n:
        pub = TAIL_PUBLISHERS[k % len(TAIL_PUBLISHERS)]
        prod = TAIL_PRODUCTS[(k // len(TAIL_PUBLISHERS) + k) % len(TAIL_PRODUCTS)]
        edition = k // (len(TAIL_PUBLISHERS) * len(TAIL_PRODUCTS))
        name = f"{pub.split()[0]} {prod}" + (f" {2024 - edition}" if edition else "")
        price = float(np.round(rng.uniform(20, 900), 0)) if rng.random() < 0.85 else 0.0
        metric = "user" if rng.random() < 0.35 else "device"
        rows.append((name, pub, metric, price, float(rng.uniform(0.002, 0.03)), False))
        k += 1
    width = max(3, len(str(n)))
    est.titles = rows
    est.title_price = np.array([r[3] for r in rows], dtype=float)
    est.title_user = np.array([r[2] == "user" for r in rows])
    est.title_ids = _numbered("T", np.arange(1, n + 1), width)
    managed = rng.random(n) < 0.9
    managed[: len(TITLES)] |= est.title_price[: len(TITLES)] > 1000  # the big ones always
    elp_off = np.where(rng.random(n) < 0.68, rng.integers(0, 90, n), rng.integers(90, 500, n))
    has_elp = managed & (rng.random(n) < 0.92)
    return _frame(
        "software",
        {
            "title_id": est.title_ids,
            "title": [r[0] for r in rows],
            "publisher": [r[1] for r in rows],
            "license_metric": [r[2] for r in rows],
            "is_standard": rng.random(n) < 0.8,
            "managed_by_itam": managed,
            "elp_updated": np.where(has_elp, est.A - _days(elp_off), np.datetime64("NaT")),
        },
        n,
    )


# ---------------------------------------------------------------------- installs


def _bernoulli_rows(rng: np.random.Generator, n_dev: int, p: float) -> np.ndarray:
    """Positions 0..n_dev-1 each kept with probability p (geometric gaps: O(n p))."""
    if p <= 0 or n_dev == 0:
        return np.empty(0, dtype="int64")
    draws = int(n_dev * p * 1.2 + 10 * np.sqrt(n_dev * p + 1) + 10)
    pos = np.cumsum(rng.geometric(min(p, 1.0), draws)) - 1
    return pos[pos < n_dev]


def _installs(est: _Estate, rng: np.random.Generator) -> pd.DataFrame:
    S = STATUS
    target = _n(10000, est.scale, 200)
    on_record = est.status != S["on_order"]
    computers = np.flatnonzero(
        np.isin(est.cat, [CAT["laptop"], CAT["desktop"], CAT["tablet"]]) & on_record
    )
    servers = np.flatnonzero((est.cat == CAT["server"]) & on_record)
    reach = np.array([r[4] for r in est.titles])
    server_title = np.array([r[5] for r in est.titles])
    # Scale the reach so that the rows come to about the target.
    expected = reach[~server_title].sum() * len(computers) + reach[server_title].sum() * len(
        servers
    )
    factor = min(3.0, target * 0.985 / max(expected, 1))
    dev_parts, title_parts = [], []
    for t in range(len(est.titles)):
        pool = servers if server_title[t] else computers
        pos = _bernoulli_rows(rng, len(pool), min(0.97, reach[t] * factor))
        dev_parts.append(pool[pos])
        title_parts.append(np.full(len(pos), t, dtype="int64"))
    dev = np.concatenate(dev_parts)
    title = np.concatenate(title_parts)
    m = len(dev)

    # Unknown devices (the discovery's unrecorded machines) run a few titles too.
    est.n_unknown = _n(45, est.scale, 6)
    unk_titles = np.flatnonzero(~server_title & (reach >= 0.3))
    per = 3
    unk_dev = np.repeat(np.arange(est.n_unknown), per)
    unk_title = unk_titles[(np.arange(len(unk_dev)) * 7 + unk_dev) % len(unk_titles)]
    unk_title, keep = np.unique(unk_dev * len(est.titles) + unk_title, return_index=True)
    unk_dev, unk_title = unk_dev[keep], unk_title % len(est.titles)
    est.unknown_hosts = _unknown_hosts(est)

    # Some rows come by hostname only (inventory tools without the tag), half upper-case.
    by_host = rng.random(m) < 0.06
    host_upper = rng.random(m) < 0.5
    tag = _text(est.asset_tags, dev, ~by_host)
    host = _text(
        _with_variant(est.hostnames, pc.utf8_upper), dev + est.n_assets * host_upper, by_host
    )

    age = ((est.A - est.purchase[dev]) / np.timedelta64(1, "D")).astype("int64")
    disc_off = (rng.random(m) * np.maximum(age - 3, 0)).astype("int64")
    discovered = est.A - _days(disc_off)
    has_disc = rng.random(m) >= 0.02
    used_off = np.where(rng.random(m) < 0.8, rng.geometric(0.08, m) - 1, rng.integers(91, 500, m))
    used = np.maximum(est.A - _days(used_off), discovered)
    has_used = rng.random(m) < 0.8

    k = len(unk_dev)
    unk_disc = est.A - _days(rng.integers(5, 200, k))
    est.install_dev, est.install_title = dev, title
    est.unk_install_title = unk_title
    return _frame(
        "installs",
        {
            "title_id": pa.concat_arrays(
                [_text(est.title_ids, title), _text(est.title_ids, unk_title)]
            ),
            "asset_tag": pa.concat_arrays([tag, pa.nulls(k, pa.string())]),
            "hostname": pa.concat_arrays([host, _text(est.unknown_hosts, unk_dev)]),
            "discovered_date": np.concatenate(
                [np.where(has_disc, discovered, np.datetime64("NaT")), unk_disc]
            ),
            "last_used_date": np.concatenate(
                [
                    np.where(has_used, used, np.datetime64("NaT")),
                    est.A - _days(rng.integers(0, 20, k)),
                ]
            ),
        },
        m + k,
    )


def _unknown_hosts(est: _Estate) -> pa.Array:
    """Windows-style default names (DESKTOP-XXXXXXX), unique by construction."""
    i = np.arange(est.n_unknown, dtype="int64")
    code = (i * 2_147_483_647 + 1_000_003 * (est.seed % 1000 + 1)) % 36**7
    return pc.binary_join_element_wise("DESKTOP-", _base36(code, 7), "")


def _demand(est: _Estate) -> np.ndarray:
    """Per title, the demand as metrics.md counts it (devices or users)."""
    S = STATUS
    n_titles = len(est.titles)
    dev, title = est.install_dev, est.install_title
    in_use = ~np.isin(est.status[dev], [S["retired"], S["disposed"], S["lost"], S["stolen"]])
    dev, title = dev[in_use], title[in_use]
    who = np.where(est.assignee[dev] >= 0, est.assignee[dev], est.n_people + dev)
    user_key = _unique(title * (est.n_people + est.n_assets + 1) + who) // (
        est.n_people + est.n_assets + 1
    )
    device = np.bincount(title, minlength=n_titles)
    users = np.bincount(user_key, minlength=n_titles)
    unknown = np.bincount(est.unk_install_title, minlength=n_titles)
    return np.where(est.title_user, users, device) + unknown


# --------------------------------------------------------------- contracts & money


def _contracts(est: _Estate, rng: np.random.Generator) -> pd.DataFrame:
    n = max(60, int(round(60 + 60 * est.scale**0.6)))
    kind = _choice(rng, CONTRACT_SHARE, n)
    # The first eight cover every kind; the next ten are live software/SaaS deals.
    kind[: len(CONTRACT_KINDS)] = np.arange(len(CONTRACT_KINDS))
    kind[8:18] = np.arange(10) % 2
    vendor_lists = [CONTRACT_VENDORS[k] for k in CONTRACT_KINDS]
    flat = [v for vs in vendor_lists for v in vs]
    offsets = np.cumsum([0] + [len(vs) for vs in vendor_lists])
    vendor = offsets[kind] + (
        rng.random(n) * np.array([len(v) for v in vendor_lists])[kind]
    ).astype("int64")
    term = rng.choice([365, 730, 1095], n, p=[0.5, 0.25, 0.25])
    end_off = rng.integers(-420, 900, n)  # end relative to A
    end_off[8:18] = rng.integers(120, 700, 10)
    end_off[18:24] = rng.integers(5, 88, 6)  # renewals in the next 90 days
    # Signed deals start at most a couple of months ahead.
    end_off = np.minimum(end_off, term - 1 + rng.integers(0, 60, n))
    end = est.A + _days(end_off)
    start = end - _days(term - 1)
    median = np.array(CONTRACT_MEDIAN, dtype=float)[kind] * est.scale**0.4
    value = _money(median * rng.lognormal(0, 0.6, n))
    quoted = rng.random(n) < 0.7
    first_quote = _money(value * (1 + rng.uniform(0.03, 0.28, n)))
    dept = _choice(rng, [d[2] for d in DEPARTMENTS], n)
    has_dept = rng.random(n) < 0.75
    it_people = np.flatnonzero(est.person_dept == 2)
    owner = (
        it_people[rng.integers(0, len(it_people), n)]
        if len(it_people)
        else rng.integers(0, est.n_people, n)
    )
    notice = rng.choice([30.0, 60.0, 90.0, np.nan], n, p=[0.35, 0.3, 0.25, 0.1])
    est.contract_vendor = np.array(flat)[vendor]
    est.contract_ids = _numbered("CT-", np.arange(1, n + 1), max(4, len(str(n))))
    return _frame(
        "contracts",
        {
            "contract_id": est.contract_ids,
            "vendor": _text(flat, vendor),
            "kind": _text(CONTRACT_KINDS, kind),
            "start_date": start,
            "end_date": end,
            "annual_value": value,
            "first_quote": np.where(quoted, first_quote, np.nan),
            "final_price": np.where(quoted, value, np.nan),
            "department": _text([d[0] for d in DEPARTMENTS], dept, has_dept),
            "cost_center": _text([d[1] for d in DEPARTMENTS], dept, has_dept),
            "owner": _text(est.person_ids, owner),
            "auto_renew": rng.random(n) < 0.4,
            "notice_days": notice,
        },
        n,
    )


def _entitlements(est: _Estate, rng: np.random.Generator) -> pd.DataFrame:
    demand = _demand(est)
    n_titles = len(est.titles)
    price = est.title_price
    # Licence position per title: a fifth short, most with a surplus.
    u = rng.random(n_titles)
    factor = np.where(
        u < 0.22,
        rng.uniform(0.7, 0.96, n_titles),
        np.where(u < 0.65, rng.uniform(1.05, 1.5, n_titles), 1.0),
    )
    factor = np.where(price == 0, 1.3, factor)  # free titles: an unlimited-looking site licence
    total = np.maximum(np.round(demand * factor).astype("int64"), 0)
    total = np.where(demand == 0, rng.integers(5, 25, n_titles), total)
    # Split each title's total over a few purchases (more at larger scale).
    parts = np.minimum(1 + rng.poisson(1.2 * est.scale**0.3, n_titles), np.maximum(total, 1))
    parts = np.where(total == 0, 0, parts)
    title = np.repeat(np.arange(n_titles), parts)
    weight = rng.uniform(0.5, 1.5, len(title))
    share = weight / np.bincount(title, weights=weight, minlength=n_titles)[title]
    qty = np.maximum(1, np.floor(share * total[title])).astype("int64")
    # Put the rounding remainder on each title's first row.
    first = np.r_[0, np.cumsum(parts)[:-1]][parts > 0]
    rest = total - np.bincount(title, weights=qty, minlength=n_titles).astype("int64")
    qty[first] = np.maximum(1, qty[first] + rest[parts > 0])
    live = len(title)
    # Plus expired subscriptions (they no longer count).
    expired_titles = np.flatnonzero(est.title_user & (rng.random(n_titles) < 0.35))
    title = np.concatenate([title, expired_titles])
    m = len(title)
    qty = np.concatenate(
        [qty, rng.integers(5, 60, len(expired_titles)) * max(1, int(est.scale**0.5))]
    )
    renews = est.title_user[title] & (rng.random(m) < 0.7)  # annual subscriptions
    buy_off = np.where(
        renews | (rng.random(m) < 0.25), rng.integers(0, 365, m), rng.integers(365, 1500, m)
    )
    buy_off[live:] = rng.integers(800, 1500, m - live)
    purchase = est.A - _days(buy_off)
    subscription = est.title_user[title] | (rng.random(m) < 0.2)
    term_end = est.A + _days(rng.integers(20, 900, m))
    term_end[live:] = est.A - _days(rng.integers(1, 400, m - live))
    unit = _money(price[title] * rng.uniform(0.88, 1.04, m))
    dept = _choice(rng, [d[2] for d in DEPARTMENTS], m)
    has_dept = rng.random(m) < 0.6
    # Link to a contract of the same publisher where one exists.
    contract = np.full(m, -1, dtype="int64")
    publishers = np.array([r[1] for r in est.titles])[title]
    for pub in np.unique(publishers):
        matches = np.flatnonzero(est.contract_vendor == pub)
        rows = np.flatnonzero(publishers == pub)
        if len(matches):
            contract[rows] = matches[rng.integers(0, len(matches), len(rows))]
    contract[rng.random(m) < 0.2] = -1
    est.ent_title, est.ent_qty, est.ent_unit, est.ent_purchase = title, qty, unit, purchase
    return _frame(
        "entitlements",
        {
            "entitlement_id": _numbered("EN-", np.arange(1, m + 1), max(5, len(str(m)))),
            "title_id": _text(est.title_ids, title),
            "quantity": qty,
            "unit_cost": unit,
            "contract_id": _text(est.contract_ids, np.maximum(contract, 0), contract >= 0),
            "department": _text([d[0] for d in DEPARTMENTS], dept, has_dept),
            "cost_center": _text([d[1] for d in DEPARTMENTS], dept, has_dept),
            "purchase_date": purchase,
            "term_end": np.where(subscription, term_end, np.datetime64("NaT")),
        },
        m,
    )


def _license_events(est: _Estate, rng: np.random.Generator) -> pd.DataFrame:
    n = _n(900, est.scale, 60)
    server_title = np.array([r[5] for r in est.titles])
    paid = np.flatnonzero((est.title_price >= 30) & (est.title_price <= 1500) & ~server_title)
    # The pool holds mid-priced titles (Visio, Project, design tools), one or two at a time;
    # harvests reclaim anything, sometimes in bulk.
    pooled = np.flatnonzero((est.title_price >= 150) & (est.title_price <= 800) & ~server_title)
    kind = (rng.random(n) < 0.42).astype("int64")  # 0 issued_from_pool, 1 harvested
    kind[:2] = 0
    title = np.where(
        kind == 0, pooled[rng.integers(0, len(pooled), n)], paid[rng.integers(0, len(paid), n)]
    )
    # The pool is a growing habit (a KPI compares with a year ago): events spread evenly over
    # two years, plus a fifth of them over the last year alone, so a month now has about half
    # as many again as the same month a year before. Stratified (evenly spaced, jittered) so a
    # 30-day window holds a steady number of events.
    recent = rng.random(n) < 0.2
    off = np.zeros(n, dtype="int64")
    for mask, span in ((recent, 365), (~recent, 730)):
        k = int(mask.sum())
        off[mask] = rng.permutation(
            np.floor((np.arange(k) + rng.random(k)) * span / max(k, 1)).astype("int64")
        )
    bulk = (kind == 1) & (rng.random(n) < 0.15)
    qty = np.where(bulk, rng.integers(3, 11, n), rng.integers(1, 3, n))
    return _frame(
        "license_events",
        {
            "event_id": _numbered("LE-", np.arange(1, n + 1), max(5, len(str(n)))),
            "event_date": est.A - _days(off),
            "title_id": _text(est.title_ids, title),
            "kind": _text(("issued_from_pool", "harvested"), kind),
            "quantity": qty,
            "unit_value": _money(est.title_price[title] * rng.uniform(0.9, 1.0, n)),
        },
        n,
    )


def _month_starts(as_of: dt.date, months: int) -> list[dt.date]:
    """The first days of the `months` months ending with as_of's month, oldest first."""
    out = []
    y, m = as_of.year, as_of.month
    for _ in range(months):
        out.append(dt.date(y, m, 1))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]


def _cloud_spend(est: _Estate, rng: np.random.Generator) -> pd.DataFrame:
    months = _month_starts(est.as_of, 27)
    rows = [
        (mi, s, d)
        for mi in range(len(months))
        for s, svc in enumerate(CLOUD_SERVICES)
        for d in svc[4]
    ]
    mi = np.array([r[0] for r in rows])
    svc = np.array([r[1] for r in rows])
    dept_names = [d[0] for d in DEPARTMENTS]
    dept = np.array([dept_names.index(r[2]) for r in rows])
    base = np.array([s[3] for s in CLOUD_SERVICES], dtype=float)[svc] * est.scale
    share = rng.uniform(0.25, 0.6, len(CLOUD_SERVICES) * len(DEPARTMENTS)).reshape(
        len(CLOUD_SERVICES), -1
    )[svc, dept]
    growth = 1.022 ** (mi - (len(months) - 1))  # about 30% a year
    season = 1 + 0.06 * np.sin(2 * np.pi * np.array([months[i].month for i in mi]) / 12)
    cost = base * share * growth * season * rng.normal(1, 0.05, len(rows))
    # The current month is month-to-date.
    days_in = pd.Timestamp(est.as_of).days_in_month
    cost = np.where(mi == len(months) - 1, cost * est.as_of.day / days_in, cost)
    return _frame(
        "cloud_spend",
        {
            "month": np.array([np.datetime64(months[i], "D") for i in mi]),
            "provider": _text([s[0] for s in CLOUD_SERVICES], svc),
            "service": _text([s[1] for s in CLOUD_SERVICES], svc),
            "kind": _text([s[2] for s in CLOUD_SERVICES], svc),
            "department": _text(dept_names, dept),
            "cost_center": _text([d[1] for d in DEPARTMENTS], dept),
            "cost": _money(np.maximum(cost, 0)),
        },
        len(rows),
    )


def _budget(est: _Estate, rng: np.random.Generator) -> pd.DataFrame:
    """Budgets set from the spend, so that spend against budget lands near 85-100%.

    This year's budget is the year's spend so far, annualised, over a ratio
    drawn in [0.85, 1.0]; early in the year (before 1 March) the trailing
    twelve months stand in for the annualised spend. Last year's is 7% lower.
    """
    A = est.A
    jan1 = np.datetime64(dt.date(est.as_of.year, 1, 1), "D")
    doy = int((A - jan1) / np.timedelta64(1, "D")) + 1
    days_in_year = 366 if pd.Timestamp(est.as_of).is_leap_year else 365
    early = doy < 60
    start = A - _days(364) if early else jan1
    factor = 1.0 if early else days_in_year / doy

    def within(dates: np.ndarray) -> np.ndarray:
        return (dates >= start) & (dates <= A)

    hardware = np.nansum(est.purchase_cost[within(est.purchase)])
    software = float((est.ent_qty * est.ent_unit)[within(est.ent_purchase)].sum())
    cloud = est.frames["cloud_spend"]
    months = cloud["month"].to_numpy().astype("datetime64[D]")
    cloud_total = float(
        cloud["cost"].to_numpy()[(months >= start.astype("datetime64[M]")) & (months <= A)].sum()
    )
    totals = {"hardware": hardware, "software": software, "cloud": cloud_total}
    weights = np.array([d[2] for d in DEPARTMENTS])
    out: dict[str, list] = {
        "year": [],
        "spend_type": [],
        "department": [],
        "cost_center": [],
        "amount": [],
    }
    for y in (est.as_of.year - 1, est.as_of.year):
        for kind, total in totals.items():
            split = weights * rng.uniform(0.8, 1.2, len(weights))
            split = split / split.sum()
            annual = max(float(total), 1000.0 * est.scale) * factor / rng.uniform(0.85, 1.0)
            if y < est.as_of.year:
                annual /= 1.07
            for (dname, cc, _), part in zip(DEPARTMENTS, split, strict=True):
                out["year"].append(y)
                out["spend_type"].append(kind)
                out["department"].append(dname)
                out["cost_center"].append(cc)
                out["amount"].append(round(annual * float(part), 2))
    return _frame("budget", out, len(out["year"]))


def _fx_rates(est: _Estate, rng: np.random.Generator) -> pd.DataFrame:
    from dashboard import demo_finance  # cycle: demo_finance builds on this module (issue 15)

    return demo_finance.fx_rates(est, rng)


# ------------------------------------------------------------------- discovery


# Per OS family: the tools that report it, newest row first (the first one
# reports the assigned user). Families without an OS: the network scanner.
SOURCES = ("intune", "sccm", "jamf", "vuln_scanner", "active_directory")
_SRC = {s: i for i, s in enumerate(SOURCES)}
FAMILY_SOURCES = {
    None: ("vuln_scanner", "vuln_scanner", "vuln_scanner", "vuln_scanner"),
    "windows": ("intune", "active_directory", "vuln_scanner", "sccm"),
    "macos": ("jamf", "vuln_scanner", "jamf", "jamf"),
    "ios": ("jamf", "jamf", "jamf", "jamf"),
    "ipados": ("jamf", "jamf", "jamf", "jamf"),
    "android": ("intune", "intune", "intune", "intune"),
    "winserver": ("sccm", "vuln_scanner", "active_directory", "sccm"),
    "rhel": ("vuln_scanner", "vuln_scanner", "vuln_scanner", "vuln_scanner"),
    "ubuntu": ("vuln_scanner", "vuln_scanner", "vuln_scanner", "vuln_scanner"),
}
# Which sources give a serial (else the hostname only).
SERIAL_SOURCES = np.array([True, True, True, False, False])
USER_SOURCES = np.array([True, True, True, False, True])


def _discovery(est: _Estate, rng: np.random.Generator) -> pd.DataFrame:
    S = STATUS
    A = est.A
    eligible = np.flatnonzero(
        (est.cat != CAT["monitor"]) & np.isin(est.status, [S["deployed"], S["in_repair"]])
    )
    ne = len(eligible)
    # How recently discovery saw each device: most this month, some not for a
    # while, some never.
    u = rng.random(ne)
    repair = est.status[eligible] == S["in_repair"]
    u = np.where(repair, u * 0.5 + 0.5, u)
    last = np.where(
        u < 0.885,
        np.minimum(rng.geometric(0.3, ne) - 1, 29),
        np.where(u < 0.925, rng.integers(31, 61, ne), rng.integers(61, 220, ne)),
    )
    seen = u < 0.96
    eligible, last = eligible[seen], last[seen]
    cat = est.cat[eligible]
    k = np.select(
        [
            np.isin(cat, [CAT["laptop"], CAT["desktop"]]),
            cat == CAT["tablet"],
            cat == CAT["phone"],
            cat == CAT["server"],
        ],
        [3 + (rng.random(len(eligible)) < 0.8), 2, 2, 3],
        1,
    )
    dev = np.repeat(eligible, k)
    starts = np.r_[0, np.cumsum(k)[:-1]]
    r = np.arange(len(dev)) - np.repeat(starts, k)
    m = len(dev)
    seen_off = np.repeat(last, k) + r * 7 + np.where(r > 0, rng.integers(0, 3, m), 0)

    model_fam = np.array([FAMILIES.index(x[4]) for x in MODELS])[est.model[dev]]
    table = np.array([[_SRC[s] for s in FAMILY_SOURCES[f]] for f in FAMILIES])
    source = table[model_fam, r]
    has_host = est.named[dev]
    by_serial = SERIAL_SOURCES[source] | ~has_host
    lower = rng.random(m) < 0.1
    serial = _text(_with_variant(est.serials, pc.utf8_lower), dev + est.n_assets * lower, by_serial)
    upper = source == _SRC["active_directory"]
    host = _text(
        _with_variant(est.hostnames, pc.utf8_upper),
        dev + est.n_assets * upper,
        has_host & ((source != _SRC["jamf"]) | ~by_serial),
    )

    # Users: the assignee, sometimes upper-cased (not a mismatch); for about 3%
    # of assigned devices the newest row names someone else (a mismatch).
    assignee = est.assignee[dev]
    reports_user = USER_SOURCES[source] & (assignee >= 0)
    wrong = rng.random(len(eligible)) < 0.03
    wrong[np.flatnonzero((est.assignee[eligible] >= 0) & (last <= 29))[:2]] = True  # at any scale
    mismatch = np.repeat(wrong, k) & (r == 0)
    other = (assignee + 1 + rng.integers(0, est.n_people - 1, m)) % est.n_people
    who = np.where(mismatch, other, np.maximum(assignee, 0))
    shout = rng.random(m) < 0.1
    user = _text(
        _with_variant(est.person_ids, pc.utf8_upper), who + est.n_people * shout, reports_user
    )

    pair = est.pair[dev]
    has_os = pair >= 0
    os_names = _text([p[0] for p in est.pairs] or [""], np.maximum(pair, 0), has_os)
    versions = _text(
        [p[1] for p in est.pairs] or [""],
        np.maximum(pair, 0),
        has_os & (source != _SRC["active_directory"]),
    )

    # Unknown devices: seen lately by the scanner and AD, on no record.
    nu = est.n_unknown
    ku = 1 + (rng.random(nu) < 0.5)
    udev = np.repeat(np.arange(nu), ku)
    ur = np.arange(len(udev)) - np.repeat(np.r_[0, np.cumsum(ku)[:-1]], ku)
    u_last = np.repeat(rng.integers(0, 25, nu), ku)
    u_off = u_last + ur * 4
    u_src = np.where(ur == 0, _SRC["vuln_scanner"], _SRC["active_directory"])
    mu = len(udev)
    est.discovery_seen = (dev, seen_off)
    return demo_history.past_scans(
        est,
        _frame(  # plus scans over two years
            "discovery",
            {
                "source": _text(SOURCES, np.concatenate([source, u_src])),
                "seen_date": A - _days(np.concatenate([seen_off, u_off])),
                "hostname": pa.concat_arrays([host, _text(est.unknown_hosts, udev)]),
                "serial": pa.concat_arrays([serial, pa.nulls(mu, pa.string())]),
                "user": pa.concat_arrays([user, pa.nulls(mu, pa.string())]),
                "os": pa.concat_arrays([os_names, pa.array(["Windows"] * mu, pa.string())]),
                "os_version": pa.concat_arrays([versions, pa.array(["11 23H2"] * mu, pa.string())]),
            },
            m + mu,
        ),
        rng,
    )


# ----------------------------------------------------------------------- tickets


def _tickets(est: _Estate, rng: np.random.Generator) -> pd.DataFrame:
    S = STATUS
    A = est.A
    n = _n(2000, est.scale, 200)
    kind = _choice(rng, (0.45, 0.40, 0.05, 0.10), n)  # incident, request, rma, breakage
    day_off = rng.integers(0, 730, n)
    # At any scale: a few recent requests (two of them late) and recent RMAs.
    kind[:6] = [1, 1, 1, 1, 2, 2]
    day_off[:6] = [3, 10, 20, 45, 30, 100]
    hour = np.clip(rng.normal(12.5, 2.8, n), 0, 23.9)
    opened = (A - _days(day_off)).astype("datetime64[s]") + (hour * 3600).astype("int64").astype(
        "timedelta64[s]"
    )
    target = np.select(
        [kind == 0, kind == 1, kind == 2],
        [
            rng.choice([4.0, 8.0, 24.0, 72.0], n, p=[0.1, 0.3, 0.4, 0.2]),
            rng.choice([8.0, 24.0, 40.0, 72.0], n, p=[0.2, 0.4, 0.25, 0.15]),
            np.full(n, 120.0),
        ],
        48.0,
    )
    target = np.where(rng.random(n) < 0.04, np.nan, target)
    # Hours to resolve: lognormal around 45% of the target; about one in five late.
    target[:4] = 24.0
    hours = rng.lognormal(np.log(0.45 * np.nan_to_num(target, nan=24.0)), 0.9, n)
    hours[:4] = [30.0, 50.0, 5.0, 12.0]
    resolved = opened + (hours * 3600).astype("int64").astype("timedelta64[s]")
    end_of_a = (A + np.timedelta64(1, "D")).astype("datetime64[s]")
    open_now = (resolved >= end_of_a) | (rng.random(n) < 0.015)
    late = hours > np.nan_to_num(target, nan=np.inf)
    csat_p = np.where(late[:, None], [0.12, 0.18, 0.3, 0.25, 0.15], [0.02, 0.04, 0.12, 0.37, 0.45])
    csat = (rng.random(n)[:, None] > np.cumsum(csat_p, axis=1)).sum(axis=1) + 1
    has_csat = ~open_now & (rng.random(n) < 0.55)

    # What each ticket links to.
    link = rng.random(n)
    eu = np.flatnonzero(
        np.isin(est.cat, [CAT["laptop"], CAT["desktop"], CAT["tablet"], CAT["phone"]])
        & ~np.isin(est.status, [S["on_order"], S["in_stock"]])
    )
    mobile = np.flatnonzero(
        np.isin(est.cat, [CAT["laptop"], CAT["tablet"], CAT["phone"]])
        & ~np.isin(est.status, [S["on_order"], S["in_stock"]])
    )
    anything = np.flatnonzero(~np.isin(est.status, [S["on_order"]]))
    to_asset = ((kind == 0) & (link < 0.55)) | (kind >= 2)
    to_title = ((kind == 0) & (link >= 0.55) & (link < 0.8)) | ((kind == 1) & (link < 0.55))
    asset = np.select(
        [kind == 3, kind == 2],
        [mobile[rng.integers(0, len(mobile), n)], eu[rng.integers(0, len(eu), n)]],
        np.where(
            rng.random(n) < 0.8,
            eu[rng.integers(0, len(eu), n)],
            anything[rng.integers(0, len(anything), n)],
        ),
    )
    title = (rng.zipf(1.6, n) - 1) % len(est.titles)
    requester = np.where(
        to_asset & (est.assignee[asset] >= 0), est.assignee[asset], rng.integers(0, est.n_people, n)
    )
    warranty = est.warranty_end[asset] >= opened.astype("datetime64[D]")
    known_warranty = to_asset & ~np.isnat(est.warranty_end[asset]) & (est.own[asset] != 2)
    prefix = np.array(["INC", "REQ", "RMA", "BRK"])
    return _frame(
        "tickets",
        {
            "ticket_id": _numbered(_text(prefix, kind), np.arange(1, n + 1), max(7, len(str(n)))),
            "kind": _text(("incident", "request", "rma", "breakage"), kind),
            "opened": opened,
            "resolved": np.where(open_now, np.datetime64("NaT"), resolved),
            "asset_tag": _text(est.asset_tags, asset, to_asset),
            "title_id": _text(est.title_ids, title, to_title),
            "requester": _text(est.person_ids, requester),
            "target_hours": target,
            "csat": np.where(has_csat, csat, np.nan),
            "in_warranty": (warranty, known_warranty),
        },
        n,
    )


# ----------------------------------------------------- audits, security, progress


def _audits(est: _Estate, rng: np.random.Generator) -> pd.DataFrame:
    S = STATUS
    n = _n(600, est.scale, 60)
    pool = np.flatnonzero(np.isin(est.status, [S["deployed"], S["in_stock"], S["in_repair"]]))
    asset = pool[rng.integers(0, len(pool), n)]
    off = rng.integers(0, 730, n)
    method = _choice(rng, (0.5, 0.3, 0.2), n)
    key = _unique((off * est.n_assets + asset) * 3 + method)
    method, rest = key % 3, key // 3
    asset, off = rest % est.n_assets, rest // est.n_assets
    m = len(key)
    accurate = rng.random(m) < np.array([0.96, 0.94, 0.86])[method]
    # The assets remember their latest audit.
    latest = np.full(est.n_assets, np.iinfo("int64").max)
    np.minimum.at(latest, asset, off)
    audited = latest < np.iinfo("int64").max
    assets = est.frames["assets"]
    last = np.where(audited, est.A - _days(np.where(audited, latest, 0)), np.datetime64("NaT"))
    assets["last_audit_date"] = pd.Series(last.astype("datetime64[s]"))
    return _frame(
        "audits",
        {
            "audit_date": est.A - _days(off),
            "asset_tag": _text(est.asset_tags, asset),
            "method": _text(("tool_compare", "it_led", "user_led"), method),
            "record_accurate": accurate,
        },
        m,
    )


def _vendor_audits(est: _Estate, rng: np.random.Generator) -> pd.DataFrame:
    n = int(round(8 + 6 * est.scale**0.5))
    vendors = ("Microsoft", "Oracle", "Adobe", "IBM", "SAP", "Broadcom", "Autodesk", "Salesforce")
    vendor = rng.integers(0, len(vendors), n)
    start_off = rng.integers(0, 1100, n)
    start_off[:3] = [40, 150, 300]  # a recent one ongoing, two closed this year
    duration = rng.integers(30, 160, n)
    ongoing = start_off < duration
    ongoing[1:3] = False
    duration[1:3] = [60, 90]
    start = est.A - _days(start_off)
    hours = np.round(rng.uniform(15, 320, n), 1)
    true_up = _money(
        np.where(rng.random(n) < 0.75, rng.lognormal(np.log(35_000 * est.scale**0.5), 0.8, n), 0)
    )
    true_up[1] = max(true_up[1], 1000.0)
    return _frame(
        "vendor_audits",
        {
            "audit_id": _numbered("VA-", np.arange(1, n + 1), 3),
            "vendor": _text(vendors, vendor),
            "start_date": start,
            "end_date": np.where(ongoing, np.datetime64("NaT"), start + _days(duration)),
            "hours_spent": np.where(rng.random(n) < 0.9, hours, np.nan),
            "true_up_cost": true_up,
        },
        n,
    )


def _security_incidents(est: _Estate, rng: np.random.Generator) -> pd.DataFrame:
    n = int(round(10 + 25 * est.scale**0.6))
    off = rng.integers(0, 730, n)
    off[:2] = [20, 140]
    undiscovered = rng.random(n) < 0.3
    undiscovered[:2] = True
    unknown = rng.integers(0, est.n_unknown, n)
    named = np.flatnonzero(pc.is_valid(est.hostnames).to_numpy(zero_copy_only=False))
    known = named[rng.integers(0, len(named), n)]
    host = pc.if_else(
        pa.array(undiscovered),
        _text(est.unknown_hosts, unknown),
        pc.take(est.hostnames, pa.array(known)),
    )
    with_serial = ~undiscovered & (rng.random(n) < 0.5)
    return _frame(
        "security_incidents",
        {
            "incident_id": _numbered("SEC-", np.arange(1, n + 1), 4),
            "incident_date": est.A - _days(off),
            "hostname": host,
            "serial": _where(with_serial, pc.take(est.serials, pa.array(known))),
            "involved_undiscovered_asset": undiscovered,
        },
        n,
    )


def _roadmap(est: _Estate, rng: np.random.Generator) -> pd.DataFrame:
    items = [(ini, task) for ini, tasks in ROADMAP for task in tasks]
    n = len(items)
    status = _choice(rng, (0.25, 0.25, 0.42, 0.08), n)  # planned, in_progress, done, cancelled
    status[:4] = [0, 1, 2, 3]
    target_off = rng.integers(-200, 400, n)
    done_off = rng.integers(0, 300, n)
    it_people = np.flatnonzero(est.person_dept == 2)
    owner = (
        it_people[rng.integers(0, len(it_people), n)]
        if len(it_people)
        else rng.integers(0, est.n_people, n)
    )
    return _frame(
        "roadmap",
        {
            "item_id": _numbered("RM-", np.arange(1, n + 1), 3),
            "initiative": [i for i, _ in items],
            "task": [t for _, t in items],
            "owner": _text(est.person_ids, owner),
            "target_date": est.A + _days(target_off),
            "status": _text(("planned", "in_progress", "done", "cancelled"), status),
            "completed_date": np.where(status == 2, est.A - _days(done_off), np.datetime64("NaT")),
        },
        n,
    )


def _integrations(est: _Estate, rng: np.random.Generator) -> pd.DataFrame:
    n = len(INTEGRATIONS)
    since = [
        np.datetime64("NaT") if d is None else est.A - np.timedelta64(d, "D")
        for *_, d in INTEGRATIONS
    ]
    return _frame(
        "integrations",
        {
            "name": [r[0] for r in INTEGRATIONS],
            "source_system": [r[1] for r in INTEGRATIONS],
            "connected": [r[2] for r in INTEGRATIONS],
            "since": np.array(since, dtype="datetime64[D]"),
        },
        n,
    )


# ----------------------------------------------------------------------- writing


def build_demo(
    engine: Engine,
    as_of: dt.date | None = None,
    seed: int = 7,
    scale: float = 1.0,
    progress: Progress = None,
    variant: str = "standard",
) -> dict[str, int]:
    """Generate the estate and replace every package table with it; rows per table."""
    from dashboard import demo_finance  # cycle (see _fx_rates); variant "cfo": currencies, April FY

    as_of = as_of or dt.date.today()
    frames = generate(as_of, seed=seed, scale=scale, progress=progress)
    demo_finance.apply(variant, frames, as_of, seed)
    started = time.perf_counter()
    if progress:
        progress(f"writing {sum(len(f) for f in frames.values()):,} rows into the database")
    store.write_tables(engine, frames, replace=True)
    store.set_setting(engine, "demo_mode", "true")
    store.set_setting(engine, "demo_as_of", as_of.isoformat())
    store.set_setting(engine, "organisation", ORGANISATION)
    demo_finance.settle(engine, variant)
    store.mark_data_changed(engine)
    if progress:
        progress(f"written in {time.perf_counter() - started:.1f} s")
    demo_history.record_past(engine, as_of, seed, progress)  # the state metrics' past
    return {name: len(frame) for name, frame in frames.items()}


def small_demo(engine: Engine, as_of: dt.date) -> dict[str, int]:
    """A small fixed demo (scale 0.1, seed 7) for other tests: about 200 assets."""
    return build_demo(engine, as_of=as_of, seed=7, scale=0.1)
