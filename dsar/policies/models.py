"""What a privacy policy promises, version by version.

A ``PolicyVersion`` holds the full text of one version of an organization's privacy policy and,
as child rows, what that text promises: rights, the channels they can be exercised through, the
labels a request must carry, and the Art. 15 facts (data categories, purposes, recipients,
retention, sources). A request is bound to the version in force when it was received, so a
published version and all its rows are immutable: an edit is a new draft, put in force later.

Immutability is enforced in ``save()``/``delete()`` of every row, in the querysets' ``update()``
and ``delete()``, and for the many-to-many links by an ``m2m_changed`` guard at the bottom of this
module; the admin shows published versions read-only.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.signals import m2m_changed
from django.utils.translation import gettext_lazy as _

from dsar.deadlines import Rule

if TYPE_CHECKING:
    from dsar.organizations.models import Organization

# The deadline engine's rule codes, for the fields that name one.
RULE_CHOICES = [(rule.value, rule.label) for rule in Rule]


class PublishedPolicyError(ValidationError):
    """Raised on any attempt to change the content of a policy version that has been published.

    A ValidationError, so that an admin form that races a publication shows a message, not a 500.
    """


class RightKind(models.TextChoices):
    """The rights a policy can promise; ``dsar.jurisdictions.Right`` plus credential_removal."""

    ACCESS = "access", _("access")
    RECTIFICATION = "rectification", _("rectification")
    ERASURE = "erasure", _("erasure")
    RESTRICTION = "restriction", _("restriction of processing")
    OBJECTION = "objection", _("objection")
    PORTABILITY = "portability", _("data portability")
    WITHDRAW_CONSENT = "withdraw_consent", _("withdrawal of consent")
    MARKETING_OPT_OUT = "marketing_opt_out", _("marketing opt-out")
    SHINE_THE_LIGHT = "shine_the_light", _("direct-marketing disclosures (Cal. Civ. 1798.83)")
    MINOR_CONTENT_REMOVAL = "minor_content_removal", _("minor's content removal (Cal. B&P 22581)")
    PUBLIC_CONTENT_REMOVAL = "public_content_removal", _("removal from public areas")
    ACCOUNT_CLOSURE = "account_closure", _("account closure")
    RETENTION_INFO = "retention_info", _("retention periods on request")
    COMPLAINT = "complaint", _("complaint")
    CREDENTIAL_REMOVAL = "credential_removal", _("removal of lost or stolen credentials")
    # US state opt-outs and California's limit (``dsar.jurisdictions.OPT_OUTS``): the law gives
    # them whether or not the policy promises them.
    OPT_OUT_SALE = "opt_out_sale", _("opt-out of sale or sharing of personal information")
    OPT_OUT_TARGETED_ADS = "opt_out_targeted_ads", _("opt-out of targeted advertising")
    OPT_OUT_PROFILING = "opt_out_profiling", _("opt-out of profiling")
    LIMIT_SENSITIVE = "limit_sensitive", _("limit the use of sensitive personal information")
    # A requester's appeal of a refusal (a request of its own, linked to the one refused).
    APPEAL = "appeal", _("appeal of a refusal")

    @property
    def is_opt_out(self) -> bool:
        """An opt-out (or California's limit): handled at once, without identity verification
        (Cal. Code Regs. tit. 11 §7060(b); docs/legal-decisions.md, "Opt-outs")."""
        return self in OPT_OUT_KINDS


OPT_OUT_KINDS = frozenset(
    {
        RightKind.OPT_OUT_SALE,
        RightKind.OPT_OUT_TARGETED_ADS,
        RightKind.OPT_OUT_PROFILING,
        RightKind.LIMIT_SENSITIVE,
    }
)


class Declaration(models.TextChoices):
    """What a policy says about a practice that gives rise to a right (selling, sharing…)."""

    YES = "yes", _("yes")
    NO = "no", _("no")
    NOT_STATED = "not_stated", _("not stated")


class ChannelKind(models.TextChoices):
    EMAIL = "email", _("email")
    POSTAL_MAIL = "postal_mail", _("postal mail")
    CERTIFIED_MAIL = "certified_mail", _("certified mail")
    PHONE = "phone", _("telephone")
    FAX = "fax", _("fax")
    WEB_FORM = "web_form", _("web form")
    SELF_SERVICE = "self_service", _("self-service (account page)")
    # Logged by the organization's own systems through dsar's REST API (dsar.api).
    API = "api", _("API")
    # Sent by a registered authorized agent under the Data Rights Protocol (dsar.drp).
    DRP = "drp", _("Data Rights Protocol (authorized agent)")

    @property
    def reached_at_an_address(self) -> bool:
        """Whether a requester needs the address to use the channel at all (not self-service)."""
        return self is not ChannelKind.SELF_SERVICE


class LabelPlacement(models.TextChoices):
    """Where a label must appear, as the policy demands (IMG: 'Your California Privacy Rights')."""

    SUBJECT = "subject", _("subject line")
    LETTER = "letter", _("in the letter")
    SUBJECT_OR_LETTER = "subject_or_letter", _("subject line or letter")


class IdentityVerification(models.TextChoices):
    REQUIRED = "required", _("required")
    MAY_REQUEST = "may_request", _("may be requested")
    NOT_REQUIRED = "not_required", _("not required")


class Fee(models.TextChoices):
    FREE = "free", _("free")
    FREE_UNLESS_UNFOUNDED_OR_EXCESSIVE = (
        "free_unless_unfounded_or_excessive",
        _("free unless unfounded or excessive"),
    )
    FREE_UNLESS_DISPROPORTIONATE_EFFORT = (
        "free_unless_disproportionate_effort",
        _("free unless disproportionate effort"),
    )
    NOT_STATED = "not_stated", _("not stated")


class FrequencyLimit(models.TextChoices):
    NONE = "none", _("none")
    ONCE_PER_CALENDAR_YEAR = "once_per_calendar_year", _("once per calendar year")


class PolicyVersionStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    IN_FORCE = "in_force", _("in force")
    RETIRED = "retired", _("retired")


# -- Versions --------------------------------------------------------------------------------------

# All that changes once a version is published: it is retired (at a moment).
LIFECYCLE_FIELDS = frozenset({"status", "in_force_until"})


class PolicyVersionQuerySet(models.QuerySet["PolicyVersion"]):
    def in_force(self) -> PolicyVersionQuerySet:
        """The versions in force now (at most one per organization)."""
        return self.filter(status=PolicyVersionStatus.IN_FORCE)

    def in_force_for(
        self, organization: Organization, *, when: datetime.datetime | None = None
    ) -> PolicyVersion | None:
        """The version of ``organization`` that binds requests received now, or at ``when`` (an
        aware datetime); None before its first policy is loaded."""
        versions = self.filter(organization=organization)
        return (versions.in_force() if when is None else versions.in_force_on(when)).first()

    def in_force_on(self, when: datetime.datetime) -> PolicyVersionQuerySet:
        """The versions in force at ``when``: the ones a request received then is bound to.

        A version is in force from the moment it was published (``in_force_from``, included) to
        the moment the next one was (``in_force_until``, excluded).
        """
        return self.filter(in_force_from__lte=when).filter(
            models.Q(in_force_until__isnull=True) | models.Q(in_force_until__gt=when)
        )

    def drafts(self) -> PolicyVersionQuerySet:
        return self.filter(status=PolicyVersionStatus.DRAFT)

    def published(self) -> PolicyVersionQuerySet:
        return self.exclude(status=PolicyVersionStatus.DRAFT)

    def update(self, **kwargs: Any) -> int:
        if not set(kwargs) <= LIFECYCLE_FIELDS and self.published().exists():
            raise PublishedPolicyError(_("A published policy version cannot be changed."))
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self.published().exists():
            raise PublishedPolicyError(_("A published policy version cannot be deleted."))
        return super().delete()


class PolicyVersion(models.Model):
    """One version of an organization's privacy policy: its full text and what it promises."""

    organization = models.ForeignKey(
        "organizations.Organization",
        # Requests are bound to published versions: an organization with a policy stays.
        on_delete=models.PROTECT,
        related_name="policy_versions",
        verbose_name=_("organization"),
    )
    number = models.PositiveIntegerField(
        _("version"), help_text=_("1, 2, 3… per organization, in order of creation.")
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=PolicyVersionStatus,
        default=PolicyVersionStatus.DRAFT,
        help_text=_(
            "Only a draft can be edited. Putting a draft in force retires the version in force; "
            "a retired version stays, because requests received under it are bound to it."
        ),
    )
    title = models.CharField(_("title"), max_length=200)
    effective_date = models.DateField(
        _("effective date"),
        null=True,
        blank=True,
        help_text=_("The policy's own 'last updated' date, or the archive date; blank if unknown."),
    )
    source = models.CharField(
        _("source"), max_length=500, blank=True, help_text=_("URL, or the file it came from.")
    )
    text = models.TextField(
        _("full text"),
        help_text=_("The policy's text, unchanged: every clause and quote must be found in it."),
    )
    minimum_age = models.PositiveSmallIntegerField(
        _("minimum age"), null=True, blank=True, help_text=_("Blank when the policy states none.")
    )
    minimum_age_clause = models.TextField(_("minimum age clause"), blank=True)
    # What the policy declares about the practices the US state opt-outs are about. They decide
    # which opt-outs the public form offers and what the policy lint asks for.
    sells = models.CharField(
        _("sells personal information"),
        max_length=12,
        choices=Declaration,
        default=Declaration.NOT_STATED,
        help_text=_("Sale: Cal. Civ. Code §1798.140(ad); e.g. Va. Code §59.1-575."),
    )
    sells_clause = models.TextField(_("clause on selling"), blank=True)
    shares = models.CharField(
        _("shares for targeted advertising"),
        max_length=12,
        choices=Declaration,
        default=Declaration.NOT_STATED,
        help_text=_(
            "Sharing for cross-context behavioral advertising (Cal. Civ. Code §1798.140(ah)); "
            "targeted advertising in the other states' laws."
        ),
    )
    shares_clause = models.TextField(_("clause on sharing"), blank=True)
    sensitive_beyond_permitted = models.CharField(
        _("uses sensitive personal information beyond the permitted purposes"),
        max_length=12,
        choices=Declaration,
        default=Declaration.NOT_STATED,
        help_text=_("Beyond the purposes of Cal. Code Regs. tit. 11 §7027(m)."),
    )
    sensitive_clause = models.TextField(_("clause on sensitive information"), blank=True)
    profiles = models.CharField(
        _("profiles for decisions with legal effects"),
        max_length=12,
        choices=Declaration,
        default=Declaration.NOT_STATED,
        help_text=_(
            "Profiling in furtherance of decisions that produce legal or similarly significant "
            "effects (e.g. Va. Code §59.1-577(A)(5))."
        ),
    )
    profiles_clause = models.TextField(_("clause on profiling"), blank=True)
    content_hash = models.CharField(
        _("content hash"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_(
            "SHA-256 of the version's normalized policy-file data, set when it is put in force; "
            "load_policy compares it to tell an unchanged file from a changed one."
        ),
    )
    based_on = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("based on"),
        help_text=_("The version this draft was copied from."),
    )
    in_force_from = models.DateTimeField(_("in force from"), null=True, blank=True)
    in_force_until = models.DateTimeField(_("in force until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("put in force by"),
    )

    objects = PolicyVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")
        ordering = ["organization", "-number"]
        permissions = [("publish_policyversion", _("Can put a policy version in force"))]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=models.Q(status=PolicyVersionStatus.IN_FORCE),
                name="policies_one_version_in_force_per_organization",
                violation_error_message=_("This organization already has a version in force."),
            ),
            models.UniqueConstraint(
                fields=["organization", "number"], name="policies_version_number_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="policies_version_number_positive"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        status=PolicyVersionStatus.DRAFT,
                        in_force_from__isnull=True,
                        in_force_until__isnull=True,
                    )
                    | models.Q(
                        status=PolicyVersionStatus.IN_FORCE,
                        in_force_from__isnull=False,
                        in_force_until__isnull=True,
                    )
                    | models.Q(
                        status=PolicyVersionStatus.RETIRED,
                        in_force_from__isnull=False,
                        in_force_until__isnull=False,
                    )
                ),
                name="policies_version_dates_match_status",
            ),
            models.CheckConstraint(
                condition=models.Q(in_force_until__isnull=True)
                | models.Q(in_force_until__gte=models.F("in_force_from")),
                name="policies_version_in_force_until_after_from",
            ),
        ]
        indexes = [
            # Used by in_force_on(), when a request is bound to the version in force on receipt.
            models.Index(
                fields=["organization", "in_force_from"], name="policies_version_in_force"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization.slug} v{self.number} ({self.get_status_display()})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save, refusing any change to a published version but its lifecycle fields."""
        if self.pk is not None:
            stored = PolicyVersion.objects.filter(pk=self.pk).first()
            if stored is not None and not stored.is_draft:
                changed = {
                    field.name
                    for field in self._meta.concrete_fields
                    if getattr(self, field.attname) != getattr(stored, field.attname)
                }
                # In force → retired is the only move; a retired version never changes again.
                moves_on = stored.status == PolicyVersionStatus.IN_FORCE and self.status in {
                    PolicyVersionStatus.IN_FORCE,
                    PolicyVersionStatus.RETIRED,
                }
                if changed - LIFECYCLE_FIELDS or (changed and not moves_on):
                    raise PublishedPolicyError(
                        _(
                            "Version %(version)s is published and cannot be changed; create a new "
                            "draft from it instead."
                        ),
                        params={"version": stored.number},
                    )
        if self.number is None and self.organization_id is not None:
            self.number = PolicyVersion.next_number(self.organization)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if PolicyVersion.objects.filter(pk=self.pk).published().exists():
            raise PublishedPolicyError(
                _("Version %(version)s is published and cannot be deleted."),
                params={"version": self.number},
            )
        return super().delete(*args, **kwargs)

    @property
    def is_draft(self) -> bool:
        return self.status == PolicyVersionStatus.DRAFT

    @staticmethod
    def next_number(organization: Organization) -> int:
        last = PolicyVersion.objects.filter(organization=organization).aggregate(
            models.Max("number")
        )["number__max"]
        return (last or 0) + 1


# -- The content of a version ----------------------------------------------------------------------


class PolicyContentQuerySet(models.QuerySet[Any]):
    """Refuses bulk updates and deletes that would touch a published version's rows."""

    def _touches_published(self) -> bool:
        path = self.model.VERSION_PATH
        return self.exclude(**{f"{path}__status": PolicyVersionStatus.DRAFT}).exists()

    def update(self, **kwargs: Any) -> int:
        if self._touches_published():
            raise PublishedPolicyError(_("The rows of a published policy version cannot change."))
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self._touches_published():
            raise PublishedPolicyError(_("The rows of a published policy version cannot change."))
        return super().delete()


class PolicyContent(models.Model):
    """A row of a version's content: editable while the version is a draft, frozen after."""

    # The lookup path from the row to its PolicyVersion.
    VERSION_PATH: ClassVar[str] = "version"

    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Order in the policy file.")
    )

    objects = PolicyContentQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.assert_editable()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        self.assert_editable()
        return super().delete(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        self.assert_editable()

    def _version_ids(self) -> set[int]:
        """The version the row belongs to, and the one it belonged to when last saved."""
        ids = {self.policy_version_id}
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values_list(self.VERSION_PATH, flat=True)
            ids.update(stored)
        return {i for i in ids if i is not None}

    @property
    def policy_version_id(self) -> int | None:
        return self.version_id  # type: ignore[attr-defined]

    def assert_editable(self) -> None:
        """Raise PublishedPolicyError unless every version the row touches is a draft."""
        ids = self._version_ids()
        if PolicyVersion.objects.filter(pk__in=ids).published().exists():
            raise PublishedPolicyError(
                _(
                    "This belongs to a published policy version and cannot be changed; create a "
                    "new draft from the version instead."
                )
            )


class Channel(PolicyContent):
    """A way the policy offers to reach the organization: an email address, a mailing address…"""

    version = models.ForeignKey(
        PolicyVersion,
        on_delete=models.CASCADE,
        related_name="channels",
        verbose_name=_("policy version"),
    )
    key = models.SlugField(
        _("key"),
        max_length=50,
        help_text=_(
            "Unique in the version; the policy file's rights refer to channels by key. The kind, "
            "unless two channels share a kind (then e.g. postal_mail-privacy)."
        ),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ChannelKind)
    address = models.TextField(
        _("address"),
        blank=True,
        help_text=_(
            "Email address, postal address, number or URL, as the policy gives it. Blank when "
            "the policy names the channel without its details: then say what is missing in gap."
        ),
    )
    notes = models.TextField(_("notes"), blank=True, help_text=_('e.g. "return receipt requested"'))
    quote = models.TextField(
        _("quote"), blank=True, help_text=_("The policy's verbatim sentence giving the channel.")
    )
    gap = models.TextField(
        _("gap"), blank=True, help_text=_("What the policy leaves out, when the address is blank.")
    )
    designated_for = models.ManyToManyField(
        "policies.Right",
        blank=True,
        related_name="designated_channels",
        verbose_name=_("designated for"),
        help_text=_(
            "Rights for which this is the designated channel. A Shine the Light request "
            "(Cal. Civ. 1798.83(b)) received through a designated channel is due in 30 days, "
            "otherwise in up to 150."
        ),
    )

    class Meta:
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        ordering = ["version", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "key"],
                name="policies_channel_key_unique_in_version",
                violation_error_message=_("Another channel of this version has this key."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.address or _('(no address)')}"


class Right(PolicyContent):
    """A right the policy promises, with its conditions and its deadline."""

    version = models.ForeignKey(
        PolicyVersion,
        on_delete=models.CASCADE,
        related_name="rights",
        verbose_name=_("policy version"),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=RightKind)
    clause = models.TextField(
        _("clause"), help_text=_("The verbatim sentence(s) of the policy promising the right.")
    )
    channels = models.ManyToManyField(
        Channel,
        blank=True,
        related_name="rights",
        verbose_name=_("channels"),
        help_text=_("Channels of the same version through which the right may be exercised."),
    )
    identity_verification = models.CharField(
        _("identity verification"),
        max_length=16,
        choices=IdentityVerification,
        blank=True,
        help_text=_("Blank when the policy does not say."),
    )
    identity_clause = models.TextField(_("identity clause"), blank=True)
    fee = models.CharField(_("fee"), max_length=40, choices=Fee, default=Fee.NOT_STATED)
    fee_clause = models.TextField(_("fee clause"), blank=True)
    frequency_limit = models.CharField(
        _("frequency limit"), max_length=32, choices=FrequencyLimit, default=FrequencyLimit.NONE
    )
    frequency_clause = models.TextField(_("frequency clause"), blank=True)
    deadline_promise = models.CharField(
        _("deadline promise"),
        max_length=200,
        blank=True,
        help_text=_('The policy\'s own words ("one month", "promptly"); blank if it is silent.'),
    )
    deadline_clause = models.TextField(_("deadline clause"), blank=True)
    promise_rule = models.CharField(
        _("promise rule"),
        max_length=40,
        choices=RULE_CHOICES,
        blank=True,
        help_text=_(
            "The deadline rule that encodes a numeric promise; blank for promises in words "
            '("promptly") and silence.'
        ),
    )
    deadline_rule = models.CharField(
        _("deadline rule"),
        max_length=40,
        choices=RULE_CHOICES,
        blank=True,
        help_text=_("The rule the app applies by default: the promise, or the law that applies."),
    )
    internal_target_days = models.PositiveSmallIntegerField(
        _("internal target (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Staff target for promises in words; blank uses the installation default. Never a "
            "legal deadline (legal-rules.md, 'Policy promises in words')."
        ),
    )
    requires = models.JSONField(
        _("requires"),
        default=list,
        blank=True,
        help_text=_("What the requester must provide, in plain words (a list)."),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("right")
        verbose_name_plural = _("rights")
        ordering = ["version", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "kind"],
                name="policies_right_one_per_kind_in_version",
                violation_error_message=_("This version already promises a right of this kind."),
            ),
            models.CheckConstraint(
                condition=models.Q(internal_target_days__isnull=True)
                | models.Q(internal_target_days__gte=1),
                name="policies_right_internal_target_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(promise_rule="") | ~models.Q(deadline_promise=""),
                name="policies_right_promise_rule_needs_a_promise",
                violation_error_message=_(
                    "A promise rule encodes the policy's deadline promise: give the promise too."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class LabelRule(PolicyContent):
    """Words a request must carry on a channel, for a right (e.g. in the email's subject line)."""

    VERSION_PATH = "channel__version"

    channel = models.ForeignKey(
        Channel, on_delete=models.CASCADE, related_name="label_rules", verbose_name=_("channel")
    )
    right = models.ForeignKey(
        Right, on_delete=models.CASCADE, related_name="label_rules", verbose_name=_("right")
    )
    words = models.CharField(_("words"), max_length=200)
    where = models.CharField(_("where"), max_length=20, choices=LabelPlacement)
    quote = models.TextField(
        _("quote"), blank=True, help_text=_("The policy's verbatim sentence demanding the label.")
    )

    class Meta:
        verbose_name = _("label rule")
        verbose_name_plural = _("label rules")
        ordering = ["channel", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "right"], name="policies_label_rule_one_per_channel_and_right"
            ),
        ]

    def __str__(self) -> str:
        return f'"{self.words}" ({self.get_where_display()})'

    @property
    def policy_version_id(self) -> int | None:
        return self.channel.version_id if self.channel_id else None

    def clean(self) -> None:
        super().clean()
        if self.channel_id and self.right_id and self.channel.version_id != self.right.version_id:
            raise ValidationError(_("The right and the channel belong to different versions."))


class Exemption(PolicyContent):
    """A ground the policy keeps for not (fully) complying with a right."""

    VERSION_PATH = "right__version"

    right = models.ForeignKey(
        Right, on_delete=models.CASCADE, related_name="exemptions", verbose_name=_("right")
    )
    name = models.CharField(_("name"), max_length=200)
    clause = models.TextField(_("clause"), blank=True)

    class Meta:
        verbose_name = _("exemption")
        verbose_name_plural = _("exemptions")
        ordering = ["right", "position", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def policy_version_id(self) -> int | None:
        return self.right.version_id if self.right_id else None


class NamedClause(PolicyContent):
    """A fact of GDPR Art. 15(1) the policy states, in a few words plus its verbatim clause."""

    name = models.CharField(_("name"), max_length=300)
    clause = models.TextField(_("clause"), blank=True)

    class Meta(PolicyContent.Meta):
        abstract = True
        ordering = ["version", "position", "id"]

    def __str__(self) -> str:
        return self.name


class DataCategory(NamedClause):
    """What the organization collects (GDPR Art. 15(1)(b))."""

    version = models.ForeignKey(
        PolicyVersion,
        on_delete=models.CASCADE,
        related_name="data_categories",
        verbose_name=_("policy version"),
    )

    class Meta(NamedClause.Meta):
        verbose_name = _("data category")
        verbose_name_plural = _("data categories")


class Purpose(NamedClause):
    """Why it processes personal data (Art. 15(1)(a))."""

    version = models.ForeignKey(
        PolicyVersion,
        on_delete=models.CASCADE,
        related_name="purposes",
        verbose_name=_("policy version"),
    )

    class Meta(NamedClause.Meta):
        verbose_name = _("purpose")
        verbose_name_plural = _("purposes")


class Recipient(NamedClause):
    """To whom it discloses personal data (Art. 15(1)(c))."""

    version = models.ForeignKey(
        PolicyVersion,
        on_delete=models.CASCADE,
        related_name="recipients",
        verbose_name=_("policy version"),
    )

    class Meta(NamedClause.Meta):
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")


class DataSource(NamedClause):
    """Where data comes from when not from the person (Art. 15(1)(g))."""

    version = models.ForeignKey(
        PolicyVersion,
        on_delete=models.CASCADE,
        related_name="sources",
        verbose_name=_("policy version"),
    )

    class Meta(NamedClause.Meta):
        verbose_name = _("data source")
        verbose_name_plural = _("data sources")


class RetentionStatement(PolicyContent):
    """How long it keeps personal data (Art. 15(1)(d)), as the policy puts it."""

    version = models.ForeignKey(
        PolicyVersion,
        on_delete=models.CASCADE,
        related_name="retention",
        verbose_name=_("policy version"),
    )
    statement = models.TextField(_("statement"))
    clause = models.TextField(_("clause"), blank=True)

    class Meta:
        verbose_name = _("retention statement")
        verbose_name_plural = _("retention statements")
        ordering = ["version", "position", "id"]

    def __str__(self) -> str:
        return self.statement


class PolicyGap(PolicyContent):
    """Something a privacy officer must know the policy leaves out."""

    version = models.ForeignKey(
        PolicyVersion,
        on_delete=models.CASCADE,
        related_name="gaps",
        verbose_name=_("policy version"),
    )
    text = models.TextField(_("gap"))

    class Meta:
        verbose_name = _("gap")
        verbose_name_plural = _("gaps")
        ordering = ["version", "position", "id"]

    def __str__(self) -> str:
        return self.text


# -- Many-to-many guard ----------------------------------------------------------------------------


def _guard_m2m(
    sender: type[models.Model],
    instance: models.Model,
    action: str,
    reverse: bool,
    model: type[models.Model],
    pk_set: set[int] | None,
    **kwargs: Any,
) -> None:
    """Keep right-channel links within one draft version.

    ``add()``, ``remove()``, ``set()`` and ``clear()`` bypass ``save()``, so the rule that a
    published version never changes, and that a right is only reachable through channels of its
    own version, is checked here.
    """
    if not action.startswith("pre_"):
        return
    if not isinstance(instance, PolicyContent):
        return
    instance.assert_editable()
    if action == "pre_add" and pk_set:
        versions = set(
            model._default_manager.filter(pk__in=pk_set).values_list("version_id", flat=True)
        )
        if versions != {instance.policy_version_id}:
            raise ValidationError(_("A right and its channels must belong to the same version."))


m2m_changed.connect(
    _guard_m2m, sender=Right.channels.through, dispatch_uid="policies_right_channels"
)
m2m_changed.connect(
    _guard_m2m, sender=Channel.designated_for.through, dispatch_uid="policies_channel_designated"
)
