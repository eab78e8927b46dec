"""Messages between an organization and its requesters, and where replies are addressed.

Every request gets a reply address of its own: the organization's reply mailbox, plus-addressed
with a random token (``replies+<token>@example.org``), so that a reply finds its request without
the request's number or the requester's address in it. A message that cannot be matched (a token
we never gave out, or a sender who is not the requester) is *held* for staff instead of being
attached: attaching a stranger's mail to someone's request would put it in their file.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dsar.organizations.tenancy import member_organization_ids


class Direction(models.TextChoices):
    IN = "in", _("from the requester")
    OUT = "out", _("to the requester")


class MessageKind(models.TextChoices):
    """What a message is. Auto-replies and bounces are kept (they show whether our mail arrived)
    but never read as the requester's answer."""

    NORMAL = "normal", _("message")
    AUTO_REPLY = "auto_reply", _("automatic reply")
    BOUNCE = "bounce", _("delivery failure")


class HeldReason(models.TextChoices):
    """Why an inbound message waits for staff instead of joining a request."""

    UNKNOWN_TOKEN = "unknown_token", _("sent to a reply address we did not give out")
    UNKNOWN_SENDER = "unknown_sender", _("sent by someone other than the requester")


def new_reply_token() -> str:
    """120 random bits in lowercase base32 (24 characters): unguessable, and safe in a mailbox's
    local part, which some mail servers lowercase."""
    import base64

    return base64.b32encode(secrets.token_bytes(15)).decode("ascii").lower()


class ReplyAddress(models.Model):
    """The token of a request's reply address. Random, not derived from the request: knowing a
    reference (printed on letters) must not let anyone write into the request's file."""

    request = models.OneToOneField(
        "requests.PrivacyRequest",
        on_delete=models.PROTECT,
        related_name="reply_address",
        verbose_name=_("request"),
    )
    token = models.CharField(_("token"), max_length=40, unique=True, default=new_reply_token)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reply address")
        verbose_name_plural = _("reply addresses")

    def __str__(self) -> str:
        return f"{self.request_id}: reply address"


class CorrespondenceSettings(models.Model):
    """An organization's choices for messages."""

    organization = models.OneToOneField(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="correspondence_settings",
        verbose_name=_("organization"),
    )
    reply_mailbox = models.EmailField(
        _("reply mailbox"),
        blank=True,
        help_text=_(
            "The mailbox replies go to, plus-addressed per request (replies+token@…). Empty: "
            "the installation's DSAR_REPLY_ADDRESS."
        ),
    )
    content_in_email = models.BooleanField(
        _("put the message in the notification email"),
        default=False,
        help_text=_(
            "Off: the email only says there is a new message, to be read on the status page "
            "(email is not a safe place for what a request is about). A request without a "
            "status page always gets the message itself, or it could not be read."
        ),
    )

    class Meta:
        verbose_name = _("message settings")
        verbose_name_plural = _("message settings")

    def __str__(self) -> str:
        return f"{self.organization}: message settings"


class MessageQuerySet(models.QuerySet["Message"]):
    def held(self) -> MessageQuerySet:
        """Waiting for staff: matched to no request, not discarded."""
        return self.filter(request__isnull=True, discarded_at__isnull=True)

    def for_user(self, user: Any) -> MessageQuerySet:
        """Messages of the user's organizations; a held message of no known organization (sent
        to the installation's mailbox with a token we never gave) is for superusers only."""
        if user.is_superuser:
            return self
        return self.filter(organization_id__in=member_organization_ids(user))


class Message(models.Model):
    """One email (or status-page message) to or from a requester."""

    request = models.ForeignKey(
        "requests.PrivacyRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("request"),
        help_text=_("Empty while the message is held for staff."),
    )
    addressed_to = models.ForeignKey(
        "requests.PrivacyRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent to the reply address of"),
        help_text=_("For a message held because of its sender: the request its token names."),
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organization"),
        help_text=_("Whose staff see it; empty for a held message no organization is known for."),
    )
    direction = models.CharField(_("direction"), max_length=3, choices=Direction)
    kind = models.CharField(
        _("kind"), max_length=12, choices=MessageKind, default=MessageKind.NORMAL
    )
    held_reason = models.CharField(_("held because"), max_length=16, choices=HeldReason, blank=True)
    via = models.CharField(
        _("via"),
        max_length=16,
        blank=True,
        help_text=_("email, status_page or webhook (an ESP's inbound route)."),
    )
    sender = models.CharField(_("from"), max_length=320, blank=True)
    recipients = models.JSONField(_("to"), default=list, blank=True)
    subject = models.CharField(_("subject"), max_length=500, blank=True)
    body_text = models.TextField(_("text"), blank=True)
    body_html = models.TextField(
        _("HTML (sanitized)"),
        blank=True,
        help_text=_("Cleaned with nh3 on arrival: no scripts, styles, forms or remote images."),
    )
    message_id = models.CharField(_("Message-ID"), max_length=998, blank=True)
    in_reply_to = models.CharField(_("In-Reply-To"), max_length=998, blank=True)
    rejected_attachments = models.JSONField(
        _("attachments not kept"),
        default=list,
        blank=True,
        help_text=_("[{filename, reason, size}]: files refused by type or size, not stored."),
    )
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("held message handled by"),
    )
    resolved_at = models.DateTimeField(_("held message handled at"), null=True, blank=True)
    discarded_at = models.DateTimeField(_("discarded at"), null=True, blank=True)
    created_at = models.DateTimeField(_("logged at"), auto_now_add=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]
        indexes = [
            # The conversation on the request page and the status page.
            models.Index(fields=["request", "created_at"], name="corr_message_request"),
            # The staff list of held messages.
            models.Index(
                fields=["organization", "created_at"],
                name="corr_message_held",
                condition=Q(request__isnull=True, discarded_at__isnull=True),
            ),
        ]
        constraints = [
            # A mail server or an ESP delivers again after a timeout: the same message is stored
            # once (``services.receive`` returns the one already kept).
            models.UniqueConstraint(
                fields=["message_id"],
                condition=~Q(message_id=""),
                name="corr_message_id_once",
            ),
            # Only inbound mail is held; what is not held belongs to a request (or was discarded).
            models.CheckConstraint(
                condition=Q(held_reason="") | Q(direction=Direction.IN),
                name="corr_only_inbound_held",
            ),
            models.CheckConstraint(
                condition=Q(request__isnull=False)
                | ~Q(held_reason="")
                | Q(discarded_at__isnull=False),
                name="corr_unheld_has_request",
            ),
            models.CheckConstraint(
                condition=Q(direction=Direction.IN) | Q(kind=MessageKind.NORMAL),
                name="corr_outbound_is_normal",
            ),
        ]

    def __str__(self) -> str:
        return f"message {self.pk} ({self.direction})"

    @property
    def is_held(self) -> bool:
        return self.request_id is None and self.discarded_at is None

    @property
    def at(self) -> Any:
        return self.received_at or self.sent_at or self.created_at


class Attachment(models.Model):
    """A file that came with a message: checked by its bytes like the intake's uploads
    (``dsar.intake.files``), stored privately under a random name."""

    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("message")
    )
    filename = models.CharField(_("file name as sent"), max_length=255, blank=True)
    content_type = models.CharField(_("content type (from its bytes)"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    path = models.CharField(_("private path"), max_length=300)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.filename or f"attachment {self.pk}"
