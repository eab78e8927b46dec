"""Reads of the conversation, for the request page, the status page and the evidence pack."""

from __future__ import annotations

from django.db.models import QuerySet

from dsar.correspondence.models import Message, MessageKind
from dsar.requests.models import PrivacyRequest


def conversation(request: PrivacyRequest) -> QuerySet[Message]:
    """Every message of the request, oldest first, with its files and author: three queries
    however many messages there are."""
    return (
        Message.objects.filter(request=request)
        .select_related("created_by")
        .prefetch_related("attachments")
        .order_by("created_at", "id")
    )


def for_requester(request: PrivacyRequest) -> QuerySet[Message]:
    """What the requester sees: the messages, not auto-replies or bounces of their mailbox."""
    return (
        Message.objects.filter(request=request, kind=MessageKind.NORMAL)
        .only("direction", "body_text", "received_at", "sent_at", "created_at", "request_id")
        .order_by("created_at", "id")
    )
