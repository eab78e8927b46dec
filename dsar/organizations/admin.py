"""Staff workspace for organizations and their 1798.83 disclosure register.

Tenancy (``admin_tenancy``): staff see their own organizations only, and another organization's
page, addresses, contacts, staff and register are a 404 on every URL.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from dsar.lib.admin_autocomplete import CheckedAutocompleteMixin
from dsar.lib.admin_search import PrivateSearchMixin
from dsar.organizations.admin_tenancy import (
    PRIVACY_OFFICER_ONLY,
    TenantAdminMixin,
    TenantInlineMixin,
    TenantOrganizationFilter,
)
from dsar.organizations.models import (
    MarketingDisclosure,
    Membership,
    Organization,
    OrganizationAddress,
    OrganizationContact,
    Role,
    holds_role_anywhere,
    holds_role_in,
)
from dsar.organizations.validators import validate_jurisdictions
from dsar.policies.models import PolicyVersion

CURRENCY_RE = re.compile(r"[A-Z]{3}")


class OrganizationAddressInline(TenantInlineMixin, admin.TabularInline):
    model = OrganizationAddress
    extra = 0
    fields = ("position", "label", "address", "quote")

    def parent_organization_id(self, obj: Any) -> int | None:
        return obj.pk


def sync_role_groups(user: Any) -> None:
    """Put ``user`` in the group of each role they hold somewhere, and in no other role group.

    The group carries the model permissions the admin checks; the membership says where. The
    staff workspace checks both, so a handler of one organization stays read-only in another
    where they are an auditor.
    """
    with translation.override(None):  # group names are the untranslated labels
        names = {str(Role(role).group_name) for role in Role.values}
        wanted = {
            str(Role(role).group_name)
            for role in Membership.objects.filter(user=user).values_list("role", flat=True)
        }
    role_groups = {group.name: group for group in Group.objects.filter(name__in=names)}
    user.groups.remove(*[g for name, g in role_groups.items() if name not in wanted])
    user.groups.add(*[g for name, g in role_groups.items() if name in wanted])


class MembershipFormSet(BaseInlineFormSet):
    def save(self, commit: bool = True) -> Any:
        saved = super().save(commit)
        users = {form.instance.user_id for form in self.forms if form.instance.user_id}
        for user in get_user_model().objects.filter(pk__in=users):
            sync_role_groups(user)
        return saved


class MembershipInline(CheckedAutocompleteMixin, TenantInlineMixin, admin.TabularInline):
    """Who works on the organization's requests, and in which role (set by its privacy officer)."""

    model = Membership
    formset = MembershipFormSet
    extra = 0
    fields = ("user", "role", "receives_digests")
    autocomplete_fields = ("user",)
    writing_roles = PRIVACY_OFFICER_ONLY

    def parent_organization_id(self, obj: Any) -> int | None:
        return obj.pk


class OrganizationContactInline(TenantInlineMixin, admin.TabularInline):
    model = OrganizationContact
    extra = 0
    fields = ("position", "role", "name", "email", "phone")

    def parent_organization_id(self, obj: Any) -> int | None:
        return obj.pk


class PlaceListField(forms.CharField):
    """A list of place codes typed as "GB, US-TX" (what ``Organization.out_of_scope`` stores as
    a JSON list): a privacy officer writes codes, not JSON."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return ", ".join(str(code) for code in value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        if isinstance(value, list):
            return value
        text = super().to_python(value) or ""
        return [code.upper() for code in re.split(r"[\s,;]+", text) if code]

    def validate(self, value: Any) -> None:
        super().validate(value)
        validate_jurisdictions(value)

    def has_changed(self, initial: Any, data: Any) -> bool:
        return (initial or []) != self.to_python(data)


class LineListField(forms.CharField):
    """A list of short texts typed one per line (what ``Organization.data_points`` stores as a
    JSON list): blank lines and surrounding spaces dropped, each kept once, in its order."""

    widget = forms.Textarea(attrs={"rows": 5})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(str(line) for line in value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        if isinstance(value, list):
            return value
        text = super().to_python(value) or ""
        lines = [line.strip() for line in text.splitlines()]
        return list(dict.fromkeys(line for line in lines if line))

    def validate(self, value: Any) -> None:
        super().validate(value)
        if too_long := [line for line in value if len(line) > 100]:
            raise ValidationError(
                _("Keep each data point short (100 characters at most): %(line)s")
                % {"line": too_long[0][:40] + "…"}
            )

    def has_changed(self, initial: Any, data: Any) -> bool:
        return (initial or []) != self.to_python(data)


class OrganizationForm(forms.ModelForm):
    """The organization's record. The places out of scope need their reason (a database check,
    ``organizations_out_of_scope_has_reason``): said here, next to the reason's box, rather than
    left to the database, which would answer with an error page."""

    out_of_scope = PlaceListField(
        label=_("Out of scope"),
        required=False,
        help_text=Organization._meta.get_field("out_of_scope").help_text
        + " "
        + _("Codes separated by commas: GB, US-TX; EU for every EU/EEA country."),
    )

    data_points = LineListField(
        label=_("Data points it can match"),
        required=False,
        help_text=Organization._meta.get_field("data_points").help_text
        + " "
        + _("One per line. Staff tick the ones they matched on a request's page."),
    )
    deletion_data_points = forms.TypedChoiceField(
        label=_("Data points for a deletion or correction"),
        coerce=int,
        choices=[
            (2, _("2: a reasonable degree of certainty")),
            (3, _("3: a reasonably high degree, where the data is sensitive")),
        ],
        help_text=Organization._meta.get_field("deletion_data_points").help_text,
    )

    class Meta:
        model = Organization
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets say which are shown

    def clean_currency(self) -> str:
        currency = (self.cleaned_data.get("currency") or "").strip().upper()
        if not CURRENCY_RE.fullmatch(currency):
            raise ValidationError(_("An ISO 4217 code of three letters: USD, EUR, GBP."))
        return currency

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data  # Form.clean may return None
        places = data.get("out_of_scope") or []
        if places and not (data.get("out_of_scope_reason") or "").strip():
            constraint = next(
                c
                for c in Organization._meta.constraints
                if c.name == "organizations_out_of_scope_has_reason"
            )
            self.add_error("out_of_scope_reason", constraint.get_violation_error_message())
        return data


class HolidayCalendarFilter(admin.AllValuesFieldListFilter):
    """The admin's filter by value, whose link for a blank calendar would have no text at all:
    a link nobody can read or hear (WCAG 2.4.4). Blank means each rule's default calendar."""

    def choices(self, changelist: Any) -> Any:
        for choice in super().choices(changelist):
            if choice["display"] == "":
                choice = {**choice, "display": _("each rule's own default")}
            yield choice


@admin.register(Organization)
class OrganizationAdmin(PrivateSearchMixin, TenantAdminMixin, admin.ModelAdmin):
    list_display = (
        "name",
        "slug",
        "reference_prefix",
        "time_zone",
        "holiday_calendar",
        "version_in_force",
    )
    list_filter = ("time_zone", ("holiday_calendar", HolidayCalendarFilter))
    organization_path = "pk"
    form = OrganizationForm
    # Whose law reaches the organization, its public form and its currency are a privacy
    # officer's decisions (docs/legal-decisions.md, "Whose law").
    writing_roles = PRIVACY_OFFICER_ONLY

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A new organization has no members yet: whoever created it could not see it. Creating
        # tenants is the installation's administrator's job (or load_policy's).
        return request.user.is_superuser

    search_fields = ("name", "legal_name", "slug", "reference_prefix")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("created_at", "updated_at")
    inlines = (OrganizationAddressInline, OrganizationContactInline, MembershipInline)
    fieldsets = (
        (None, {"fields": ("name", "legal_name", "slug", "reference_prefix")}),
        (
            _("Where and when"),
            {"fields": ("time_zone", "holiday_calendar", "jurisdictions", "websites")},
        ),
        (
            _("Whose law reaches it"),
            {
                "fields": ("out_of_scope", "out_of_scope_reason"),
                "description": _(
                    "A request from a resident of a place listed here runs on the policy's "
                    "promise, not on that place's law. List a place only once you have concluded, "
                    "with the reason, that its law does not reach the organization."
                ),
            },
        ),
        (
            _("Public request form"),
            {"fields": ("web_form_enabled", "primary_colour", "logo")},
        ),
        (
            _("Verification and appeals (US state laws)"),
            {
                "fields": ("data_points", "deletion_data_points", "appeals_by_another_decider"),
                "description": _(
                    "What staff match to verify a Californian's request to know, delete or "
                    "correct (Cal. Code Regs. tit. 11 §7062), and who decides an appeal of a "
                    "refusal. Switch the other decider off only for a team of one."
                ),
            },
        ),
        (_("Fees"), {"fields": ("currency",)}),
        (_("Record"), {"fields": ("created_at", "updated_at")}),
    )

    # The privacy officer's group may view and change organizations (organizations migration
    # 0007), and the membership says which: its record is edited by its own privacy officers
    # only. These checks also let one in whose groups were not synced yet. Creating
    # organizations stays the superuser's.

    def _privacy_officer(self, request: HttpRequest, obj: Any = None) -> bool:
        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        if obj is None:
            return holds_role_anywhere(user, PRIVACY_OFFICER_ONLY)
        return holds_role_in(user, obj.pk, PRIVACY_OFFICER_ONLY)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return super().has_module_permission(request) or self._privacy_officer(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_view_permission(request, obj) or self._privacy_officer(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) or self._privacy_officer(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # The slug and the reference prefix are in every URL and reference already handed out.
        fields = tuple(super().get_readonly_fields(request, obj))
        if obj is not None and not request.user.is_superuser:
            fields = (*fields, "slug", "reference_prefix")
        return fields

    def get_prepopulated_fields(self, request: HttpRequest, obj: Any = None) -> dict[str, Any]:
        return {} if obj is not None else super().get_prepopulated_fields(request, obj)

    @admin.display(description=_("version in force"))
    def version_in_force(self, obj: Organization) -> str:
        version = PolicyVersion.objects.in_force_for(obj)
        return str(version.number) if version else "—"


@admin.register(OrganizationAddress)
class OrganizationAddressAdmin(PrivateSearchMixin, TenantAdminMixin, admin.ModelAdmin):
    list_display = ("organization", "label", "address")
    list_filter = (("organization", TenantOrganizationFilter),)
    search_fields = ("label", "address", "organization__name")
    list_select_related = ("organization",)


@admin.register(OrganizationContact)
class OrganizationContactAdmin(PrivateSearchMixin, TenantAdminMixin, admin.ModelAdmin):
    list_display = ("organization", "role", "name", "email", "phone")
    list_filter = (("organization", TenantOrganizationFilter),)
    search_fields = ("role", "name", "email", "phone", "organization__name")
    list_select_related = ("organization",)


@admin.register(MarketingDisclosure)
class MarketingDisclosureAdmin(PrivateSearchMixin, TenantAdminMixin, admin.ModelAdmin):
    """The register a 1798.83 answer is read from: kept by staff, not part of policy files."""

    list_display = ("organization", "year", "third_party_name", "category_count")
    list_filter = (("organization", TenantOrganizationFilter), "year")
    search_fields = ("third_party_name", "third_party_address", "categories")
    list_select_related = ("organization",)
    ordering = ("organization", "-year", "third_party_name")
    readonly_fields = ("created_at", "updated_at")

    @admin.display(description=_("categories"))
    def category_count(self, obj: MarketingDisclosure) -> int:
        return len(obj.category_list)


@admin.register(Membership)
class MembershipAdmin(
    CheckedAutocompleteMixin, PrivateSearchMixin, TenantAdminMixin, admin.ModelAdmin
):
    """Staff roles per organization, set by its privacy officer. Saving one also sets the user's
    role groups."""

    list_display = ("user", "organization", "role", "receives_digests")
    # Only the organizations of the memberships listed: never another tenant's name.
    list_filter = ("role", ("organization", TenantOrganizationFilter))
    search_fields = ("user__username", "user__email", "organization__name")
    list_select_related = ("user", "organization")
    autocomplete_fields = ("user",)
    writing_roles = PRIVACY_OFFICER_ONLY

    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        sync_role_groups(obj.user)

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        user = obj.user
        super().delete_model(request, obj)
        sync_role_groups(user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        users = list(get_user_model().objects.filter(memberships__in=queryset).distinct())
        super().delete_queryset(request, queryset)
        for user in users:
            sync_role_groups(user)


# Django's own lists of staff users (searched by name and email address) and groups, like the
# lists above (dsar.lib.admin_search): the same admins, their search terms kept out of the URL.
# (admin/auth/search_form.html posts the search form of both.)
admin.site.unregister(get_user_model())
admin.site.unregister(Group)


@admin.register(get_user_model())
class UserAdmin(PrivateSearchMixin, DjangoUserAdmin):
    pass


@admin.register(Group)
class GroupAdmin(PrivateSearchMixin, DjangoGroupAdmin):
    pass
