"""The tasks panel of the request page and the overdue-tasks table of the dashboard.

Inclusion tags, so the requests app's pages show the fulfilment app's facts without the requests
app importing it (the layer below does not know the one above)."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Count, Min

from dsar.fulfilment.models import NOTIFIED_RIGHTS, Task
from dsar.requests import workspace
from dsar.requests.models import PrivacyRequest

register = template.Library()


@register.inclusion_tag("fulfilment/_request_tasks.html", takes_context=True)
def request_tasks(context: dict[str, Any], privacy_request: PrivacyRequest) -> dict[str, Any]:
    """The request's tasks with their state, owner and due date (one query)."""
    today = context.get("today") or workspace.today_for(privacy_request.organization)
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
    """Pending tasks past their due date, counted per owner, across the user's organizations.

    "Past" is each organization's own today, as for requests (one query per distinct today,
    usually one)."""
    user = context["request"].user
    visible = Task.objects.filter(request__in=PrivacyRequest.objects.for_user(user).values("pk"))
    organizations = list(workspace.organizations_for(user))
    by_day: dict[Any, list[int]] = {}
    for organization in organizations:
        by_day.setdefault(workspace.today_for(organization), []).append(organization.pk)
    counts: dict[str, dict[str, Any]] = {}
    for day, ids in by_day.items():
        rows = (
            visible.overdue(day)
            .filter(request__organization_id__in=ids)
            .values("owner__username")
            .annotate(n=Count("id"), oldest=Min("due_date"))
        )
        for row in rows:
            name = row["owner__username"] or ""
            entry = counts.setdefault(name, {"owner": name, "n": 0, "oldest": row["oldest"]})
            entry["n"] += row["n"]
            entry["oldest"] = min(entry["oldest"], row["oldest"])
    return {"owners": sorted(counts.values(), key=lambda e: (-e["n"], e["owner"]))}
