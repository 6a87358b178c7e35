"""Checks made before any parser sees an upload (data-package.md, "Files and limits").

Parsers are where hostile files do their damage (a 16 MB xlsx can hold 266 MB
of XML and cost a minute and a gigabyte), so everything cheap that can refuse
a file is done first, from the zip directory and the first bytes only.
"""

from __future__ import annotations

import csv
import re
import zipfile
import zlib
from dataclasses import dataclass, replace
from pathlib import PurePosixPath

from dashboard import store

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Upload limits (settings; the CLI can raise them for one run)."""

    max_upload_mb: float = 50
    max_unpacked_mb: float = 300
    max_ratio: float = 100
    # A zip directory this long is itself an attack (and no package needs it).
    max_entries: int = 10_000
    # The widest package table has 31 columns; 10,000 columns drew 10,000 warnings.
    max_columns: int = 500

    def with_overrides(self, **kw) -> Limits:
        return replace(self, **{k: v for k, v in kw.items() if v is not None})

    @classmethod
    def from_settings(cls, engine) -> Limits:
        """The limits stored as settings (`max_upload_mb`, ...), else the defaults."""
        values = {}
        for name in ("max_upload_mb", "max_unpacked_mb", "max_ratio"):
            text = store.get_setting(engine, name)
            try:
                values[name] = float(text) if text else None
            except ValueError:  # a malformed setting falls back to the default
                values[name] = None
        text = store.get_setting(engine, "max_columns")
        values["max_columns"] = (
            int(text) if text and text.strip().isdigit() and int(text) > 0 else None
        )
        return cls().with_overrides(**values)


class UploadRejected(ValueError):
    """The upload as a whole is refused (before or while parsing)."""


_DRIVE = re.compile(r"^[A-Za-z]:")


def check_size(size: int, limits: Limits, what: str = "the upload") -> None:
    if size > limits.max_upload_mb * MB:
        raise UploadRejected(
            f"{what} is {size / MB:.1f} MB, over the upload limit of "
            f"{limits.max_upload_mb:g} MB (the max_upload_mb setting; "
            "the CLI can raise it with --max-upload-mb)"
        )


def unsafe_entry(name: str) -> bool:
    """True for a zip entry that could escape a folder: `..`, absolute, drive letter."""
    norm = name.replace("\\", "/")
    return (
        norm.startswith("/")
        or bool(_DRIVE.match(norm))
        or ".." in PurePosixPath(norm).parts
        or "\x00" in norm
    )


def check_zip(zf: zipfile.ZipFile, limits: Limits, what: str = "the zip") -> None:
    """Refuse a zip whose directory is hostile: traversal, bomb, too many entries."""
    infos = zf.infolist()
    if len(infos) > limits.max_entries:
        raise UploadRejected(f"{what} has {len(infos)} entries, more than {limits.max_entries}")
    total = 0
    for info in infos:
        if unsafe_entry(info.filename):
            raise UploadRejected(
                f"{what} contains the entry {info.filename!r}, a path outside its folder "
                "('..', an absolute path or a drive letter): refused"
            )
        if info.flag_bits & 0x1:
            raise UploadRejected(f"{what} contains an encrypted entry {info.filename!r}")
        total += info.file_size
        # A member of a few bytes can have any ratio; a bomb needs size.
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > limits.max_ratio and info.file_size > 64 * 1024:
            raise UploadRejected(
                f"{what}: the entry {info.filename!r} expands {ratio:.0f} times "
                f"({info.compress_size} bytes to {info.file_size}), over the "
                f"compression ratio limit of {limits.max_ratio:g} (a zip bomb?)"
            )
    if total > limits.max_unpacked_mb * MB:
        raise UploadRejected(
            f"{what} unpacks to {total / MB:.1f} MB, over the limit of "
            f"{limits.max_unpacked_mb:g} MB (the max_unpacked_mb setting; "
            "the CLI can raise it with --max-unpacked-mb)"
        )
    # Only after the sizes passed: the first lines of each CSV (a zip of CSVs) say its width.
    for info in infos:
        if info.filename.lower().endswith(".csv") and not info.is_dir():
            check_csv(_head(zf, info.filename, what), limits, f"{what}: {info.filename}")


def open_zip(data, what: str) -> zipfile.ZipFile:
    """A ZipFile over a path or file object, or UploadRejected when it is not one."""
    try:
        return zipfile.ZipFile(data)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise UploadRejected(f"{what} is not a valid zip archive ({exc})") from None


def check_xlsx(zf: zipfile.ZipFile, limits: Limits, what: str) -> None:
    check_zip(zf, limits, what)
    names = set(zf.namelist())
    if "xl/workbook.xml" not in names:
        raise UploadRejected(
            f"{what} is a zip archive but not an Excel workbook (no xl/workbook.xml)"
        )
    for name in sorted(n for n in names if _SHEET_XML.match(n)):
        check_columns(
            sheet_columns(zf, name), limits, f"{what}: sheet {name.rsplit('/', 1)[-1][:-4]}"
        )


# ------------------------------------------------------------------ columns

_SHEET_XML = re.compile(r"^xl/worksheets/[^/]+\.xml$")
_CELL_REF = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="([A-Z]{1,3})\d+"')
_CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")
_ROW_END = re.compile(rb"</(?:\w+:)?row>")
HEAD_BYTES = 4 * MB  # enough for the first row of any sheet within the column limit


def _head(zf: zipfile.ZipFile, name: str, what: str) -> bytes:
    """The first HEAD_BYTES of an entry (sizes already checked); a damaged entry is a refusal."""
    try:
        with zf.open(name) as f:
            return f.read(HEAD_BYTES)
    except (
        zipfile.BadZipFile,
        zlib.error,
        OSError,
        EOFError,
        NotImplementedError,
        RuntimeError,
    ) as exc:
        raise UploadRejected(f"{what}: the entry {name!r} cannot be read ({exc})") from None


def check_columns(count: int, limits: Limits, what: str) -> None:
    """One refusal for a file wider than the max_columns setting (not a warning per column)."""
    if count > limits.max_columns:
        raise UploadRejected(
            f"{what} has {count:,} columns, more than the limit of {limits.max_columns:,} "
            "(the max_columns setting; no package table has more than 31): refused"
        )


def column_number(letters: bytes | str) -> int:
    """Spreadsheet column letters as a number: A = 1, Z = 26, AA = 27."""
    n = 0
    for ch in letters.decode() if isinstance(letters, bytes) else letters:
        n = n * 26 + ord(ch.upper()) - 64
    return n


def sheet_columns(zf: zipfile.ZipFile, name: str, rows: int = 5) -> int:
    """A sheet's width from its first rows: their cell count or their rightmost cell reference,
    whichever is larger (the declared dimension is not trusted: it can be forged)."""
    head = _head(zf, name, "the workbook")
    start = head.find(b"<sheetData")
    if start < 0:
        return 0
    pos, widest = start, 0
    for _ in range(rows):
        end = _ROW_END.search(head, pos)
        row = head[pos : end.end() if end else len(head)]
        refs = [column_number(m) for m in _CELL_REF.findall(row)]
        widest = max(widest, len(_CELL.findall(row)), max(refs, default=0))
        if end is None:
            break
        pos = end.end()
    return widest


def csv_columns(data: bytes, lines: int = 5) -> int:
    """The widest of a CSV's first lines (a title block can precede the header)."""
    head = data[:HEAD_BYTES].decode("utf-8", errors="replace").lstrip("\ufeff")
    widest = 0
    for line in head.splitlines()[:lines]:
        sep = ";" if ";" in line and "," not in line else ","
        widest = max(widest, len(next(csv.reader([line], delimiter=sep), [])))
    return widest


def check_csv(data: bytes, limits: Limits, what: str) -> None:
    check_columns(csv_columns(data), limits, what)


def sniff(head: bytes) -> str:
    """What the first bytes say a file is: 'zip', 'ole' (old .xls), 'text' or 'binary'."""
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    return "text"
