"""Read-only staff views of reminders and the emails that carried them.

Reminders are records, like events: nobody edits them. The list is filterable by request
(``?request__id__exact=<id>``, or search by reference); ``ReminderInline`` is for the request
page of the workspace.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from dsar.organizations.admin_tenancy import ReadOnly, ReadOnlyTenantAdmin, TenantOrganizationFilter
from dsar.reminders.models import Notification, Reminder, ReminderQuerySet


@admin.display(description=_("sent to"))
def sent_to(reminder: Reminder) -> str:
    people = [
        f"{n.recipient_label()} ({n.get_status_display()})" for n in reminder.notifications.all()
    ]
    return ", ".join(people) or str(_("nobody: no one to remind"))


class SentFilter(admin.SimpleListFilter):
    """Whether an email has carried the reminder out (``Reminder.sent_at`` is not stored)."""

    title = _("sent")
    parameter_name = "sent"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("sent")), ("no", _("not sent (yet)"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if not isinstance(queryset, ReminderQuerySet):
            raise TypeError(f"expected reminders, got {type(queryset).__name__}")
        if self.value() == "yes":
            return queryset.sent()
        if self.value() == "no":
            return queryset.unsent()
        return queryset


class ReminderInline(ReadOnly, admin.TabularInline):
    """For the request page: ``inlines = [..., ReminderInline]``."""

    model = Reminder
    extra = 0
    # By name: the admin looks "sent_to" up on this class (fields name fields, not callables).
    fields = ("kind", "deadline", "offset", "claimed_at", "sent_at", "sent_to")
    readonly_fields = fields
    sent_to = staticmethod(sent_to)
    ordering = ("claimed_at", "id")
    verbose_name_plural = _("reminders sent")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Reminder]:
        return super().get_queryset(request).prefetch_related("notifications__user")


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyTenantAdmin):
    list_display = ("request", "kind", "deadline", "offset", "claimed_at", "sent_at", sent_to)
    list_filter = (
        "kind",
        SentFilter,
        ("request__organization", TenantOrganizationFilter),
    )
    search_fields = ("request__reference",)
    list_select_related = ("request",)
    date_hierarchy = "claimed_at"
    ordering = ("-claimed_at", "-id")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Reminder]:
        return super().get_queryset(request).prefetch_related("notifications__user")


@admin.register(Notification)
class NotificationAdmin(ReadOnlyTenantAdmin):
    list_display = (
        "pk",
        "kind",
        "recipient",
        "status",
        "created_at",
        "sent_at",
        "attempts",
        "next_attempt_at",
    )
    list_filter = ("kind", "status", ("request__organization", TenantOrganizationFilter))
    search_fields = ("request__reference", "user__username")
    list_select_related = ("user", "request")
    readonly_fields = (
        "kind",
        "user",
        "request",
        "organization",
        "day",
        "run",
        "status",
        "created_at",
        "claimed_at",
        "sent_at",
        "attempts",
        "next_attempt_at",
        "last_error",
        "note",
    )
    exclude = ("reminders",)
    ordering = ("-created_at", "-id")

    @admin.display(description=_("recipient"))
    def recipient(self, obj: Notification) -> str:
        return obj.recipient_label()

    def tenant_rows(self, request: HttpRequest) -> Q:
        # The emails to requesters of their organizations' requests, and their own emails.
        return super().tenant_rows(request) | Q(user=request.user)
