"""Connector runs: asked for by staff, run on the task queue (django-q2), recorded on the trail.

``run_request`` records a queued ``ConnectorRun`` and hands it to the task cluster once the
transaction commits; ``perform`` (the job, a plain function) runs it and records the outcome: the
run's status and count, and one event on the request's timeline that says how many rows were
found or erased, never what they held. An access run's rows go into the data package
(``data_item_add``). An erasure runs only as the confirmation of a count staff have seen.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dsar.fulfilment.connectors import postgresql
from dsar.fulfilment.models import ConnectorKind, ConnectorRun, RunKind, RunStatus, Task
from dsar.fulfilment.tasks import TaskError
from dsar.lib.i18n import in_staff_language
from dsar.policies.models import RightKind
from dsar.requests import events
from dsar.requests.models import EventKind, PrivacyRequest

logger = logging.getLogger(__name__)

Actor = AbstractBaseUser | None

#: Which runs a request for each right may ask for.
RUNS_FOR_RIGHT: dict[str, tuple[RunKind, ...]] = {
    RightKind.ACCESS: (RunKind.ACCESS,),
    RightKind.PORTABILITY: (RunKind.ACCESS,),
    RightKind.ERASURE: (RunKind.ERASURE_COUNT, RunKind.ERASURE),
    RightKind.ACCOUNT_CLOSURE: (RunKind.ERASURE_COUNT, RunKind.ERASURE),
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
    if task.system.connector != ConnectorKind.POSTGRESQL or not task.is_pending:
        return ()
    return RUNS_FOR_RIGHT.get(task.request.right_kind, ())


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


def enqueue(run_id: int) -> None:
    from django_q.tasks import async_task

    async_task(
        "dsar.fulfilment.runs.perform",
        run_id,
        group="connector-runs",
        task_name=f"connector-run-{run_id}",
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
    }
    return words[RunKind(run.kind)] % {"system": system, "rows": rows}


@in_staff_language
def perform(run_id: int) -> dict[str, Any]:
    """The job: run a queued connector run once, and record what came of it. A run that is no
    longer queued (the cluster retried a job that had finished) is left as it is."""
    from dsar.letters.services import data_item_add

    with transaction.atomic():
        run = (
            ConnectorRun.objects.select_for_update(of=("self",))
            .select_related("task__request__organization", "task__system", "requested_by")
            .get(pk=run_id)
        )
        if run.status != RunStatus.QUEUED:
            return {"run": run_id, "status": run.status}
        task, system = run.task, run.task.system
        request = task.request
        identity = identity_of(request)
        try:
            if run.kind == RunKind.ACCESS:
                found = postgresql.run_access(system, identity)
                run.rows = len(found.rows)
                if found.rows:
                    data_item_add(
                        request=request,
                        actor=run.requested_by,
                        system=system.name,
                        category=(system.category_list or [_("Personal data")])[0],
                        records=found.rows,
                    )
            else:
                run.rows = postgresql.run_erasure(
                    system, identity, dry_run=run.kind == RunKind.ERASURE_COUNT
                )
            run.status = RunStatus.DONE
        except postgresql.ConnectorError as error:
            run.status, run.error = RunStatus.FAILED, str(error)[:300]
        run.finished_at = timezone.now()
        run.save(update_fields=["rows", "status", "error", "finished_at"])
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
    return {"run": run.pk, "status": run.status, "rows": run.rows}
