"""Vendor names: "Dell Inc.", "DELL" and "Dell Technologies" are one vendor (issue 11, item 6).

A normalisation table maps a name as written to one vendor name. It is seeded
with the common manufacturers and publishers (SEED, in code) and edited by the
organisation (table `vendor_names`: its rows win over the seed; an empty vendor
switches a seeded entry off). Names are matched by `key`: case, punctuation and
a trailing legal form (Inc., Corp., GmbH, ...) do not count. The import applies
it to the vendor columns after validation and says what it changed (a note);
the text as written is kept in `vendor_originals`, by table, row key and column.
A value map (dashboard/valuemaps.py) on the same column applies first.
"""

from __future__ import annotations

import re

import pandas as pd
from sqlalchemy import Engine, text

from dashboard import schema
from dashboard.database import is_duckdb, raw_transaction

# The package's vendor columns: (table, column).
COLUMNS = (
    ("assets", "manufacturer"),
    ("assets", "supplier"),
    ("software", "publisher"),
    ("contracts", "vendor"),
    ("vendor_audits", "vendor"),
)
LEGAL_FORMS = {
    "inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited", "llc",
    "plc", "gmbh", "ag", "sa", "se", "bv", "nv", "oy", "ab", "srl", "spa", "kk", "pty", "lp",
}  # fmt: skip

# One vendor name -> the other ways it is written (the vendor's own name matches by key too).
SEED: dict[str, tuple[str, ...]] = {
    "Dell": ("Dell Inc.", "Dell Technologies", "Dell Computer Corporation", "Dell EMC"),
    "HP": ("HP Inc.", "Hewlett-Packard", "Hewlett Packard", "Hewlett-Packard Company"),
    # Canonical names are the short forms the demo and the public sample estate use.
    "HPE": ("Hewlett Packard Enterprise", "Hewlett Packard Enterprise Company"),
    "Lenovo": ("Lenovo Group Limited", "Lenovo (United States) Inc."),
    "Apple": ("Apple Inc.", "Apple Computer", "Apple Computer, Inc."),
    "Microsoft": ("Microsoft Corporation", "Microsoft Corp.", "MSFT"),
    "Adobe": ("Adobe Inc.", "Adobe Systems", "Adobe Systems Incorporated"),
    "Oracle": ("Oracle Corporation", "Oracle America, Inc."),
    "Cisco": ("Cisco Systems", "Cisco Systems, Inc."),
    "VMware": ("VMware, Inc.", "VMware by Broadcom"),
    "Broadcom": ("Broadcom Inc.",),
    "IBM": ("International Business Machines", "IBM Corporation"),
    "Samsung": ("Samsung Electronics", "Samsung Electronics Co., Ltd."),
    "Google": ("Google LLC", "Google Inc."),
    "AWS": ("Amazon Web Services", "Amazon Web Services, Inc.", "Amazon.com"),
    "Atlassian": ("Atlassian Pty Ltd", "Atlassian Corporation"),
    "Salesforce": ("salesforce.com", "Salesforce, Inc.", "salesforce.com, inc."),
    "SAP": ("SAP SE", "SAP AG"),
    "Intel": ("Intel Corporation",),
    "Acer": ("Acer Inc.", "Acer Incorporated"),
    "ASUS": ("ASUSTeK Computer Inc.", "ASUSTeK", "Asus"),
    "Autodesk": ("Autodesk, Inc.",),
    "Citrix": ("Citrix Systems", "Citrix Systems, Inc."),
    "Red Hat": ("Red Hat, Inc.",),
    "Zoom": ("Zoom Video Communications", "Zoom Video Communications, Inc."),
    "Mozilla": ("Mozilla Foundation", "Mozilla Corporation"),
    "Logitech": ("Logitech International", "Logitech Inc."),
    "Fujitsu": ("Fujitsu Limited", "Fujitsu Technology Solutions"),
    "Toshiba": ("Toshiba Corporation", "Dynabook"),
    "Canon": ("Canon Inc.",),
    "Xerox": ("Xerox Corporation", "Xerox Holdings"),
    "Brother": ("Brother Industries", "Brother Industries, Ltd."),
    "Epson": ("Seiko Epson", "Seiko Epson Corporation"),
    "Juniper": ("Juniper Networks", "Juniper Networks, Inc."),
    "Palo Alto Networks": ("Palo Alto Networks, Inc.",),
    "Fortinet": ("Fortinet, Inc.",),
    "NetApp": ("NetApp, Inc.",),
    "Netgear": ("NETGEAR, Inc.",),
    "Ubiquiti": ("Ubiquiti Inc.", "Ubiquiti Networks"),
    "Slack Technologies": ("Slack", "Slack Technologies, LLC"),
    "JetBrains": ("JetBrains s.r.o.",),
}


def key(name: object) -> str:
    """How names are matched: case-folded, punctuation as spaces, trailing legal forms dropped."""
    words = re.sub(r"[^\w]+", " ", str(name).casefold()).split()
    while len(words) > 1 and words[-1] in LEGAL_FORMS:
        words.pop()
    return " ".join(words)


def seed_rows() -> list[dict[str, str]]:
    rows = []
    for vendor, aliases in SEED.items():
        for alias in (vendor, *aliases):
            rows.append({"alias": alias, "vendor": vendor})
    return rows


def stored_rows(engine: Engine) -> list[dict[str, str]]:
    with engine.connect() as conn:
        found = conn.execute(text("SELECT alias, vendor FROM vendor_names ORDER BY alias_key"))
        return [{"alias": a, "vendor": v} for a, v in found]


def mapping(engine: Engine | None) -> dict[str, str]:
    """key(name as written) -> vendor; the organisation's rows win; '' switches an entry off."""
    out = {key(r["alias"]): r["vendor"] for r in seed_rows()}
    if engine is not None:
        out.update({key(r["alias"]): r["vendor"] for r in stored_rows(engine)})
    return {k: v for k, v in out.items() if v}


def table(engine: Engine) -> pd.DataFrame:
    """The whole table as the Data page edits it: name as written, vendor, where it comes from."""
    rows = {key(r["alias"]): {**r, "from": "built-in"} for r in seed_rows()}
    for r in stored_rows(engine):
        rows[key(r["alias"])] = {**r, "from": "yours"}
    frame = pd.DataFrame(list(rows.values()), columns=["alias", "vendor", "from"])
    return frame.sort_values(["vendor", "alias"], key=lambda s: s.str.casefold(), ignore_index=True)


def save(engine: Engine, rows: list[dict[str, str]]) -> int:
    """Store the rows that differ from the seed (the edited table); how many are stored.

    A seeded name left out of `rows` is switched off (stored with an empty vendor).
    """
    seeded = {key(r["alias"]): r for r in seed_rows()}
    wanted: dict[str, dict[str, str]] = {}
    for r in rows:
        alias, vendor = str(r.get("alias") or "").strip(), str(r.get("vendor") or "").strip()
        if alias:
            wanted[key(alias)] = {"alias": alias, "vendor": vendor}
    own = {k: r for k, r in wanted.items() if k not in seeded or seeded[k]["vendor"] != r["vendor"]}
    own.update(
        {k: {"alias": r["alias"], "vendor": ""} for k, r in seeded.items() if k not in wanted}
    )
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM vendor_names"))
        for k, r in own.items():
            conn.execute(
                text("INSERT INTO vendor_names (alias_key, alias, vendor) VALUES (:k, :a, :v)"),
                {"k": k, "a": r["alias"], "v": r["vendor"]},
            )
    return len(own)


# ------------------------------------------------------------------ at import


def normalise(
    frames: dict[str, pd.DataFrame], names: dict[str, str]
) -> tuple[pd.DataFrame, list[str]]:
    """Vendor columns of `frames` normalised in place; the originals kept, and notes."""
    originals, notes = [], []
    for table_name, column in COLUMNS:
        frame = frames.get(table_name)
        if frame is None or column not in frame or frame[column].isna().all():
            continue
        values = frame[column]
        uniques = values.dropna().unique()
        target = {v: names.get(key(v)) for v in uniques}
        target = {v: t for v, t in target.items() if t and t != v}
        if not target:
            continue
        changed = values.isin(list(target)).to_numpy()
        before = values[changed]
        after = before.map(target)
        originals.append(
            pd.DataFrame(
                {
                    "table_name": table_name,
                    "row_key": _row_keys(table_name, frame[changed]),
                    "column_name": column,
                    "original": before.to_numpy(),
                    "vendor": after.to_numpy(),
                }
            )
        )
        frame.loc[changed, column] = after.to_numpy()
        counts = before.value_counts()
        shown = ", ".join(f"{o!r} → {target[o]} ({n:,})" for o, n in counts.head(8).items())
        more = f" and {len(counts) - 8} more" if len(counts) > 8 else ""
        notes.append(
            f"{table_name}: {column} normalised by the vendor table: {shown}{more} "
            "(the text as written is kept)"
        )
    cols = ["table_name", "row_key", "column_name", "original", "vendor"]
    kept = pd.concat(originals, ignore_index=True) if originals else pd.DataFrame(columns=cols)
    return kept, notes


def _row_keys(table_name: str, frame: pd.DataFrame) -> list[str]:
    t = schema.table(table_name)
    parts = [
        frame[c].astype("str").fillna("") for c in t.key
    ]  # vectorised: a million rows in a second
    keys = parts[0] if len(parts) == 1 else parts[0].str.cat(parts[1:], sep="|")
    return keys.tolist()


def keep_originals(
    engine: Engine, originals: pd.DataFrame, written: list[str], replace: bool
) -> None:
    """Store the text as written for the rows just imported (in bulk, earlier originals replaced).

    The rows of `written` tables lose their earlier originals first (all of them with `replace`).
    """
    if originals.empty and not replace:
        return
    cols = "table_name, row_key, column_name, original, vendor"
    if is_duckdb(engine):
        with raw_transaction(engine) as cur:
            cur.register("_orig", originals)
            if replace and written:
                cur.execute("DELETE FROM vendor_originals WHERE table_name IN (SELECT unnest(?))",
                            [written])  # fmt: skip
            cur.execute(
                "DELETE FROM vendor_originals WHERE (table_name, row_key, column_name) IN "
                "(SELECT (table_name, row_key, column_name) FROM _orig)"
            )
            cur.execute(f"INSERT INTO vendor_originals ({cols}) SELECT {cols} FROM _orig")
        return
    rows = originals.to_dict("records")  # pragma: no cover (server databases)
    with engine.begin() as conn:
        for t in written if replace else []:
            conn.execute(text("DELETE FROM vendor_originals WHERE table_name = :t"), {"t": t})
        for r in rows:
            conn.execute(
                text("DELETE FROM vendor_originals WHERE table_name = :table_name AND row_key = "
                     ":row_key AND column_name = :column_name"), r)  # fmt: skip
        if rows:
            conn.execute(
                text("INSERT INTO vendor_originals VALUES (:table_name, :row_key, :column_name, "
                     ":original, :vendor)"), rows)  # fmt: skip


def originals_summary(engine: Engine) -> pd.DataFrame:
    """Names as written and the vendor they became, with how many rows (the Data page)."""
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT table_name, column_name, original, vendor, count(*) AS n_rows"
                " FROM vendor_originals GROUP BY table_name, column_name, original, vendor"
                " ORDER BY vendor, original"
            )
        ).fetchall()
    return pd.DataFrame(rows, columns=["table", "column", "as written", "vendor", "rows"])
