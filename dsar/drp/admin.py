"""Staff pages of the Data Rights Protocol.

- Authorized agents are the installation's (the network directory's trust root): superusers
  register them; every staff member may read the list.
- A DRP business is an organization's: its privacy officers switch it on and choose the actions.
- Pairings, requests and status callbacks are records of what agents did: read-only, per
  organization (a privacy officer may delete a pairing, which revokes the agent's token).
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from dsar.drp.models import Action, Agent, Business, DrpRequest, Pairing, StatusCallback
from dsar.lib.admin_search import PrivateSearchMixin
from dsar.organizations.admin_tenancy import (
    PRIVACY_OFFICER_ONLY,
    ReadOnlyTenantAdmin,
    TenantAdminMixin,
    TenantOrganizationFilter,
)


@admin.register(Agent)
class AgentAdmin(PrivateSearchMixin, admin.ModelAdmin):
    list_display = ("agent_id", "name", "active", "web_url", "created_at")
    list_filter = ("active",)
    search_fields = ("agent_id", "name")
    ordering = ("name",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser


class BusinessForm(forms.ModelForm):
    actions = forms.MultipleChoiceField(
        label=_("actions"),
        choices=[(a.value, a.label) for a in Action if a.right_kind is not None],
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Business
        fields = ("organization", "business_id", "enabled", "actions")


@admin.register(Business)
class BusinessAdmin(PrivateSearchMixin, TenantAdminMixin, admin.ModelAdmin):
    form = BusinessForm
    writing_roles = PRIVACY_OFFICER_ONLY
    list_display = ("business_id", "organization", "enabled", "created_at")
    list_filter = (("organization", TenantOrganizationFilter), "enabled")
    search_fields = ("business_id",)
    list_select_related = ("organization",)


@admin.register(Pairing)
class PairingAdmin(ReadOnlyTenantAdmin):
    organization_path = "business__organization"
    list_display = ("agent", "business", "created_at", "last_used_at")
    list_select_related = ("agent", "business")
    search_fields = ("agent__agent_id", "business__business_id")
    exclude = ("token_digest",)
    readonly_fields = ("agent", "business", "created_at", "last_used_at")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Deleting a pairing revokes the agent's token: a privacy officer's call.
        return obj is not None and self.may_write(request, obj)

    writing_roles = PRIVACY_OFFICER_ONLY


@admin.register(DrpRequest)
class DrpRequestAdmin(ReadOnlyTenantAdmin):
    list_display = ("public_id", "request", "agent", "exercise", "regime", "received_at")
    list_filter = ("exercise", ("request__organization", TenantOrganizationFilter))
    list_select_related = ("request", "agent")
    search_fields = ("request__reference", "public_id", "agent_request_id")
    exclude = ("claims", "signed_message")
    readonly_fields = (
        "public_id",
        "request",
        "agent",
        "business",
        "agent_request_id",
        "exercise",
        "regime",
        "relationships",
        "status_callback",
        "issued_at",
        "expires_at",
        "received_at",
        "claims_shown",
        "signed_message_shown",
        "message_digest",
        "evidence_purged_at",
    )

    @admin.display(description=_("consumer claims"))
    def claims_shown(self, obj: DrpRequest) -> str:
        return format_html("<pre>{}</pre>", json.dumps(obj.claims, indent=2, ensure_ascii=False))

    @admin.display(description=_("signed message as received (base64)"))
    def signed_message_shown(self, obj: DrpRequest) -> str:
        return format_html('<pre style="white-space: pre-wrap">{}</pre>', obj.signed_message)


@admin.register(StatusCallback)
class StatusCallbackAdmin(ReadOnlyTenantAdmin):
    organization_path = "drp_request__request__organization"
    list_display = (
        "drp_request",
        "source",
        "status",
        "attempts",
        "last_status_code",
        "created_at",
        "delivered_at",
    )
    list_filter = ("status",)
    search_fields = ("drp_request__request__reference",)
    list_select_related = ("drp_request",)
