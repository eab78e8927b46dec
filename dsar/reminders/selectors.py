"""Reads for the staff workspace: which reminders of a request went out, to whom, when."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from dsar.reminders.models import Notification, Reminder
from dsar.requests.models import PrivacyRequest


def reminders_for_request(request: PrivacyRequest) -> QuerySet[Reminder]:
    """The reminders of one request, oldest first, each with the emails that carried it
    (``reminder.notifications.all()``: recipient, status, sent_at, tries, last error)."""
    return (
        Reminder.objects.filter(request=request)
        .prefetch_related(
            Prefetch(
                "notifications",
                queryset=Notification.objects.select_related("user", "request").order_by("pk"),
            )
        )
        .order_by("claimed_at", "pk")
    )
