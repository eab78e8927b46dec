"""The Data Rights Protocol (DRP 1.0, the same as 0.9.4): agents, businesses, pairings, requests.

dsar acts as a Covered Business (and as its own Privacy Infrastructure Provider): registered
**authorized agents** send it signed requests on behalf of consumers. The protocol's trust rests
on the agent directory: an ``Agent`` is registered here with the Ed25519 verify key the network's
directory gives for it, out of band. An organization takes part as a ``Business`` under its own
``business-id``. An agent pairs with a business (``POST /v1/agent/{agent-id}``, a signed
message) and gets a bearer token, kept here as its SHA-256 only (``Pairing``).

Each request an agent sends becomes an ordinary ``PrivacyRequest`` (through
``dsar.requests.services.request_log``, channel ``drp``, ``is_agent``), with its protocol record
beside it (``DrpRequest``): the DRP ``request_id`` the agent asks about, and the evidence, i.e.
the signed message as received and the consumer claims it carried. The evidence is personal data:
it is blanked when the request's personal data is purged (``callbacks.on_events``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
import uuid

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dsar.webhooks.models import OutboxItem

#: The protocol version dsar speaks, and those it accepts from agents (1.0 changed nothing in
#: the messages since 0.9.4; 0.9.x requests have the same shape).
VERSION = "1.0"
ACCEPTED_VERSIONS = ("1.0", "0.9", "0.9.1", "0.9.2", "0.9.3", "0.9.4")

IDENTIFIER = RegexValidator(
    r"\A[A-Za-z0-9_.-]{1,100}\Z",
    _("Letters, digits, underscores, dots and hyphens (the directory uses upper case and _)."),
)


class Action(models.TextChoices):
    """The rights actions of the protocol (DRP §3.01), all under the CCPA or voluntary."""

    ACCESS = "access", _("access (right to know)")
    ACCESS_CATEGORIES = "access:categories", _("access: categories")
    ACCESS_SPECIFIC = "access:specific", _("access: specific pieces")
    DELETION = "deletion", _("deletion")
    SALE_OPT_OUT = "sale:opt-out", _("opt-out of sale")
    SALE_OPT_IN = "sale:opt-in", _("opt-in to sale (reconsent)")

    @property
    def right_kind(self) -> str | None:
        """The right dsar logs it as; None for an action that is no rights request (opting in
        to a sale is consent, which dsar does not record)."""
        return _RIGHTS.get(self)


_RIGHTS = {
    Action.ACCESS: "access",
    Action.ACCESS_CATEGORIES: "access",
    Action.ACCESS_SPECIFIC: "access",
    Action.DELETION: "erasure",
    Action.SALE_OPT_OUT: "opt_out_sale",
}


def decode_verify_key(value: str) -> bytes:
    """The 32 bytes of an Ed25519 verify key given in base64 (DRP 0.9.1 and later) or hex (the
    directory of 0.9). Raises ValidationError."""
    text = value.strip()
    try:
        raw = (
            bytes.fromhex(text)
            if len(text) == 64 and all(c in "0123456789abcdefABCDEF" for c in text)
            else base64.b64decode(text, validate=True)
        )
    except (binascii.Error, ValueError):
        raise ValidationError(_("Not base64 (nor hex).")) from None
    if len(raw) != 32:
        raise ValidationError(
            _("An Ed25519 verify key is 32 bytes; this is %(n)d.") % {"n": len(raw)}
        )
    return raw


def validate_verify_key(value: str) -> None:
    decode_verify_key(value)


class Agent(models.Model):
    """An authorized agent of the DRP network, as its directory entry gives it (DRP §3.05.1).

    Agents are the installation's, not one organization's: the directory is the network's trust
    root, and a superuser registers an agent once for every business here."""

    agent_id = models.CharField(_("agent-id"), max_length=100, unique=True, validators=[IDENTIFIER])
    name = models.CharField(_("name"), max_length=200, help_text=_("As consumers know it."))
    verify_key = models.CharField(
        _("verify key"),
        max_length=100,
        validators=[validate_verify_key],
        help_text=_("The agent's Ed25519 public key from the DRP directory, in base64."),
    )
    web_url = models.URLField(_("web site"), blank=True)
    identity_assurance_url = models.URLField(
        _("identity assurance"),
        blank=True,
        help_text=_("How the agent verifies a consumer's identity (its directory entry)."),
    )
    technical_contact = models.CharField(_("technical contact"), max_length=200, blank=True)
    business_contact = models.CharField(_("business contact"), max_length=200, blank=True)
    active = models.BooleanField(
        _("accepted"), default=True, help_text=_("Off: its pairings and requests are refused.")
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("authorized agent")
        verbose_name_plural = _("authorized agents")
        ordering = ["name", "agent_id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.agent_id})"

    @property
    def key_bytes(self) -> bytes:
        return decode_verify_key(self.verify_key)


def default_actions() -> list[str]:
    return [a.value for a in Action if a.right_kind is not None]


class Business(models.Model):
    """An organization's place in the DRP network: its ``business-id`` and the actions it takes."""

    organization = models.OneToOneField(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="drp_business",
        verbose_name=_("organization"),
    )
    business_id = models.CharField(
        _("business-id"),
        max_length=100,
        unique=True,
        validators=[IDENTIFIER],
        help_text=_("The identifier the DRP directory lists the organization under."),
    )
    enabled = models.BooleanField(
        _("accepting DRP requests"),
        default=True,
        help_text=_(
            "Add a channel of kind 'Data Rights Protocol' to the policy, for each right it "
            "offers this way: requests are otherwise flagged as sent through a channel the "
            "policy does not offer."
        ),
    )
    actions = models.JSONField(
        _("actions"), default=default_actions, help_text=_("The DRP actions accepted.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("DRP business")
        verbose_name_plural = _("DRP businesses")
        ordering = ["business_id"]

    def __str__(self) -> str:
        return self.business_id

    def accepts(self, action: str) -> bool:
        return action in self.actions and action in Action.values


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Pairing(models.Model):
    """An agent's bearer token for one business (DRP §2.05): only its digest is kept, so a copy
    of the database holds no token an agent could be impersonated with."""

    agent = models.ForeignKey(
        Agent, on_delete=models.CASCADE, related_name="pairings", verbose_name=_("agent")
    )
    business = models.ForeignKey(
        Business, on_delete=models.CASCADE, related_name="pairings", verbose_name=_("business")
    )
    token_digest = models.CharField(_("token (SHA-256)"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("paired at"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("agent pairing")
        verbose_name_plural = _("agent pairings")
        ordering = ["-created_at"]
        constraints = [
            # Pairing again replaces the token: one live token per agent and business.
            models.UniqueConstraint(fields=["agent", "business"], name="drp_one_pairing_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.agent_id} → {self.business_id}"

    @staticmethod
    def new_token() -> str:
        """A token from the operating system's CSPRNG (DRP §2.05.1)."""
        return secrets.token_urlsafe(32)


class DrpRequest(models.Model):
    """The protocol's record of a request an agent sent: its ids, and the evidence."""

    request = models.OneToOneField(
        "requests.PrivacyRequest",
        on_delete=models.PROTECT,
        related_name="drp",
        verbose_name=_("request"),
    )
    public_id = models.UUIDField(
        _("DRP request_id"),
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text=_("The request_id the agent is given and asks about."),
    )
    agent = models.ForeignKey(
        Agent, on_delete=models.PROTECT, related_name="requests", verbose_name=_("agent")
    )
    business = models.ForeignKey(
        Business, on_delete=models.PROTECT, related_name="requests", verbose_name=_("business")
    )
    agent_request_id = models.CharField(_("agent's request id"), max_length=200, blank=True)
    exercise = models.CharField(_("action"), max_length=32, choices=Action)
    regime = models.CharField(_("regime"), max_length=32, blank=True)
    relationships = models.JSONField(_("relationships"), default=list, blank=True)
    status_callback = models.URLField(_("status callback"), max_length=2000, blank=True)
    issued_at = models.DateTimeField(_("issued at"))
    expires_at = models.DateTimeField(_("expires at"))
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    claims = models.JSONField(
        _("consumer claims"),
        default=dict,
        blank=True,
        help_text=_("The identity the agent attests (schema.org/Person): personal data."),
    )
    signed_message = models.TextField(
        _("signed message as received"),
        blank=True,
        help_text=_(
            "Base64, the agent's Ed25519 signature first: its proof that the agent asked. "
            "Blanked with the request's personal data."
        ),
    )
    message_digest = models.CharField(
        _("message SHA-256"),
        max_length=64,
        unique=True,
        help_text=_("A signed message is acted on once: a replay finds this and logs nothing."),
    )
    evidence_purged_at = models.DateTimeField(_("evidence purged at"), null=True, blank=True)

    class Meta:
        verbose_name = _("DRP request")
        verbose_name_plural = _("DRP requests")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("issued_at")),
                name="drp_request_expires_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return str(self.public_id)


class StatusCallback(OutboxItem):
    """A status update owed to the agent's ``status_callback`` (DRP §2.03), sent at least once
    with the request's status as it is when sent (the latest is what the agent needs)."""

    drp_request = models.ForeignKey(
        DrpRequest,
        on_delete=models.CASCADE,
        related_name="callbacks",
        verbose_name=_("DRP request"),
    )
    source = models.CharField(_("source"), max_length=64, editable=False)
    last_body = models.TextField(_("last status sent"), blank=True)

    class Meta:
        verbose_name = _("DRP status callback")
        verbose_name_plural = _("DRP status callbacks")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["drp_request", "source"], name="drp_callback_once_per_source"
            ),
        ]
        indexes = [
            # Used by callbacks.deliver_pending() on every run: the callbacks still to send.
            models.Index(
                fields=["next_attempt_at"],
                name="drp_callback_outbox",
                condition=Q(status="pending"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.drp_request_id}: {self.source}"
