"""The controllers: organizations, where to reach them, and whom they disclosed data to.

An organization's identity (name, addresses, contacts, time zone) is updated in place: it is who
the controller *is* today. What its privacy policy *promises* is versioned in ``dsar.policies``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dsar.organizations.validators import (
    COLOUR_REGEX,
    REFERENCE_PREFIX_REGEX,
    SLUG_REGEX,
    validate_holiday_calendar,
    validate_jurisdictions,
    validate_time_zone,
    validate_websites,
)


def today_in(time_zone: str, now: datetime.datetime | None = None) -> datetime.date:
    """The date at ``now`` (by default the current time) in ``time_zone``; for a caller that
    holds only an organization's time zone (``Organization.today`` for one that holds it)."""
    return (now or timezone.now()).astimezone(ZoneInfo(time_zone)).date()


class Organization(models.Model):
    """A controller whose privacy policy promises rights to data subjects."""

    slug = models.SlugField(
        _("slug"),
        max_length=50,
        unique=True,
        help_text=_("Lowercase letters, digits and hyphens; the key of its policy file and URLs."),
    )
    name = models.CharField(_("name"), max_length=200, help_text=_("The name people know."))
    legal_name = models.CharField(
        _("legal name"),
        max_length=200,
        blank=True,
        help_text=_("As the policy gives it; blank when the policy gives none."),
    )
    reference_prefix = models.CharField(
        _("reference prefix"),
        max_length=12,
        help_text=_("Upper-case prefix of request references, e.g. IMG in IMG-2026-00042."),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text=_("IANA zone in which a request's day of receipt and reminders are counted."),
    )
    holiday_calendar = models.CharField(
        _("holiday calendar"),
        max_length=16,
        blank=True,
        validators=[validate_holiday_calendar],
        help_text=_(
            "Code of the holidays package (US, US-FL, GB-ENG) whose holidays are not business "
            "days; blank uses each legal rule's own default calendar."
        ),
    )
    jurisdictions = models.JSONField(
        _("jurisdictions"),
        default=list,
        blank=True,
        validators=[validate_jurisdictions],
        help_text=_(
            "ISO 3166 codes (US, US-CA, GB) or EU, whose residents it serves or whose law its "
            "policy names. The policy lint checks its promises against these laws. Deadlines "
            "follow the law of each requester's residence, whatever this list says, unless the "
            "place is listed as out of scope below (docs/legal-decisions.md)."
        ),
    )
    out_of_scope = models.JSONField(
        _("out of scope"),
        default=list,
        blank=True,
        validators=[validate_jurisdictions],
        help_text=_(
            "Places whose privacy law does not reach the organization (GB: not established in "
            "the UK and neither offering goods or services to people there nor monitoring them, "
            "UK GDPR Art. 3). A request from a resident of a place listed here runs on the "
            "policy's promise, said as a promise. A legal judgement: give the reason below."
        ),
    )
    out_of_scope_reason = models.TextField(
        _("why out of scope"),
        blank=True,
        help_text=_("The legal reasoning, for the record and the next privacy officer."),
    )
    websites = models.JSONField(
        _("websites"), default=list, blank=True, validators=[validate_websites]
    )
    web_form_enabled = models.BooleanField(
        _("public request form switched on"),
        default=True,
        help_text=_(
            "The organization offers dsar's public request form as a channel: a request sent "
            "through it is never flagged as sent through a channel the policy does not offer."
        ),
    )
    data_points = models.JSONField(
        _("data points it can match"),
        default=list,
        blank=True,
        help_text=_(
            "What staff can compare with the organization's records to verify a requester "
            "(one per line in the form: email address, postal address, telephone number, "
            "account number, date of the last order…): Cal. Code Regs. tit. 11 §7062."
        ),
    )
    deletion_data_points = models.PositiveSmallIntegerField(
        _("data points for a deletion or correction"),
        default=2,
        help_text=_(
            "2, or 3 where the data is sensitive: a deletion or correction is verified to a "
            "degree that fits the harm a wrongful one would do (§7062(d))."
        ),
    )
    appeals_by_another_decider = models.BooleanField(
        _("appeals decided by someone else"),
        default=True,
        help_text=_("An appeal cannot be assigned to the staff member who refused the request."),
    )
    currency = models.CharField(
        _("currency"),
        max_length=3,
        default="USD",
        help_text=_("ISO 4217 code (USD, EUR, GBP) in which fees are asked and printed."),
    )
    primary_colour = models.CharField(
        _("primary colour"),
        max_length=7,
        blank=True,
        help_text=_("#rrggbb, for the public request form; blank for the installation's colour."),
    )
    logo = models.ImageField(
        _("logo"),
        upload_to="organizations/logos/",
        blank=True,
        help_text=_("Shown on the public request form and letters."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(slug__regex=SLUG_REGEX),
                name="organizations_slug_lowercase_words",
                violation_error_message=_("Use lowercase letters, digits and single hyphens."),
            ),
            models.CheckConstraint(
                condition=models.Q(reference_prefix__regex=REFERENCE_PREFIX_REGEX),
                name="organizations_reference_prefix_upper",
                violation_error_message=_(
                    "Use 1 to 12 upper-case letters and digits, starting with a letter."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(out_of_scope=[]) | ~models.Q(out_of_scope_reason=""),
                name="organizations_out_of_scope_has_reason",
                violation_error_message=_("Say why these places' laws do not reach it."),
            ),
            models.CheckConstraint(
                condition=models.Q(primary_colour="")
                | models.Q(primary_colour__regex=COLOUR_REGEX),
                name="organizations_primary_colour_hex",
                violation_error_message=_("Use #rrggbb, or leave blank."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def today(self, now: datetime.datetime | None = None) -> datetime.date:
        """Today (at ``now``, by default the current time) in the organization's time zone: the
        day its deadlines, receipts and reminders are counted in."""
        return today_in(self.time_zone, now)


class OrganizationAddress(models.Model):
    """A postal address the policy gives for the organization (not a request channel by itself)."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="addresses",
        verbose_name=_("organization"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    label = models.CharField(_("label"), max_length=100, blank=True)
    address = models.TextField(_("address"))
    quote = models.TextField(
        _("quote"), blank=True, help_text=_("Verbatim words of the policy that give the address.")
    )

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        ordering = ["organization", "position", "id"]

    def __str__(self) -> str:
        return self.label or self.address


class OrganizationContact(models.Model):
    """A person or team the policy names as a contact."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=_("organization"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    role = models.CharField(_("role"), max_length=100)
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact people")
        ordering = ["organization", "position", "id"]

    def __str__(self) -> str:
        return f"{self.role}: {self.name or self.email or self.phone}"


class DisclosureRegisterConfirmation(models.Model):
    """A privacy officer's statement that the 1798.83 register of a calendar year is complete.

    An empty register proves nothing: it may be empty because nobody kept it. A letter may say
    "we did not disclose personal information for direct marketing in that year" only once a
    privacy officer has confirmed the year's register complete, with or without rows.
    """

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="register_confirmations",
        verbose_name=_("organization"),
    )
    year = models.PositiveSmallIntegerField(_("calendar year"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("1798.83 register confirmation")
        verbose_name_plural = _("1798.83 register confirmations")
        ordering = ["organization", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"],
                name="organizations_one_register_confirmation_per_year",
                violation_error_message=_("This year's register is already confirmed."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id}/{self.year}"


class MarketingDisclosureQuerySet(models.QuerySet["MarketingDisclosure"]):
    def for_year(self, organization: Organization, year: int) -> MarketingDisclosureQuerySet:
        """Disclosures made in calendar ``year``: what a 1798.83 request of year+1 covers."""
        return self.filter(organization=organization, year=year).order_by("third_party_name")


class MarketingDisclosure(models.Model):
    """One third party that received personal information for its own direct marketing in a year.

    Cal. Civ. Code 1798.83(a) entitles a California customer to the categories of personal
    information disclosed, and the names and addresses of the third parties that received it for
    their direct marketing, during the *immediately preceding calendar year*. The policy file does
    not hold this: staff keep the register here, and the answer to a request is read from it.
    """

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="marketing_disclosures",
        verbose_name=_("organization"),
    )
    year = models.PositiveSmallIntegerField(
        _("calendar year"),
        help_text=_(
            "The calendar year of the disclosures. A 1798.83 request received in year Y is "
            "answered with the register of year Y-1."
        ),
    )
    third_party_name = models.CharField(_("third party name"), max_length=200)
    third_party_address = models.TextField(
        _("third party address"), help_text=_("1798.83(a) requires names and addresses.")
    )
    categories = models.TextField(
        _("categories of personal information"),
        help_text=_("One category per line, e.g. name, postal address, email address."),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = MarketingDisclosureQuerySet.as_manager()

    class Meta:
        verbose_name = _("direct-marketing disclosure")
        verbose_name_plural = _("direct-marketing disclosures (1798.83 register)")
        ordering = ["organization", "-year", "third_party_name"]
        constraints = [
            models.UniqueConstraint(
                "organization",
                "year",
                Lower("third_party_name"),
                name="organizations_disclosure_one_row_per_party_and_year",
                violation_error_message=_(
                    "This third party is already in the register for this organization and year."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(year__gte=2000, year__lte=2999),
                name="organizations_disclosure_year_four_digits",
                violation_error_message=_("Give a four-digit calendar year."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.year}: {self.third_party_name}"

    @property
    def category_list(self) -> list[str]:
        """The categories, one per non-blank line."""
        return [line.strip() for line in self.categories.splitlines() if line.strip()]


def disclosures_for_year(organization: Organization, year: int) -> MarketingDisclosureQuerySet:
    """The register of ``year`` for ``organization``, by third-party name."""
    return MarketingDisclosure.objects.for_year(organization, year)


class Role(models.TextChoices):
    """What a staff member may do in an organization. Each role is also a Django group
    (migration ``0002_roles``) carrying the model permissions the admin checks."""

    PRIVACY_OFFICER = "privacy_officer", _("privacy officer")
    HANDLER = "handler", _("request handler")
    AUDITOR = "auditor", _("auditor (read only)")

    @property
    def group_name(self) -> str:
        return str(self.label).capitalize()


class Membership(models.Model):
    """A staff member's place in an organization: what they see (tenancy) and may do (role)."""

    user = models.ForeignKey(
        "auth.User", on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organization"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role)
    receives_digests = models.BooleanField(
        _("receives reminders"),
        default=True,
        help_text=_("Deadline reminders and digests for the organization's requests."),
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"], name="organizations_one_membership_per_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organization} · {self.get_role_display()}"


def member_roles(user: Any) -> dict[int, str]:
    """The user's role in each organization they belong to, by organization id: read once per
    user object (that is, once per HTTP request), however many permission checks and querysets
    of the page ask. The admin's sidebar alone asks every registered admin."""
    cached = getattr(user, "_dsar_member_roles", None)
    if cached is None:
        cached = dict(
            Membership.objects.filter(user_id=user.pk)
            .order_by("organization_id")
            .values_list("organization_id", "role")
        )
        user._dsar_member_roles = cached
    return cached


def holds_role_in(user: Any, organization_id: int | None, roles: Iterable[str]) -> bool:
    """Whether ``user`` holds one of ``roles`` in the organization (a superuser holds all)."""
    if user.is_superuser:
        return True
    if organization_id is None:
        return False
    return member_roles(user).get(organization_id) in set(roles)


def holds_role_anywhere(user: Any, roles: Iterable[str]) -> bool:
    """Whether ``user`` holds one of ``roles`` in some organization (no query after the first)."""
    return user.is_superuser or bool(set(member_roles(user).values()) & set(roles))
