"""The django-q2 schedules of the reminder jobs, declared in code (style rule 9).

``ensure_schedules()`` creates the missing ones and brings changed ones in line; running it
twice creates nothing new. It runs in migration ``0002_schedules`` (so a fresh database has
them) and in ``manage.py setup_schedules`` (after changing this file). It never moves an
existing schedule's ``next_run``.

The times are UTC; what depends on an organization's local time (the 08:00 digest, the reminder
day) is decided inside the jobs, per organization, so one hourly schedule serves every zone.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django_q.models import Schedule


@dataclass(frozen=True)
class Spec:
    name: str
    func: str
    schedule_type: str  # Schedule.MINUTES / HOURLY / DAILY
    minutes: int | None = None
    #: Minute past the hour of the first run (then every period), so runs fall at even times.
    at_minute: int = 0
    #: Hour (UTC) of the first run of a daily schedule.
    at_hour: int | None = None

    def first_run(self, now: datetime.datetime) -> datetime.datetime:
        start = now.replace(second=0, microsecond=0)
        if self.at_hour is not None:
            first = start.replace(hour=self.at_hour, minute=self.at_minute)
            return first if first > now else first + datetime.timedelta(days=1)
        if self.minutes:
            step = datetime.timedelta(minutes=self.minutes)
            first = start.replace(minute=0) + datetime.timedelta(minutes=self.at_minute)
            while first <= now:
                first += step
            return first
        first = start.replace(minute=self.at_minute)
        return first if first > now else first + datetime.timedelta(hours=1)


SCHEDULES = (
    Spec(
        name="dsar: reminder sweep",
        func="dsar.reminders.jobs.send_due_reminders",
        schedule_type=Schedule.MINUTES,
        minutes=15,
    ),
    Spec(
        name="dsar: daily digests",
        func="dsar.reminders.jobs.send_daily_digests",
        schedule_type=Schedule.HOURLY,
        at_minute=5,
    ),
    Spec(
        name="dsar: housekeeping",
        func="dsar.reminders.jobs.housekeeping",
        schedule_type=Schedule.DAILY,
        at_hour=3,
        at_minute=30,
    ),
)


def ensure_schedules(
    schedule_model: Any = None, specs: Sequence[Spec] = SCHEDULES
) -> list[tuple[str, str]]:
    """Create or update the schedules; returns (name, "created" | "updated" | "unchanged").

    ``schedule_model`` is the historical model inside a migration, else django_q's own.
    ``specs`` are this app's schedules unless another app passes its own (webhooks, DRP).
    """
    schedule_model = schedule_model or Schedule
    now = timezone.now()
    outcome = []
    for spec in specs:
        wanted = {
            "func": spec.func,
            "schedule_type": spec.schedule_type,
            "minutes": spec.minutes,
            "repeats": -1,
        }
        existing = schedule_model.objects.filter(name=spec.name).order_by("pk").first()
        if existing is None:
            schedule_model.objects.create(name=spec.name, next_run=spec.first_run(now), **wanted)
            outcome.append((spec.name, "created"))
            continue
        changed = {k: v for k, v in wanted.items() if getattr(existing, k) != v}
        if changed:
            schedule_model.objects.filter(pk=existing.pk).update(**changed)
        outcome.append((spec.name, "updated" if changed else "unchanged"))
    return outcome
