"""Yearly request metrics per organization: the figures CCPA regulations §7102 ask for.

Cal. Code Regs. tit. 11 §7102 (legal-rules.md [S18]): a business that handles the personal
information of 10,000,000 or more consumers publishes by July 1, for the previous calendar year,
the number of requests (to know, delete, correct, opt out…) it "received, complied with in whole
or in part, and denied", and "the median or mean number of days within which [it] substantively
responded". This module computes, for one organization and one calendar year:

- per right and per channel: received, complied with in whole or in part (fulfilled or partially
  fulfilled), denied, closed otherwise (withdrawn, unverifiable, duplicate), still open;
- the median and mean days to respond: from the day of receipt (``received_on``) to the day of
  closure (``closed_at`` as a date in the organization's time zone), over the requests answered
  on the merits (``Status.answered``: fulfilled, partially fulfilled, denied);
- the on-time rate: of the answered requests that have a legal deadline, the share closed on or
  before it (``due_date``). Requests with only an internal target are left out of the rate.

A request counts in the year it was *received*, whatever the year it was answered in.

Every figure comes from two aggregate queries, each one pass over the year's requests:
``COUNT … FILTER`` grouped by (right, channel), and a histogram of days to respond grouped by
(right, channel, days). The median and mean are read from the histogram, because SQLite has no
percentile aggregate. Python then adds up these groups (a few dozen, and a few thousand buckets)
into the per-right, per-channel and total rows; it never walks the requests themselves.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from django.db.models import Count, F, Func, IntegerField, Max, Min, Q
from django.db.models.functions import TruncDate

from dsar.organizations.models import Organization
from dsar.policies.models import ChannelKind, RightKind
from dsar.requests.models import PrivacyRequest, Status

ANSWERED = [status.value for status in Status if status.answered]
COMPLIED = [Status.FULFILLED.value, Status.PARTIALLY_FULFILLED.value]
CLOSED_OTHERWISE = [value for value in Status.closed_values() if value not in ANSWERED]

# The names §7102 and §7020 give the rights the app calls access, erasure and rectification.
CCPA_NAMES = {
    RightKind.ACCESS: "request to know",
    RightKind.ERASURE: "request to delete",
    RightKind.RECTIFICATION: "request to correct",
}


class DaysBetween(Func):
    """Whole days from the date ``start`` to the date ``end``, as an integer."""

    arity = 2
    output_field = IntegerField()

    def __init__(self, end: Any, start: Any) -> None:
        super().__init__(end, start)

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # PostgreSQL: date - date is an integer number of days.
        return super().as_sql(
            compiler, connection, template="(%(expressions)s)", arg_joiner=" - ", **extra
        )

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(
            compiler,
            connection,
            template="CAST(ROUND(julianday(%(expressions)s)) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )


@dataclass(frozen=True)
class Figures:
    """The figures of one row of the report: a right, a channel, or the total."""

    key: str
    label: str
    received: int
    complied: int
    denied: int
    closed_otherwise: int
    open: int
    median_days: float | None
    mean_days: float | None
    with_deadline: int
    on_time: int

    @property
    def answered(self) -> int:
        return self.complied + self.denied

    @property
    def on_time_rate(self) -> float | None:
        """Share of the answered requests with a legal deadline closed on or before it."""
        return self.on_time / self.with_deadline if self.with_deadline else None


@dataclass(frozen=True)
class Report:
    organization: Organization
    year: int
    by_right: list[Figures]
    by_channel: list[Figures]
    total: Figures

    @property
    def is_empty(self) -> bool:
        return self.total.received == 0


def median(histogram: dict[int, int]) -> float | None:
    """The median of values given as {value: how many times}, like PERCENTILE_CONT(0.5)."""
    size = sum(histogram.values())
    if size == 0:
        return None
    low_rank, high_rank = (size - 1) // 2, size // 2
    low = high = None
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if low is None and low_rank < seen:
            low = value
        if high_rank < seen:
            high = value
            break
    assert low is not None and high is not None  # noqa: S101 - ranks are below size
    return (low + high) / 2


COUNTS = ("received", "complied", "denied", "closed_otherwise", "open", "with_deadline", "on_time")


def mean(histogram: dict[int, int]) -> float | None:
    size = sum(histogram.values())
    return sum(value * n for value, n in histogram.items()) / size if size else None


def _figures(key: str, label: str, counts: dict[str, int], histogram: dict[int, int]) -> Figures:
    return Figures(
        key=key,
        label=label,
        **{name: counts.get(name, 0) for name in COUNTS},
        median_days=median(histogram),
        mean_days=mean(histogram),
    )


def _breakdown(
    groups: dict[tuple[str, str], dict[str, int]],
    histograms: dict[tuple[str, str], dict[int, int]],
    position: int,
    labels: dict[str, str],
) -> list[Figures]:
    """Add up the (right, channel) groups by right (``position`` 0) or by channel (1)."""
    counts: dict[str, Counter[str]] = {}
    merged: dict[str, Counter[int]] = {}
    for group, values in groups.items():
        counts.setdefault(group[position], Counter()).update(values)
    for group, histogram in histograms.items():
        merged.setdefault(group[position], Counter()).update(histogram)
    return [
        _figures(key, labels.get(key, key), counts[key], merged.get(key, {}))
        for key in sorted(counts)
    ]


def right_label(kind: str) -> str:
    label = str(RightKind(kind).label) if kind in RightKind.values else kind
    ccpa = CCPA_NAMES.get(RightKind(kind)) if kind in RightKind.values else None
    return f"{label} (CCPA: {ccpa})" if ccpa else label


def request_metrics(*, organization: Organization, year: int) -> Report:
    """The §7102 figures of ``organization`` for the requests received in calendar ``year``."""
    requests = PrivacyRequest.objects.filter(
        organization=organization, received_on__year=year
    ).order_by()
    closed_on = TruncDate("closed_at", tzinfo=ZoneInfo(organization.time_zone))
    answered = Q(status__in=ANSWERED)
    has_deadline = answered & Q(due_date__isnull=False)
    # COUNT(received_on), never NULL, rather than COUNT(id): every column these two queries read
    # can then come from one covering index, and PostgreSQL answers with an index-only scan.
    rows = "received_on"
    groups = {
        (row.pop("right_kind"), row.pop("channel_kind")): row
        for row in requests.values("right_kind", "channel_kind").annotate(
            received=Count(rows),
            complied=Count(rows, filter=Q(status__in=COMPLIED)),
            denied=Count(rows, filter=Q(status=Status.DENIED)),
            closed_otherwise=Count(rows, filter=Q(status__in=CLOSED_OTHERWISE)),
            open=Count(rows, filter=Q(status__in=Status.open_values())),
            with_deadline=Count(rows, filter=has_deadline),
            on_time=Count(rows, filter=has_deadline & Q(due_date__gte=closed_on)),
        )
    }
    histograms: dict[tuple[str, str], dict[int, int]] = {}
    for right, channel, days, how_many in (
        requests.filter(answered)
        .annotate(days=DaysBetween(closed_on, F("received_on")))
        .values("right_kind", "channel_kind", "days")
        .annotate(n=Count(rows))
        .values_list("right_kind", "channel_kind", "days", "n")
    ):
        histograms.setdefault((right, channel), {})[days] = how_many
    right_labels = {kind: right_label(kind) for kind in RightKind.values}
    channel_labels = {kind: str(label) for kind, label in ChannelKind.choices}
    total_counts: Counter[str] = Counter()
    total_histogram: Counter[int] = Counter()
    for values in groups.values():
        total_counts.update(values)
    for histogram in histograms.values():
        total_histogram.update(histogram)
    return Report(
        organization,
        year,
        by_right=_breakdown(groups, histograms, 0, right_labels),
        by_channel=_breakdown(groups, histograms, 1, channel_labels),
        total=_figures("total", "all requests", total_counts, total_histogram),
    )


def report_years(organization: Organization) -> list[int]:
    """The calendar years from ``organization``'s first request to its last, newest first.

    From the first and last day of receipt (two probes of the (organization, received_on)
    index), not a DISTINCT over every request; a year without requests in between is listed
    too, and its report rightly says zero."""
    span = PrivacyRequest.objects.filter(organization=organization).aggregate(
        first=Min("received_on"), last=Max("received_on")
    )
    if span["first"] is None:
        return []
    return list(range(span["last"].year, span["first"].year - 1, -1))


CSV_COLUMNS = (
    "organization",
    "year",
    "breakdown",
    "key",
    "label",
    "received",
    "complied_in_whole_or_in_part",
    "denied",
    "closed_otherwise",
    "open",
    "median_days_to_respond",
    "mean_days_to_respond",
    "answered_with_legal_deadline",
    "answered_on_time",
    "on_time_rate",
)


def _number(value: float | None, digits: int = 1) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def write_csv(reports: Iterable[Report], out: TextIO) -> None:
    """The reports as CSV: one line per right, per channel and the total, for each report."""
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for report in reports:
        sections = [("right", report.by_right), ("channel", report.by_channel)]
        for breakdown, rows in [*sections, ("total", [report.total])]:
            for row in rows:
                writer.writerow(
                    [
                        report.organization.slug,
                        report.year,
                        breakdown,
                        row.key,
                        row.label,
                        row.received,
                        row.complied,
                        row.denied,
                        row.closed_otherwise,
                        row.open,
                        _number(row.median_days),
                        _number(row.mean_days),
                        row.with_deadline,
                        row.on_time,
                        _number(row.on_time_rate, 3),
                    ]
                )
