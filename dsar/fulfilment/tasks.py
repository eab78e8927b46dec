"""Tasks: made when a request is verified, done by each system's owner, checked at fulfilment.

Writes are ``task_<verb>`` services, each one transaction that records one event on the request's
trail (style rules 3 and 4). The tasks themselves are made by ``create_on_verification``, the
listener the app registers with ``dsar.requests.events``: it runs inside the transaction that
wrote the verification, so a verified request always has its tasks.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dsar import deadlines
from dsar.core.actors import Actor
from dsar.fulfilment.models import DEFAULT_MARGIN, System, Task, TaskMargin, TaskState
from dsar.lib.i18n import in_staff_language
from dsar.requests import events
from dsar.requests.models import (
    EventKind,
    IdentityStatus,
    PrivacyRequest,
    RequestEvent,
    Status,
)


class TaskError(Exception):
    """A task action its state does not allow, with a message staff can act on."""


# -- Making the tasks ------------------------------------------------------------------------------


def _verifies(event: RequestEvent) -> bool:
    """Whether ``event`` may be the moment the request becomes verified: staff verified the
    identity, or work started (by staff, or by the requester's email confirmation) on a
    request that needs no verification. ``tasks_create`` makes the tasks once."""
    if event.kind == EventKind.IDENTITY_VERIFIED:
        return True
    return event.to_status == Status.IN_PROGRESS and event.request.identity_status in (
        IdentityStatus.NOT_REQUIRED,
        IdentityStatus.VERIFIED,
    )


def task_due_date(
    request: PrivacyRequest, margin: int, today: datetime.date
) -> datetime.date | None:
    """The legal deadline less ``margin`` business days of the organization's calendar, but not
    before ``today`` (a task made late is due at once, not already overdue) and never after the
    legal deadline. None when the request has no deadline."""
    if request.due_date is None:
        return None
    calendar = request.organization.holiday_calendar or None
    due = (
        deadlines.add_business_days(request.due_date, -margin, calendar)
        if margin
        else request.due_date
    )
    return min(max(due, today), request.due_date)


def create_on_verification(written: Sequence[RequestEvent]) -> None:
    """The ``on_written`` listener: give each request just verified its tasks, created when it
    was verified (the event's time: a verification recorded after the fact dates them so)."""
    for event in written:
        if _verifies(event):
            tasks_create(request=event.request, now=event.at)


@in_staff_language
def tasks_create(*, request: PrivacyRequest, now: datetime.datetime | None = None) -> list[Task]:
    """One task per system of the organization the request's right applies to, in the
    caller's transaction, in a number of queries that does not grow with the systems: the
    systems and the margin are read once and the tasks written in one insert. A request that
    already has tasks gets none again."""
    if Task.objects.filter(request=request).exists():
        return []
    systems = [
        s
        for s in System.objects.filter(organization_id=request.organization_id).order_by("name")
        if s.applies_to(request.right_kind)
    ]
    if not systems:
        return []
    margin = (
        TaskMargin.objects.filter(organization_id=request.organization_id)
        .values_list("business_days", flat=True)
        .first()
    )
    now = now or timezone.now()
    today = request.organization.today(now)
    due = task_due_date(request, DEFAULT_MARGIN if margin is None else margin, today)
    made = Task.objects.bulk_create(
        [
            Task(
                request=request,
                system=system,
                owner_id=system.owner_id,
                due_date=due,
                instructions=system.instructions,
                created_at=now,
            )
            for system in systems
        ]
    )
    events.record(
        request,
        kind=EventKind.TASKS_CREATED,
        summary=ngettext(
            "%(n)d task created: %(systems)s",
            "%(n)d tasks created: %(systems)s",
            len(made),
        )
        % {"n": len(made), "systems": ", ".join(s.name for s in systems)},
        actor=None,
        now=now,
        tasks=[t.pk for t in made],
        due=due.isoformat() if due else None,
    )
    return made


# -- Guards ----------------------------------------------------------------------------------------


def open_task_blockers(request: PrivacyRequest) -> list[str]:
    """The guard ``request_fulfil`` asks: the systems whose tasks are still open."""
    names = list(
        Task.objects.filter(request=request)
        .pending()
        .order_by("system__name")
        .values_list("system__name", flat=True)
    )
    if not names:
        return []
    return [
        ngettext(
            "the task of %(systems)s is open",
            "the tasks of %(systems)s are open",
            len(names),
        )
        % {"systems": ", ".join(names)}
    ]


# -- Doing a task ----------------------------------------------------------------------------------


def _locked(task: Task) -> Task:
    return (
        Task.objects.select_for_update(of=("self",))
        .select_related("request__organization", "system")
        .get(pk=task.pk)
    )


def _require_pending(task: Task) -> None:
    if not task.is_pending:
        raise TaskError(
            _("The task is %(state)s: reopen it first.") % {"state": task.get_state_display()}
        )
    if not task.request.is_open:
        raise TaskError(_("The request is closed: its tasks do not change."))


@in_staff_language
@transaction.atomic
def task_start(*, task: Task, actor: Actor) -> Task:
    """The owner (or a colleague) has started on the task."""
    task = _locked(task)
    _require_pending(task)
    if task.state == TaskState.IN_PROGRESS:
        return task
    task.state = TaskState.IN_PROGRESS
    if task.owner_id is None and actor is not None:
        task.owner = actor
    task.save(update_fields=["state", "owner"])
    events.record(
        task.request,
        kind=EventKind.TASK_CHANGED,
        summary=_("Task of %(system)s started") % {"system": task.system.name},
        actor=actor,
        task=task.pk,
        state=task.state,
    )
    return task


@in_staff_language
@transaction.atomic
def task_complete(
    *,
    task: Task,
    actor: Actor,
    outcome: str,
    not_applicable: bool = False,
    records: list[dict[str, Any]] | None = None,
    content: bytes | None = None,
    original_name: str = "",
    content_type: str = "",
) -> Task:
    """Complete the task, saying what was done. For access, what the system holds (records or
    a file) is attached to the request's data package (``data_item_add``) in the same
    transaction; ``not_applicable`` says the system holds nothing of the person."""
    from dsar.letters.services import data_item_add

    if not outcome.strip():
        raise TaskError(_("Say what was done."))
    task = _locked(task)
    _require_pending(task)
    found = records is not None or content is not None
    if found and not_applicable:
        raise TaskError(_("A task with data found is done, not “not applicable”."))
    if found:
        data_item_add(
            request=task.request,
            actor=actor,
            system=task.system.name,
            category=(task.system.category_list or [_("Personal data")])[0],
            records=records,
            content=content,
            original_name=original_name,
            content_type=content_type,
        )
    task.state = TaskState.NOT_APPLICABLE if not_applicable else TaskState.DONE
    task.outcome = outcome.strip()
    task.completed_at = timezone.now()
    task.completed_by = actor
    task.save(update_fields=["state", "outcome", "completed_at", "completed_by"])
    events.record(
        task.request,
        kind=EventKind.TASK_COMPLETED,
        summary=_("Task of %(system)s %(state)s: %(outcome)s")
        % {"system": task.system.name, "state": task.get_state_display(), "outcome": task.outcome},
        actor=actor,
        task=task.pk,
        system=task.system.name,
        state=task.state,
    )
    return task


@in_staff_language
@transaction.atomic
def task_reopen(*, task: Task, actor: Actor, reason: str) -> Task:
    """Open a finished task again (the answer was wrong or incomplete), with the reason."""
    if not reason.strip():
        raise TaskError(_("Say why the task is reopened."))
    task = _locked(task)
    if task.is_pending:
        return task
    if not task.request.is_open:
        raise TaskError(_("The request is closed: its tasks do not change."))
    task.state = TaskState.OPEN
    task.completed_at = None
    task.completed_by = None
    task.outcome = ""
    task.save(update_fields=["state", "outcome", "completed_at", "completed_by"])
    events.record(
        task.request,
        kind=EventKind.TASK_CHANGED,
        summary=_("Task of %(system)s reopened: %(reason)s")
        % {"system": task.system.name, "reason": reason.strip()},
        actor=actor,
        task=task.pk,
        state=task.state,
    )
    return task
