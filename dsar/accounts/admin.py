"""Single sign-on identities: read by staff who manage users (superusers), never edited here:
the provider is where they change. Deleting one unlinks the account from the provider."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from dsar.accounts.models import OidcIdentity
from dsar.lib.admin_search import PrivateSearchMixin


@admin.register(OidcIdentity)
class OidcIdentityAdmin(PrivateSearchMixin, admin.ModelAdmin):
    list_display = ("user", "issuer", "subject", "created_at", "last_login_at")
    search_fields = ("user__username", "subject")
    list_select_related = ("user",)
    readonly_fields = ("user", "issuer", "subject", "created_at", "last_login_at", "groups")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser
