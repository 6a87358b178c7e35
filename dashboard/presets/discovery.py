"""Management and discovery tools into `discovery`: Microsoft Intune, Jamf Pro, Lansweeper.

Each tool's export names the same few things its own way; a spec lists, per
package column, the headers (lower case) each tool writes, first match wins.
Timestamps keep their date as written (`2026-06-28 09:14:03` -> `2026-06-28`,
`6/28/2026 9:14 AM` -> `6/28/2026`): the importer reads the date and asks when
the order of day and month is not settled. Sources: docs/decisions.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.presets.common import (
    Builder,
    Context,
    PresetError,
    Translated,
    dates,
    first_of,
    pick,
    position,
    text,
    unread,
)
from dashboard.readers import RawSheet


@dataclass(frozen=True)
class Spec:
    tool: str  # as named in messages
    source: str  # discovery.source
    columns: dict[str, tuple[str, ...]]  # package column -> the tool's headers (lower case)

    def read(self) -> set[str]:
        return {h for names in self.columns.values() for h in names}


INTUNE = Spec("Intune", "intune", {
    "hostname": ("device name",),
    "serial": ("serial number",),
    "user": ("primary user upn", "primary user email address"),
    "seen_date": ("last check-in",),
    "os": ("os",),
    "os_version": ("os version",),
})  # fmt: skip
JAMF = Spec("Jamf Pro", "jamf", {
    "hostname": ("computer name",),
    "serial": ("serial number",),
    "user": ("email address", "username", "user name"),
    "seen_date": ("last check-in", "last inventory update", "last contact time"),
    "os": ("operating system", "operating system name"),
    "os_version": ("operating system version",),
})  # fmt: skip
LANSWEEPER = Spec("Lansweeper", "lansweeper", {
    "hostname": ("assetname", "asset name", "name"),
    "serial": ("serialnumber", "serial number", "serial"),
    "user": ("username", "user name", "last user"),
    "seen_date": ("lastseen", "last seen"),
    "os": ("osname", "os name", "os", "operating system"),
    "os_version": ("osversion", "os version", "version", "osbuild", "os build"),
})  # fmt: skip


def translate(raw: RawSheet, spec: Spec) -> Translated:
    """One discovery record per row (source = the tool)."""
    pos = position(raw)
    if pick(pos, *spec.columns["hostname"], *spec.columns["serial"]) is None:
        names = ", ".join(
            repr(h) for h in spec.columns["hostname"][:1] + spec.columns["serial"][:1]
        )
        raise PresetError(f"{raw.name}: no {names} column: this is not a {spec.tool} export")
    b = Builder(raw, "discovery")
    for column, names in spec.columns.items():
        present = [pos[n] for n in names if n in pos]
        if not present:
            continue
        # Cell by cell, the first column that has a value (Jamf: Last Check-in, else the
        # last inventory update; a user's e-mail, else the user name).
        values = first_of(*(text(raw, p) for p in present))
        fix = dates if column == "seen_date" else _user_fix if column == "user" else None
        b.add(raw.headers[present[0]], column, fix(values) if fix else values)
    b.constant("source", spec.source)
    warns = unread(raw, pos, spec.read(), spec.tool)
    if warns:
        warns = [
            w + " (discovery records keep hostname, serial, user, OS and version)" for w in warns
        ]
    return Translated([b.build(errors=list(raw.errors))], warns)


def _user_fix(values):
    """E-mail addresses (UPNs) compare in lower case, as person ids do; user names stay as written."""
    return values.map(lambda v: v.lower() if isinstance(v, str) and "@" in v else v)


def intune(raw: RawSheet, ctx: Context | None = None) -> Translated:
    return translate(raw, INTUNE)


def jamf(raw: RawSheet, ctx: Context | None = None) -> Translated:
    return translate(raw, JAMF)


def lansweeper(raw: RawSheet, ctx: Context | None = None) -> Translated:
    return translate(raw, LANSWEEPER)
