"""Read-only staff views of reminders and the emails that carried them.

Reminders are records, like events: nobody edits them. The list is filterable by request
(``?request__id__exact=<id>``, or search by reference); ``ReminderInline`` is for the request
page of the workspace.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _

from dsar.lib.admin_search import PrivateSearchMixin
from dsar.organizations.admin_tenancy import TenantOrganizationFilter
from dsar.reminders.models import Notification, Reminder
from dsar.requests.workspace import organizations_for


def _for_user(queryset: QuerySet[Any], request: HttpRequest, path: str) -> QuerySet[Any]:
    """Tenancy: staff see the rows of their own organizations' requests only (another
    organization's row answers 404)."""
    if request.user.is_superuser:
        return queryset
    return queryset.filter(**{f"{path}__in": organizations_for(request.user)})


class ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        # The admin would redirect to its index with "doesn't exist"; another tenant's row is a
        # plain 404, like every other staff page.
        obj = super().get_object(request, object_id, from_field)  # type: ignore[misc]
        if obj is None:
            raise Http404
        return obj


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
        if self.value() == "yes":
            return queryset.sent()
        if self.value() == "no":
            return queryset.unsent()
        return queryset


class ReminderInline(ReadOnly, admin.TabularInline):  # type: ignore[misc]
    """For the request page: ``inlines = [..., ReminderInline]``."""

    model = Reminder
    extra = 0
    fields = ("kind", "deadline", "offset", "claimed_at", "sent_at", sent_to)
    readonly_fields = fields
    ordering = ("claimed_at", "id")
    verbose_name_plural = _("reminders sent")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Reminder]:
        return super().get_queryset(request).prefetch_related("notifications__user")


@admin.register(Reminder)
class ReminderAdmin(PrivateSearchMixin, ReadOnly, admin.ModelAdmin):  # type: ignore[misc]
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
        queryset = super().get_queryset(request).prefetch_related("notifications__user")
        return _for_user(queryset, request, "request__organization")


@admin.register(Notification)
class NotificationAdmin(PrivateSearchMixin, ReadOnly, admin.ModelAdmin):  # type: ignore[misc]
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

    def get_queryset(self, request: HttpRequest) -> QuerySet[Notification]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        # Their own emails, and the emails to requesters of their organizations' requests.
        return queryset.filter(
            Q(user=request.user) | Q(request__organization__in=organizations_for(request.user))
        )
