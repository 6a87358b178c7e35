"""The built-in presets: one entry per tool, from which the Data page's list and the CLI help derive."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dashboard.presets import cloud, discovery, servicenow, snipeit
from dashboard.presets.common import Context, Translated
from dashboard.readers import RawSheet


@dataclass(frozen=True)
class Preset:
    name: str  # --preset NAME
    label: str  # the Data page's choice
    feeds: str  # package tables it writes
    hint: str  # one line: where in the tool the file is exported
    transform: Callable[[RawSheet, Context], Translated]


REGISTRY: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset("snipeit", "Snipe-IT asset export (CSV)", "assets, people, software, entitlements",
               "Snipe-IT: Assets, Licenses or People → Export (CSV), Reports → Custom Asset Report, "
               "or a file in Snipe-IT's import format; the kind is told from the headers.",
               snipeit.translate),
        Preset("intune", "Microsoft Intune device export (CSV)", "discovery",
               "Intune admin center: Devices → All devices → Export (CSV).", discovery.intune),
        Preset("jamf", "Jamf Pro computer inventory (CSV)", "discovery",
               "Jamf Pro: Computers → Search Inventory (or an Advanced Computer Search) → Export → CSV.",
               discovery.jamf),
        Preset("lansweeper", "Lansweeper asset export (CSV)", "discovery",
               "Lansweeper: Assets (or an asset report) → Export → CSV.", discovery.lansweeper),
        Preset("servicenow", "ServiceNow hardware assets, alm_hardware (CSV)", "assets",
               "ServiceNow: Asset → Hardware Assets list → right-click a column header → Export → CSV.",
               servicenow.assets),
        Preset("aws", "AWS Cost and Usage Report (CSV)", "cloud_spend",
               "AWS Billing and Cost Management: Data Exports → a Cost and Usage Report (legacy or 2.0) "
               "in CSV, from its S3 bucket, unzipped.",
               cloud.aws),
        Preset("azure", "Azure cost management export (CSV)", "cloud_spend",
               "Azure portal: Cost Management → Exports → an actual-cost export (CSV), "
               "or Cost analysis → Download → CSV.",
               cloud.azure),
    )
}  # fmt: skip
