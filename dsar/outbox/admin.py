"""Outgoing emails, read only: staff see what was sent, what waits and what failed, and why."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from dsar.outbox.models import Email


@admin.register(Email)
class EmailAdmin(admin.ModelAdmin):
    list_display = ("kind", "request", "status", "attempts", "next_attempt_at", "sent_at")
    list_filter = ("status", "kind")
    list_select_related = ("request",)
    ordering = ("-created_at",)
    # The bodies hold links that open a requester's status page: listed, never shown.
    fields = (
        "kind",
        "request",
        "status",
        "attempts",
        "next_attempt_at",
        "claimed_at",
        "sent_at",
        "last_error",
        "created_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Email | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Email | None = None) -> bool:
        return False
