"""The django-q2 schedule of the webhook sender, declared in code (style rule 9); created by
migration ``0002_schedules`` and brought in line by ``ensure_schedules`` like the reminders'."""

from __future__ import annotations

from typing import Any

from django_q.models import Schedule

from dsar.reminders.schedules import Spec
from dsar.reminders.schedules import ensure_schedules as _ensure

SCHEDULES = (
    Spec(
        name="dsar: webhook deliveries",
        func="dsar.webhooks.jobs.deliver_webhooks",
        schedule_type=Schedule.MINUTES,
        minutes=1,
    ),
)


def ensure_schedules(schedule_model: Any = None) -> list[tuple[str, str]]:
    return _ensure(schedule_model, SCHEDULES)
