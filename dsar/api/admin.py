"""API keys in the staff pages: privacy officers make and revoke their organization's keys.

Only a privacy officer of the key's organization (or a superuser) sees a key here at all:
handlers and auditors act on requests, they do not hand out access to them. The add page
shows the new key once, on the page that answers the form (never in a message, which would
keep it in a cookie or the session); only its SHA-256 is stored. A key is never edited: it is
revoked, and a new one made.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from dsar.api import keys
from dsar.api.models import ApiKey
from dsar.core.actors import staff_user
from dsar.organizations.admin_tenancy import PRIVACY_OFFICER_ONLY
from dsar.organizations.models import holds_role_anywhere, holds_role_in
from dsar.organizations.tenancy import acting_organizations_of


class ApiKeyForm(forms.ModelForm):
    expires_in_days = forms.IntegerField(
        label=_("Expires in (days)"),
        required=False,
        min_value=1,
        help_text=_("Empty: the key works until it is revoked."),
    )

    class Meta:
        model = ApiKey
        fields = ["organization", "name", "scope"]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    form = ApiKeyForm
    list_display = ("name", "organization", "prefix", "scope", "state", "last_used_at")
    list_filter = ("scope",)
    list_select_related = ("organization",)
    readonly_fields = (
        "organization",
        "name",
        "prefix",
        "scope",
        "created_at",
        "created_by",
        "expires_at",
        "last_used_at",
        "revoked_at",
        "revoked_by",
    )
    actions = ["revoke"]

    # -- Privacy officers only, of the key's organization --

    def _officer_anywhere(self, request: HttpRequest) -> bool:
        user = request.user
        return user.is_active and user.is_staff and holds_role_anywhere(user, PRIVACY_OFFICER_ONLY)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._officer_anywhere(request)

    def has_view_permission(self, request: HttpRequest, obj: ApiKey | None = None) -> bool:
        if obj is None:
            return self._officer_anywhere(request)
        return holds_role_in(request.user, obj.organization_id, PRIVACY_OFFICER_ONLY)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._officer_anywhere(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # Nothing is edited; "change" is the revoke action of the list.
        return obj is None and self._officer_anywhere(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False  # revoked, not deleted: the trail names keys by label

    def get_queryset(self, request: HttpRequest) -> QuerySet[ApiKey]:
        keys_ = super().get_queryset(request)
        return keys_.filter(
            organization__in=acting_organizations_of(request.user, PRIVACY_OFFICER_ONLY)
        )

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        found = super().get_object(request, object_id, from_field)
        if found is None:
            raise Http404
        return found

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        return self.readonly_fields if obj is not None else ()

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kw: Any
    ) -> Any:
        if obj is not None:
            kw["fields"] = []
        return super().get_form(request, obj, change, **kw)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "organization":
            kwargs["queryset"] = acting_organizations_of(request.user, PRIVACY_OFFICER_ONLY)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("state"))
    def state(self, obj: ApiKey) -> str:
        return obj.state()

    # -- Making a key: shown once --

    def save_model(self, request: HttpRequest, obj: ApiKey, form: Any, change: bool) -> None:
        if change:
            return
        if not holds_role_in(request.user, obj.organization_id, PRIVACY_OFFICER_ONLY):
            raise Http404
        days = form.cleaned_data.get("expires_in_days")
        now = timezone.now()
        obj._shown_once = keys.new_secret(obj)  # type: ignore[attr-defined]
        obj.created_at, obj.created_by = now, staff_user(request)
        obj.expires_at = now + datetime.timedelta(days=days) if days else None
        obj.save(force_insert=True)

    def response_add(
        self, request: HttpRequest, obj: ApiKey, post_url_continue: str | None = None
    ) -> HttpResponse:
        context = {
            **self.admin_site.each_context(request),
            "title": _("API key created"),
            "opts": self.opts,
            "api_key": obj,
            "key": getattr(obj, "_shown_once", ""),
        }
        response = TemplateResponse(request, "api/key_created.html", context)
        patch_cache_control(response, no_store=True, private=True, max_age=0)
        return response

    @admin.action(description=_("Revoke the selected keys"), permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        done = sum(keys.api_key_revoke(api_key=k, by=request.user) for k in queryset)
        self.message_user(
            request,
            ngettext("%(n)d key revoked.", "%(n)d keys revoked.", done) % {"n": done},
            messages.SUCCESS,
        )
