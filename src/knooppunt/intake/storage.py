"""Keeping the delivered file under MEDIA_ROOT with its checksum.

For a profile whose rows may be anonymous the original is not kept: a copy is, holding
only the columns the profile maps to a signal field other than a reporter field (an
allow-list, decision 0031). A column the profile does not know - `Naam tipgever`,
`Telefoonnummer melder`, whatever a partner adds - is never written, so no reporter
identity survives under a name nobody foresaw (see docs/aanleveringen.md).
Files are hashed and copied in pieces: an upload on disk is never read whole into memory.
"""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
from pathlib import Path
from typing import TextIO

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .reading import Source, UnreadableFile, open_source, read_table
from .validation import (
    REPORTER_FIELDS,
    match_columns,
    normalise_header,
    record_errors,
    record_rules,
)


def checksum(source: Source) -> str:
    """SHA-256 of the file, read in pieces."""
    with open_source(source) as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def size_of(source: Source) -> int:
    return len(source) if isinstance(source, bytes) else Path(source).stat().st_size


def reporter_columns(profile, header: list[str]) -> set[int]:
    """Every column that could name a reporter: all aliases, duplicates included."""
    aliases = {
        normalise_header(alias)
        for field_name in REPORTER_FIELDS
        for alias in (profile.column_mapping or {}).get(field_name, [])
    }
    drop = {i for i, name in enumerate(header) if normalise_header(name) in aliases}
    return drop | set(match_columns(profile, header).reporter_positions)


def kept_columns(profile, header: list[str]) -> list[int]:
    """The positions an anonymous-capable copy keeps, in file order: the columns the
    profile maps to a signal field (details included), never a reporter column.

    An allow-list: a column is kept because the profile reads it, not because its name
    is missing from a list of reporter names.
    """
    columns = match_columns(profile, header)
    mapped = set(columns.index.values()) | {pos for _label, pos in columns.details}
    return sorted(mapped - reporter_columns(profile, header))


def write_without_reporter_columns(profile, source: Source, filename: str,
                                   out: TextIO) -> str:
    """Write the file as CSV (UTF-8) with only the mapped non-reporter columns
    (`kept_columns`); return the name of the copy.

    Raises UnreadableFile when any part of the file cannot be read: a shortened copy
    would silently lose rows, so such a delivery is refused whole instead.
    """
    table = read_table(source, filename)
    keep = kept_columns(profile, table.header)
    # A record the importer would refuse is refused here, with the original's line: the
    # copy cannot show it (its columns are fewer, its cells re-quoted).
    rules = (record_rules(profile, table.header, match_columns(profile, table.header),
                          table.delimiter) if table.width is not None else None)
    writer = csv.writer(out, delimiter=";")
    writer.writerow([table.header[i] for i in keep])
    for line, cells in table.rows:
        broken = rules and record_errors(line, cells, rules)
        if broken:
            column = f" ({broken[0].column})" if broken[0].column else ""
            raise UnreadableFile(_("Regel %(line)d%(column)s: %(reason)s") % {
                "line": line, "column": column, "reason": broken[0].reason}, line)
        count = len(cells)
        writer.writerow(["" if i >= count or cells[i] is None else cells[i] for i in keep])
    stem = Path(filename).stem or "aanlevering"
    return f"{stem}-zonder-melder.csv"


def strip_reporter_columns(profile, data: Source, filename: str) -> tuple[bytes, str]:
    """The stripped copy (see write_without_reporter_columns) as bytes, and its name."""
    out = io.StringIO()
    name = write_without_reporter_columns(profile, data, filename, out)
    return out.getvalue().encode("utf-8"), name


def may_carry_anonymous_rows(profile) -> bool:
    """Anonymous profiles, and profiles whose rows name their own source (e.g. generic)."""
    mapping = profile.column_mapping or {}
    return bool(
        profile.anonymous
        or profile.source_type.anonymous_by_default
        or mapping.get("source_type")
        or mapping.get("is_anonymous")
    )


def _target(delivery, name: str) -> tuple[Path, str]:
    safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in Path(name).name)[-80:]
    relative = Path("aanleveringen") / timezone.now().strftime("%Y/%m") / (
        f"{delivery.pk:08d}-{delivery.checksum[:12]}-{safe}")
    target = Path(settings.MEDIA_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    return target, str(relative)


def keep_original(delivery, source: Source) -> str:
    """Write the (for anonymous profiles: stripped) file; return its path under MEDIA_ROOT."""
    name = delivery.original_name
    if may_carry_anonymous_rows(delivery.profile):
        # Written beside its final place first: nothing unreadable is kept half.
        stem = Path(name).stem or "aanlevering"
        target, relative = _target(delivery, f"{stem}-zonder-melder.csv")
        partial = target.with_name(target.name + ".deel")
        try:
            with partial.open("w", encoding="utf-8", newline="") as out:
                write_without_reporter_columns(delivery.profile, source, name, out)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        partial.replace(target)
        return relative
    target, relative = _target(delivery, name)
    with open_source(source) as handle, target.open("wb") as out:
        shutil.copyfileobj(handle, out, 1024 * 1024)
    return relative


def kept_path(delivery) -> Path:
    return Path(settings.MEDIA_ROOT) / delivery.stored_file


def read_kept(delivery) -> bytes:
    """The kept file's bytes (for tests and small files; the importer reads kept_path)."""
    return kept_path(delivery).read_bytes()


def kept_name(delivery) -> str:
    """The name to read the kept file by: a stripped copy is always CSV."""
    return Path(delivery.stored_file).name if delivery.stored_file else delivery.original_name
