"""Keeping the delivered file under MEDIA_ROOT with its checksum.

For an anonymous profile the original is kept only after its reporter columns are
removed, so no reporter identity survives anywhere (see docs/aanleveringen.md).
"""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .reading import read_table
from .validation import REPORTER_FIELDS, match_columns, normalise_header


def checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def reporter_columns(profile, header: list[str]) -> set[int]:
    """Every column that could name a reporter: all aliases, duplicates included."""
    aliases = {
        normalise_header(alias)
        for field_name in REPORTER_FIELDS
        for alias in (profile.column_mapping or {}).get(field_name, [])
    }
    drop = {i for i, name in enumerate(header) if normalise_header(name) in aliases}
    return drop | set(match_columns(profile, header).reporter_positions)


def strip_reporter_columns(profile, data: bytes, filename: str) -> tuple[bytes, str]:
    """The file as CSV (UTF-8) without the columns that could name a reporter.

    Raises UnreadableFile when any part of the file cannot be read: a shortened copy
    would silently lose rows, so such a delivery is refused whole instead.
    """
    table = read_table(data, filename)
    drop = reporter_columns(profile, table.header)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([h for i, h in enumerate(table.header) if i not in drop])
    for _line, cells in table.rows:
        writer.writerow(["" if c is None else c for i, c in enumerate(cells) if i not in drop])
    stem = Path(filename).stem or "aanlevering"
    return out.getvalue().encode("utf-8"), f"{stem}-zonder-melder.csv"


def may_carry_anonymous_rows(profile) -> bool:
    """Anonymous profiles, and profiles whose rows name their own source (e.g. generic)."""
    mapping = profile.column_mapping or {}
    return bool(
        profile.anonymous
        or profile.source_type.anonymous_by_default
        or mapping.get("source_type")
        or mapping.get("is_anonymous")
    )


def keep_original(delivery, data: bytes) -> str:
    """Write the (for anonymous profiles: stripped) file; return its path under MEDIA_ROOT."""
    name = delivery.original_name
    if may_carry_anonymous_rows(delivery.profile):
        data, name = strip_reporter_columns(delivery.profile, data, name)
    safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in Path(name).name)[-80:]
    relative = Path("aanleveringen") / timezone.now().strftime("%Y/%m") / (
        f"{delivery.pk:08d}-{delivery.checksum[:12]}-{safe}")
    target = Path(settings.MEDIA_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return str(relative)


def read_kept(delivery) -> bytes:
    return (Path(settings.MEDIA_ROOT) / delivery.stored_file).read_bytes()


def kept_name(delivery) -> str:
    """The name to read the kept file by: a stripped copy is always CSV."""
    return Path(delivery.stored_file).name if delivery.stored_file else delivery.original_name
