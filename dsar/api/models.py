"""API keys of an organization, and the idempotency keys of the requests created with them.

A key is shown once, when it is made (``dsar.api.keys.api_key_create``), and only its SHA-256 is
stored: a database dump gives nobody a working key. Its short public prefix finds the row; the
hash, compared in constant time, proves the rest. A key belongs to one organization and sees only
its data (tenancy, as the staff pages), with a scope (read: GETs; write: everything), an optional
expiry, a last use and a revocation, all on this row.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    """What a key may do: read answers GETs only; write may also create and act."""

    READ = "read", _("read (GET only)")
    WRITE = "write", _("write (read, create requests and act on them)")


class ApiKeyQuerySet(models.QuerySet["ApiKey"]):
    def usable(self, now: datetime.datetime) -> ApiKeyQuerySet:
        """Keys neither revoked nor expired at ``now``."""
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )


class ApiKey(models.Model):
    """A secret an organization's own system sends as ``Authorization: Bearer <key>``."""

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="api_keys",
        verbose_name=_("organization"),
        help_text=_("The key sees this organization's data only."),
    )
    name = models.CharField(
        _("name"),
        max_length=60,
        help_text=_(
            "What uses the key, e.g. crm-sync. Events the key writes are labelled api:<name>."
        ),
    )
    prefix = models.CharField(
        _("prefix"),
        max_length=16,
        unique=True,
        editable=False,
        help_text=_("The key's public beginning, which finds it (dsar_<prefix>_…)."),
    )
    key_hash = models.CharField(
        _("SHA-256 of the key"), max_length=64, editable=False, help_text=_("Never the key.")
    )
    scope = models.CharField(_("scope"), max_length=8, choices=Scope, default=Scope.READ)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
        editable=False,
    )
    expires_at = models.DateTimeField(
        _("expires at"), null=True, blank=True, help_text=_("Empty: until revoked.")
    )
    last_used_at = models.DateTimeField(
        _("last used at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Updated at most once a minute."),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
        editable=False,
    )

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["organization", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(key_hash__regex=r"^[0-9a-f]{64}$"), name="api_key_hash_is_sha256"
            ),
            models.CheckConstraint(
                condition=Q(prefix__regex=r"^[a-z0-9]{8,16}$"), name="api_key_prefix_format"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def label(self) -> str:
        """How the key is named on the audit trail and in the access log."""
        return f"api:{self.name or self.prefix}"

    def state(self, now: datetime.datetime | None = None) -> str:
        """The key's state at ``now``: "revoked", "expired" or "active"."""
        now = now or timezone.now()
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return "active"

    @property
    def can_write(self) -> bool:
        return self.scope == Scope.WRITE


class IdempotencyKey(models.Model):
    """A client's ``Idempotency-Key`` on a request creation, per API key, until ``expires_at``.

    The row is inserted in the transaction that creates the request; a second post with the
    same key waits on the row's unique index until the first commits, then reads the answer
    stored here (``dsar.api.idempotency``). The body is kept only as its SHA-256, to tell a
    retry from a different request under a reused key; the answer holds the created request
    as the API returned it (personal data, purged with the row at expiry).
    """

    api_key = models.ForeignKey(
        ApiKey, on_delete=models.CASCADE, related_name="+", verbose_name=_("API key")
    )
    key = models.CharField(_("idempotency key"), max_length=255)
    body_sha256 = models.CharField(_("SHA-256 of the body"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True, blank=True)
    response: Any = models.JSONField(_("response"), null=True, blank=True)
    request = models.ForeignKey(
        "requests.PrivacyRequest",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("request"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["api_key", "key"], name="api_idempotency_one_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.api_key_id}:{self.key}"
