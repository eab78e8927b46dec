"""The django-q2 schedule of the DRP status callbacks (created by migration 0002_schedules)."""

from __future__ import annotations

from typing import Any

from django_q.models import Schedule

from dsar.reminders.schedules import Spec
from dsar.reminders.schedules import ensure_schedules as _ensure

SCHEDULES = (
    Spec(
        name="dsar: DRP status callbacks",
        func="dsar.drp.callbacks.deliver_callbacks",
        schedule_type=Schedule.MINUTES,
        minutes=1,
    ),
)


def ensure_schedules(schedule_model: Any = None) -> list[tuple[str, str]]:
    return _ensure(schedule_model, SCHEDULES)
