"""Staff pages of webhooks: subscriptions (privacy officers manage them) and deliveries.

Tenancy as everywhere (``admin_tenancy``): a staff member sees the subscriptions and deliveries
of their own organizations, and another organization's are a 404. Writing a subscription is a
privacy officer's job, like writing the policy: it decides what leaves dsar and where to.
Deliveries are records: nobody edits them; a privacy officer may send one again (``resend``),
which the admin's log records with who asked.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from dsar.core.actors import staff_user
from dsar.lib.admin_search import PrivateSearchMixin
from dsar.organizations.admin_tenancy import (
    PRIVACY_OFFICER_ONLY,
    ReadOnly,
    ReadOnlyTenantAdmin,
    TenantAdminMixin,
    TenantOrganizationFilter,
)
from dsar.organizations.models import holds_role_anywhere, holds_role_in
from dsar.webhooks import services, transport
from dsar.webhooks.models import Delivery, DeliveryAttempt, Subscription, WebhookEvent


class SubscriptionForm(forms.ModelForm):
    url = forms.URLField(label=_("URL"), max_length=2000, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=_("events"),
        choices=WebhookEvent.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Task completed and message received are sent once those features exist in dsar."
        ),
    )

    class Meta:
        model = Subscription
        fields = ("organization", "url", "description", "events", "include_personal_data", "active")

    def clean_url(self) -> str:
        """The form of the address (https, no credentials, no literal private address) is
        checked here; where the name points is checked again before every send."""
        url: str = self.cleaned_data["url"]
        try:
            transport.check_syntax(url)
        except transport.RefusedURL as error:
            raise forms.ValidationError(str(error)) from None
        return url


@admin.register(Subscription)
class SubscriptionAdmin(PrivateSearchMixin, TenantAdminMixin, admin.ModelAdmin):
    form = SubscriptionForm
    writing_roles = PRIVACY_OFFICER_ONLY
    list_display = (
        "url",
        "organization",
        "event_list",
        "include_personal_data",
        "active",
        "paused_at",
        "consecutive_failures",
    )
    list_filter = (("organization", TenantOrganizationFilter), "active", "include_personal_data")
    search_fields = ("url", "description")
    list_select_related = ("organization",)
    readonly_fields = (
        "secret",
        "previous_secret_until",
        "paused_at",
        "consecutive_failures",
        "failing_since",
        "created_by",
        "created_at",
        "updated_at",
    )
    actions = ("rotate_secret", "resume")

    @admin.display(description=_("events"))
    def event_list(self, obj: Subscription) -> str:
        labels = dict(WebhookEvent.choices)
        return ", ".join(str(labels.get(e, e)) for e in obj.events)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))
        if obj is None:
            # The secret is made on save and shown on the subscription's page.
            fields.remove("secret")
        return fields

    def save_model(self, request: HttpRequest, obj: Subscription, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = staff_user(request)
        super().save_model(request, obj, form, change)

    def _writable(self, request: HttpRequest, queryset: QuerySet[Subscription]) -> list[Any]:
        return [s for s in queryset if self.may_write(request, s)]

    @admin.action(description=_("Rotate the signing secret (the old one signs for a while too)"))
    def rotate_secret(self, request: HttpRequest, queryset: QuerySet[Subscription]) -> None:
        done = 0
        for subscription in self._writable(request, queryset):
            services.subscription_rotate_secret(subscription=subscription)
            self.log_change(request, subscription, "Rotated the signing secret.")
            done += 1
        self.message_user(
            request,
            ngettext("Rotated %(n)d secret.", "Rotated %(n)d secrets.", done) % {"n": done},
            messages.SUCCESS,
        )

    @admin.action(description=_("Resume sending to paused subscriptions"))
    def resume(self, request: HttpRequest, queryset: QuerySet[Subscription]) -> None:
        done = 0
        for subscription in self._writable(request, queryset):
            if subscription.paused_at is None:
                continue
            services.subscription_resume(subscription=subscription)
            self.log_change(request, subscription, "Resumed after a pause.")
            done += 1
        self.message_user(
            request,
            ngettext("Resumed %(n)d subscription.", "Resumed %(n)d subscriptions.", done)
            % {"n": done},
            messages.SUCCESS,
        )


class DeliveryAttemptInline(ReadOnly, admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    fields = ("at", "duration_ms", "status_code", "error", "response_body")
    readonly_fields = fields
    ordering = ("at", "id")
    verbose_name_plural = _("tries: what the receiver answered")


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyTenantAdmin):
    organization_path = "subscription__organization"
    list_display = (
        "message_id",
        "event",
        "request",
        "subscription",
        "status",
        "attempts",
        "last_status_code",
        "created_at",
        "delivered_at",
        "next_attempt_at",
    )
    list_filter = (
        "event",
        "status",
        ("subscription__organization", TenantOrganizationFilter),
    )
    search_fields = ("message_id", "request__reference")
    list_select_related = ("request", "subscription")
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-id")
    inlines = (DeliveryAttemptInline,)
    readonly_fields = (
        "message_id",
        "subscription",
        "event",
        "request",
        "source",
        "occurred_at",
        "details",
        "status",
        "created_at",
        "next_attempt_at",
        "claimed_at",
        "attempts",
        "delivered_at",
        "last_status_code",
        "last_error",
        "resends",
    )
    actions = ("resend",)

    def has_resend_permission(self, request: HttpRequest) -> bool:
        return holds_role_anywhere(request.user, PRIVACY_OFFICER_ONLY)

    @admin.action(
        description=_("Send again (same webhook-id: a receiver that has it drops it)"),
        permissions=["resend"],
    )
    def resend(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        done = 0
        for delivery in queryset.select_related("subscription"):
            if not holds_role_in(
                request.user, delivery.subscription.organization_id, PRIVACY_OFFICER_ONLY
            ):
                continue
            services.delivery_resend(delivery=delivery, actor=staff_user(request))
            self.log_change(request, delivery, "Resent by staff.")
            done += 1
        self.message_user(
            request,
            ngettext("Queued %(n)d delivery again.", "Queued %(n)d deliveries again.", done)
            % {"n": done},
            messages.SUCCESS,
        )
