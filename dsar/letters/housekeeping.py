"""Hooks for the housekeeping of ``dsar.reminders`` (``hooks.DELETE_EXPIRED``, ``PURGE_FILES``).

A closed request past its retention period keeps its record, not its personal data: the
letters' PDFs (name and address), the data items' files and records, the data packages' ZIPs
and the addresses the letters were emailed to are deleted or blanked. What proves a letter was
sent stays: its reference, kind, SHA-256, size and dates, and the audit trail. A data package's
ZIP is also deleted as soon as its link expires; its row stays, marked deleted.

Files are deleted inside the caller's transaction: if it rolls back, the rows still say "not
purged" and the next run deletes again (deleting a file that is already gone is no error).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dsar.letters import events
from dsar.letters.models import DataItem, DataPackage, DeliveryStatus, Letter, LetterDelivery
from dsar.requests.models import EventKind, PrivacyRequest

#: What a delivery that had not gone out yet records: it can no longer be sent.
NOT_SENT_PURGED = "not sent: the request's personal data was purged"


@transaction.atomic
def purge_request(request: PrivacyRequest, now: datetime.datetime | None = None) -> dict[str, int]:
    """Delete the letters' PDFs, data files and ZIPs of ``request``; blank delivery addresses.

    Idempotent: what was purged already is skipped, and a second run records no event. The
    event holds counts only, never a name or an address.
    """
    now = now or timezone.now()
    deliveries = LetterDelivery.objects.filter(letter__request=request)
    unsent = deliveries.filter(status__in=(DeliveryStatus.PENDING, DeliveryStatus.SENDING))
    counts = {
        "letters": Letter.objects.filter(request=request).purge_personal_data(now),
        "data_items": DataItem.objects.filter(request=request).purge_personal_data(now),
        "packages": DataPackage.objects.filter(request=request).delete_files(now),
        "deliveries_cancelled": unsent.update(
            status=DeliveryStatus.FAILED, last_error=NOT_SENT_PURGED, next_attempt_at=None
        ),
        "delivery_addresses": deliveries.filter(~Q(to="")).update(to="", last_error=""),
    }
    if any(counts.values()):
        events.record(
            request,
            EventKind.PURGED,
            summary=_("Letters' personal data purged"),
            actor_label="system",
            **counts,
        )
    return counts


def delete_expired(now: datetime.datetime | None = None) -> dict[str, Any]:
    """Delete the ZIPs of data packages whose link has expired; purge what a purge left behind.

    The second part catches closed requests past retention whose letters still hold personal
    data, e.g. requests purged before this hook existed (their own fields are blank already, so
    the purge of ``dsar.reminders`` does not visit them again).
    """
    from dsar.reminders.conf import reminder_settings

    now = now or timezone.now()
    with transaction.atomic():
        expired = DataPackage.objects.expired(now).delete_files(now)

    holds_data = (
        Exists(Letter.objects.filter(request=OuterRef("pk"), purged_at__isnull=True))
        | Exists(DataItem.objects.filter(request=OuterRef("pk"), purged_at__isnull=True))
        | Exists(DataPackage.objects.filter(request=OuterRef("pk"), file_deleted_at__isnull=True))
        | Exists(LetterDelivery.objects.filter(letter__request=OuterRef("pk")).exclude(to=""))
    )
    past_retention = PrivacyRequest.objects.closed().filter(
        holds_data, closed_at__lte=now - reminder_settings().purge_after
    )
    purged = 0
    for request in past_retention.order_by("pk"):
        purge_request(request, now)
        purged += 1
    return {"packages_expired": expired, "requests_purged": purged}
