"""Staff workspace for policies: edit drafts, read published versions, put a draft in force.

A published version is shown read-only with its rows; "Create a new draft from this version"
copies it into an editable draft, and "Put in force" publishes the draft and retires the version
in force. Each version has a lint page listing what a privacy officer must fix.

Tenancy (``admin_tenancy``): staff see the versions and rows of their own organizations only,
another organization's is a 404 on every URL; writing (editing a draft, a new draft, putting one
in force) takes the model permission *and* the privacy officer role in the version's organization.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from dsar.core.actors import staff_user
from dsar.lib.admin_search import PrivateSearchMixin
from dsar.organizations.admin_tenancy import (
    PRIVACY_OFFICER_ONLY,
    TenantAdminMixin,
    TenantInlineMixin,
    TenantOrganizationFilter,
)
from dsar.policies.lint import Severity, lint_version
from dsar.policies.models import (
    Channel,
    DataCategory,
    DataSource,
    Exemption,
    LabelRule,
    PolicyContent,
    PolicyGap,
    PolicyVersion,
    PolicyVersionStatus,
    Purpose,
    Recipient,
    RetentionStatement,
    Right,
)
from dsar.policies.services import policy_version_draft_from, policy_version_publish


def _version_of(obj: models.Model | None) -> PolicyVersion | None:
    """The policy version an admin object is, or belongs to."""
    if obj is None or isinstance(obj, PolicyVersion):
        return obj
    if isinstance(obj, LabelRule):
        return obj.channel.version
    if isinstance(obj, Exemption):
        return obj.right.version
    return getattr(obj, "version", None)


def _editable(obj: models.Model | None) -> bool:
    version = _version_of(obj)
    return version is None or version.is_draft


def _when(value: Any) -> str:
    return date_format(value, "j M Y") if value is not None else "—"


def undeletable_reason(obj: models.Model) -> str:
    """Why a policy version, or a row of one, cannot be deleted, in words a privacy officer can
    act on; "" when it can.

    A published version is the record of what the policy promised while it was in force, and
    every request received meanwhile is bound to it (its deadline, its letters and its evidence
    pack quote it): the model refuses to delete it, and so does the database (PROTECT). The admin
    says so on the page rather than answering 403."""
    version = _version_of(obj)
    if version is None:
        return ""
    is_row = not isinstance(obj, PolicyVersion)
    if version.status == PolicyVersionStatus.IN_FORCE:
        reason = _t(
            "Version %(number)d is in force: requests received now are bound to it, and it is "
            "kept as the record of what the policy promised. To change the policy, create a new "
            "draft from it and put the draft in force."
        ) % {"number": version.number}
    elif version.status == PolicyVersionStatus.RETIRED:
        reason = _t(
            "Version %(number)d was in force from %(start)s to %(end)s and is kept as the record "
            "of what the policy promised then: requests received in that time are bound to it."
        ) % {
            "number": version.number,
            "start": _when(version.in_force_from),
            "end": _when(version.in_force_until),
        }
    else:
        bound = version.requests.count()
        if not bound:
            return ""
        reason = ngettext(
            "%(count)d request is bound to version %(number)d.",
            "%(count)d requests are bound to version %(number)d.",
            bound,
        ) % {"count": bound, "number": version.number}
    if is_row:
        return _t("“%(row)s” belongs to version %(number)d and cannot be deleted. %(why)s") % {
            "row": obj,
            "number": version.number,
            "why": reason,
        }
    return _t("Version %(number)d cannot be deleted. %(why)s") % {
        "number": version.number,
        "why": reason,
    }


if TYPE_CHECKING:  # what the mixin is mixed into, for the type checker only
    _ModelAdmin = admin.ModelAdmin[Any]
else:
    _ModelAdmin = object


class ExplainedDeleteMixin(_ModelAdmin):
    """Deleting what cannot be deleted (a published version or its rows) explains why on the
    page it came from, instead of Django's bare 403: the object's page for one, the list for a
    selection. The permission checks stay as they are for everything else."""

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        obj = self.get_object(request, unquote(object_id))
        # A missing object is Django's to answer (a message and the list), as it is without us.
        if obj is not None and self.has_view_permission(request, obj):
            reason = undeletable_reason(obj)
            if reason:
                self.message_user(request, reason, messages.ERROR)
                opts = obj._meta
                change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
                return HttpResponseRedirect(change)
        return super().delete_view(request, object_id, extra_context)

    @admin.action(permissions=["delete"], description=_("Delete selected %(verbose_name_plural)s"))
    def delete_selected(self, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
        """Django's delete action, unless the selection holds something that cannot be deleted:
        then nothing is deleted, and the list says which and why."""
        refused = [reason for obj in queryset if (reason := undeletable_reason(obj))]
        if refused:
            for reason in refused:
                self.message_user(request, reason, messages.ERROR)
            return None
        return django_delete_selected(self, request, queryset)


# -- Inlines on a version: editable while it is a draft, read-only after ---------------------------


class DraftOnlyInline(TenantInlineMixin, admin.TabularInline):
    """An inline whose rows can be added, changed or deleted only on a draft, by a privacy
    officer of the draft's organization."""

    extra = 0
    show_change_link = True
    writing_roles = PRIVACY_OFFICER_ONLY

    def parent_organization_id(self, obj: models.Model) -> int | None:
        version = _version_of(obj)
        return version.organization_id if version is not None else None

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        # Inline instances live for one request: the parent is read by the formfield hooks.
        self.parent_obj = obj
        return super().get_formset(request, obj, **kwargs)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _editable(obj) and super().has_delete_permission(request, obj)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        # A right's channels, and a channel's designated rights, come from the same version.
        version = _version_of(getattr(self, "parent_obj", None))
        kwargs["queryset"] = db_field.related_model.objects.filter(version=version)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ChannelInline(DraftOnlyInline):
    model = Channel
    fields = ("position", "key", "kind", "address", "gap", "designated_for")


class RightInline(DraftOnlyInline):
    model = Right
    fields = ("position", "kind", "channels", "deadline_promise", "promise_rule", "deadline_rule")


class DataCategoryInline(DraftOnlyInline):
    model = DataCategory
    fields = ("position", "name", "clause")


class PurposeInline(DraftOnlyInline):
    model = Purpose
    fields = ("position", "name", "clause")


class RecipientInline(DraftOnlyInline):
    model = Recipient
    fields = ("position", "name", "clause")


class RetentionStatementInline(DraftOnlyInline):
    model = RetentionStatement
    fields = ("position", "statement", "clause")


class DataSourceInline(DraftOnlyInline):
    model = DataSource
    fields = ("position", "name", "clause")


class PolicyGapInline(DraftOnlyInline):
    model = PolicyGap
    fields = ("position", "text")


# -- Versions --------------------------------------------------------------------------------------


@admin.register(PolicyVersion)
class PolicyVersionAdmin(
    ExplainedDeleteMixin, PrivateSearchMixin, TenantAdminMixin, admin.ModelAdmin
):
    list_display = (
        "organization",
        "number",
        "status",
        "title",
        "effective_date",
        "in_force_from",
        "in_force_until",
    )
    list_filter = ("status", ("organization", TenantOrganizationFilter))
    search_fields = ("organization__name", "organization__slug", "title", "text")
    list_select_related = ("organization",)
    ordering = ("organization__name", "-number")
    readonly_fields = (
        "number",
        "status",
        "based_on",
        "in_force_from",
        "in_force_until",
        "created_at",
        "created_by",
        "published_by",
        "content_hash",
    )
    fieldsets = (
        (
            None,
            {"fields": ("organization", "number", "status", "title", "effective_date", "source")},
        ),
        (_("Text"), {"fields": ("text", "minimum_age", "minimum_age_clause")}),
        (
            _("Record"),
            {
                "fields": (
                    "based_on",
                    "in_force_from",
                    "in_force_until",
                    "created_at",
                    "created_by",
                    "published_by",
                    "content_hash",
                )
            },
        ),
    )
    inlines = (
        ChannelInline,
        RightInline,
        DataCategoryInline,
        PurposeInline,
        RecipientInline,
        RetentionStatementInline,
        DataSourceInline,
        PolicyGapInline,
    )
    change_form_template = "admin/policies/policyversion/change_form.html"
    writing_roles = PRIVACY_OFFICER_ONLY
    actions = ["delete_selected"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # The organization of an existing version never changes: its requests are bound to it.
        fields = tuple(super().get_readonly_fields(request, obj))
        return (*fields, "organization") if obj is not None else fields

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _editable(obj) and super().has_delete_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: PolicyVersion, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = staff_user(request)
        super().save_model(request, obj, form, change)

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path("<path:object_id>/lint/", wrap(self.lint_view), name=f"{prefix}_lint"),
            path(
                "<path:object_id>/new-draft/",
                wrap(self.new_draft_view),
                name=f"{prefix}_new_draft",
            ),
            path(
                "<path:object_id>/put-in-force/",
                wrap(self.put_in_force_view),
                name=f"{prefix}_put_in_force",
            ),
            *super().get_urls(),
        ]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        version = self.get_object(request, object_id)  # 404 outside the user's organizations
        extra_context = {
            **(extra_context or {}),
            "can_new_draft": self._can_new_draft(request, version),
            "can_put_in_force": version.is_draft and self._can_publish(request, version),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def _can_new_draft(self, request: HttpRequest, version: PolicyVersion) -> bool:
        return self.has_add_permission(request) and self.may_write(request, version)

    def _can_publish(self, request: HttpRequest, version: PolicyVersion) -> bool:
        """The publish permission, held as privacy officer of the version's organization."""
        return request.user.has_perm(
            f"{self.opts.app_label}.publish_policyversion"
        ) and self.may_write(request, version)

    def _get_version(self, request: HttpRequest, object_id: str) -> PolicyVersion:
        version = self.get_object(request, object_id)  # 404 outside the user's organizations
        if not self.has_view_permission(request, version):
            raise PermissionDenied
        return version

    def _context(self, request: HttpRequest, version: PolicyVersion, title: str) -> dict[str, Any]:
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": version,
            "title": title,
            "change_url": reverse("admin:policies_policyversion_change", args=[version.pk]),
        }

    def lint_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The lint findings of a version, as ``lint_policy`` prints them."""
        version = self._get_version(request, object_id)
        findings = lint_version(version)
        context = {
            **self._context(request, version, _t("Lint findings for %s") % version),
            "findings": findings,
            "errors": sum(f.severity == Severity.ERROR for f in findings),
        }
        return TemplateResponse(request, "admin/policies/policyversion/lint.html", context)

    def new_draft_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Confirm (GET), then copy the version into a new editable draft (POST)."""
        version = self._get_version(request, object_id)
        if not self._can_new_draft(request, version):
            raise PermissionDenied
        if request.method == "POST":
            draft = policy_version_draft_from(version=version, actor=staff_user(request))
            self.log_addition(
                request, draft, [{"added": {}}, _t("Draft from version %d") % version.number]
            )
            self.message_user(
                request,
                _t(
                    "Version %(draft)d is a draft copy of version %(version)d: edit it, then "
                    "put it in force."
                )
                % {"draft": draft.number, "version": version.number},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(
                reverse("admin:policies_policyversion_change", args=[draft.pk])
            )
        context = {
            **self._context(request, version, _t("Create a new draft from %s") % version),
            "action": "new_draft",
        }
        return TemplateResponse(request, "admin/policies/policyversion/confirm.html", context)

    def put_in_force_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Confirm with the lint findings (GET), then publish the draft (POST)."""
        version = self._get_version(request, object_id)
        if not self._can_publish(request, version):
            raise PermissionDenied
        change_url = reverse("admin:policies_policyversion_change", args=[version.pk])
        if not version.is_draft:
            self.message_user(request, _t("Only a draft can be put in force."), messages.ERROR)
            return HttpResponseRedirect(change_url)
        if request.method == "POST":
            previous = PolicyVersion.objects.in_force_for(version.organization)
            try:
                policy_version_publish(version=version, actor=staff_user(request))
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                return HttpResponseRedirect(change_url)
            self.log_change(request, version, _t("Put in force"))
            text = _t("Version %d is in force.") % version.number
            if previous is not None:
                self.log_change(request, previous, _t("Retired by version %d") % version.number)
                text += " " + _t("Version %d is retired.") % previous.number
            self.message_user(request, text, messages.SUCCESS)
            return HttpResponseRedirect(change_url)
        findings = lint_version(version)
        context = {
            **self._context(request, version, _t("Put %s in force") % version),
            "action": "put_in_force",
            "in_force": PolicyVersion.objects.in_force_for(version.organization),
            "findings": findings,
            "errors": sum(f.severity == Severity.ERROR for f in findings),
        }
        return TemplateResponse(request, "admin/policies/policyversion/confirm.html", context)


# -- The rows, one by one (label rules and exemptions are edited here) ----------------------------


class SameVersionForm(forms.ModelForm):
    """Refuses links to rows of another version, before the database guard would."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data  # Form.clean may return None
        version = data.get("version") or _version_of(self.instance if self.instance.pk else None)
        for name, field in self.fields.items():
            if not isinstance(field, forms.ModelMultipleChoiceField) or version is None:
                continue
            if any(obj.version_id != version.pk for obj in data.get(name) or ()):
                self.add_error(name, _("Choose only rows of the same policy version."))
        return data


class PolicyContentAdmin(
    ExplainedDeleteMixin, PrivateSearchMixin, TenantAdminMixin, admin.ModelAdmin
):
    """A row of a version's content: editable on drafts, view-only once published."""

    form = SameVersionForm
    list_select_related = True
    organization_path = "version__organization"
    writing_roles = PRIVACY_OFFICER_ONLY
    actions = ["delete_selected"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _editable(obj) and super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        # New rows go to drafts only, of the organizations where the user may write.
        organizations = self.writing_organizations(request)
        if db_field.related_model is PolicyVersion:
            kwargs["queryset"] = PolicyVersion.objects.drafts().filter(
                organization__in=organizations
            )
        elif issubclass(db_field.related_model, PolicyContent):
            kwargs["queryset"] = db_field.related_model.objects.filter(
                version__status=PolicyVersionStatus.DRAFT, version__organization__in=organizations
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        # The choices are rows of drafts the user may write; SameVersionForm then keeps a link
        # within the row's own version.
        if issubclass(db_field.related_model, PolicyContent):
            kwargs["queryset"] = db_field.related_model.objects.filter(
                version__status=PolicyVersionStatus.DRAFT,
                version__organization__in=self.writing_organizations(request),
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class LabelRuleInline(DraftOnlyInline):
    model = LabelRule
    fk_name = "channel"
    fields = ("position", "right", "words", "where", "quote")
    show_change_link = False

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "right":
            kwargs["queryset"] = Right.objects.filter(
                version=_version_of(getattr(self, "parent_obj", None))
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ExemptionInline(DraftOnlyInline):
    model = Exemption
    fields = ("position", "name", "clause")
    show_change_link = False


@admin.register(Channel)
class ChannelAdmin(PolicyContentAdmin):
    list_display = ("version", "key", "kind", "address", "has_gap")
    list_filter = ("kind", "version__status", ("version__organization", TenantOrganizationFilter))
    search_fields = ("key", "address", "quote", "gap", "version__organization__name")
    inlines = (LabelRuleInline,)

    @admin.display(boolean=True, description=_("gap"))
    def has_gap(self, obj: Channel) -> bool:
        return bool(obj.gap)


@admin.register(Right)
class RightAdmin(PolicyContentAdmin):
    list_display = ("version", "kind", "deadline_promise", "promise_rule", "deadline_rule", "fee")
    list_filter = (
        "kind",
        "fee",
        "deadline_rule",
        "version__status",
        ("version__organization", TenantOrganizationFilter),
    )
    search_fields = ("clause", "deadline_clause", "notes", "version__organization__name")
    inlines = (ExemptionInline,)


@admin.register(LabelRule)
class LabelRuleAdmin(PolicyContentAdmin):
    organization_path = "channel__version__organization"
    list_display = ("channel", "right", "words", "where")
    list_filter = (
        "where",
        "channel__version__status",
        ("channel__version__organization", TenantOrganizationFilter),
    )
    search_fields = ("words", "quote")


@admin.register(Exemption)
class ExemptionAdmin(PolicyContentAdmin):
    organization_path = "right__version__organization"
    list_display = ("right", "name")
    list_filter = (
        "right__kind",
        "right__version__status",
        ("right__version__organization", TenantOrganizationFilter),
    )
    search_fields = ("name", "clause")


class NamedClauseAdmin(PolicyContentAdmin):
    list_display = ("version", "position", "name")
    list_filter = ("version__status", ("version__organization", TenantOrganizationFilter))
    search_fields = ("name", "clause")


admin.site.register(DataCategory, NamedClauseAdmin)
admin.site.register(Purpose, NamedClauseAdmin)
admin.site.register(Recipient, NamedClauseAdmin)
admin.site.register(DataSource, NamedClauseAdmin)


@admin.register(RetentionStatement)
class RetentionStatementAdmin(PolicyContentAdmin):
    list_display = ("version", "position", "statement")
    list_filter = ("version__status", ("version__organization", TenantOrganizationFilter))
    search_fields = ("statement", "clause")


@admin.register(PolicyGap)
class PolicyGapAdmin(PolicyContentAdmin):
    list_display = ("version", "position", "text")
    list_filter = ("version__status", ("version__organization", TenantOrganizationFilter))
    search_fields = ("text",)
