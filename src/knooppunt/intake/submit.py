"""Accepting a file: record the delivery, keep the original, run it now or queue it."""

from __future__ import annotations

from django.conf import settings

from . import importer
from .models import Delivery, DeliveryStatus
from .reading import Source, UnreadableFile
from .storage import checksum, keep_original, size_of


def submit(*, profile, organisation, user, data: Source, filename: str, channel: str = "web",
           inline: bool | None = None, is_synthetic: bool = False, progress=None) -> Delivery:
    """Create the delivery; small files (or `inline=True`) are processed at once.

    `data`: the file's bytes, or the path of the file on disk (an upload Django streamed
    to a temporary file, a file named on the command line); a path is hashed, kept and
    read in pieces, never whole into memory.
    """
    digest = checksum(data)
    size = size_of(data)
    earlier = (
        Delivery.objects.filter(profile=profile, organisation=organisation, checksum=digest,
                                status=DeliveryStatus.ACCEPTED)
        .order_by("created_at").first()
    )
    if inline is None:
        inline = size <= settings.KNOOPPUNT_INLINE_IMPORT_BYTES
    # Created as running, so no worker can claim it before its file is kept (or while it
    # runs inline); a queued delivery becomes claimable only once its file is on disk.
    delivery = Delivery.objects.create(
        profile=profile, organisation=organisation, delivered_by=user,
        delivered_by_name=user.get_username() if user else "", channel=channel,
        original_name=(filename or "aanlevering.csv")[-255:], checksum=digest, size=size,
        duplicate_of=earlier, is_synthetic=is_synthetic, status=DeliveryStatus.RUNNING,
    )
    try:
        delivery.stored_file = keep_original(delivery, data)
    except UnreadableFile as exc:
        # Reporter columns could not be removed from an unreadable file: keep nothing of it.
        delivery.save(update_fields=["stored_file"])
        return importer.refuse_unreadable(delivery, str(exc), exc.line)
    delivery.save(update_fields=["stored_file"])
    if inline:
        importer.run(delivery, data, progress=progress)
    else:
        Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.QUEUED)
        delivery.status = DeliveryStatus.QUEUED
    return delivery
