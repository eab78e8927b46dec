"""Sending the outbox: claim, send, record, one email at a time (style rule 8).

1. Claim: one conditional ``UPDATE`` moves an email from queued (and due) to sending and counts
   the try; it succeeds for one worker only, so two workers never both send it. No lock is held
   while the mail server is talked to.
2. Send over one mail connection per pass, built from the rendered row (no template, no request).
3. Record: sent (with the event on the request's timeline, and the hooks of ``hooks.on_sent``;
   the recipients and bodies are cleared: they hold an address and working links),
   or a failed try: queued again after ``DSAR_OUTBOX_RETRY_AFTER`` doubled per try, or failed
   after ``DSAR_OUTBOX_MAX_ATTEMPTS`` (an event either way). ``last_error`` keeps the kind of
   error only: a mail server's message may quote an address.

A worker killed after its claim leaves the email "sending": once ``DSAR_OUTBOX_LEASE`` has run
out, a later pass claims it again. The one gap no outbox closes: a worker killed after the mail
server accepted a message and before the sent mark was written sends it twice. So "exactly once
in the normal case".
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from dsar.lib.i18n import staff_language
from dsar.outbox import hooks
from dsar.outbox.conf import OutboxSettings, outbox_settings
from dsar.outbox.models import Addressee, Email, EmailStatus

logger = logging.getLogger(__name__)

#: Emails a pass looks at; the next pass takes the rest.
PAGE = 200

#: What a finished email forgets: the address and the links (``outbox_email_finished_is_cleared``).
CLEARED = {"to": [], "text": "", "html": ""}


@dataclass
class Delivery:
    """What one pass did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    taken: int = 0  # claimed by another worker first

    def as_dict(self) -> dict[str, int]:
        return {
            "sent": self.sent,
            "retrying": self.retrying,
            "failed": self.failed,
            "taken": self.taken,
        }


def deliver_queued(*, conf: OutboxSettings | None = None) -> dict[str, int]:
    """The sweep (every minute): send every email due and unclaimed, a page at a time."""
    return _deliver(None, conf or outbox_settings()).as_dict()


def deliver_ids(ids: Sequence[int], *, conf: OutboxSettings | None = None) -> dict[str, int]:
    """The task queued after a commit: send these emails now, if still due and unclaimed."""
    return _deliver(list(ids), conf or outbox_settings()).as_dict()


def _deliver(ids: list[int] | None, conf: OutboxSettings) -> Delivery:
    delivery = Delivery()
    due = Email.objects.sendable(timezone.now(), conf.lease)
    if ids is not None:
        due = due.filter(pk__in=ids)
    pks = list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:PAGE])
    if not pks:
        return delivery
    backend = get_connection()
    try:
        for pk in pks:
            if not _claim(pk, conf):
                delivery.taken += 1
                continue
            email = Email.objects.get(pk=pk)
            try:
                message = _message(email)
                message.connection = backend
                message.send()
            except Exception as error:  # the mail server, or a bad row: recorded and retried
                again = _mark_failed(email, error, conf)
                delivery.retrying += again
                delivery.failed += not again
                # A broken connection fails every later send; a hanging server would hold the
                # pass for EMAIL_TIMEOUT per email. Stop: the rest stay queued for the next pass.
                break
            _mark_sent(email)
            delivery.sent += 1
    finally:
        with contextlib.suppress(Exception):  # a connection that broke may fail to close, too
            backend.close()
    return delivery


def _claim(pk: int, conf: OutboxSettings) -> bool:
    """Take the email for one try; False when another worker holds a live claim or sent it."""
    now = timezone.now()
    claimed = (
        Email.objects.sendable(now, conf.lease)
        .filter(pk=pk)
        .update(status=EmailStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    return claimed == 1


def _message(email: Email) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text,
        from_email=email.from_email,
        to=list(email.to),
        reply_to=list(email.reply_to or ()),
        headers=dict(email.headers or {}),
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    return message


def _mark_sent(email: Email) -> None:
    """The sent mark, the event on the request's timeline and the hooks, in one transaction."""
    with transaction.atomic(), staff_language():
        marked = Email.objects.filter(pk=email.pk, status=EmailStatus.SENDING).update(
            status=EmailStatus.SENT, sent_at=timezone.now(), **CLEARED
        )
        if not marked:  # a lease retaken meanwhile, and the other worker marked it first
            return
        email.status = EmailStatus.SENT
        if email.request is not None:  # no query when request_id is None
            from dsar.requests import events
            from dsar.requests.models import EventKind

            events.record(
                email.request,
                kind=EventKind.REQUESTER_EMAILED,
                summary=(
                    _("The %(email)s email was sent to the requester")
                    if email.addressee == Addressee.REQUESTER
                    else _("The %(email)s email was sent to %(whom)s")
                )
                % {"email": email.kind, "whom": Addressee(email.addressee).label},
                actor=None,
                actor_label="system",
                email=email.kind,
                outbox=email.pk,
            )
        hooks.sent(email)


def _failure_summary(email: Email, again: bool) -> str:
    if email.addressee == Addressee.REQUESTER:
        if again:
            return _(
                "The %(email)s email to the requester could not be sent; it will be tried again"
            ) % {"email": email.kind}
        return _("The %(email)s email to the requester could not be sent") % {"email": email.kind}
    words = {"email": email.kind, "whom": Addressee(email.addressee).label}
    if again:
        return (
            _("The %(email)s email to %(whom)s could not be sent; it will be tried again") % words
        )
    return _("The %(email)s email to %(whom)s could not be sent") % words


def _mark_failed(email: Email, error: BaseException, conf: OutboxSettings) -> bool:
    """Record a failed try; returns True when it will be tried again."""
    now = timezone.now()
    attempts = Email.objects.filter(pk=email.pk).values_list("attempts", flat=True)[0]
    again = attempts < conf.max_attempts
    reason = type(error).__name__
    with transaction.atomic(), staff_language():
        Email.objects.filter(pk=email.pk, status=EmailStatus.SENDING).update(
            status=EmailStatus.QUEUED if again else EmailStatus.FAILED,
            claimed_at=None,
            next_attempt_at=now + conf.retry_after * 2 ** max(attempts - 1, 0),
            last_error=reason[:200],
            **({} if again else CLEARED),
        )
        if email.request is not None:  # no query when request_id is None
            from dsar.requests import events
            from dsar.requests.models import EventKind

            events.record(
                email.request,
                kind=EventKind.SEND_RETRY if again else EventKind.SEND_FAILED,
                summary=_failure_summary(email, again),
                actor=None,
                actor_label="system",
                email=email.kind,
                outbox=email.pk,
                attempt=attempts,
                error=reason,
            )
        if not again:
            email.status, email.last_error = EmailStatus.FAILED, reason[:200]
            hooks.failed(email)
    # Ids only: an error message could quote an address.
    logger.warning(
        "outbox: email %s (%s) failed on try %s of %s: %s",
        email.pk,
        email.kind,
        attempts,
        conf.max_attempts,
        reason,
    )
    return again
