"""The one place a message to the requester is emailed (``queue``), through the outbox.

It renders through ``dsar.outbox.enqueue`` like every email of dsar, in the transaction that
writes the message, so the email exists exactly when the message does and the cluster sends it
(with retries, its state on the timeline). From and Reply-To the request's reply address (so
that the answer comes back to the request), threaded with In-Reply-To/References on the
requester's last email. The message's ``sent_at`` is set once the email has left
(``mark_sent``, the outbox's hook).

Whether the email carries the message is the organization's choice
(``CorrespondenceSettings.content_in_email``, off by default): without it, the email says only
that there is a message, and links to the status page. A request with no status page (logged by
staff from an email or a letter) gets the message itself, or it could not be read at all.
"""

from __future__ import annotations

from email.utils import formataddr

from django.utils import timezone

from dsar.core.links import link_maker
from dsar.correspondence import addresses
from dsar.correspondence.models import Message
from dsar.outbox.models import Email
from dsar.outbox.services import enqueue


def _status_url(message: Message) -> str:
    """A fresh status-page link for the requester; "" when the request has none (not web)."""
    from dsar.intake.models import IntakeSubmission
    from dsar.intake.services import status_link

    submission = IntakeSubmission.objects.filter(request_id=message.request_id).first()
    if submission is None:
        return ""
    return status_link(submission, link_maker(), now=timezone.now())


#: The outbox's kinds of email for a message (``dsar.outbox.hooks.on_sent``).
KINDS = ("correspondence_message", "correspondence_notice")


def queue(message: Message) -> Email | None:
    """Queue the email to the requester about an outbound message, in the caller's transaction;
    None when the request has no one to email. The message stays on the status page either
    way."""
    request = message.request
    if request is None or not request.requester_email:
        return None
    organization = request.organization
    status_url = _status_url(message)
    with_content = addresses.settings_for(organization).content_in_email or not status_url
    reply_address = message.sender or addresses.reply_address_for(request)
    headers = {}
    if message.message_id:
        headers["Message-ID"] = message.message_id
    if message.in_reply_to:
        headers["In-Reply-To"] = message.in_reply_to
        headers["References"] = message.in_reply_to
    return enqueue(
        KINDS[0] if with_content else KINDS[1],
        to=[request.requester_email],
        context={
            "organization": organization,
            "request": request,
            "message": message,
            "status_url": status_url,
        },
        language=request.language,
        request=request,
        reply_to=[reply_address] if reply_address else [],
        from_email=formataddr((organization.name, reply_address)) if reply_address else None,
        headers=headers,
    )


def mark_sent(email: Email) -> None:
    """The outbox's hook: the message whose email this is has been sent."""
    message_id = (email.headers or {}).get("Message-ID")
    if message_id and email.request_id is not None:
        Message.objects.filter(
            request_id=email.request_id, message_id=message_id, sent_at__isnull=True
        ).update(sent_at=email.sent_at or timezone.now())
