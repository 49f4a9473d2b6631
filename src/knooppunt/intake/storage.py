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

from .reading import UnreadableFile, read_table
from .validation import match_columns


def checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def strip_reporter_columns(profile, data: bytes, filename: str) -> tuple[bytes, str]:
    """The file as CSV (UTF-8) without the columns that could name a reporter."""
    try:
        table = read_table(data, filename)
    except UnreadableFile:
        return b"", filename
    columns = match_columns(profile, table.header)
    drop = set(columns.reporter_positions)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([h for i, h in enumerate(table.header) if i not in drop])
    try:
        for _line, cells in table.rows:
            writer.writerow(["" if c is None else c for i, c in enumerate(cells) if i not in drop])
    except UnreadableFile:
        pass
    stem = Path(filename).stem or "aanlevering"
    return out.getvalue().encode("utf-8"), f"{stem}-zonder-melder.csv"


def keep_original(delivery, data: bytes) -> str:
    """Write the (for anonymous profiles: stripped) file; return its path under MEDIA_ROOT."""
    name = delivery.original_name
    if delivery.profile.anonymous or delivery.profile.source_type.anonymous_by_default:
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
