"""The one place a message to the requester is emailed (``deliver``).

Kept to a single function on purpose: sends are moving to an outbox, and this is the line to
reroute. It renders through ``dsar.lib.emails`` like every email of dsar, From and Reply-To the
request's reply address (so that the answer comes back to the request), threaded with
In-Reply-To/References on the requester's last email.

Whether the email carries the message is the organization's choice
(``CorrespondenceSettings.content_in_email``, off by default): without it, the email says only
that there is a message, and links to the status page. A request with no status page (logged by
staff from an email or a letter) gets the message itself, or it could not be read at all.
"""

from __future__ import annotations

import logging
from email.utils import formataddr

from django.utils import timezone
from django.utils.translation import gettext as _

from dsar.core.links import link_maker
from dsar.correspondence import addresses
from dsar.correspondence.models import Message
from dsar.lib import emails
from dsar.requests import events
from dsar.requests.models import EventKind

logger = logging.getLogger(__name__)


def _status_url(message: Message) -> str:
    """A fresh status-page link for the requester; "" when the request has none (not web)."""
    from dsar.intake.models import IntakeSubmission
    from dsar.intake.services import status_link

    submission = IntakeSubmission.objects.filter(request_id=message.request_id).first()
    if submission is None:
        return ""
    return status_link(submission, link_maker(), now=timezone.now())


def deliver(message_pk: int) -> bool:
    """Email the requester about an outbound message; True when the email went out. A failure
    is logged (ids only) and recorded on the request's trail for staff; the message stays on
    the status page either way."""
    message = Message.objects.select_related("request__organization").get(pk=message_pk)
    request = message.request
    if request is None or not request.requester_email:
        return False
    organization = request.organization
    status_url = _status_url(message)
    with_content = addresses.settings_for(organization).content_in_email or not status_url
    reply_address = message.sender or addresses.reply_address_for(request)
    email = emails.make_message(
        "correspondence_message" if with_content else "correspondence_notice",
        to=[request.requester_email],
        context={
            "organization": organization,
            "request": request,
            "message": message,
            "status_url": status_url,
        },
        language=request.language,
        reply_to=[reply_address] if reply_address else [],
        from_email=formataddr((organization.name, reply_address)) if reply_address else None,
    )
    if message.message_id:
        email.extra_headers["Message-ID"] = message.message_id
    if message.in_reply_to:
        email.extra_headers["In-Reply-To"] = message.in_reply_to
        email.extra_headers["References"] = message.in_reply_to
    try:
        email.send()
    except Exception as error:
        logger.exception("correspondence: message %s could not be emailed", message.pk)
        events.record(
            request,
            kind=EventKind.SEND_FAILED,
            summary=_("The email of a message to the requester could not be sent"),
            actor=None,
            actor_label="system",
            message=message.pk,
            error=type(error).__name__,
        )
        return False
    Message.objects.filter(pk=message.pk).update(sent_at=timezone.now())
    return True
