"""Writes of messages: each stores the message and records one event on the request's trail.

Log lines name message and request ids, kinds and counts, never an address, a subject or a
body: a message is about someone's personal data.
"""

from __future__ import annotations

import logging
from email.message import EmailMessage
from email.utils import make_msgid
from functools import partial

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dsar.core.actors import Actor
from dsar.correspondence import addresses, mail, parsing
from dsar.correspondence.models import (
    Attachment,
    Direction,
    HeldReason,
    Message,
    MessageKind,
)
from dsar.intake import files
from dsar.lib.i18n import in_staff_language
from dsar.requests import events
from dsar.requests.models import EventKind, PrivacyRequest

logger = logging.getLogger(__name__)

ATTACHMENT_FOLDER = "correspondence"
MAX_BODY = 20_000


class MessageError(Exception):
    """A message that cannot be written as asked (the reason is for the user)."""


def _kind(parsed: parsing.Parsed) -> MessageKind:
    if parsed.bounce:
        return MessageKind.BOUNCE
    if parsed.auto_reply:
        return MessageKind.AUTO_REPLY
    return MessageKind.NORMAL


def _summary(message: Message) -> str:
    if message.kind == MessageKind.BOUNCE:
        return _("Delivery failure received for a message to the requester")
    if message.kind == MessageKind.AUTO_REPLY:
        return _("Automatic reply received from the requester's mailbox")
    return _("Message received from the requester")


def _record_received(message: Message, *, actor: Actor = None) -> None:
    """The event of an inbound message on its request's trail: ids and counts, no content."""
    assert message.request is not None  # noqa: S101 - only attached messages are recorded
    events.record(
        message.request,
        kind=EventKind.MESSAGE_RECEIVED,
        summary=_summary(message),
        actor=actor,
        actor_label="" if actor is not None else "requester",
        message=message.pk,
        message_kind=message.kind,
        via=message.via,
        attachments=len(message.attachments.all()) if message.pk else 0,
        attachments_refused=len(message.rejected_attachments),
        **({"held_reason": message.held_reason} if message.held_reason else {}),
    )


def _store_files(message: Message, found: list[parsing.File]) -> None:
    for each in found:
        stored = files.store(
            [each.content], folder=ATTACHMENT_FOLDER, content_type=each.content_type
        )
        Attachment.objects.create(
            message=message,
            filename=each.filename,
            content_type=stored.content_type,
            size=stored.size,
            sha256=stored.sha256,
            path=stored.path,
        )


def _sender_matches(parsed: parsing.Parsed, request: PrivacyRequest) -> bool:
    """The requester wrote it (or their mail system bounced our mail: that comes from a daemon,
    and says only that our message did not arrive)."""
    if parsed.bounce:
        return True
    return bool(request.requester_email) and parsed.sender == request.requester_email.lower()


@in_staff_language
def receive(
    raw: bytes | EmailMessage, *, via: str = "email", envelope_recipient: str = ""
) -> Message:
    """Store one inbound email: attached to the request its reply address names, or held for
    staff when the token is unknown or the sender is not the requester.

    The same message delivered twice (a mail server or an ESP retrying) is stored once: the
    second call returns the first message."""
    parsed = parsing.parse(raw, envelope_recipient=envelope_recipient)
    if parsed.message_id:
        existing = Message.objects.filter(message_id=parsed.message_id).first()
        if existing is not None:
            logger.info("correspondence: message %s delivered again, kept once", existing.pk)
            return existing
    found = addresses.match(parsed.recipients)
    request = found.reply_address.request if found.reply_address else None
    held = ""
    if request is None:
        held = HeldReason.UNKNOWN_TOKEN
    elif not _sender_matches(parsed, request):
        held = HeldReason.UNKNOWN_SENDER
    message = Message(
        request=None if held else request,
        addressed_to=request,
        organization=found.organization,
        direction=Direction.IN,
        kind=_kind(parsed),
        held_reason=held,
        via=via,
        sender=parsed.sender[:320],
        recipients=parsed.recipients,
        subject=parsed.subject,
        body_text=parsed.body_text,
        body_html=parsed.body_html,
        message_id=parsed.message_id,
        in_reply_to=parsed.in_reply_to,
        rejected_attachments=[
            {"filename": r.filename, "reason": r.reason, "size": r.size} for r in parsed.rejected
        ],
        received_at=timezone.now(),
    )
    try:
        with transaction.atomic():
            message.save()
            _store_files(message, parsed.files)
            if not held:
                _record_received(message)
    except IntegrityError:
        # The same Message-ID stored meanwhile by a parallel delivery.
        existing = Message.objects.filter(message_id=parsed.message_id).first()
        if existing is None:
            raise
        return existing
    logger.info(
        "correspondence: inbound message %s (%s, %s) %s",
        message.pk,
        message.kind,
        via,
        f"held: {held}" if held else f"on request {message.request_id}",
    )
    return message


def _last_message_id(request: PrivacyRequest, direction: Direction) -> str:
    return (
        Message.objects.filter(request=request, direction=direction)
        .exclude(message_id="")
        .order_by("-created_at", "-id")
        .values_list("message_id", flat=True)
        .first()
        or ""
    )


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise MessageError(_("Write a message first."))
    if len(body) > MAX_BODY:
        raise MessageError(
            _("A message can be at most %(max)d characters long.") % {"max": MAX_BODY}
        )
    return body


def _default_subject(request: PrivacyRequest) -> str:
    """The subject the requester reads, in their language (not the staff member's)."""
    with translation.override(request.language or None):
        return _("Your request %(ref)s") % {"ref": request.reference}


@transaction.atomic
def message_send(*, request: PrivacyRequest, actor: Actor, body: str, subject: str = "") -> Message:
    """A staff member writes to the requester: stored, recorded, and emailed after commit (from
    and with replies to the request's reply address, threaded on the requester's last email)."""
    body = _clean_body(body)
    reply_address = addresses.reply_address_for(request)
    domain = (reply_address or addresses.installation_mailbox()).partition("@")[2] or None
    message = Message.objects.create(
        request=request,
        organization_id=request.organization_id,
        direction=Direction.OUT,
        via="email",
        sender=reply_address,
        recipients=[request.requester_email] if request.requester_email else [],
        subject=(subject or "").strip()[:500] or _default_subject(request),
        body_text=body,
        message_id=make_msgid(domain=domain),
        in_reply_to=_last_message_id(request, Direction.IN),
        created_by=actor,
    )
    events.record(
        request,
        kind=EventKind.MESSAGE_SENT,
        summary=_("Message sent to the requester"),
        actor=actor,
        message=message.pk,
    )
    mail.queue(message)
    return message


@in_staff_language
@transaction.atomic
def requester_reply(*, request: PrivacyRequest, body: str) -> Message:
    """The requester answers from their status page (who they are was proved by the link)."""
    body = _clean_body(body)
    message = Message.objects.create(
        request=request,
        organization_id=request.organization_id,
        direction=Direction.IN,
        via="status_page",
        sender=request.requester_email,
        recipients=[],
        subject=_("Reply on the status page"),
        body_text=body,
        in_reply_to=_last_message_id(request, Direction.OUT),
        received_at=timezone.now(),
    )
    _record_received(message)
    logger.info("correspondence: status-page message %s on request %s", message.pk, request.pk)
    return message


def _lock_held(message: Message) -> Message:
    locked = Message.objects.select_for_update().get(pk=message.pk)
    if not locked.is_held:
        raise MessageError(_("This message was already attached or discarded."))
    return locked


@transaction.atomic
def held_attach(*, message: Message, request: PrivacyRequest, actor: Actor) -> Message:
    """Staff attach a held message to a request of their organization: it joins the request's
    timeline, the event naming who attached it and why it was held."""
    message = _lock_held(message)
    if message.organization_id not in (None, request.organization_id):
        raise MessageError(_("This message reached another organization's mailbox."))
    message.request = request
    message.organization_id = request.organization_id
    message.resolved_by = actor
    message.resolved_at = timezone.now()
    message.save(update_fields=["request", "organization", "resolved_by", "resolved_at"])
    _record_received(message, actor=actor)
    logger.info("correspondence: held message %s attached to request %s", message.pk, request.pk)
    return message


@transaction.atomic
def held_discard(*, message: Message, actor: User) -> Message:
    """Staff discard a held message: its content and files are deleted (it is someone's mail
    that belongs to no request); who discarded it, when, and why it was held are kept."""
    message = _lock_held(message)
    stored = [a.path for a in message.attachments.all()]
    message.attachments.all().delete()
    message.subject = ""
    message.body_text = ""
    message.body_html = ""
    message.discarded_at = message.resolved_at = timezone.now()
    message.resolved_by = actor
    message.save()
    for path in stored:
        transaction.on_commit(partial(files.delete_private, path))
    logger.info("correspondence: held message %s discarded by user %s", message.pk, actor.pk)
    return message
