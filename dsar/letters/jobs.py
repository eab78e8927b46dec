"""Tasks of the letters app, run by the django-q2 cluster: plain functions, thin to queue.

- ``issue_letters`` issues the letters of one chunk of a bulk batch (``letters_issue_bulk``).
- ``deliver`` sends one queued email: claim (pending → sending, a conditional UPDATE), send,
  then record sent, or a failure that is retried with exponential backoff until
  ``max_attempts``, after which the delivery is failed and staff see it on the request.
- ``send_due_deliveries`` is the safety net (every few minutes, schedule in migration 0003): it
  sends deliveries whose retry is due and frees claims a dead worker left behind.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import uuid
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_q.models import Schedule
from django_q.tasks import schedule

from dsar.letters import events, render, tokens
from dsar.letters.context import LetterNotApplicable
from dsar.letters.kinds import LetterKind
from dsar.letters.models import DeliveryMethod, DeliveryStatus, LetterDelivery
from dsar.letters.services import letter_issue
from dsar.lib.emails import make_message
from dsar.lib.i18n import staff_language
from dsar.requests.models import EventKind, PrivacyRequest
from dsar.requests.services import TransitionError, request_acknowledge

logger = logging.getLogger(__name__)

# A claim older than this belongs to a worker that died mid-send.
STALE_CLAIM = datetime.timedelta(minutes=15)


class WorkerLost(Exception):
    """A delivery was claimed by a worker that never finished it."""


# -- Bulk issue ------------------------------------------------------------------------------------


def issue_letters(
    request_ids: list[int], kind: str, actor_id: int | None, batch: str
) -> dict[str, Any]:
    """Issue ``kind`` for each request of a chunk; idempotent per (request, kind, batch).

    A letter that cannot be issued (the request moved on, a part is missing) does not stop the
    others: it is logged and listed in the task's result, and the batch can be queued again."""
    actor = get_user_model().objects.get(pk=actor_id) if actor_id else None
    issued, failed = [], {}
    for request in PrivacyRequest.objects.filter(pk__in=request_ids).order_by("pk"):
        try:
            letter = letter_issue(request=request, kind=kind, actor=actor, batch=uuid.UUID(batch))
        except (LetterNotApplicable, DatabaseError, render.LetterRenderError) as error:
            logger.warning("bulk %s: %s for request %s", batch, type(error).__name__, request.pk)
            failed[request.pk] = type(error).__name__
        else:
            issued.append(letter.pk)
    return {"issued": issued, "failed": failed}


# -- Deliveries ------------------------------------------------------------------------------------


def backoff(attempts: int) -> datetime.timedelta:
    """Wait after the ``attempts``-th failure: base, then 2 and 4 times base… (seconds setting
    DSAR_LETTER_SEND_BACKOFF_SECONDS)."""
    base = int(settings.DSAR_LETTER_SEND_BACKOFF_SECONDS)
    return datetime.timedelta(seconds=base * 2 ** max(attempts - 1, 0))


def build_message(delivery: LetterDelivery) -> EmailMultiAlternatives:
    """The email of a delivery, in the letter's language."""
    letter = delivery.letter
    request = letter.request
    method = DeliveryMethod(delivery.method)
    from dsar.letters.context import addressee

    context: dict[str, Any] = {
        "reference": request.reference,
        "letter_reference": letter.reference,
        # Whom the email greets: the authorized agent for a request an agent made, as the letter.
        "requester_name": addressee(request)[0],
        "organization": request.organization.legal_name or request.organization.name,
        "kind": letter.kind_enum,
    }
    attachments: list[tuple[str, bytes, str]] = []
    if method is DeliveryMethod.ATTACHMENT:
        attachments.append((letter.filename, letter.read(), "application/pdf"))
    elif method is DeliveryMethod.LINK:
        context["url"] = tokens.letter_url(letter)
        context["days"] = tokens.letter_link_days()
    else:
        package = delivery.package
        assert package is not None  # noqa: S101 - letters_delivery_package_iff_package_link
        context["url"] = tokens.package_url(package)
        context["expires"] = package.link_expires_at
    return make_message(
        method.email_name,
        to=[delivery.to],
        context=context,
        language=render.letter_language(request.language),
        attachments=attachments,
    )


def _claim(delivery_id: int, now: datetime.datetime) -> bool:
    claimed = LetterDelivery.objects.filter(
        pk=delivery_id,
        status=DeliveryStatus.PENDING,
        next_attempt_at__lte=now,
        attempts__lt=F("max_attempts"),
    ).update(status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, claimed_at=now)
    return claimed == 1


def deliver(delivery_id: int, *, now: datetime.datetime | None = None) -> str:
    """Send one delivery: claim, send, record. Returns what happened (for the task result)."""
    now = now or timezone.now()
    if not _claim(delivery_id, now):
        return "not due"
    delivery = LetterDelivery.objects.select_related(
        "letter__request__organization", "package"
    ).get(pk=delivery_id)
    try:
        build_message(delivery).send(fail_silently=False)
    except Exception as error:
        return _failed(delivery, error, now)
    with transaction.atomic():
        LetterDelivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.SENT, sent_at=timezone.now(), last_error=""
        )
        events.record(
            delivery.letter.request,
            EventKind.LETTER_SENT,
            summary=_("%(ref)s sent by email (attempt %(n)s)")
            % {"ref": delivery.letter.reference, "n": delivery.attempts},
            id=delivery.letter_id,
            delivery=delivery.pk,
            method=delivery.method,
            attempts=delivery.attempts,
        )
        _acknowledged(delivery)
    return "sent"


def _acknowledged(delivery: LetterDelivery) -> None:
    """An acknowledgement letter that went out acknowledges receipt (Cal. Code Regs. tit. 11
    §7021(a)): record it, unless it was recorded before, so that the CCPA "acknowledgement
    overdue" reminder stops (docs/legal-decisions.md, "Acknowledgement of receipt")."""
    letter = delivery.letter
    request = letter.request
    if letter.kind != LetterKind.ACKNOWLEDGEMENT or request.acknowledged_at is not None:
        return
    with staff_language(), contextlib.suppress(TransitionError):  # acknowledged meanwhile
        request_acknowledge(
            request=request,
            actor=None,
            actor_label="system",
            how=_("acknowledgement letter %(ref)s sent") % {"ref": letter.reference},
        )


def _failed(delivery: LetterDelivery, error: Exception, now: datetime.datetime) -> str:
    # The class name goes on the audit trail; the message (which may name an address) stays on
    # the delivery, which only staff of the organization see.
    error_text = f"{type(error).__name__}: {error}"[:1000]
    final = delivery.attempts >= delivery.max_attempts
    next_at = None if final else now + backoff(delivery.attempts)
    with transaction.atomic():
        LetterDelivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.FAILED if final else DeliveryStatus.PENDING,
            last_error=error_text,
            next_attempt_at=next_at,
        )
        if final:
            summary = _("Sending %(ref)s failed after %(n)s attempts; send it another way") % {
                "ref": delivery.letter.reference,
                "n": delivery.attempts,
            }
        else:
            summary = _("Sending %(ref)s failed (attempt %(n)s); retry at %(at)s") % {
                "ref": delivery.letter.reference,
                "n": delivery.attempts,
                "at": next_at.isoformat(timespec="minutes") if next_at else "",
            }
        events.record(
            delivery.letter.request,
            EventKind.SEND_FAILED if final else EventKind.SEND_RETRY,
            summary=summary,
            id=delivery.letter_id,
            delivery=delivery.pk,
            attempts=delivery.attempts,
            error=type(error).__name__,
        )
        if next_at is not None:
            transaction.on_commit(lambda: _schedule_retry(delivery.pk, next_at))
    logger.warning(
        "letter delivery %s attempt %s failed: %s",
        delivery.pk,
        delivery.attempts,
        type(error).__name__,
    )
    return "failed" if final else "retry"


def _schedule_retry(delivery_id: int, when: datetime.datetime) -> None:
    schedule(
        "dsar.letters.jobs.deliver",
        delivery_id,
        schedule_type=Schedule.ONCE,
        next_run=when,
        name=f"letter-delivery-{delivery_id}-{int(when.timestamp())}",
    )


def send_due_deliveries(*, now: datetime.datetime | None = None) -> int:
    """Send every pending delivery whose attempt is due; free claims older than STALE_CLAIM.

    Safe to run at any time and in parallel with ``deliver`` tasks: each send is claimed first.
    """
    now = now or timezone.now()
    stale = LetterDelivery.objects.filter(
        status=DeliveryStatus.SENDING, claimed_at__lt=now - STALE_CLAIM
    )
    stale.filter(attempts__lt=F("max_attempts")).update(
        status=DeliveryStatus.PENDING, next_attempt_at=now
    )
    for delivery in stale.filter(attempts__gte=F("max_attempts")).select_related("letter__request"):
        _failed(delivery, WorkerLost("the worker stopped during the last attempt"), now)
    due = list(
        LetterDelivery.objects.filter(
            status=DeliveryStatus.PENDING, next_attempt_at__lte=now
        ).values_list("pk", flat=True)
    )
    sent = 0
    for delivery_id in due:
        if deliver(delivery_id, now=now) == "sent":
            sent += 1
    return sent
