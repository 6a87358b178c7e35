"""Checks made before any parser sees an upload (data-package.md, "Files and limits").

Parsers are where hostile files do their damage (a 16 MB xlsx can hold 266 MB
of XML and cost a minute and a gigabyte), so everything cheap that can refuse
a file is done first, from the zip directory and the first bytes only.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, replace
from pathlib import PurePosixPath

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Upload limits (settings; the CLI can raise them for one run)."""

    max_upload_mb: float = 50
    max_unpacked_mb: float = 300
    max_ratio: float = 100
    # A zip directory this long is itself an attack (and no package needs it).
    max_entries: int = 10_000

    def with_overrides(self, **kw) -> Limits:
        return replace(self, **{k: v for k, v in kw.items() if v is not None})

    @classmethod
    def from_settings(cls, engine) -> Limits:
        """The limits stored as settings (`max_upload_mb`, ...), else the defaults."""
        from dashboard import store

        values = {}
        for name in ("max_upload_mb", "max_unpacked_mb", "max_ratio"):
            text = store.get_setting(engine, name)
            try:
                values[name] = float(text) if text else None
            except ValueError:  # a malformed setting falls back to the default
                values[name] = None
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


def sniff(head: bytes) -> str:
    """What the first bytes say a file is: 'zip', 'ole' (old .xls), 'text' or 'binary'."""
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    return "text"
