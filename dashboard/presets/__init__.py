"""Other tools' exports into the importer's raw stage: built-in presets and mapping profiles.

A preset reads a CSV as written (readers.read_package), finds that tool's
columns (one module per tool: snipeit, discovery (Intune, Jamf Pro,
Lansweeper), servicenow, cloud (AWS, Azure); listed in registry.REGISTRY),
and hands `RawSheet`s to the importer, which validates them like any upload.
Each RawSheet keeps the file's name, headers and row numbers, so an error
names the file's own row and column ("Status", not "status"). The tool's own
words (Snipe-IT's status labels) travel as the sheet's value map; words no map
knows are listed by the importer under `unmapped`: nothing is guessed.
"""

from __future__ import annotations

import datetime as dt
import inspect
import io
import json
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Engine
from sqlmodel import select

from dashboard import schema
from dashboard.importer import ImportResult, Progress, import_package
from dashboard.presets import discovery
from dashboard.presets import snipeit as snipeit_preset
from dashboard.presets.common import (
    Builder,
    Context,
    PresetError,
    Translated,
    position,
    strip_thousands,
    text,
)
from dashboard.presets.registry import REGISTRY, Preset
from dashboard.readers import RawSheet, Source, error, read_package
from dashboard.upload_checks import Limits, UploadRejected

__all__ = [
    "PRESETS",
    "PRESET_HINTS",
    "PRESET_LABELS",
    "Context",
    "Preset",
    "PresetError",
    "Profile",
    "Translated",
    "import_with_preset",
    "strip_thousands",
    "translate",
]

PRESETS = tuple(REGISTRY)
PRESET_LABELS = {name: p.label for name, p in REGISTRY.items()}
PRESET_HINTS = {name: p.hint for name, p in REGISTRY.items()}
# Kept for callers of the first wave.
SNIPEIT_STATUS = snipeit_preset.STATUS
SNIPEIT_CATEGORY = snipeit_preset.CATEGORY


def read_single_csv(
    source: Source, *, filename: str | None = None, limits: Limits | None = None, **options
) -> RawSheet:
    """The one CSV a preset reads (the importer's reader: encodings, limits, row numbers)."""
    sheets, _ = read_package(source, filename=filename, limits=limits, **options)
    if len(sheets) != 1 or sheets[0].kind != "csv":
        raise UploadRejected("a preset reads one .csv file")
    return sheets[0]


def snipeit(raw: RawSheet, known_people: set[str] | None = None) -> Translated:
    """A Snipe-IT export (assets, licenses or users, told from its headers)."""
    return snipeit_preset.translate(raw, Context(known_people=known_people or set()))


def intune(raw: RawSheet) -> Translated:
    return discovery.intune(raw)


# ------------------------------------------------------------------ mapping profiles


@dataclass(frozen=True)
class Profile:
    """A named mapping: which header of a CSV feeds which column of one package table."""

    name: str
    table: str
    mapping: dict[str, str]  # header as written -> package column
    constants: dict[str, str] = field(default_factory=dict)  # package column -> value
    # The profile's value map (file's column -> {as written: value}): the importer applies
    # it like a preset's own words, the user's --values over it.
    values: dict[str, dict[str, str]] = field(default_factory=dict)


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
    pos = position(raw)
    b, missing = Builder(raw, profile.table), []
    for header, column in profile.mapping.items():
        if not column:
            continue
        p = pos.get(header.strip().lower())
        if p is None:
            missing.append(header)
            continue
        b.add(raw.headers[p], column, text(raw, p))
    for column, value in profile.constants.items():
        b.constant(column, value)
    warns = [
        f"{raw.name}: profile {profile.name!r} maps a column {h!r} the file lacks" for h in missing
    ]
    mapped = {h.strip().lower() for h, c in profile.mapping.items() if c}
    warns += [
        f"{raw.name}: column {raw.headers[p]!r} ignored (not mapped)"
        for h, p in pos.items()
        if h not in mapped and raw.headers[p].strip()
    ]
    sheet = b.build(errors=list(raw.errors))
    if profile.values:
        sheet.value_map = {c: dict(p) for c, p in profile.values.items()}
    return Translated([sheet], warns)


def save_profile(engine: Engine, profile: Profile, user: str | None = None) -> None:
    """Create or replace a named profile (validated first)."""
    from dashboard.database import session
    from dashboard.models import ImportProfile

    problems = check_profile(profile)
    if problems:
        raise PresetError("; ".join(problems))
    with session(engine) as s:
        row = s.get(ImportProfile, profile.name.strip()) or ImportProfile(
            name=profile.name.strip(), table_name=""
        )
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
    return [
        Profile(r.name, r.table_name, json.loads(r.mapping), json.loads(r.constants)) for r in rows
    ]


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


def _stored(engine: Engine, sql: str) -> set[str]:
    from sqlalchemy import text

    with engine.connect() as conn:
        return {r[0] for r in conn.execute(text(sql))}


def context(engine: Engine, options=None) -> Context:
    """What a preset may know: stored people and titles, the user's value map and date order."""
    return Context(
        known_people=_stored(engine, "SELECT person_id FROM people"),
        known_titles=_stored(engine, "SELECT title_id FROM software"),
        values=dict(getattr(options, "values", None) or {}),
        date_order=getattr(options, "date_order", None),
        stored_people=lambda: _people(engine),
    )


def _people(engine: Engine) -> pd.DataFrame:
    from sqlalchemy import text

    sql = "SELECT person_id, department, cost_center, location, active FROM people"
    with engine.connect() as conn:
        return pd.DataFrame(
            conn.execute(text(sql)).fetchall(),
            columns=["person_id", "department", "cost_center", "location", "active"],
        )


def translate(engine: Engine, preset: str | Profile, raw: RawSheet, options=None) -> Translated:
    """`preset` is a built-in preset's name, the name of a stored mapping profile, or a Profile."""
    if isinstance(preset, Profile):
        return apply_profile(raw, preset)
    if preset in REGISTRY:
        return REGISTRY[preset].transform(raw, context(engine, options))
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
    options=None,
) -> ImportResult:
    """Read a CSV, translate it with `preset`, and import it like any package (atomic).

    `options` (dashboard.valuemaps.ImportOptions) carries the user's value map,
    defaults, date order and encoding to the reader, the preset and the importer.
    """
    name = filename or _name(source)
    try:
        raw = read_single_csv(source, filename=filename, limits=limits, **_reader_options(options))
        translated = translate(engine, preset, raw, options)
    except (UploadRejected, PresetError) as exc:
        return ImportResult(False, [error(name, None, None, None, str(exc))])
    extra = (
        {"options": options} if options is not None and _accepts(import_package, "options") else {}
    )
    result = import_package(
        engine,
        translated.sheets,
        filename=name,
        dry_run=dry_run,
        user=user,
        progress=progress,
        **extra,
    )
    result.warnings = translated.warnings + result.warnings
    return result


def import_history(engine: Engine, limit: int = 200) -> pd.DataFrame:
    """The Data page's history: who imported which file when, rows per table (newest first)."""
    from dashboard.database import session
    from dashboard.models import ImportLog

    with session(engine) as s:
        logs = s.exec(
            select(ImportLog)
            .order_by(ImportLog.created_at.desc(), ImportLog.id.desc())
            .limit(limit)
        ).all()
    out = []
    for log in logs:
        counts = json.loads(log.counts or "{}")
        out.append(
            {
                "when": log.created_at,
                "who": log.user,
                "file": log.file_name,
                "mode": log.mode,
                "inserted": sum(c.get("inserted", 0) for c in counts.values()),
                "updated": sum(c.get("updated", 0) for c in counts.values()),
                "unchanged": sum(c.get("unchanged", 0) for c in counts.values()),
                "tables": ", ".join(
                    f"{t} +{c.get('inserted', 0)}/~{c.get('updated', 0)}" for t, c in counts.items()
                ),
            }
        )
    return pd.DataFrame(
        out, columns=["when", "who", "file", "mode", "inserted", "updated", "unchanged", "tables"]
    )


def headers_of(
    source: Source, *, filename: str | None = None, limits: Limits | None = None
) -> list[str]:
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


def _accepts(func, name: str) -> bool:
    return name in inspect.signature(func).parameters


def _reader_options(options) -> dict:
    """The options for the reader (encoding, date order), in the form the reader takes them."""
    if options is None:
        return {}
    if _accepts(read_package, "options"):
        return {"options": options}
    return {
        k: getattr(options, k)
        for k in ("encoding", "date_order")
        if _accepts(read_package, k) and getattr(options, k, None) is not None
    }


def _name(source) -> str:
    if isinstance(source, (bytes, bytearray)):
        return "upload.csv"
    return str(getattr(source, "name", None) or source).rstrip("/").rsplit("/", 1)[-1]
