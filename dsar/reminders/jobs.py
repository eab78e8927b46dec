"""The scheduled jobs: plain functions that django-q2 and the management commands call (rule 9).

- ``send_due_reminders`` (the sweep, every 15 minutes): record the staff reminders now due and
  build one email per person for them, remind requesters who have not verified their identity,
  close the requests that stayed unverified too long, then send the outbox.
- ``send_daily_digests`` (hourly): each privacy officer's and handler's digest, once their
  organization's local time has passed ``DSAR_DIGEST_HOUR`` on a working day, once per local day.
- ``housekeeping`` (daily): purge the personal data of requests closed longer than the retention
  period, and delete expired download links and uploads (hooks of intake and letters).

Each stage commits before the next, so a worker killed at any point leaves a state the next run
completes: recorded reminders always have their emails (recorded in the same transaction), and
an email claimed by a dead worker is claimed again once its lease has run out.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from importlib import import_module
from typing import Any, TypeVar

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import OperationalError, transaction
from django.utils import timezone

from dsar.ops.jobs import timed_job
from dsar.reminders import claims, delivery, hooks, services
from dsar.reminders.conf import ReminderSettings, reminder_settings
from dsar.requests.models import PrivacyRequest

logger = logging.getLogger(__name__)

T = TypeVar("T")


def _log(job: str, result: dict[str, Any]) -> None:
    """INFO when a run did something, DEBUG for the many quiet runs of the day."""
    busy = any(isinstance(v, int) and v for v in result.values())
    logger.log(logging.INFO if busy else logging.DEBUG, "%s %s", job, result)


def _retrying(step: Callable[[], T], attempts: int = 3) -> T:
    """Run ``step`` in a transaction, again if PostgreSQL picked it as a deadlock victim (two
    sweeps inserting the same reminders; both insert in request order, so it is rare)."""
    for attempt in range(1, attempts + 1):
        try:
            with transaction.atomic():
                return step()
        except OperationalError as error:
            if "deadlock" not in str(error).lower() or attempt == attempts:
                raise
            logger.warning("reminder sweep: deadlock on try %s, trying again", attempt)
    raise AssertionError("unreachable")  # pragma: no cover


def _record_due(run: uuid.UUID, conf: ReminderSettings) -> dict[str, int]:
    """Stages 1-3 of the sweep, each committed on its own."""
    now = timezone.now()

    def staff() -> tuple[int, int]:
        recorded = claims.record_staff_reminders(
            now=now,
            run=run,
            offsets=conf.offsets,
            ack_offsets=conf.ack_offsets,
            hour=conf.reminder_hour,
        )
        emails = claims.build_staff_notifications(run=run, now=now) if recorded else 0
        if recorded:
            hooks.reminders_recorded(run=run, now=now)
        return recorded, emails

    recorded, emails = _retrying(staff)
    nudges = _retrying(
        lambda: claims.record_verify_nudges(
            now=now,
            run=run,
            after=conf.verify_nudge_after,
            close_after=conf.close_unverified_after,
        )
    )
    closed = 0
    due = claims.awaiting_verification().filter(received_at__lte=now - conf.close_unverified_after)
    for pk in due.order_by("pk").values_list("pk", flat=True):
        closed += services.close_unverified_request(pk, run=run)
    return {"reminders": recorded, "staff_emails": emails, "nudges": nudges, "closed": closed}


@timed_job("reminder_sweep")  # its runs and durations, for /metrics
def send_due_reminders() -> dict[str, Any]:
    """The sweep: record what is due, then send the outbox. Returns counts (no personal data)."""
    conf = reminder_settings()
    run = uuid.uuid4()
    result: dict[str, Any] = {"run": str(run), **_record_due(run, conf)}
    result.update(delivery.deliver_pending(conf=conf).as_dict())
    _log("reminder sweep", result)
    return result


def preview_due_reminders() -> list[EmailMultiAlternatives]:
    """What ``send_due_reminders`` would send now, without recording or sending anything: the
    sweep runs in a transaction that is rolled back, so the preview is the real thing."""
    conf = reminder_settings()
    with transaction.atomic():
        _record_due(uuid.uuid4(), conf)
        previews = delivery.preview_pending(conf=conf).previews
        transaction.set_rollback(True)
    return previews


@timed_job("daily_digests")
def send_daily_digests() -> dict[str, Any]:
    """Record the daily digests now due (once per person, organization and local day) and send."""
    conf = reminder_settings()
    created = claims.record_daily_digests(now=timezone.now(), hour=conf.digest_hour)
    result: dict[str, Any] = {"digests": created, **delivery.deliver_pending(conf=conf).as_dict()}
    _log("daily digests", result)
    return result


def purgeable(conf: ReminderSettings | None = None) -> Any:
    """Closed requests past the retention period that still hold personal data."""
    conf = conf or reminder_settings()
    return PrivacyRequest.objects.closed().filter(
        services.holds_personal_data(), closed_at__lte=timezone.now() - conf.purge_after
    )


@timed_job("housekeeping")
def housekeeping() -> dict[str, Any]:
    """Purge personal data past retention (one transaction per request), then delete expired
    download links and uploads through the hooks of intake and letters, and expired sessions:
    a staff member's session holds the request list's search terms, names and email addresses
    among them (``dsar.lib.admin_search``), and Django deletes no session by itself."""
    conf = reminder_settings()
    purged = errors = 0
    for pk in list(purgeable(conf).order_by("pk").values_list("pk", flat=True)):
        try:
            services.request_purge(request=PrivacyRequest(pk=pk))
        except Exception:
            errors += 1
            logger.exception("purge of request %s failed", pk)
        else:
            purged += 1
    result = {"purged": purged, "purge_errors": errors, "expired": hooks.delete_expired()}
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    _log("housekeeping", result)
    return result
