"""The purge of a closed request's personal data (``dsar.reminders.hooks.PURGE_FILES``).

Messages are the requester's words and addresses: their content goes with the rest of the
request's personal data. What stays is what the trail needs: that a message went or came, when,
which way, of what kind, and each attachment's type, size and SHA-256.
"""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.db.models import Q

from dsar.correspondence.models import Attachment, Message
from dsar.intake import files
from dsar.requests.models import PrivacyRequest


@transaction.atomic
def purge_request(request: PrivacyRequest) -> int:
    """Blank the messages of ``request`` (and those held that named it) and delete their files;
    returns how many messages had something to blank. Idempotent."""
    messages = Message.objects.filter(Q(request=request) | Q(addressed_to=request))
    stored = Attachment.objects.filter(message__in=messages).exclude(path="")
    for path in stored.values_list("path", flat=True):
        transaction.on_commit(partial(files.delete_private, path))
    stored.update(path="", filename="")
    return messages.filter(
        ~Q(sender="")
        | ~Q(subject="")
        | ~Q(body_text="")
        | ~Q(body_html="")
        | ~Q(recipients=[])
        | ~Q(rejected_attachments=[])
    ).update(
        sender="",
        recipients=[],
        subject="",
        body_text="",
        body_html="",
        rejected_attachments=[],
    )
