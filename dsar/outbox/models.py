"""One row per outgoing email, rendered when it is queued (docs/security.md, "Email").

The row is written in the transaction of what caused it (a submission, a confirmation, a paused
webhook), so an email exists exactly when its cause does: a rolled-back submission leaves none,
and a committed one cannot lose its email to a mail server that is down. The task cluster sends
it (``dsar.outbox.delivery``); nothing in a web request talks to the mail server.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EmailStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")

    @classmethod
    def pending_values(cls) -> list[str]:
        """The states the sender still looks at."""
        return [cls.QUEUED.value, cls.SENDING.value]


class Addressee(models.TextChoices):
    """Who the email is for, as the request's timeline names them."""

    REQUESTER = "requester", _("the requester")
    RECIPIENT = "recipient", _("a recipient of the data")
    STAFF = "staff", _("staff")


class EmailQuerySet(models.QuerySet["Email"]):
    def sendable(self, now: datetime.datetime, lease: datetime.timedelta) -> EmailQuerySet:
        """Due and unclaimed, or claimed by a worker whose lease ran out (it was killed, or hung
        past ``DSAR_OUTBOX_LEASE``): the rows a claim may take."""
        return self.filter(
            Q(status=EmailStatus.QUEUED, next_attempt_at__lte=now)
            | Q(status=EmailStatus.SENDING, claimed_at__lt=now - lease)
        )


class Email(models.Model):
    """An email as it will go out: recipients, subject and bodies were rendered when it was
    queued, in ``language``, so sending needs no template, no request and no translation.

    Once sent or failed, its recipients and bodies are cleared (constraint
    ``outbox_email_finished_is_cleared``): what stays says what was sent about which request,
    when, and how it went."""

    kind = models.CharField(
        _("kind"), max_length=60, help_text=_("The email's template name, e.g. intake_confirm.")
    )
    request = models.ForeignKey(
        "requests.PrivacyRequest",
        verbose_name=_("request"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="outgoing_emails",
        help_text=_("The request it is about: its sending or failure goes on that timeline."),
    )
    to = models.JSONField(_("to"), help_text=_("The recipients' addresses, a list."))
    from_email = models.CharField(_("from"), max_length=254)
    reply_to = models.JSONField(_("reply to"), default=list, blank=True)
    subject = models.CharField(_("subject"), max_length=300)
    text = models.TextField(_("text"))
    html = models.TextField(_("HTML"), blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    addressee = models.CharField(
        _("addressee"), max_length=12, choices=Addressee, default=Addressee.REQUESTER
    )
    headers = models.JSONField(
        _("headers"),
        default=dict,
        blank=True,
        help_text=_("Extra headers: the threading of a conversation (Message-ID, In-Reply-To)."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=EmailStatus.choices, default=EmailStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.CharField(
        _("last error"),
        max_length=200,
        blank=True,
        help_text=_(
            "The kind of the last error only: a mail server's message may quote an address."
        ),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = EmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=EmailStatus.values), name="outbox_email_status_valid"
            ),
            # An email is sent once: the sent mark and its time go together.
            models.CheckConstraint(
                condition=Q(status=EmailStatus.SENT, sent_at__isnull=False)
                | (~Q(status=EmailStatus.SENT) & Q(sent_at__isnull=True)),
                name="outbox_email_sent_iff_sent_at",
            ),
            # A finished email keeps no recipient and no body: they hold the requester's address
            # and working links (a confirmation token, a status token whose hash alone is kept
            # elsewhere), which the database must not hold once they have left.
            models.CheckConstraint(
                condition=~Q(status__in=[EmailStatus.SENT, EmailStatus.FAILED])
                | (Q(to=[]) & Q(text="") & Q(html="")),
                name="outbox_email_finished_is_cleared",
            ),
            # A claim always has a time, so that a killed worker's lease can run out.
            models.CheckConstraint(
                condition=~Q(status=EmailStatus.SENDING) | Q(claimed_at__isnull=False),
                name="outbox_email_sending_is_claimed",
            ),
        ]
        indexes = [
            # Used by delivery.deliver_queued (the sweep and the kick after each commit): the
            # few rows still to send among all those ever sent.
            models.Index(
                fields=["next_attempt_at"],
                name="outbox_email_pending",
                condition=Q(status__in=["queued", "sending"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"
