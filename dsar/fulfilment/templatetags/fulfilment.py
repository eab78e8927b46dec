"""The tasks panel of the request page and the overdue-tasks table of the dashboard.

Inclusion tags, so the requests app's pages show the fulfilment app's facts without the requests
app importing it (the layer below does not know the one above)."""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.db.models import Count, Min, Q

from dsar.fulfilment.models import NOTIFIED_RIGHTS, Task
from dsar.requests import workspace
from dsar.requests.models import PrivacyRequest

register = template.Library()


@register.inclusion_tag("fulfilment/_request_tasks.html", takes_context=True)
def request_tasks(context: dict[str, Any], privacy_request: PrivacyRequest) -> dict[str, Any]:
    """The request's tasks with their state, owner and due date (one query)."""
    today = context.get("today") or privacy_request.organization.today()
    tasks = list(
        Task.objects.filter(request=privacy_request)
        .select_related("system", "owner")
        .order_by("system__name")
    )
    notified = privacy_request.right_kind in NOTIFIED_RIGHTS
    return {
        "can_act": context.get("can_act", False),
        "privacy_request": privacy_request,
        "notified": notified,
        "notices": list(privacy_request.recipient_notices.order_by("recipient_name"))
        if notified
        else [],
        "tasks": [
            (t, t.is_pending and t.due_date is not None and t.due_date < today) for t in tasks
        ],
        "pending": sum(t.is_pending for t in tasks),
    }


@register.inclusion_tag("fulfilment/_overdue_by_owner.html", takes_context=True)
def overdue_tasks_by_owner(context: dict[str, Any]) -> dict[str, Any]:
    """Pending tasks past their due date, counted per owner, across the user's organizations,
    in one query: "past" is each organization's own today, as for requests (the dashboard's
    ``todays``, read once for the whole page)."""
    user = context["request"].user
    todays = context.get("todays") or workspace.todays_for(user)
    if isinstance(todays, datetime.date):
        late = Q(due_date__lt=todays)
    else:
        by_day: dict[datetime.date, list[int]] = {}
        for organization_id, day in todays.items():
            by_day.setdefault(day, []).append(organization_id)
        late = Q(pk__in=[])
        for day, ids in by_day.items():
            late |= Q(request__organization_id__in=ids, due_date__lt=day)
    rows = (
        Task.objects.filter(request__in=PrivacyRequest.objects.for_user(user).values("pk"))
        .pending()
        .filter(late)
        .values("owner__username")
        .annotate(n=Count("id"), oldest=Min("due_date"))
        .order_by("-n", "owner__username")
    )
    return {
        "owners": [
            {"owner": r["owner__username"] or "", "n": r["n"], "oldest": r["oldest"]} for r in rows
        ]
    }
