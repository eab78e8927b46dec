"""Reads of the conversation, for the request page, the status page and the evidence pack."""

from __future__ import annotations

from django.db.models import QuerySet

from dsar.correspondence.models import Attachment, Message, MessageKind
from dsar.lib.json_rows import instances, json_rows
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
#: What the request page shows of each file (no path: files are served by their id).
PAGE_FILE_FIELDS = ["id", "message_id", "filename", "content_type", "size"]


def for_page(request: PrivacyRequest, *, everything: bool = False) -> tuple[list[Message], bool]:
    """The request page's messages, oldest first, each with its ``files``, and whether earlier
    ones were left out: the last ``PAGE_MESSAGES`` unless ``everything``. One more row is read
    to know, so no count is needed; the files come in the same query (``dsar.lib.json_rows``),
    so the panel costs one query however many messages and files there are."""
    messages = (
        Message.objects.filter(request=request)
        .select_related("created_by")
        .annotate(file_rows=json_rows(Attachment, "message", PAGE_FILE_FIELDS))
    )
    if everything:
        shown, earlier = list(messages.order_by("created_at", "id")), False
    else:
        newest_first = list(messages.order_by("-created_at", "-id")[: PAGE_MESSAGES + 1])
        shown, earlier = newest_first[:PAGE_MESSAGES][::-1], len(newest_first) > PAGE_MESSAGES
    for message in shown:
        message.files = instances(Attachment, message.file_rows)  # type: ignore[attr-defined]
    return shown, earlier


def for_requester(request: PrivacyRequest) -> QuerySet[Message]:
    """What the requester sees: the messages, not auto-replies or bounces of their mailbox."""
    return (
        Message.objects.filter(request=request, kind=MessageKind.NORMAL)
        .only("direction", "body_text", "received_at", "sent_at", "created_at", "request_id")
        .order_by("created_at", "id")
    )
