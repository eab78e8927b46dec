"""``timed_job``: the hook a scheduled job wears so that ``/metrics`` knows how its runs went.

    @timed_job("reminder_sweep")
    def send_due_reminders(): ...

Each run adds one to the job's runs (and to its failures when it raised), adds its duration to the
total, and records when it started, how long it took and, if it succeeded, when it ended. Writing
the figures never breaks the job: a failure to write them is logged and the job's own result (or
exception) goes on unchanged.
"""

from __future__ import annotations

import logging
import time
from contextlib import ContextDecorator
from typing import Any, Literal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

logger = logging.getLogger(__name__)


def record_run(name: str, *, started_at: Any, duration: float, ok: bool) -> None:
    """Add one run of job ``name`` to its row (created on its first run)."""
    from dsar.ops.models import JobStat

    with transaction.atomic():
        JobStat.objects.get_or_create(name=name)
        changes: dict[str, Any] = {
            "runs": F("runs") + 1,
            "duration_seconds_total": F("duration_seconds_total") + duration,
            "last_started_at": started_at,
            "last_duration_seconds": duration,
        }
        if ok:
            changes["last_success_at"] = timezone.now()
        else:
            changes["failures"] = F("failures") + 1
        JobStat.objects.filter(name=name).update(**changes)


class timed_job(ContextDecorator):
    """Time a job's run and record it (``record_run``); as a decorator or a ``with`` block."""

    def __init__(self, name: str) -> None:
        self.name = name

    def _recreate_cm(self) -> timed_job:
        # A fresh timer per call of the decorated function: calls may overlap (threads).
        return type(self)(self.name)

    def __enter__(self) -> timed_job:
        self._started = time.perf_counter()
        self._started_at = timezone.now()
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> Literal[False]:
        duration = time.perf_counter() - self._started
        try:
            record_run(
                self.name, started_at=self._started_at, duration=duration, ok=exc_type is None
            )
        except Exception:
            logger.exception("could not record the run of job %s", self.name)
        return False
