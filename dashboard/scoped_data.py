"""The data package for a scoped user: export only the rows in scope, import only rows in scope.

A user whose scope is `department = Finance` gets the package tables that carry
department, Finance's rows only; the tables that hang off assets (installs,
tickets, audits) for Finance's assets; the software titles those rows name.
Tables that cannot be tied to the scope (discovery, vendor audits, roadmap,
...) are left out rather than given whole.

On import every row of every table must lie in the scope (blank counts as
outside), a stored row may not be moved into it, and tables that cannot be
tied to the scope are refused: each refusal names the sheet, row and column.
Nothing is written unless every row passes (the importer's own transaction).
"""

from __future__ import annotations

import io
from collections.abc import Callable

import pandas as pd
from sqlalchemy import Engine, bindparam, text

from dashboard import exporter, schema
from dashboard.exporter import _xlsx_cell
from dashboard.importer import ImportResult, import_package, validate_sheets
from dashboard.permissions import Access, scope_text
from dashboard.presets import read_single_csv, translate
from dashboard.readers import RawSheet, error, read_package

Scope = dict[str, list[str]]
# Tables tied to assets by asset_tag: in scope when their asset is.
BY_ASSET = ("installs", "tickets", "audits")
# Tables whose stored rows have a natural key an upload could update from outside the scope.
NATURAL_KEYS = {"people": "person_id", "assets": "asset_tag", "entitlements": "entitlement_id",
                "contracts": "contract_id"}  # fmt: skip


# ------------------------------------------------------------------ which rows


def carries(table: schema.Table, scope: Scope) -> bool:
    """Whether every scoped dimension is a column of `table`."""
    return all(dim in table.names for dim in scope)


def _where(scope: Scope, params: dict, binds: list, alias: str = "") -> str:
    """`trim(dim) IN :p` for each scoped dimension (values bound, column names from the scope
    keys, which auth.clean_scope limits to department, cost_center, location)."""
    parts = []
    for i, (dim, values) in enumerate(sorted(scope.items())):
        name = f"scope_{i}"
        params[name] = list(values)
        binds.append(bindparam(name, expanding=True))
        parts.append(f'trim({alias}"{dim}") IN :{name}')
    return " AND ".join(parts) or "TRUE"


def _selection(table: schema.Table, scope: Scope, params: dict, binds: list) -> str | None:
    """The WHERE clause of `table`'s rows in scope, or None when the table cannot be tied to it."""
    assets = schema.table("assets")
    if carries(table, scope):
        return _where(scope, params, binds)
    if table.name in BY_ASSET and carries(assets, scope):
        return f"asset_tag IN (SELECT asset_tag FROM assets WHERE {_where(scope, params, binds)})"
    if table.name == "software":
        sources = [
            f"SELECT title_id FROM installs WHERE {_selection(schema.table('installs'), scope, params, binds)}"
        ]
        if carries(schema.table("entitlements"), scope):
            sources.append(
                f"SELECT title_id FROM entitlements WHERE {_where(scope, params, binds)}"
            )
        return "title_id IN (" + " UNION ".join(sources) + ")"
    return None


def frames_in_scope(engine: Engine, scope: Scope) -> dict[str, pd.DataFrame]:
    """Each package table that can be tied to `scope`, its rows in scope, in key order."""
    out = {}
    with engine.connect() as conn:
        for table in schema.TABLES:
            params: dict = {}
            binds: list = []
            where = _selection(table, scope, params, binds)
            if where is None:
                continue
            cols = ", ".join(f'"{c}"' for c in table.names)
            stmt = text(f'SELECT {cols} FROM "{table.name}" WHERE {where} ORDER BY "{table.pk}"')
            if binds:  # one bind per name (the software subqueries repeat the scope's)
                stmt = stmt.bindparams(*{b.key: b for b in binds}.values())
            rows = conn.execute(stmt, params).fetchall()
            out[table.name] = pd.DataFrame(rows, columns=list(table.names))
    return out


def package_bytes(engine: Engine, access: Access) -> tuple[bytes, str]:
    """The data package as `access` may have it: the whole one for an unscoped user, else the
    rows in scope (.xlsx, formula-like text neutralised as in every export)."""
    access.require("package_export")
    if not access.is_scoped:
        return exporter.package_bytes(engine)
    return _xlsx(frames_in_scope(engine, access.scope)), "itam-data-package.xlsx"


def _xlsx(frames: dict[str, pd.DataFrame]) -> bytes:
    # openpyxl only for a scoped .xlsx download (≈0.3 s to import)
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell  # as above

    wb = Workbook(write_only=True)
    for name, frame in frames.items():
        table = schema.table(name)
        ws = wb.create_sheet(name)
        ws.append(list(table.names))
        text_cols = [c.kind in (schema.TEXT, schema.ENUM) for c in table.columns]
        for row in frame.itertuples(index=False):
            ws.append(
                [
                    _xlsx_cell(ws, None if pd.isna(v) else v, t, WriteOnlyCell)
                    for v, t in zip(row, text_cols, strict=True)
                ]
            )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ------------------------------------------------------------------ import


def scope_errors(engine: Engine, sheets: list[RawSheet], scope: Scope) -> list[dict]:
    """Every row of `sheets` outside `scope`, as import errors (sheet, row, column, value, reason).

    Sheets with other problems are left to the importer, which reports those first.
    """
    checked = validate_sheets(sheets, engine, consume=False)
    if checked.errors:
        return []
    where = scope_text(scope)
    out: list[dict] = []
    for name, frame in checked.frames.items():
        sheet, rows, table = checked.sheets[name], checked.rows[name], schema.table(name)
        if not carries(table, scope):
            dims = " and ".join(d.replace("_", " ") for d in scope)
            out.append(
                error(
                    sheet,
                    None,
                    None,
                    None,
                    f"table {name} has no {dims} column, so its rows cannot "
                    f"be checked against your scope ({where}): ask an unscoped asset manager or an "
                    "admin to import it",
                )
            )
            continue
        out += _outside(frame, rows, sheet, scope, where)
        out += _moved_in(engine, name, frame, rows, sheet, scope, where)
    return out


def _outside(frame: pd.DataFrame, rows, sheet: str, scope: Scope, where: str) -> list[dict]:
    out = []
    for dim, allowed in scope.items():
        values = (
            frame[dim].astype("object")
            if dim in frame
            else pd.Series(None, index=frame.index, dtype=object)
        )
        bad = ~values.map(lambda v, ok=frozenset(allowed): isinstance(v, str) and v.strip() in ok)
        for i in bad[bad].index:
            value = values[i] if isinstance(values[i], str) else None
            out.append(error(sheet, int(rows[i]), dim, value, f"outside your scope ({where})"))
    return out


def _moved_in(
    engine: Engine, name: str, frame: pd.DataFrame, rows, sheet: str, scope: Scope, where: str
) -> list[dict]:
    """Rows that would update a stored row lying outside the scope (taking it over)."""
    key = NATURAL_KEYS.get(name)
    if key is None or frame.empty:
        return []
    params: dict = {"keys": [str(k) for k in frame[key].dropna().unique()]}
    binds = [bindparam("keys", expanding=True)]
    inside = _where(scope, params, binds)
    stmt = text(
        f'SELECT "{key}" FROM "{name}" WHERE "{key}" IN :keys AND NOT ({inside})'
    ).bindparams(*binds)
    with engine.connect() as conn:
        theirs = {str(r[0]) for r in conn.execute(stmt, params)}
    return [
        error(
            sheet,
            int(rows[i]),
            key,
            str(v),
            f"this {name} row is stored outside your scope ({where})",
        )
        for i, v in frame[key].items()
        if str(v) in theirs
    ]


def reader(engine: Engine, data: bytes, filename: str, limits, preset=None, options=None):
    """What `import_in_scope` reads: a package, or one CSV translated by a preset or profile
    (`options`: the user's ImportOptions, of which the reader takes the encoding and a
    preset the value map, as for an unscoped import)."""
    encoding = getattr(options, "encoding", None)

    def read() -> tuple[list[RawSheet], list[str]]:
        if preset is None:
            return read_package(data, filename=filename, limits=limits, encoding=encoding)
        raw = read_single_csv(data, filename=filename, limits=limits, encoding=encoding)
        done = translate(engine, preset, raw, options)
        return done.sheets, done.warnings

    return read


def import_in_scope(
    engine: Engine,
    access: Access,
    read: Callable[[], tuple[list[RawSheet], list[str]]],
    *,
    filename: str,
    replace: bool = False,
    dry_run: bool = False,
    user: str | None = None,
    progress=None,
    options=None,
):
    """Import the sheets `read()` gives (an upload, read and translated) for a scoped user.

    `read` raises what the readers raise for a refused upload; that becomes one error.
    `options` (ImportOptions): the value map, defaults and date order, as for anyone.
    """
    access.require("package_import")
    if replace:
        return ImportResult(
            False,
            [
                error(
                    filename,
                    None,
                    None,
                    None,
                    "replace mode empties whole tables, rows "
                    "outside your scope too: import as an update",
                )
            ],
        )
    try:
        sheets, warnings = read()
    except (ValueError, KeyError, IndexError, TypeError, OSError, EOFError) as exc:
        return ImportResult(False, [error(filename, None, None, None, str(exc))])
    problems = scope_errors(engine, sheets, access.scope)
    if problems:
        return ImportResult(False, problems, warnings, dry_run=dry_run)
    result = import_package(
        engine,
        sheets,
        filename=filename,
        dry_run=dry_run,
        user=user,
        progress=progress,
        options=options,
    )
    result.warnings = warnings + result.warnings
    return result
