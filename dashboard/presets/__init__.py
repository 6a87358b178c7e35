"""Other tools' exports into the importer's raw stage: Snipe-IT, Intune, mapping profiles.

A preset reads a CSV as written (readers.read_package), translates the values
that tool writes in its own words (Snipe-IT's status labels and category
names, Intune's check-in timestamps) and hands `RawSheet`s to the importer,
which validates them like any upload. Each RawSheet keeps the file's name,
headers and row numbers, so an error names the file's own row and column
("Status", not "status"). A word a preset cannot translate is an error,
listed with its row: nothing is guessed and no lookup value is invented.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sqlalchemy import Engine
from sqlmodel import select

from dashboard import schema
from dashboard.importer import ImportResult, Progress, import_package
from dashboard.readers import RawSheet, Source, error, read_package
from dashboard.upload_checks import Limits, UploadRejected

# Snipe-IT's default status labels (and its status types) -> our status.
# "Ready to Deploy" is in_stock unless the asset is checked out to someone,
# which Snipe-IT itself shows as "Deployed".
SNIPEIT_STATUS = {
    "ready to deploy": "in_stock",
    "deployable": "in_stock",
    "deployed": "deployed",
    "pending": "on_order",
    "archived": "retired",
    "out for repair": "in_repair",
    "out for diagnostics": "in_repair",
    "broken - not fixable": "retired",
    "broken not fixable": "retired",
    "lost/stolen": "lost",
    "lost / stolen": "lost",
    "lost": "lost",
    "stolen": "stolen",
    "undeployable": "in_repair",
}
SNIPEIT_CATEGORY = {
    "laptop": "laptop", "laptops": "laptop", "notebook": "laptop", "notebooks": "laptop",
    "desktop": "desktop", "desktops": "desktop", "workstation": "desktop", "workstations": "desktop",
    "tablet": "tablet", "tablets": "tablet",
    "mobile phone": "phone", "mobile phones": "phone", "phone": "phone", "phones": "phone",
    "mobile device": "phone", "mobile devices": "phone", "smartphone": "phone", "smartphones": "phone",
    "monitor": "monitor", "monitors": "monitor", "display": "monitor", "displays": "monitor",
    "server": "server", "servers": "server",
    "network": "network", "networking": "network", "network/switches": "network",
    "switch": "network", "switches": "network", "router": "network", "routers": "network",
    "firewall": "network", "firewalls": "network", "access point": "network", "access points": "network",
    "storage": "storage", "nas": "storage", "san": "storage",
    "printer": "printer", "printers": "printer",
    "iot": "iot", "other": "other",
}  # fmt: skip

# Snipe-IT header (lower case) -> package column of assets.
SNIPEIT_ASSET_COLUMNS = {
    "asset tag": "asset_tag",
    "asset name": "hostname",
    "serial": "serial",
    "model": "model",
    "category": "category",
    "manufacturer": "manufacturer",
    "status": "status",
    "location": "location",
    "purchase date": "purchase_date",
    "purchase cost": "purchase_cost",
    "order number": "po_number",
    "supplier": "supplier",
    "warranty expires": "warranty_end",
    "notes": "notes",
    "checked out to: email": "assigned_to",
}
SNIPEIT_EMAIL = "checked out to: email"
SNIPEIT_NAME = "checked out to"

# Intune header (lower case) -> package column of discovery.
INTUNE_COLUMNS = {
    "device name": "hostname",
    "serial number": "serial",
    "primary user upn": "user",
    "last check-in": "seen_date",
    "os": "os",
    "os version": "os_version",
}

PRESETS = ("snipeit", "intune")
PRESET_LABELS = {"snipeit": "Snipe-IT asset export (CSV)", "intune": "Microsoft Intune device export (CSV)"}


class PresetError(ValueError):
    """The file cannot be read as this preset's format (a whole-file problem)."""


@dataclass
class Translated:
    """A preset's output: RawSheets for the importer, and what it noticed."""

    sheets: list[RawSheet]
    warnings: list[str] = field(default_factory=list)


# ------------------------------------------------------------------ reading


def read_single_csv(source: Source, *, filename: str | None = None, limits: Limits | None = None) -> RawSheet:
    """The one CSV a preset reads (the importer's reader: encodings, limits, row numbers)."""
    sheets, _ = read_package(source, filename=filename, limits=limits)
    if len(sheets) != 1 or sheets[0].kind != "csv":
        raise UploadRejected("a preset reads one .csv file")
    return sheets[0]


def _position(raw: RawSheet) -> dict[str, int]:
    """Header (trimmed, lower case) -> position; the first of repeated headers wins."""
    out: dict[str, int] = {}
    for pos, header in enumerate(raw.headers):
        out.setdefault(str(header).strip().lower(), pos)
    return out


def _text(raw: RawSheet, pos: int | None) -> pd.Series:
    """A column as trimmed text, NaN where blank."""
    if pos is None:
        return pd.Series([np.nan] * len(raw.data), dtype=object)
    s = raw.data[pos].astype("object").map(lambda v: str(v).strip() if isinstance(v, str) else v)
    return s.where(s.map(lambda v: isinstance(v, str) and v != ""), np.nan)


def _sheet(raw: RawSheet, table: str, headers: list[str], columns: list[str], data: dict[int, pd.Series],
           rows: np.ndarray, errors: list[dict]) -> RawSheet:
    frame = pd.DataFrame({i: s.reset_index(drop=True) for i, s in data.items()})
    return RawSheet(raw.name, headers, frame, rows, errors, raw.decimal_comma, raw.kind,
                    table=table, columns=columns)


def _translate(raw: RawSheet, pos: int, values: pd.Series, words: dict[str, str],
               what: str, errors: list[dict]) -> pd.Series:
    """Values through a word table (case-insensitive); the others are listed as errors."""
    header = raw.headers[pos]
    known = ", ".join(sorted(words))
    out = values.map(lambda v: words.get(str(v).lower()) if isinstance(v, str) else np.nan)
    for i in np.flatnonzero((values.notna() & out.isna()).to_numpy()):
        errors.append(error(raw.name, int(raw.rows[i]), header, values.iat[i],
                            f"unknown {what} (known, in any case: {known})"))
    return out


_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")


def strip_thousands(values: pd.Series) -> pd.Series:
    """`1,234.50` -> `1234.50` (Snipe-IT formats money); anything else is left to the validator."""
    return values.map(lambda v: v.replace(",", "") if isinstance(v, str) and _THOUSANDS.match(v) else v)


# ------------------------------------------------------------------ Snipe-IT


def snipeit(raw: RawSheet, known_people: set[str] | None = None) -> Translated:
    """A Snipe-IT asset export into `assets` and `people` RawSheets.

    People: one per distinct `Checked Out To: Email` (person_id = the e-mail in
    lower case, named from `Checked Out To` where present), except those already
    stored (`known_people`): a Snipe-IT export must not blank out the department
    and cost center an HR import gave a person.
    """
    pos = _position(raw)
    if "asset tag" not in pos:
        raise PresetError(f"{raw.name}: no 'Asset Tag' column: this is not a Snipe-IT asset export")
    errors = list(raw.errors)
    warns = [f"{raw.name}: column {raw.headers[p]!r} is not read by the Snipe-IT preset"
             for h, p in pos.items() if h not in SNIPEIT_ASSET_COLUMNS and h != SNIPEIT_NAME
             and raw.headers[p].strip()]
    headers, columns, data = [], [], {}
    email = _text(raw, pos.get(SNIPEIT_EMAIL)).map(lambda v: v.lower() if isinstance(v, str) else v)
    for key, column in SNIPEIT_ASSET_COLUMNS.items():
        if key not in pos:
            continue
        p = pos[key]
        values = _text(raw, p)
        if column == "status":
            values = _snipeit_status(raw, p, values, email, errors)
        elif column == "category":
            values = _translate(raw, p, values, SNIPEIT_CATEGORY, "Snipe-IT category", errors)
        elif column == "purchase_cost":
            values = strip_thousands(values)
        elif column == "assigned_to":
            values = email
        data[len(headers)] = values
        headers.append(raw.headers[p])
        columns.append(column)
    sheets = [_sheet(raw, "assets", headers, columns, data, raw.rows, errors)]
    people = _snipeit_people(raw, pos, email, known_people or set())
    if people is not None:
        sheets.append(people)
    return Translated(sheets, warns)


def _snipeit_status(raw: RawSheet, p: int, values: pd.Series, email: pd.Series,
                    errors: list[dict]) -> pd.Series:
    status = _translate(raw, p, values, SNIPEIT_STATUS, "Snipe-IT status label", errors)
    checked_out = email.notna()
    if SNIPEIT_NAME in _position(raw):
        checked_out |= _text(raw, _position(raw)[SNIPEIT_NAME]).notna()
    return status.mask((status == "in_stock") & checked_out, "deployed")


def _snipeit_people(raw: RawSheet, pos: dict[str, int], email: pd.Series,
                    known: set[str]) -> RawSheet | None:
    if SNIPEIT_EMAIL not in pos:
        return None
    names = _text(raw, pos.get(SNIPEIT_NAME))
    frame = pd.DataFrame({"email": email, "name": names, "row": raw.rows})
    frame = frame[frame["email"].notna() & ~frame["email"].isin(known)]
    first = frame.drop_duplicates("email", keep="first")
    if first.empty:
        return None
    headers = [raw.headers[pos[SNIPEIT_EMAIL]]]
    columns = ["person_id"]
    data = {0: first["email"]}
    if SNIPEIT_NAME in pos:
        headers.append(raw.headers[pos[SNIPEIT_NAME]])
        columns.append("name")
        data[1] = first["name"]
    return _sheet(raw, "people", headers, columns, data, first["row"].to_numpy(dtype=np.int64), [])


# ------------------------------------------------------------------ Intune


_CHECK_IN = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")


def intune(raw: RawSheet) -> Translated:
    """A Microsoft Intune device export into a `discovery` RawSheet (source `intune`).

    `Last check-in` gives seen_date (its date part, as written: the export's own
    time zone); text that is not an ISO timestamp is left to the validator, which
    rejects day-first or month-first dates as ambiguous.
    """
    pos = _position(raw)
    if "device name" not in pos and "serial number" not in pos:
        raise PresetError(f"{raw.name}: no 'Device name' or 'Serial number' column: "
                          "this is not an Intune device export")
    warns = [f"{raw.name}: column {raw.headers[p]!r} is not read by the Intune preset "
             "(discovery records keep hostname, serial, user, OS and version)"
             for h, p in pos.items() if h not in INTUNE_COLUMNS and raw.headers[p].strip()]
    headers, columns, data = [], [], {}
    for key, column in INTUNE_COLUMNS.items():
        if key not in pos:
            continue
        values = _text(raw, pos[key])
        if column == "seen_date":
            values = values.map(_check_in_date)
        data[len(headers)] = values
        headers.append(raw.headers[pos[key]])
        columns.append(column)
    data[len(headers)] = pd.Series(["intune"] * len(raw.data), dtype=object)
    headers.append("(source)")
    columns.append("source")
    return Translated([_sheet(raw, "discovery", headers, columns, data, raw.rows, list(raw.errors))], warns)


def _check_in_date(v):
    if not isinstance(v, str):
        return v
    m = _CHECK_IN.match(v)
    return m.group(1) if m else v


# ------------------------------------------------------------------ mapping profiles


@dataclass(frozen=True)
class Profile:
    """A named mapping: which header of a CSV feeds which column of one package table."""

    name: str
    table: str
    mapping: dict[str, str]  # header as written -> package column
    constants: dict[str, str] = field(default_factory=dict)  # package column -> value


def check_profile(profile: Profile) -> list[str]:
    """What is wrong with a profile (empty when it can be used)."""
    problems = []
    if not profile.name.strip():
        problems.append("a profile needs a name")
    if profile.name.strip().lower() in PRESETS:
        problems.append(f"{profile.name!r} is the name of a built-in preset")
    if profile.table not in schema.BY_NAME:
        return problems + [f"unknown table {profile.table!r}"]
    names = set(schema.table(profile.table).names)
    used = [c for c in profile.mapping.values() if c]
    for col in list(used) + list(profile.constants):
        if col not in names:
            problems.append(f"{col!r} is not a column of {profile.table}")
    twice = sorted({c for c in used if used.count(c) > 1} | (set(used) & set(profile.constants)))
    if twice:
        problems.append(f"mapped twice: {', '.join(twice)}")
    return problems


def apply_profile(raw: RawSheet, profile: Profile) -> Translated:
    """A CSV through a mapping profile (headers matched as written, trimmed, any case)."""
    problems = check_profile(profile)
    if problems:
        raise PresetError("; ".join(problems))
    pos = _position(raw)
    headers, columns, data, missing = [], [], {}, []
    for header, column in profile.mapping.items():
        if not column:
            continue
        p = pos.get(header.strip().lower())
        if p is None:
            missing.append(header)
            continue
        data[len(headers)] = _text(raw, p)
        headers.append(raw.headers[p])
        columns.append(column)
    for column, value in profile.constants.items():
        data[len(headers)] = pd.Series([value] * len(raw.data), dtype=object)
        headers.append(f"({column})")
        columns.append(column)
    warns = [f"{raw.name}: profile {profile.name!r} maps a column {h!r} the file lacks" for h in missing]
    mapped = {h.strip().lower() for h, c in profile.mapping.items() if c}
    warns += [f"{raw.name}: column {raw.headers[p]!r} ignored (not mapped)"
              for h, p in pos.items() if h not in mapped and raw.headers[p].strip()]
    return Translated([_sheet(raw, profile.table, headers, columns, data, raw.rows, list(raw.errors))], warns)


def save_profile(engine: Engine, profile: Profile, user: str | None = None) -> None:
    """Create or replace a named profile (validated first)."""
    from dashboard.database import session
    from dashboard.models import ImportProfile

    problems = check_profile(profile)
    if problems:
        raise PresetError("; ".join(problems))
    with session(engine) as s:
        row = s.get(ImportProfile, profile.name.strip()) or ImportProfile(name=profile.name.strip(), table_name="")
        row.table_name = profile.table
        row.mapping = json.dumps({k: v for k, v in profile.mapping.items() if v})
        row.constants = json.dumps(profile.constants)
        row.created_at = dt.datetime.now().replace(microsecond=0)
        row.created_by = user
        s.add(row)
        s.commit()


def list_profiles(engine: Engine) -> list[Profile]:
    from dashboard.database import session
    from dashboard.models import ImportProfile

    with session(engine) as s:
        rows = s.exec(select(ImportProfile).order_by(ImportProfile.name)).all()
    return [Profile(r.name, r.table_name, json.loads(r.mapping), json.loads(r.constants)) for r in rows]


def get_profile(engine: Engine, name: str) -> Profile | None:
    return next((p for p in list_profiles(engine) if p.name == name), None)


def delete_profile(engine: Engine, name: str) -> bool:
    from dashboard.database import session
    from dashboard.models import ImportProfile

    with session(engine) as s:
        row = s.get(ImportProfile, name)
        if row is None:
            return False
        s.delete(row)
        s.commit()
    return True


# ------------------------------------------------------------------ import


def _stored_people(engine: Engine) -> set[str]:
    from sqlalchemy import text

    with engine.connect() as conn:
        return {r[0] for r in conn.execute(text("SELECT person_id FROM people"))}


def translate(engine: Engine, preset: str | Profile, raw: RawSheet) -> Translated:
    """`preset` is snipeit, intune, the name of a stored mapping profile, or a Profile."""
    if isinstance(preset, Profile):
        return apply_profile(raw, preset)
    if preset == "snipeit":
        return snipeit(raw, _stored_people(engine))
    if preset == "intune":
        return intune(raw)
    profile = get_profile(engine, preset)
    if profile is None:
        known = ", ".join(list(PRESETS) + [p.name for p in list_profiles(engine)])
        raise PresetError(f"unknown preset or profile {preset!r} (known: {known})")
    return apply_profile(raw, profile)


def import_with_preset(
    engine: Engine,
    source: Source,
    preset: str | Profile,
    *,
    filename: str | None = None,
    dry_run: bool = False,
    limits: Limits | None = None,
    user: str | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Read a CSV, translate it with `preset`, and import it like any package (atomic)."""
    name = filename or _name(source)
    try:
        raw = read_single_csv(source, filename=filename, limits=limits)
        translated = translate(engine, preset, raw)
    except (UploadRejected, PresetError) as exc:
        return ImportResult(False, [error(name, None, None, None, str(exc))])
    result = import_package(engine, translated.sheets, filename=name, dry_run=dry_run,
                            user=user, progress=progress)
    result.warnings = translated.warnings + result.warnings
    return result


def import_history(engine: Engine, limit: int = 200) -> pd.DataFrame:
    """The Data page's history: who imported which file when, rows per table (newest first)."""
    from dashboard.database import session
    from dashboard.models import ImportLog

    with session(engine) as s:
        logs = s.exec(select(ImportLog).order_by(ImportLog.created_at.desc(), ImportLog.id.desc())
                      .limit(limit)).all()
    out = []
    for log in logs:
        counts = json.loads(log.counts or "{}")
        out.append({
            "when": log.created_at, "who": log.user, "file": log.file_name, "mode": log.mode,
            "inserted": sum(c.get("inserted", 0) for c in counts.values()),
            "updated": sum(c.get("updated", 0) for c in counts.values()),
            "unchanged": sum(c.get("unchanged", 0) for c in counts.values()),
            "tables": ", ".join(f"{t} +{c.get('inserted', 0)}/~{c.get('updated', 0)}" for t, c in counts.items()),
        })
    return pd.DataFrame(out, columns=["when", "who", "file", "mode", "inserted", "updated", "unchanged", "tables"])


def headers_of(source: Source, *, filename: str | None = None, limits: Limits | None = None) -> list[str]:
    """The header row of a CSV (the mapping step offers one choice per header)."""
    return [h for h in read_single_csv(source, filename=filename, limits=limits).headers]


def suggested_mapping(headers: list[str], table: str) -> dict[str, str]:
    """Headers that already name a column of `table` (ignoring case, spaces, dashes)."""
    from dashboard.importer import normalise_header

    names = set(schema.table(table).names)
    return {h: normalise_header(h) for h in headers if normalise_header(h) in names}


# Data rows a worksheet holds (the header takes one): beyond, the package is a .zip of CSVs.
SHEET_DATA_ROWS = 1_048_575


def package_bytes(engine: Engine) -> tuple[bytes, str]:
    """The whole data package for download: .xlsx, or a .zip of CSVs beyond a sheet's size."""
    import tempfile
    import zipfile
    from pathlib import Path

    from dashboard.exporter import ExportRefused, export_package

    with tempfile.TemporaryDirectory() as tmp:
        try:
            path = Path(tmp) / "itam-data-package.xlsx"
            export_package(engine, path)
            return path.read_bytes(), path.name
        except ExportRefused:
            folder = Path(tmp) / "csv"
            export_package(engine, folder)
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
                for f in sorted(folder.glob("*.csv")):
                    zf.write(f, f.name)
            return buf.getvalue(), "itam-data-package.zip"


def _name(source) -> str:
    if isinstance(source, (bytes, bytearray)):
        return "upload.csv"
    return str(getattr(source, "name", None) or source).rstrip("/").rsplit("/", 1)[-1]


Transform = Callable[[RawSheet], Translated]
