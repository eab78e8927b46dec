"""The register and the tasks in the staff workspace (the admin), with the tenancy of the other
organization-scoped admins: a member sees their organizations' rows, a privacy officer edits the
register, and another tenant's row answers 404."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from dsar.core.actors import staff_user
from dsar.fulfilment import register, views
from dsar.fulfilment.forms import SystemForm
from dsar.fulfilment.models import (
    ChangeAction,
    ConnectorRun,
    Recipient,
    RegisterChange,
    System,
    Task,
    TaskMargin,
)
from dsar.lib.admin_search import PrivateSearchMixin
from dsar.organizations.admin_tenancy import (
    PRIVACY_OFFICER_ONLY,
    ReadOnly,
    TenantAdminMixin,
    TenantOrganizationFilter,
)
from dsar.organizations.tenancy import organizations_of


class RegisterAdmin(PrivateSearchMixin, TenantAdminMixin, admin.ModelAdmin):
    """A register entry: written by privacy officers, each change recorded (``register``)."""

    writing_roles = PRIVACY_OFFICER_ONLY
    change_list_template = "fulfilment/register_change_list.html"

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view
        name = self.model._meta.model_name
        own = {"model_admin": self}
        return [
            path("import/", view(views.register_import), own, name=f"fulfilment_{name}_import"),
            path(
                "export/<int:organization_id>/<slug:what>/",
                view(views.register_export),
                own,
                name=f"fulfilment_{name}_export",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        extra = {
            **(extra_context or {}),
            "register_organizations": organizations_of(request.user).order_by("name"),
            "register_what": "systems" if self.model is System else "recipients",
        }
        return super().changelist_view(request, extra)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "owner":
            # Owners are staff of the organizations the privacy officer keeps the register of.
            kwargs["queryset"] = (
                get_user_model()
                .objects.filter(memberships__organization__in=self.writing_organizations(request))
                .distinct()
                .order_by("username")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # The snapshot before is taken from the database: ``obj`` already holds the new values.
        before = register.snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
        request._register_before = before  # type: ignore[attr-defined]
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        before = getattr(request, "_register_before", None)
        register.register_record(
            entry=form.instance,
            action=ChangeAction.CHANGED if change else ChangeAction.CREATED,
            actor=staff_user(request),
            before=before,
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        before = register.snapshot(obj)
        register.register_record(
            entry=obj,
            action=ChangeAction.DELETED,
            actor=staff_user(request),
            before=before,
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(System)
class SystemAdmin(RegisterAdmin):
    form = SystemForm
    list_display = ("name", "organization", "kind", "owner", "connector")
    list_filter = (("organization", TenantOrganizationFilter), "kind", "connector")
    search_fields = ("name",)
    list_select_related = ("organization", "owner")
    fieldsets = (
        (None, {"fields": ("organization", "name", "kind", "owner", "rights", "instructions")}),
        (
            _("What it holds (GDPR Art. 15(1), Art. 30)"),
            {"fields": ("data_categories", "retention", "location", "transfer_safeguards")},
        ),
        (
            _("Connector"),
            {
                "fields": (
                    "connector",
                    "dsn_env",
                    "access_query",
                    "erasure_statement",
                    "timeout_seconds",
                    "endpoint_url",
                    "secret_env",
                )
            },
        ),
    )


@admin.register(Recipient)
class RecipientAdmin(RegisterAdmin):
    list_display = ("name", "organization", "category", "contact_email")
    list_filter = (("organization", TenantOrganizationFilter),)
    search_fields = ("name",)
    list_select_related = ("organization",)
    filter_horizontal = ("systems",)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "systems":
            kwargs["queryset"] = System.objects.filter(
                organization__in=self.writing_organizations(request)
            ).select_related("organization")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(TaskMargin)
class TaskMarginAdmin(TenantAdminMixin, admin.ModelAdmin):
    writing_roles = PRIVACY_OFFICER_ONLY
    list_display = ("organization", "business_days")


@admin.register(RegisterChange)
class RegisterChangeAdmin(PrivateSearchMixin, ReadOnly, TenantAdminMixin, admin.ModelAdmin):
    """The register's history, read-only: who changed which entry, and its values."""

    list_display = ("at", "organization", "entry", "name", "action", "actor")
    list_filter = (("organization", TenantOrganizationFilter), "entry", "action")
    search_fields = ("name",)
    list_select_related = ("organization", "actor")


@admin.register(Task)
class TaskAdmin(PrivateSearchMixin, TenantAdminMixin, admin.ModelAdmin):
    """Tasks: the list across the user's organizations, "my tasks", and each task's page."""

    organization_path = "request__organization"
    list_display = ("system", "request", "owner", "state", "due_date")
    list_filter = ("state",)
    list_select_related = ("system", "request", "owner")
    search_fields = ("=request__reference",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # made by the verification of a request, never by hand

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view
        own = {"model_admin": self}
        return [
            path("mine/", view(views.my_tasks), own, name="fulfilment_task_mine"),
            path(
                "<int:pk>/act/<slug:action>/",
                view(views.task_act),
                own,
                name="fulfilment_task_act",
            ),
            path(
                "request/<int:pk>/tell-recipients/",
                view(views.tell_recipients),
                own,
                name="fulfilment_tell_recipients",
            ),
            path(
                "request/<int:pk>/send-recipients-list/",
                view(views.send_recipients_list),
                own,
                name="fulfilment_send_recipients_list",
            ),
            path(
                "notice/<int:pk>/answer/",
                view(views.answer_notice),
                own,
                name="fulfilment_answer_notice",
            ),
            *super().get_urls(),
        ]

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        return views.task_page(request, object_id, model_admin=self)


@admin.register(ConnectorRun)
class ConnectorRunAdmin(ReadOnly, TenantAdminMixin, admin.ModelAdmin):
    organization_path = "task__request__organization"
    list_display = ("requested_at", "task", "kind", "status", "rows", "requested_by")
    list_filter = ("kind", "status")
    list_select_related = ("task__system", "requested_by")
