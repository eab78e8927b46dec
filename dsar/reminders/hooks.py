"""What the reminders app asks of other apps, when they offer it.

Intake and letters are built beside this app. Each hook is looked up when it is needed. A hook
that is configured here but missing is an error, never skipped in silence: the system check
``reminders.E006`` fails at startup, a lookup logs an ERROR with the dotted path, and a purge
whose file hook is missing raises (the request stays unpurged, so the next run tries again)
rather than record personal data as purged while its files stay. An import error *inside* a
hook's module is not swallowed.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from dsar.requests.models import PrivacyRequest, Status

logger = logging.getLogger(__name__)

#: Called by housekeeping: delete expired download links and uploads; returns a count or a dict.
DELETE_EXPIRED = (
    "dsar.intake.housekeeping.delete_expired",
    "dsar.letters.housekeeping.delete_expired",
    "dsar.api.housekeeping.delete_expired",
    "dsar.accounts.housekeeping.delete_expired",
)
#: Called when a request's personal data is purged: delete its files (uploads, letters).
PURGE_FILES = (
    "dsar.intake.housekeeping.purge_request",
    "dsar.letters.housekeeping.purge_request",
    "dsar.correspondence.housekeeping.purge_request",
)
#: ``verification_url(request) -> str``: the link a requester follows to verify their identity.
VERIFICATION_URL = "dsar.intake.verification.verification_url"
#: ``close_unverified(*, request, note) -> PrivacyRequest``: intake's own closure, if it has one.
CLOSE_UNVERIFIED = "dsar.intake.services.intake_close_unverified"
#: ``hook(*, run, now)``: called in the sweep's transaction with the staff reminders just recorded
#: under ``run`` (webhooks queue ``request.due_soon`` and ``request.overdue`` there, once each).
REMINDERS_RECORDED = ("dsar.webhooks.services.queue_reminder_deliveries",)
#: ``hook(group, *, day, run, now) -> values_list``: more staff reminders to record in the sweep,
#: rows of ``claims.REMINDER_COLUMNS`` (the fulfilment app's tasks falling due).
STAFF_CLAIMS = ("dsar.fulfilment.reminders.claim_tasks_due",)
#: ``hook(run) -> (sql, params)``: (reminder_id, user_id) for the reminders of ``ReminderKind.
#: task_values()`` of ``run`` (a database value): who is told of which task.
TASK_RECIPIENTS = "dsar.fulfilment.reminders.recipients_sql"
#: ``hook(prefix) -> Q``: whether a task reminder still stands when its email is built.
TASK_STANDING = "dsar.fulfilment.reminders.still_standing"


class MissingHook(ImproperlyConfigured):
    """A hook this app is configured to call does not exist (a renamed module, a typo)."""


def all_configured() -> tuple[str, ...]:
    return (
        *DELETE_EXPIRED,
        *PURGE_FILES,
        VERIFICATION_URL,
        CLOSE_UNVERIFIED,
        *REMINDERS_RECORDED,
        *STAFF_CLAIMS,
        TASK_RECIPIENTS,
        TASK_STANDING,
    )


def lookup(path: str) -> Callable[..., Any] | None:
    """The function at dotted ``path``, or None when its module or the name does not exist."""
    module_name, _, name = path.rpartition(".")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name and module_name.startswith(error.name):
            return None
        raise
    found = getattr(module, name, None)
    return found if callable(found) else None


def find(path: str) -> Callable[..., Any] | None:
    """``lookup``, with an ERROR in the log naming ``path`` when the hook is missing."""
    found = lookup(path)
    if found is None:
        logger.error("hook %s is configured but does not exist", path)
    return found


def require(path: str) -> Callable[..., Any]:
    """The function at ``path``; raises MissingHook (with the dotted path) when it is missing."""
    found = find(path)
    if found is None:
        raise MissingHook(f"hook {path} is configured but does not exist")
    return found


def verification_url(request: PrivacyRequest) -> str:
    hook = find(VERIFICATION_URL)
    return str(hook(request)) if hook else ""


def close_unverified(*, request: PrivacyRequest, note: str) -> PrivacyRequest:
    """Close an unverified request through intake's service, or the requests service."""
    hook = find(CLOSE_UNVERIFIED)
    if hook is not None:
        return hook(request=request, note=note)
    from dsar.requests.services import request_close

    return request_close(
        request=request, actor=None, as_status=Status.CLOSED_UNVERIFIABLE, note=note
    )


def delete_expired() -> dict[str, Any]:
    """Run every ``delete_expired`` hook; ``"missing"`` (and an ERROR logged) for a missing one,
    so the others still run."""
    results: dict[str, Any] = {}
    for path in DELETE_EXPIRED:
        hook = find(path)
        results[path] = "missing" if hook is None else hook()
    return results


def purge_files(request: PrivacyRequest) -> list[str]:
    """Run the ``purge_request`` hooks for one request; returns the ones that ran.

    Every hook must exist (MissingHook otherwise): a purge that skipped one would leave that
    app's files of the request in place for good."""
    hooks = [(path, require(path)) for path in PURGE_FILES]
    for _path, hook in hooks:
        hook(request)
    return [path for path, _hook in hooks]


def reminders_recorded(*, run: Any, now: Any) -> None:
    """Run every ``REMINDERS_RECORDED`` hook, in the caller's transaction; a missing one is
    logged (``find``) and skipped, so the reminders themselves still go out."""
    for path in REMINDERS_RECORDED:
        hook = find(path)
        if hook is not None:
            hook(run=run, now=now)


def staff_claims(group: Any, *, day: Any, run: Any, now: Any) -> list[Any]:
    """The claims of every ``STAFF_CLAIMS`` hook for one group of organizations (a missing
    hook is logged and skipped: the other reminders still go out)."""
    found = []
    for path in STAFF_CLAIMS:
        hook = find(path)
        if hook is not None:
            found.append(hook(group, day=day, run=run, now=now))
    return found


def task_recipients_sql(run: Any) -> tuple[str, list[Any]] | None:
    hook = find(TASK_RECIPIENTS)
    return hook(run) if hook is not None else None


def task_standing(prefix: str) -> Any:
    """Whether task reminders still stand (a Q); none does when the hook is missing."""
    from django.db.models import Q

    hook = find(TASK_STANDING)
    return hook(prefix) if hook is not None else Q(pk__in=[])
