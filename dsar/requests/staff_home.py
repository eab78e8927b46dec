"""The staff home: what needs doing today, for the staff member signed in.

Selectors only (style rule 5). Each pile counts what a filtered list shows, through the same
conditions (``PrivacyRequestQuerySet``'s and the request list's filters), so the number on the
home and the length of the list it links to cannot disagree. Tenancy comes from
``PrivacyRequest.objects.for_user`` and ``Task.objects.owned_by``: another organization's
requests are never counted. A fixed number of queries whatever the tables' sizes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dsar.fulfilment.models import Task
from dsar.requests import workspace
from dsar.requests.models import PrivacyRequest, PrivacyRequestQuerySet, Today

#: How many items of each pile the home lists; its link shows them all.
SHORT_LIST = 5


@dataclass(frozen=True)
class Pile:
    """Something to do today: how many, the first few, and the list that shows them all."""

    key: str
    label: str | Promise
    count: int
    url: str
    items: list[Any]  # requests, or for "my tasks" fulfilment tasks


@dataclass(frozen=True)
class StaffHome:
    piles: list[Pile]
    todays: Today


def _list_url(query: str) -> str:
    return f"{reverse('admin:requests_privacyrequest_changelist')}?{query}"


def staff_home(user: Any, *, today: Today | None = None, limit: int = SHORT_LIST) -> StaffHome:
    """The piles of the staff home: overdue, due soon, unverified, unacknowledged, unassigned
    (the newest first) and my tasks.

    ``today`` defaults to each organization's own today, in which its deadlines fall due."""
    todays = workspace.todays_for(user) if today is None else today
    days = workspace.DUE_SOON_DAYS
    overdue = PrivacyRequestQuerySet.overdue_q(todays)
    due_soon = PrivacyRequestQuerySet.due_within_q(todays, days)
    unverified = PrivacyRequestQuerySet.unverified_q()
    unacknowledged = PrivacyRequestQuerySet.unacknowledged_q()
    unassigned = PrivacyRequestQuerySet.unassigned_q()
    mine = PrivacyRequest.objects.for_user(user).open()
    counts = mine.aggregate(
        overdue=Count("pk", filter=overdue),
        due_soon=Count("pk", filter=due_soon),
        unverified=Count("pk", filter=unverified),
        unacknowledged=Count("pk", filter=unacknowledged),
        unassigned=Count("pk", filter=unassigned),
    )
    listed = mine.select_related("organization", "assignee")

    def first(condition: Q, *order: str) -> list[PrivacyRequest]:
        return list(listed.filter(condition).order_by(*order, "id")[:limit])

    tasks = Task.objects.owned_by(user).pending()
    return StaffHome(
        piles=[
            Pile(
                "overdue",
                _("Overdue"),
                counts["overdue"],
                _list_url("deadline=overdue"),
                first(overdue, "due_date"),
            ),
            Pile(
                "due_soon",
                _("Due within %(days)d days") % {"days": days},
                counts["due_soon"],
                _list_url("deadline=week"),
                first(due_soon, "due_date"),
            ),
            Pile(
                "unverified",
                _("Identity not yet verified"),
                counts["unverified"],
                _list_url("todo=unverified"),
                first(unverified, "received_at"),
            ),
            Pile(
                "unacknowledged",
                _("Receipt not yet acknowledged"),
                counts["unacknowledged"],
                _list_url("todo=unacknowledged"),
                first(unacknowledged, "acknowledge_by"),
            ),
            # Newest first: what arrived since anyone last looked, for someone to take on.
            Pile(
                "unassigned",
                _("Unassigned"),
                counts["unassigned"],
                _list_url("assignee=none"),
                first(unassigned, "-received_at"),
            ),
            Pile(
                "my_tasks",
                _("My tasks"),
                tasks.count(),
                reverse("admin:fulfilment_task_mine"),
                list(tasks.select_related("request", "system").order_by("due_date", "id")[:limit]),
            ),
        ],
        todays=todays,
    )
