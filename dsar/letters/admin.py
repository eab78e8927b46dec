"""Read-only admin for the archive: letters, deliveries and packages are evidence.

Letters are issued from the preview (``letters:preview``), never created or edited here. Every
list is limited to the organizations the staff member belongs to (``organizations_for``); another
tenant's row answers 404, and the organization filter lists the user's organizations only.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from dsar.letters.models import DataItem, DataPackage, Letter, LetterDelivery
from dsar.organizations.admin_tenancy import ReadOnlyTenantAdmin, TenantOrganizationFilter


class DeliveryInline(admin.TabularInline):
    model = LetterDelivery
    fk_name = "letter"
    extra = 0
    can_delete = False
    fields = ("method", "to", "status", "attempts", "last_error", "next_attempt_at", "sent_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Letter)
class LetterAdmin(ReadOnlyTenantAdmin):
    list_display = ["__str__", "kind", "language", "issued_at", "issued_by", "released_at", "pdf"]
    list_filter = ["kind", "language", ("request__organization", TenantOrganizationFilter)]
    search_fields = ["request__reference", "sha256"]
    list_select_related = ["request", "issued_by"]
    readonly_fields = [
        "request",
        "number",
        "kind",
        "language",
        "parts",
        "template",
        "template_version",
        "sha256",
        "size",
        "issued_at",
        "issued_by",
        "corrects",
        "released_at",
        "purged_at",
        "pdf",
    ]
    exclude = ["file", "batch"]
    inlines = [DeliveryInline]

    @admin.display(description=_("PDF"))
    def pdf(self, obj: Letter) -> str:
        if obj.purged_at is not None:
            return str(_("deleted with the request's personal data"))
        return format_html(
            '<a href="{}">{}</a>', reverse("letters:download", args=[obj.pk]), obj.filename
        )


@admin.register(LetterDelivery)
class LetterDeliveryAdmin(ReadOnlyTenantAdmin):
    organization_path = "letter__request__organization"
    list_display = ["letter", "method", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status", "method", ("letter__request__organization", TenantOrganizationFilter)]
    list_select_related = ["letter__request"]
    readonly_fields = [f.name for f in LetterDelivery._meta.fields]


@admin.register(DataPackage)
class DataPackageAdmin(ReadOnlyTenantAdmin):
    list_display = [
        "__str__",
        "item_count",
        "built_at",
        "released_at",
        "link_expires_at",
        "file_deleted_at",
    ]
    list_filter = [("request__organization", TenantOrganizationFilter)]
    list_select_related = ["request"]
    readonly_fields = [f.name for f in DataPackage._meta.fields if f.name != "file"]
    exclude = ["file"]


@admin.register(DataItem)
class DataItemAdmin(ReadOnlyTenantAdmin):
    list_display = ["__str__", "request", "kind", "added_at", "added_by"]
    list_filter = ["kind", ("request__organization", TenantOrganizationFilter)]
    list_select_related = ["request", "added_by"]
    search_fields = ["request__reference", "system", "category"]
    readonly_fields = [f.name for f in DataItem._meta.fields if f.name != "file"]
    exclude = ["file"]
