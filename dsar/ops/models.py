"""What the scheduled jobs leave for the metrics: one row per job, updated at the end of each run.

The jobs run in the task cluster and ``/metrics`` is answered by a web worker, so the figures of
a run cannot live in the memory of the process that ran it: they go to the database, which every
process reads (``dsar.ops.metrics``). No personal data: a job's name, counts and times.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStat(models.Model):
    """The running totals and the last run of one scheduled job (``dsar.ops.jobs.timed_job``)."""

    name = models.CharField(_("job"), max_length=64, unique=True)
    runs = models.PositiveBigIntegerField(_("runs"), default=0)
    failures = models.PositiveBigIntegerField(_("runs that raised"), default=0)
    duration_seconds_total = models.FloatField(_("seconds spent in all runs"), default=0.0)
    last_started_at = models.DateTimeField(_("last run started at"), null=True, blank=True)
    last_duration_seconds = models.FloatField(_("last run's seconds"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last successful run ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("job statistics")
        verbose_name_plural = _("job statistics")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Tally(models.Model):
    """Counts that are too dear to compute at every scrape, shared by all processes: computed by
    whichever process scrapes after they are older than their refresh period (``dsar.ops.
    metrics``). Only for counts that never go down: a count stored is never replaced by a lower
    one (an older snapshot's), so every process serves a counter that only rises."""

    name = models.CharField(_("name"), max_length=64, unique=True)
    values = models.JSONField(_("count by label"), default=dict)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("tally")
        verbose_name_plural = _("tallies")

    def __str__(self) -> str:
        return self.name
