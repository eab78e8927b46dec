"""Telling the recipients of the register (GDPR Art. 19; Cal. Civ. Code §1798.105(c)).

After a rectification, erasure or restriction, the controller tells each recipient to whom the
personal data was disclosed, unless that proves impossible or involves disproportionate effort,
and tells the data subject about those recipients if they ask. ``recipients_tell`` emails each
recipient of the systems the request's right applies to (and each recipient the register links
to no system: better told than missed), once, recording per recipient what happened; a recipient
without an address in the register is recorded as such, for staff to reach another way.
``notice_answer`` records what a recipient answered. Both write one event on the request's trail.
``recipients_list_send`` tells the requester who the recipients are, when they ask (Art. 19, last
sentence), as a message of the request's conversation, so that it is on the timeline and in the
evidence pack like any other message.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dsar.correspondence.models import Message
from dsar.correspondence.services import message_send
from dsar.fulfilment.models import (
    NOTIFIED_RIGHTS,
    NoticeStatus,
    Recipient,
    RecipientNotice,
    System,
)
from dsar.fulfilment.tasks import TaskError
from dsar.lib.i18n import in_staff_language
from dsar.outbox.models import Addressee, Email
from dsar.outbox.services import enqueue
from dsar.requests import events
from dsar.requests.models import EventKind, PrivacyRequest

Actor = AbstractBaseUser | None

#: The outbox's kind of email for a notice (``dsar.outbox.hooks``).
NOTICE_EMAIL = "recipient_notice"


def recipients_for(request: PrivacyRequest) -> list[Recipient]:
    """The recipients to tell: those of the systems the right applies to, and those the
    register links to no system."""
    systems = [
        s.pk
        for s in System.objects.filter(organization_id=request.organization_id)
        if s.applies_to(request.right_kind)
    ]
    return list(
        Recipient.objects.filter(organization_id=request.organization_id)
        .filter(Q(systems__in=systems) | Q(systems__isnull=True))
        .distinct()
        .order_by("name")
    )


@in_staff_language
@transaction.atomic
def recipients_tell(*, request: PrivacyRequest, actor: Actor) -> list[RecipientNotice]:
    """Tell every recipient not yet told; returns the notices made now."""
    if request.right_kind not in NOTIFIED_RIGHTS:
        raise TaskError(_("Recipients are told of a rectification, erasure or restriction."))
    told = set(request.recipient_notices.values_list("recipient_id", flat=True))
    made = []
    for recipient in recipients_for(request):
        if recipient.pk in told:
            continue
        notice = RecipientNotice(
            request=request, recipient=recipient, recipient_name=recipient.name
        )
        if not recipient.contact_email:
            notice.status = NoticeStatus.NO_CONTACT
        else:
            notice.sent_to = recipient.contact_email
            notice.status = NoticeStatus.QUEUED
            notice.email = enqueue(
                NOTICE_EMAIL,
                to=[recipient.contact_email],
                context={
                    "request": request,
                    "recipient": recipient,
                    "right": request.get_right_kind_display(),
                },
                reply_to=[settings.DEFAULT_FROM_EMAIL],
                request=request,
                addressee=Addressee.RECIPIENT,
            )
        notice.save()
        made.append(notice)
    if made:
        counts = {
            status.label: sum(n.status == status for n in made)
            for status in NoticeStatus
            if any(n.status == status for n in made)
        }
        events.record(
            request,
            kind=EventKind.RECIPIENTS_TOLD,
            summary=_("Recipients told (Art. 19): %(names)s")
            % {"names": ", ".join(f"{n.recipient_name} ({n.get_status_display()})" for n in made)},
            actor=actor,
            notices=[n.pk for n in made],
            counts={str(k): v for k, v in counts.items()},
        )
    return made


def notice_sent(email: Email) -> None:
    """The outbox's hook: the notice's email has left."""
    RecipientNotice.objects.filter(email_id=email.pk, status=NoticeStatus.QUEUED).update(
        status=NoticeStatus.SENT, sent_at=email.sent_at or timezone.now()
    )


def notice_failed(email: Email) -> None:
    """The outbox's hook: the notice's email failed for good; staff reach the recipient
    another way (the request's timeline says so too)."""
    RecipientNotice.objects.filter(email_id=email.pk, status=NoticeStatus.QUEUED).update(
        status=NoticeStatus.FAILED, error=(email.last_error or "")[:300]
    )


def recipients_list_text(request: PrivacyRequest) -> tuple[str, str]:
    """The subject and body of the message that names the recipients told of the request, in
    the requester's language: each by name and, where the register gives one, category."""
    notices = list(request.recipient_notices.select_related("recipient").order_by("recipient_name"))
    if not notices:
        raise TaskError(_("No recipient has been told of this request yet: tell them first."))
    with translation.override(request.language or None):
        lines = []
        for notice in notices:
            category = notice.recipient.category if notice.recipient else ""
            lines.append(f"- {notice.recipient_name}" + (f" ({category})" if category else ""))
        subject = _("Your request %(ref)s: the recipients we told") % {"ref": request.reference}
        body = "\n\n".join(
            [
                _(
                    "You asked who received your personal data. We disclosed it to the "
                    "following recipients, and told each of them of your request for "
                    "%(right)s:"
                )
                % {"right": request.get_right_kind_display()},
                "\n".join(lines),
                _("You can answer this message if you have any question."),
            ]
        )
    return subject, body


@in_staff_language
def recipients_list_send(*, request: PrivacyRequest, actor: Actor) -> Message:
    """Send the requester the list of the recipients told (GDPR Art. 19: "The controller shall
    inform the data subject about those recipients if the data subject requests it")."""
    if not request.requester_email:
        raise TaskError(_("The request has no email address to send the list to."))
    subject, body = recipients_list_text(request)
    return message_send(request=request, actor=actor, subject=subject, body=body)


@in_staff_language
@transaction.atomic
def notice_answer(*, notice: RecipientNotice, actor: Actor, answer: str) -> RecipientNotice:
    """Record what the recipient answered (it erased, corrected, or why it could not)."""
    if not answer.strip():
        raise TaskError(_("Say what the recipient answered."))
    notice = RecipientNotice.objects.select_for_update().select_related("request").get(pk=notice.pk)
    notice.answer, notice.answered_at = answer.strip(), timezone.now()
    notice.status = NoticeStatus.ANSWERED
    notice.save(update_fields=["answer", "answered_at", "status"])
    events.record(
        notice.request,
        kind=EventKind.RECIPIENTS_TOLD,
        summary=_("%(name)s answered: %(answer)s")
        % {"name": notice.recipient_name, "answer": notice.answer},
        actor=actor,
        notice=notice.pk,
    )
    return notice
