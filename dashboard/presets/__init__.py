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
import json
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Engine
from sqlalchemy import text as sql_text
from sqlmodel import select

from dashboard import schema
from dashboard.database import session
from dashboard.importer import ImportResult, Progress, import_package, normalise_header
from dashboard.models import ImportProfile
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
    "REGISTRY",
    "Context",
    "Preset",
    "PresetError",
    "Profile",
    "Translated",
    "import_with_preset",
    "strip_thousands",
    "translate",
]

PRESETS = tuple(REGISTRY)  # the names (`import` tells a preset's saved value map by them)
# The Data page's formats besides the presets and profiles (keys of `formats`).
PACKAGE = "package"
MAPPING = "mapping"


def read_single_csv(
    source: Source, *, filename: str | None = None, limits: Limits | None = None, **options
) -> RawSheet:
    """The one CSV a preset reads (the importer's reader: encodings, limits, row numbers)."""
    sheets, _ = read_package(source, filename=filename, limits=limits, **options)
    if len(sheets) != 1 or sheets[0].kind != "csv":
        raise UploadRejected("a preset reads one .csv file")
    return sheets[0]


def formats(profiles: list[Profile]) -> dict[str, str]:
    """The Data page's choice of format, key -> label: the package, every built-in preset
    (read from the registry on each call), each saved mapping profile, mapping another CSV."""
    return {
        PACKAGE: "ITAM data package (.xlsx, <table>.csv, .zip of CSVs)",
        **{name: preset.label for name, preset in REGISTRY.items()},
        **{f"profile:{p.name}": f"Mapping profile “{p.name}” → {p.table} (CSV)" for p in profiles},
        MAPPING: "Another CSV: map its columns",
    }


def hint(kind: str) -> str | None:
    """Where in its tool a preset's file is exported (None for other formats)."""
    preset = REGISTRY.get(kind)
    return preset.hint if preset else None


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
    if profile.name.strip().lower() in REGISTRY:
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
    with session(engine) as s:
        rows = s.exec(select(ImportProfile).order_by(ImportProfile.name)).all()
    return [
        Profile(r.name, r.table_name, json.loads(r.mapping), json.loads(r.constants)) for r in rows
    ]


def get_profile(engine: Engine, name: str) -> Profile | None:
    return next((p for p in list_profiles(engine) if p.name == name), None)


def delete_profile(engine: Engine, name: str) -> bool:
    with session(engine) as s:
        row = s.get(ImportProfile, name)
        if row is None:
            return False
        s.delete(row)
        s.commit()
    return True


# ------------------------------------------------------------------ import


def _stored(engine: Engine, sql: str) -> set[str]:
    with engine.connect() as conn:
        return {r[0] for r in conn.execute(sql_text(sql))}


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
    sql = "SELECT person_id, department, cost_center, location, active FROM people"
    with engine.connect() as conn:
        return pd.DataFrame(
            conn.execute(sql_text(sql)).fetchall(),
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
        known = ", ".join(list(REGISTRY) + [p.name for p in list_profiles(engine)])
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
    result = import_package(
        engine,
        translated.sheets,
        filename=name,
        dry_run=dry_run,
        user=user,
        progress=progress,
        options=options,
    )
    result.warnings = translated.warnings + result.warnings
    return result


def headers_of(
    source: Source, *, filename: str | None = None, limits: Limits | None = None
) -> list[str]:
    """The header row of a CSV (the mapping step offers one choice per header)."""
    return [h for h in read_single_csv(source, filename=filename, limits=limits).headers]


def suggested_mapping(headers: list[str], table: str) -> dict[str, str]:
    """Headers that already name a column of `table` (ignoring case, spaces, dashes)."""
    names = set(schema.table(table).names)
    return {h: normalise_header(h) for h in headers if normalise_header(h) in names}


def _reader_options(options) -> dict:
    """The options the reader takes (the encoding)."""
    encoding = getattr(options, "encoding", None)
    return {"encoding": encoding} if encoding else {}


def _name(source) -> str:
    if isinstance(source, (bytes, bytearray)):
        return "upload.csv"
    return str(getattr(source, "name", None) or source).rstrip("/").rsplit("/", 1)[-1]
