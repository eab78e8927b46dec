"""The public side of a request: what the web form received, and what the requester may download.

``IntakeSubmission`` is one row per request received through the public form. It keeps what
only the public side needs: when the requester confirmed their email address, the details their
right asks for, and an authorized agent's signed authorization. The request itself (status,
deadline, audit trail) lives in ``dsar.requests``.

``ReleasedFile`` is a letter or data package released to the requester: the status page lists
it and serves it through an expiring link. ``dsar.intake.services.release_file`` creates one.

``StatusLink`` is a link to the status page; only the SHA-256 of its random token is stored.

``GpcSignal`` records that a browser sent the Global Privacy Control signal (``Sec-GPC: 1``) to an
organization's public pages: one row per browser and organization, the browser known only by the
SHA-256 of a random id kept in its own cookie (``dsar.intake.gpc``).

Files live under ``settings.PRIVATE_STORAGE_ROOT``, never under a static or media path: the
models keep a path relative to it, not a ``FileField``, so that no code can ask them for a URL.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class IntakeSubmission(models.Model):
    """A request received through the public form, and the requester's way back to it."""

    request = models.OneToOneField(
        "requests.PrivacyRequest",
        on_delete=models.PROTECT,
        related_name="intake",
        verbose_name=_("request"),
    )
    details = models.JSONField(
        _("details for the right"),
        default=dict,
        blank=True,
        help_text=_(
            "What the right needs, as the requester gave it: for rectification what is wrong "
            "and what is right; for Cal. B&P 22581 a description of the content; for "
            "portability the format and the recipient."
        ),
    )
    confirmation_asked = models.BooleanField(
        _("email confirmation asked"),
        default=True,
        db_default=True,  # the previous release, still serving while this migrates, leaves it out
        help_text=_(
            "False for an opt-out and an appeal: they are acted on at once, without a "
            "confirmation link (Cal. Code Regs. tit. 11 §7060(b))."
        ),
    )
    verification_sent_at = models.DateTimeField(
        _("confirmation link last sent at"), null=True, blank=True
    )
    verification_sends = models.PositiveSmallIntegerField(_("confirmation links sent"), default=1)
    verified_at = models.DateTimeField(
        _("email confirmed at"),
        null=True,
        blank=True,
        help_text=_("When the requester followed the link sent to their email address."),
    )
    authorization_path = models.CharField(
        _("agent's authorization"),
        max_length=255,
        blank=True,
        help_text=_("Path under PRIVATE_STORAGE_ROOT of the signed authorization an agent sent."),
    )
    authorization_type = models.CharField(_("authorization type"), max_length=40, blank=True)
    authorization_size = models.PositiveIntegerField(_("authorization size"), null=True, blank=True)
    authorization_sha256 = models.CharField(_("authorization SHA-256"), max_length=64, blank=True)
    closed_unverified_at = models.DateTimeField(
        _("closed unconfirmed at"),
        null=True,
        blank=True,
        help_text=_("When close_unverified() closed the request and sent the notice."),
    )
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("web-form submission")
        verbose_name_plural = _("web-form submissions")
        ordering = ["-created_at", "-id"]
        indexes = [
            # Submissions still waiting for the confirmation.
            models.Index(
                fields=["created_at"],
                name="intake_unconfirmed",
                condition=Q(verified_at__isnull=True, closed_unverified_at__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(authorization_path="") | ~Q(authorization_sha256=""),
                name="intake_authorization_has_checksum",
            ),
            models.CheckConstraint(
                condition=Q(closed_unverified_at__isnull=True) | Q(verified_at__isnull=True),
                name="intake_closed_unverified_only_when_unverified",
            ),
        ]

    def __str__(self) -> str:
        return str(self.request)

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def awaits_confirmation(self) -> bool:
        """Whether the requester was sent a confirmation link they have not followed yet."""
        return self.confirmation_asked and self.verified_at is None


class StatusLinkQuerySet(models.QuerySet["StatusLink"]):
    def usable(self, now: datetime.datetime) -> StatusLinkQuerySet:
        """Links that still open their status page at ``now``: not revoked, and made less than
        ``DSAR_STATUS_LINK_DAYS`` ago. An email forwarded, or a mailbox read by someone else
        months later, no longer shows the request; the requester can have a new link sent to
        the request's address."""
        return self.filter(revoked_at__isnull=True, created_at__gt=now - status_link_lifetime())


def status_link_lifetime() -> datetime.timedelta:
    return datetime.timedelta(days=settings.DSAR_STATUS_LINK_DAYS)


class StatusLink(models.Model):
    """A link to the requester's status page: 256 random bits, of which only the hash is kept.

    Every email that carries a status link makes a new one, so the links of earlier emails keep
    working until they expire (``usable``); the token itself is only ever in those emails and in
    the path of the one request that follows it (``dsar.intake.grants``).
    """

    submission = models.ForeignKey(
        IntakeSubmission,
        on_delete=models.CASCADE,
        related_name="status_links",
        verbose_name=_("submission"),
    )
    token_hash = models.CharField(
        _("token hash"), max_length=64, unique=True, editable=False, help_text=_("SHA-256.")
    )
    created_at = models.DateTimeField(_("made at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(
        _("revoked at"), null=True, blank=True, help_text=_("A revoked link opens nothing.")
    )

    objects = StatusLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("status link")
        verbose_name_plural = _("status links")
        ordering = ["submission", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.submission} #{self.pk}"


class ReleasedFile(models.Model):
    """A letter or file released to the requester, downloadable from their status page."""

    class Kind(models.TextChoices):
        LETTER = "letter", _("letter")
        DATA_PACKAGE = "data_package", _("copy of your data")
        OTHER = "other", _("document")

    request = models.ForeignKey(
        "requests.PrivacyRequest",
        on_delete=models.PROTECT,
        related_name="released_files",
        verbose_name=_("request"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind, default=Kind.LETTER)
    title = models.CharField(
        _("title"), max_length=200, help_text=_("Shown to the requester on the status page.")
    )
    filename = models.CharField(
        _("download name"),
        max_length=150,
        help_text=_("The file name the requester's browser saves."),
    )
    path = models.CharField(
        _("path"), max_length=255, help_text=_("Path under PRIVATE_STORAGE_ROOT.")
    )
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    released_at = models.DateTimeField(_("released at"))
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("released by"),
    )
    withdrawn_at = models.DateTimeField(
        _("withdrawn at"),
        null=True,
        blank=True,
        help_text=_("Set when a file released by mistake is taken back; it is no longer served."),
    )

    class Meta:
        verbose_name = _("released file")
        verbose_name_plural = _("released files")
        ordering = ["request", "released_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["path"], name="intake_released_file_path_unique"),
        ]

    def __str__(self) -> str:
        return self.title


class Throttle(models.Model):
    """One rate-limit counter: how many times a key was seen in a fixed time window.

    The key is an HMAC of the email address or network, never the address itself.
    """

    scope = models.CharField(_("scope"), max_length=24)
    key = models.CharField(_("key"), max_length=64)
    bucket = models.BigIntegerField(_("window"), help_text=_("Unix time // window length."))
    count = models.PositiveIntegerField(_("count"), default=0)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("rate-limit counter")
        verbose_name_plural = _("rate-limit counters")
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "key", "bucket"], name="intake_throttle_one_row_per_window"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key[:8]}@{self.bucket}={self.count}"


class GpcSignal(models.Model):
    """A browser that sent the Global Privacy Control signal to an organization's public pages.

    The signal is a request to opt out of the sale and sharing of personal information (Cal.
    Code Regs. tit. 11 §7025; docs/us-state-laws.md §3), whoever the browser's user is: the
    organization must honour it for that browser even when it never learns who uses it. One row
    per browser and organization, kept as proof that the signal was received and when. The
    browser is known only by the SHA-256 of a random id in its own cookie: no address, no user
    agent, nothing that identifies the person.
    """

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="gpc_signals",
        verbose_name=_("organization"),
    )
    browser_hash = models.CharField(
        _("browser hash"),
        max_length=64,
        editable=False,
        help_text=_("SHA-256 of the random id in the browser's cookie."),
    )
    first_seen_at = models.DateTimeField(_("first received at"))
    last_seen_at = models.DateTimeField(_("last received at"))

    class Meta:
        verbose_name = _("Global Privacy Control signal")
        verbose_name_plural = _("Global Privacy Control signals")
        ordering = ["organization", "-last_seen_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "browser_hash"], name="intake_gpc_one_row_per_browser"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.browser_hash[:8]}"
