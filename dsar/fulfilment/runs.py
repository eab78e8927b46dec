"""Connector runs: asked for by staff, run on the task queue (django-q2), recorded on the trail.

``run_request`` records a queued ``ConnectorRun`` and hands it to the task cluster once the
transaction commits; ``perform`` (the job, a plain function) runs it and records the outcome: the
run's status and count, and one event on the request's timeline that says how many rows were
found or erased, never what they held. An access run's rows go into the data package
(``data_item_add``). An erasure runs only as the confirmation of a count staff have seen.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import secrets
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dsar.core.actors import Actor
from dsar.core.links import site_url
from dsar.fulfilment.connectors import http, postgresql
from dsar.fulfilment.models import ConnectorKind, ConnectorRun, RunKind, RunStatus, Task
from dsar.fulfilment.tasks import TaskError
from dsar.lib.i18n import in_staff_language
from dsar.policies.models import RightKind
from dsar.requests import events
from dsar.requests.models import EventKind, PrivacyRequest
from dsar.webhooks.conf import webhook_settings

logger = logging.getLogger(__name__)

#: Which runs a request for each right may ask for, by connector. A database erasure is counted
#: first and confirmed; a system behind an HTTP endpoint is asked to erase and says how much.
RUNS_FOR_RIGHT: dict[str, dict[str, tuple[RunKind, ...]]] = {
    ConnectorKind.POSTGRESQL: {
        RightKind.ACCESS: (RunKind.ACCESS,),
        RightKind.PORTABILITY: (RunKind.ACCESS,),
        RightKind.ERASURE: (RunKind.ERASURE_COUNT, RunKind.ERASURE),
        RightKind.ACCOUNT_CLOSURE: (RunKind.ERASURE_COUNT, RunKind.ERASURE),
    },
    ConnectorKind.HTTP: {
        RightKind.ACCESS: (RunKind.ACCESS,),
        RightKind.PORTABILITY: (RunKind.ACCESS,),
        RightKind.ERASURE: (RunKind.ERASURE_REQUEST,),
        RightKind.ACCOUNT_CLOSURE: (RunKind.ERASURE_REQUEST,),
    },
}


def identity_of(request: PrivacyRequest) -> dict[str, str]:
    """The values a connector's statements may name (``models.IDENTITY_PARAMETERS``)."""
    return {
        "email": request.requester_email,
        "name": request.requester_name,
        "phone": request.requester_phone,
        "reference": request.reference,
    }


def runs_offered(task: Task) -> tuple[RunKind, ...]:
    if not task.is_pending:
        return ()
    return RUNS_FOR_RIGHT.get(task.system.connector, {}).get(task.request.right_kind, ())


def latest_count(task: Task) -> ConnectorRun | None:
    """The last finished count of an erasure, which a confirmation confirms."""
    return (
        task.runs.filter(kind=RunKind.ERASURE_COUNT, status=RunStatus.DONE)
        .order_by("-requested_at", "-id")
        .first()
    )


def unconfirmed_count(task: Task) -> ConnectorRun | None:
    """The latest count, while no erasure has confirmed it: what the task page offers to
    confirm."""
    count = latest_count(task)
    if count is None or task.runs.filter(kind=RunKind.ERASURE, confirms=count).exists():
        return None
    return count


@transaction.atomic
def run_request(
    *, task: Task, kind: RunKind | str, actor: Actor, confirms: ConnectorRun | None = None
) -> ConnectorRun:
    """Queue a run of the task's connector. An erasure must confirm the task's latest count."""
    kind = RunKind(kind)
    task = Task.objects.select_related("request", "system").get(pk=task.pk)
    if kind not in runs_offered(task):
        raise TaskError(_("This task's system offers no such run."))
    if kind == RunKind.ERASURE:
        latest = latest_count(task)
        if confirms is None or latest is None or confirms.pk != latest.pk:
            raise TaskError(
                _(
                    "Count the rows first, then confirm the latest count: "
                    "the erasure runs only then."
                )
            )
        if task.runs.filter(kind=RunKind.ERASURE, confirms=confirms).exists():
            raise TaskError(_("This count was already confirmed; count again to erase again."))
    run = ConnectorRun.objects.create(task=task, kind=kind, requested_by=actor, confirms=confirms)
    transaction.on_commit(lambda: enqueue(run.pk))
    return run


def enqueue(run_id: int, at: datetime.datetime | None = None) -> None:
    """Hand the run to the task cluster, now or (a retry) at ``at``."""
    from django_q.tasks import async_task, schedule

    if at is None:
        async_task(
            "dsar.fulfilment.runs.perform",
            run_id,
            group="connector-runs",
            task_name=f"connector-run-{run_id}",
        )
    else:
        schedule(
            "dsar.fulfilment.runs.perform",
            run_id,
            name=f"connector-run-{run_id}-retry-{at.isoformat()}",
            schedule_type="O",
            next_run=at,
            repeats=1,
        )


def _summary(run: ConnectorRun, system: str) -> str:
    if run.status == RunStatus.FAILED:
        return _("Connector of %(system)s failed (%(kind)s): %(error)s") % {
            "system": system,
            "kind": run.get_kind_display(),
            "error": run.error,
        }
    rows = run.rows or 0
    words = {
        RunKind.ACCESS: ngettext(
            "Connector of %(system)s found %(rows)d row",
            "Connector of %(system)s found %(rows)d rows",
            rows,
        ),
        RunKind.ERASURE_COUNT: ngettext(
            "Connector of %(system)s: an erasure would touch %(rows)d row",
            "Connector of %(system)s: an erasure would touch %(rows)d rows",
            rows,
        ),
        RunKind.ERASURE: ngettext(
            "Connector of %(system)s erased %(rows)d row",
            "Connector of %(system)s erased %(rows)d rows",
            rows,
        ),
        RunKind.ERASURE_REQUEST: ngettext(
            "%(system)s erased %(rows)d record",
            "%(system)s erased %(rows)d records",
            rows,
        ),
    }
    return words[RunKind(run.kind)] % {"system": system, "rows": rows}


def _locked(run_id: int) -> ConnectorRun:
    return (
        ConnectorRun.objects.select_for_update(of=("self",))
        .select_related("task__request__organization", "task__system", "requested_by")
        .get(pk=run_id)
    )


def _finish(
    run: ConnectorRun,
    *,
    rows: list[dict[str, Any]] | None = None,
    count: int | None = None,
    error: str = "",
) -> ConnectorRun:
    """Record what a run came to, in the caller's transaction with ``run`` locked: its status
    and count, the rows of an access run in the data package, one event on the timeline."""
    from dsar.letters.services import data_item_add

    task, system = run.task, run.task.system
    request = task.request
    if error:
        run.status, run.error = RunStatus.FAILED, error[:300]
    else:
        run.status = RunStatus.DONE
        run.rows = len(rows) if rows is not None else count
        if rows:
            data_item_add(
                request=request,
                actor=run.requested_by,
                system=system.name,
                category=(system.category_list or [_("Personal data")])[0],
                records=rows,
            )
    run.finished_at = timezone.now()
    run.next_attempt_at = None
    run.save()
    events.record(
        request,
        kind=EventKind.CONNECTOR_RAN,
        summary=_summary(run, system.name),
        actor=run.requested_by,
        task=task.pk,
        run=run.pk,
        run_kind=run.kind,
        status=run.status,
        rows=run.rows,
    )
    # Counts and ids only: the rows and the identity never reach the log.
    logger.info(
        "connector run %s (%s) of task %s: %s, %s rows",
        run.pk,
        run.kind,
        task.pk,
        run.status,
        run.rows,
    )
    return run


@in_staff_language
def perform(run_id: int) -> dict[str, Any]:
    """The job: run a queued connector run, and record what came of it. A run that is no
    longer queued (the cluster retried a job that had finished) is left as it is."""
    run = ConnectorRun.objects.select_related("task__system").get(pk=run_id)
    if run.status != RunStatus.QUEUED:
        return {"run": run_id, "status": run.status}
    if run.task.system.connector == ConnectorKind.HTTP:
        return _perform_http(run_id)
    with transaction.atomic():
        run = _locked(run_id)
        if run.status != RunStatus.QUEUED:
            return {"run": run_id, "status": run.status}
        system, identity = run.task.system, identity_of(run.task.request)
        try:
            if run.kind == RunKind.ACCESS:
                _finish(run, rows=postgresql.run_access(system, identity).rows)
            else:
                dry_run = run.kind == RunKind.ERASURE_COUNT
                _finish(run, count=postgresql.run_erasure(system, identity, dry_run=dry_run))
        except postgresql.ConnectorError as error:
            _finish(run, error=str(error))
    return {"run": run.pk, "status": run.status, "rows": run.rows}


# -- The HTTP connector ----------------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def backoff(attempts: int) -> datetime.timedelta:
    """The wait after the ``attempts``-th failed try: the webhooks' first wait, doubling."""
    return webhook_settings().retry_after * 2 ** max(attempts - 1, 0)


def _perform_http(run_id: int) -> dict[str, Any]:
    """One try of an HTTP run. The callback token is committed before the call, so a system
    that calls back at once finds its run; a result that arrives by callback meanwhile wins."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        run = _locked(run_id)
        if run.status != RunStatus.QUEUED:
            return {"run": run_id, "status": run.status}
        run.callback_token_hash = token_hash(token)
        run.attempts += 1
        run.save(update_fields=["callback_token_hash", "attempts"])
    request, system = run.task.request, run.task.system
    kind = "access" if run.kind == RunKind.ACCESS else "erasure"
    try:
        outcome = http.call(
            system,
            kind=kind,
            run_id=run.pk,
            reference=request.reference,
            identity=identity_of(request),
            callback_url=site_url(reverse("fulfilment_callback", args=[token])),
            now=timezone.now(),
        )
        failure = ""
    except postgresql.ConnectorError as error:
        outcome, failure = None, str(error)
    with transaction.atomic():
        run = _locked(run_id)
        if run.status != RunStatus.QUEUED:
            return {"run": run_id, "status": run.status}  # answered by callback meanwhile
        if failure:
            if run.attempts < webhook_settings().max_attempts:
                run.next_attempt_at = timezone.now() + backoff(run.attempts)
                run.error = failure[:300]
                run.save(update_fields=["next_attempt_at", "error"])
                at = run.next_attempt_at
                transaction.on_commit(lambda: enqueue(run_id, at))
                logger.info("connector run %s: try %s failed, retrying", run_id, run.attempts)
                return {"run": run_id, "status": run.status, "retry_at": at.isoformat()}
            _finish(run, error=failure)
        elif outcome is not None and outcome.waiting:
            run.status, run.error = RunStatus.WAITING, ""
            run.save(update_fields=["status", "error"])
        elif outcome is not None:
            _finish(run, rows=outcome.rows, count=outcome.erased)
    return {"run": run.pk, "status": run.status, "rows": run.rows}


class CallbackRefused(Exception):
    """A callback that cannot be taken: ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@in_staff_language
@transaction.atomic
def accept_callback(*, token: str, body: str) -> ConnectorRun:
    """Take the result a system sent to a run's callback URL, once: the token is spent by the
    first good result; a bad one is refused and the token still works."""
    found = ConnectorRun.objects.filter(callback_token_hash=token_hash(token)).first()
    if found is None:
        raise CallbackRefused(404, "unknown callback")
    run = _locked(found.pk)
    if run.answered_at is not None or run.status not in (RunStatus.QUEUED, RunStatus.WAITING):
        raise CallbackRefused(410, "this callback was already answered")
    kind = "access" if run.kind == RunKind.ACCESS else "erasure"
    try:
        outcome = http.parse_result(kind, body)
    except postgresql.ConnectorError as error:
        raise CallbackRefused(400, str(error)) from None
    run.answered_at = timezone.now()
    return _finish(run, rows=outcome.rows, count=outcome.erased)
