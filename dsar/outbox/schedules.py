"""The django-q2 schedule of the outbox sweep, declared in code (style rule 9); created by
migration ``0002_schedules`` and brought in line by ``ensure_schedules`` like the reminders'.

The sweep is the safety net: each commit that queues an email also queues a task that sends it
at once (``services.kick``); the sweep sends what that task did not (a broker that was down, a
worker killed mid-send, a retry whose time has come)."""

from __future__ import annotations

from typing import Any

from django_q.models import Schedule

from dsar.reminders.schedules import Spec
from dsar.reminders.schedules import ensure_schedules as _ensure

SCHEDULES = (
    Spec(
        name="dsar: outbox sweep",
        func="dsar.outbox.delivery.deliver_queued",
        schedule_type=Schedule.MINUTES,
        minutes=1,
    ),
)


def ensure_schedules(schedule_model: Any = None) -> list[tuple[str, str]]:
    return _ensure(schedule_model, SCHEDULES)
