"""Who a staff member is at the identity provider: the link single sign-on logs them in by."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OidcIdentity(models.Model):
    """A staff account's identity at an OpenID Connect provider: the issuer and the subject
    (``sub``) it gives, which never changes, unlike the email address. A login is matched on
    this pair only, never on an email address: an address set at the provider must not open a
    local account that happens to carry it (a superuser's, say)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="oidc_identities",
        verbose_name=_("user"),
    )
    issuer = models.CharField(_("issuer"), max_length=500)
    subject = models.CharField(_("subject"), max_length=255)
    created_at = models.DateTimeField(_("first login"), default=timezone.now)
    last_login_at = models.DateTimeField(_("last login"), null=True, blank=True)
    groups = models.JSONField(
        _("groups at last login"),
        default=list,
        blank=True,
        help_text=_("The provider's groups claim, as the last login gave it."),
    )

    class Meta:
        verbose_name = _("single sign-on identity")
        verbose_name_plural = _("single sign-on identities")
        ordering = ["issuer", "subject"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "subject"], name="accounts_one_user_per_identity"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} @ {self.issuer}"
