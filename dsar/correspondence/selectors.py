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


#: How many of the latest messages the request page shows until staff ask for all of them: a long
#: conversation (hundreds of messages) would otherwise cost the page its time target
#: (bench/request_page.py); the evidence pack and the status page always hold every message.
PAGE_MESSAGES = 20


def latest(request: PrivacyRequest, limit: int = PAGE_MESSAGES) -> tuple[list[Message], bool]:
    """The last ``limit`` messages of the request, oldest first, and whether earlier ones were
    left out: one more row is read to know, so no count is needed (three queries)."""
    newest_first = list(conversation(request).order_by("-created_at", "-id")[: limit + 1])
    return newest_first[:limit][::-1], len(newest_first) > limit


def for_requester(request: PrivacyRequest) -> QuerySet[Message]:
    """What the requester sees: the messages, not auto-replies or bounces of their mailbox."""
    return (
        Message.objects.filter(request=request, kind=MessageKind.NORMAL)
        .only("direction", "body_text", "received_at", "sent_at", "created_at", "request_id")
        .order_by("created_at", "id")
    )
