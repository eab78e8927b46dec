"""Read-only views of the public side for staff; the request itself is in the requests admin."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from dsar.intake.models import IntakeSubmission, ReleasedFile
from dsar.organizations.admin_tenancy import ReadOnlyTenantAdmin, TenantOrganizationFilter


class _ReadOnly(ReadOnlyTenantAdmin):
    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).select_related("request__organization")


@admin.register(IntakeSubmission)
class IntakeSubmissionAdmin(_ReadOnly):
    list_display = [
        "request",
        "created_at",
        "verified_at",
        "verification_sends",
        "has_authorization",
    ]
    list_filter = [
        ("verified_at", admin.EmptyFieldListFilter),
        ("request__organization", TenantOrganizationFilter),
    ]
    search_fields = ["request__reference"]
    list_select_related = ["request"]
    ordering = ["-created_at"]
    fields = (
        "request",
        "created_at",
        "verification_sent_at",
        "verification_sends",
        "verified_at",
        "closed_unverified_at",
        "details",
        "authorization",
    )
    readonly_fields = fields

    @admin.display(boolean=True, description=_("authorization"))
    def has_authorization(self, obj: IntakeSubmission) -> bool:
        return bool(obj.authorization_path)

    @admin.display(description=_("agent's authorization"))
    def authorization(self, obj: IntakeSubmission) -> str:
        if not obj.authorization_path:
            return "—"
        url = reverse(
            "intake:authorization",
            kwargs={"slug": obj.request.organization.slug, "pk": obj.pk},
        )
        return format_html(
            '<a href="{}">{}</a> ({}, {} bytes, SHA-256 {})',
            url,
            _("Download"),
            obj.authorization_type,
            obj.authorization_size,
            obj.authorization_sha256,
        )


@admin.register(ReleasedFile)
class ReleasedFileAdmin(_ReadOnly):
    list_display = ["title", "request", "kind", "released_at", "withdrawn_at"]
    list_filter = ["kind", ("request__organization", TenantOrganizationFilter)]
    search_fields = ["request__reference", "title"]
    list_select_related = ["request"]
    ordering = ["-released_at"]
    readonly_fields = (
        "request",
        "kind",
        "title",
        "filename",
        "content_type",
        "size",
        "sha256",
        "released_at",
        "released_by",
        "withdrawn_at",
    )
    fields = readonly_fields
