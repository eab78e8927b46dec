"""The Prometheus figures of ``/metrics``, read from the database at each scrape.

Every figure is computed by a custom collector when Prometheus asks, from the database that all
processes share, never kept in one process's memory: under gunicorn each scrape lands on a
different worker, and the jobs run in the task cluster, so an in-process counter would show one
worker's share. The queries are aggregates that indexes answer (timed on a million requests in
``bench/ops_metrics.py``), run in one transaction with a statement time-out and no parallel
workers on PostgreSQL, so that a scrape stays small beside the real work. The counts that no
index answers (letters by kind, failed emails: scans of whole tables) are counters that only
grow, kept in a ``Tally`` shared by all processes and counted again when a scrape finds them
older than ``TALLY_REFRESH`` (``tallied``). No personal data: organizations by slug, counts.

    dsar_requests_open{organization}               open requests
    dsar_requests_overdue{organization}            open, legal deadline passed (organization's day)
    dsar_requests_due_within_7_days{organization}  open, due today or in the next 7 days
    dsar_outbox_emails{outbox,state}               emails waiting in the reminders' outbox and the
                                                   letter deliveries: pending (not tried), retrying
    dsar_outbox_oldest_pending_seconds{outbox}     age of the oldest email waiting
    dsar_outbox_failed_total{outbox}               emails given up (tallied: at most 5 minutes old)
    dsar_letters_issued_total{kind}                letters issued, by kind (tallied)
    dsar_job_runs_total{job,outcome}               runs of the scheduled jobs (dsar.ops.jobs)
    dsar_job_duration_seconds_total{job}           seconds spent in them
    dsar_job_last_duration_seconds{job}            the last run's duration (the reminder sweep…)
    dsar_job_last_success_timestamp_seconds{job}   when the last successful run ended
    dsar_task_schedule_lag_seconds                 how long the most overdue schedule has waited:
                                                   above a few minutes, no task cluster runs
    dsar_metrics_collect_seconds                   what computing all of these took
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import Count, Min, Q
from django.utils import timezone
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

#: Milliseconds a scrape's queries may take together on PostgreSQL before they are cancelled.
STATEMENT_TIMEOUT_MS = 5000
#: How old a tallied count (letters by kind, failed emails) may be before a scrape counts again.
TALLY_MINUTES = 5
TALLY_REFRESH = datetime.timedelta(minutes=TALLY_MINUTES)


@contextmanager
def _bounded() -> Iterator[None]:
    """One transaction, cancelled on PostgreSQL when it runs longer than the time-out, and
    without parallel workers: each query is small, and starting workers costs more than it saves
    (twice the time on a busy two-core machine)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SET LOCAL statement_timeout = {int(STATEMENT_TIMEOUT_MS)}; "
                    "SET LOCAL max_parallel_workers_per_gather = 0"
                )
        yield


def request_metrics() -> list[Metric]:
    """Open, overdue and due-soon requests by organization, in two queries: the organizations,
    then the open requests counted by organization and deadline, which the partial covering index
    of open requests (``requests_org_open_due_cover``) answers in its own order, index only.

    Which deadlines are past or near depends on each organization's today (a deadline falls due
    at the end of its day in the organization's zone, as on the dashboard): the few hundred
    (organization, deadline) counts are sorted out here, which costs PostgreSQL nothing, where
    a conditional count per row doubles the query's time."""
    from dsar.organizations.models import Organization, today_in
    from dsar.requests.models import PrivacyRequest
    from dsar.requests.workspace import DUE_SOON_DAYS

    labels = ["organization"]
    open_ = GaugeMetricFamily("dsar_requests_open", "Open requests.", labels=labels)
    overdue = GaugeMetricFamily(
        "dsar_requests_overdue",
        "Open requests whose legal deadline has passed (in the organization's time zone).",
        labels=labels,
    )
    due_soon = GaugeMetricFamily(
        f"dsar_requests_due_within_{DUE_SOON_DAYS}_days",
        f"Open requests due today or within the next {DUE_SOON_DAYS} days.",
        labels=labels,
    )
    now = timezone.now()
    organizations = list(
        Organization.objects.order_by("slug").values_list("pk", "slug", "time_zone")
    )
    todays = {pk: today_in(zone, now) for pk, _slug, zone in organizations}
    counts = {pk: {"open": 0, "overdue": 0, "due_soon": 0} for pk in todays}
    # Counting a column of the covering index (never null) keeps the scan index-only.
    rows = (
        PrivacyRequest.objects.open()
        .values_list("organization_id", "due_date")
        .annotate(n=Count("status"))
        .order_by()
    )
    soon = datetime.timedelta(days=DUE_SOON_DAYS)
    for organization_id, due, n in rows:
        figures = counts.setdefault(organization_id, {"open": 0, "overdue": 0, "due_soon": 0})
        figures["open"] += n
        today = todays.get(organization_id)
        if due is None or today is None:
            continue
        # The conditions of PrivacyRequestQuerySet.overdue_q and due_within_q.
        if due < today:
            figures["overdue"] += n
        elif due <= today + soon:
            figures["due_soon"] += n
    for pk, slug, _zone in organizations:
        open_.add_metric([slug], counts[pk]["open"])
        overdue.add_metric([slug], counts[pk]["overdue"])
        due_soon.add_metric([slug], counts[pk]["due_soon"])
    return [open_, overdue, due_soon]


def tallied(name: str, count: Callable[[], dict[str, int]]) -> dict[str, int]:
    """``count()``, at most ``TALLY_REFRESH`` old, for counts that scan a whole table and only
    ever grow (counters).

    The count is kept in a ``Tally`` row shared by all processes. The first scrape that finds it
    stale counts again, holding the row so that the others wait and read its count rather than
    count too. A count is never stored below the one stored (a slower scrape's older snapshot,
    a deleted row), so no process serves a counter that went down."""
    from dsar.ops.models import Tally

    now = timezone.now()
    tally = Tally.objects.filter(name=name).first()
    if tally is not None and tally.computed_at > now - TALLY_REFRESH:
        return tally.values
    with transaction.atomic():
        tally, _created = Tally.objects.select_for_update().get_or_create(
            name=name, defaults={"computed_at": now - 2 * TALLY_REFRESH}
        )
        if tally.computed_at > now - TALLY_REFRESH:  # another process counted meanwhile
            return tally.values
        values = dict(tally.values)
        for label, n in count().items():
            values[label] = max(values.get(label, 0), n)
        tally.values, tally.computed_at = values, timezone.now()
        tally.save(update_fields=["values", "computed_at"])
    return values


def failed_emails() -> dict[str, int]:
    """Emails given up after their last try, by outbox: a scan of each outbox (no index has the
    failed ones), so tallied. A failed email stays failed."""
    from dsar.letters.models import DeliveryStatus, LetterDelivery
    from dsar.reminders.models import Notification, NotificationStatus

    return {
        "reminders": Notification.objects.filter(status=NotificationStatus.FAILED).count(),
        "letters": LetterDelivery.objects.filter(status=DeliveryStatus.FAILED).count(),
    }


def outbox_metrics() -> list[Metric]:
    """The two outboxes of email: reminders (``Notification``) and letters (``LetterDelivery``).

    ``pending`` waits for its first try and ``retrying`` failed at least once and will be tried
    again: counted at each scrape from the outboxes' partial indexes of pending emails
    (``reminders_outbox``, ``letters_delivery_due``). Failures, which no index finds, are a
    counter (``failed_emails``)."""
    from dsar.letters.models import DeliveryStatus, LetterDelivery
    from dsar.reminders.models import Notification, NotificationStatus

    emails = GaugeMetricFamily(
        "dsar_outbox_emails",
        "Emails of an outbox waiting to be sent, by state (pending: not tried yet).",
        labels=["outbox", "state"],
    )
    oldest = GaugeMetricFamily(
        "dsar_outbox_oldest_pending_seconds",
        "Age of the oldest email waiting to be sent (0 when there is none).",
        labels=["outbox"],
    )
    failed = CounterMetricFamily(
        "dsar_outbox_failed",
        f"Emails given up after their last try (counted at most {TALLY_MINUTES} minutes ago).",
        labels=["outbox"],
    )
    figures = {
        "pending": Count("pk", filter=Q(attempts=0)),
        "retrying": Count("pk", filter=Q(attempts__gt=0)),
    }
    now = timezone.now()
    outboxes = {
        "reminders": Notification.objects.filter(status=NotificationStatus.PENDING),
        "letters": LetterDelivery.objects.filter(status=DeliveryStatus.PENDING),
    }
    for outbox, waiting in outboxes.items():
        row = waiting.aggregate(**figures, oldest=Min("created_at"))
        emails.add_metric([outbox, "pending"], row["pending"])
        emails.add_metric([outbox, "retrying"], row["retrying"])
        age = (now - row["oldest"]).total_seconds() if row["oldest"] else 0.0
        oldest.add_metric([outbox], max(age, 0.0))
    given_up = tallied("outbox_failed", failed_emails)
    for outbox in outboxes:
        failed.add_metric([outbox], given_up.get(outbox, 0))
    return [emails, oldest, failed]


def letters_issued() -> dict[str, int]:
    """Letters by kind. Issued letters are evidence and never deleted (a purge blanks their
    content, the row stays), so the count only grows; it scans every letter, so it is tallied."""
    from dsar.letters.models import Letter

    counted = Letter.objects.values("kind").annotate(n=Count("pk")).order_by()
    return {row["kind"]: row["n"] for row in counted}


def letter_metrics() -> list[Metric]:
    """Letters issued by kind (``letters_issued``, tallied)."""
    from dsar.letters.kinds import LetterKind

    issued = CounterMetricFamily(
        "dsar_letters_issued",
        f"Letters issued, by kind (counted at most {TALLY_MINUTES} minutes ago).",
        labels=["kind"],
    )
    counts = tallied("letters_issued", letters_issued)
    for kind in sorted({*LetterKind.values, *counts}):
        issued.add_metric([kind], counts.get(kind, 0))
    return [issued]


def job_metrics() -> list[Metric]:
    """The scheduled jobs' runs as ``dsar.ops.jobs.timed_job`` recorded them, and the task
    cluster's schedule lag."""
    from dsar.ops.health import schedule_lag
    from dsar.ops.models import JobStat

    runs = CounterMetricFamily(
        "dsar_job_runs", "Runs of a scheduled job, by outcome.", labels=["job", "outcome"]
    )
    spent = CounterMetricFamily(
        "dsar_job_duration_seconds", "Seconds spent in runs of a scheduled job.", labels=["job"]
    )
    last = GaugeMetricFamily(
        "dsar_job_last_duration_seconds", "Duration of a job's last run.", labels=["job"]
    )
    success = GaugeMetricFamily(
        "dsar_job_last_success_timestamp_seconds",
        "Unix time at which a job's last successful run ended.",
        labels=["job"],
    )
    for stat in JobStat.objects.order_by("name"):
        runs.add_metric([stat.name, "success"], stat.runs - stat.failures)
        runs.add_metric([stat.name, "failure"], stat.failures)
        spent.add_metric([stat.name], stat.duration_seconds_total)
        if stat.last_duration_seconds is not None:
            last.add_metric([stat.name], stat.last_duration_seconds)
        if stat.last_success_at is not None:
            success.add_metric([stat.name], stat.last_success_at.timestamp())
    families: list[Metric] = [runs, spent, last, success]
    lag = schedule_lag()
    if lag is not None:
        families.append(
            GaugeMetricFamily(
                "dsar_task_schedule_lag_seconds",
                "How long the most overdue task schedule has waited; minutes mean no cluster runs.",
                value=lag.total_seconds(),
            )
        )
    return families


class DsarCollector(Collector):
    """Everything above, computed when Prometheus scrapes."""

    def collect(self) -> Iterable[Metric]:
        started = time.perf_counter()
        with _bounded():
            families = [*request_metrics(), *outbox_metrics(), *letter_metrics(), *job_metrics()]
        families.append(
            GaugeMetricFamily(
                "dsar_metrics_collect_seconds",
                "Seconds the database figures of this scrape took to compute.",
                value=time.perf_counter() - started,
            )
        )
        return families

    def describe(self) -> Iterable[Metric]:
        # Nothing to describe ahead: registering must not run the queries.
        return []


registry = CollectorRegistry(auto_describe=False)
registry.register(DsarCollector())


def exposition() -> bytes:
    """The text exposition format of every figure, computed now."""
    return generate_latest(registry)
