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

import datetime
import functools
import json
import logging
import os
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dsar.core.actors import Actor
from dsar.correspondence.models import Message
from dsar.correspondence.services import message_send
from dsar.fulfilment.connectors.postgresql import ConnectorError
from dsar.fulfilment.models import (
    NOTIFIED_RIGHTS,
    NoticeStatus,
    Recipient,
    RecipientNotice,
    System,
)
from dsar.fulfilment.runs import backoff, identity_of
from dsar.fulfilment.tasks import TaskError
from dsar.lib.i18n import in_staff_language
from dsar.outbox.models import Addressee, Email
from dsar.outbox.services import enqueue
from dsar.requests import events
from dsar.requests.models import EventKind, PrivacyRequest
from dsar.webhooks import signing, transport
from dsar.webhooks.conf import webhook_settings

logger = logging.getLogger(__name__)

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
        if recipient.contact_url and recipient.secret_env:
            notice.sent_to_url = recipient.contact_url
            notice.status = NoticeStatus.QUEUED
        elif not recipient.contact_email:
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
        if notice.sent_to_url:
            transaction.on_commit(functools.partial(notice_post_enqueue, notice.pk))
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


# -- Told by HTTP ----------------------------------------------------------------------------------

#: How much of the recipient's answer is kept on the notice: enough to read what it said.
ANSWER_CHARS = 300


def notice_post_enqueue(notice_id: int, at: datetime.datetime | None = None) -> None:
    """Hand the HTTP notice to the task cluster, now or (a retry) at ``at``."""
    from django_q.tasks import async_task, schedule

    if at is None:
        async_task("dsar.fulfilment.notices.notice_post", notice_id, group="recipient-notices")
    else:
        schedule(
            "dsar.fulfilment.notices.notice_post",
            notice_id,
            name=f"recipient-notice-{notice_id}-retry-{at.isoformat()}",
            schedule_type="O",
            next_run=at,
            repeats=1,
        )


def _post(notice: RecipientNotice, now: datetime.datetime) -> tuple[int, str]:
    """One signed POST of the notice through the webhooks' transport (https only, the SSRF
    rules, no redirects); the HTTP status and the start of the answer. Raises ConnectorError."""
    recipient, request = notice.recipient, notice.request
    conf = webhook_settings()
    secret = os.environ.get(recipient.secret_env, "") if recipient and recipient.secret_env else ""
    if not secret:
        raise ConnectorError("the signing secret's environment variable is not set")
    try:
        target = transport.resolve(notice.sent_to_url, conf)
    except transport.RefusedURL as error:
        raise ConnectorError(f"the contact URL is refused: {error}") from None
    body = json.dumps(
        {
            "type": "recipient_notice",
            "notice": notice.pk,
            "reference": request.reference,
            "right": request.right_kind,
            "organization": request.organization.name,
            "identity": {k: v for k, v in identity_of(request).items() if k != "reference" and v},
        },
        ensure_ascii=False,
    )
    headers = signing.headers(message_id=f"notice_{notice.pk}", body=body, secrets=[secret], at=now)
    try:
        answer = transport.post(target, body.encode(), headers, timeout=conf.timeout)
    except (OSError, transport.http.client.HTTPException) as error:
        raise ConnectorError(f"no answer from the contact URL ({type(error).__name__})") from None
    return answer.status, answer.body


@in_staff_language
def notice_post(notice_id: int) -> dict[str, Any]:
    """One try of an HTTP notice (a task of the cluster). A 2xx answer is the recipient's
    acknowledgement: its status and the start of its body are recorded as the answer. Anything
    else is a failed try, retried after the webhooks' backoff up to their number of tries; the
    last failure is recorded on the notice and the timeline, for staff to reach the recipient
    another way. Never logs the identity or the answer."""
    with transaction.atomic():
        notice = (
            RecipientNotice.objects.select_for_update(of=("self",))
            .select_related("request__organization", "recipient")
            .get(pk=notice_id)
        )
        if notice.status != NoticeStatus.QUEUED or not notice.sent_to_url:
            return {"notice": notice_id, "status": notice.status}
        notice.attempts += 1
        notice.save(update_fields=["attempts"])
    status, text, failure = None, "", ""
    try:
        status, text = _post(notice, timezone.now())
        if not 200 <= status < 300:
            failure = f"the contact URL answered HTTP {status}"
    except ConnectorError as error:
        failure = str(error)
    with transaction.atomic():
        notice = RecipientNotice.objects.select_for_update().get(pk=notice_id)
        notice.http_status = status
        if not failure:
            notice.status, notice.sent_at, notice.error = NoticeStatus.SENT, timezone.now(), ""
            summary = " ".join(text.split())[:ANSWER_CHARS]
            notice.answer = f"HTTP {status}" + (f": {summary}" if summary else "")
            notice.answered_at = notice.sent_at
            notice.save()
            events.record(
                notice.request,
                kind=EventKind.RECIPIENTS_TOLD,
                summary=_("%(name)s was told by HTTP and answered %(status)s")
                % {"name": notice.recipient_name, "status": status},
                actor=None,
                notice=notice.pk,
                http_status=status,
            )
        elif notice.attempts < webhook_settings().max_attempts:
            notice.error = failure[:300]
            notice.save(update_fields=["http_status", "error"])
            at = timezone.now() + backoff(notice.attempts)
            transaction.on_commit(lambda: notice_post_enqueue(notice_id, at))
            logger.info("recipient notice %s: try %s failed, retrying", notice_id, notice.attempts)
        else:
            notice.status, notice.error = NoticeStatus.FAILED, failure[:300]
            notice.save(update_fields=["http_status", "status", "error"])
            events.record(
                notice.request,
                kind=EventKind.RECIPIENTS_TOLD,
                summary=_("Telling %(name)s by HTTP failed after %(n)d tries: %(error)s")
                % {"name": notice.recipient_name, "n": notice.attempts, "error": notice.error},
                actor=None,
                notice=notice.pk,
            )
    return {"notice": notice_id, "status": notice.status, "http_status": status}


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
