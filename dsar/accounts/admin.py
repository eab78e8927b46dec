"""Single sign-on identities: read by staff who manage users (superusers), never edited here:
the provider is where they change. Deleting one unlinks the account from the provider."""

from __future__ import annotations

from typing import Any

from axes import admin as axes_admin  # noqa: F401 - registered first, wrapped below
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.http import HttpRequest
from django_otp.plugins.otp_static import admin as static_admin  # noqa: F401 - as above
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp import admin as totp_admin  # noqa: F401 - as above
from django_otp.plugins.otp_totp.models import TOTPDevice

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


def _search_privately(model: Any) -> None:
    """Re-register a library's admin of ``model`` with the search term kept out of its URLs
    (``PrivateSearchMixin``): the sign-in records and the devices are searched by a person's
    user name or address, which must not reach access logs and ``Referer`` headers either."""
    original = type(admin.site._registry[model])
    admin.site.unregister(model)
    admin.site.register(model, type(original.__name__, (PrivateSearchMixin, original), {}))


for _model in (AccessAttempt, AccessLog, AccessFailureLog, TOTPDevice, StaticDevice):
    _search_privately(_model)
