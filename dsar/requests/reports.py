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

The figures above come from two aggregate queries, each one pass over the year's requests:
``COUNT … FILTER`` grouped by (right, channel), and a histogram of days to respond grouped by
(right, channel, days). The median and mean are read from the histogram, because SQLite has no
percentile aggregate. Python then adds up these groups (a few dozen, and a few thousand buckets)
into the per-right, per-channel and total rows; it never walks the requests themselves.

Two more tables, added up from two more aggregate queries of the same kind, grouped by (right,
jurisdiction, GPC) over the year's requests of the kinds they count (``year_groups``):

- ``ccpa_7102``: the five request types §7102(a) lists (docs/us-state-laws.md §5 [U2]): requests
  to delete, to correct, to know, to opt out of sale/sharing and to limit, each with received,
  complied with in whole or in part, denied and the median and mean days; how many of the
  opt-outs came with Global Privacy Control; and the browsers whose signal the public pages
  recorded (``browser_gpc_signals``, a hook on ``dsar.intake``'s ``GpcSignal``).
- ``appeal_metrics``: the appeals of refusals per state, received, granted, denied and the
  median and mean days to decide. No other state law read for dsar (docs/us-state-laws.md) asks
  for published figures: this table is the organization's own record, and the page says so.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.apps import apps
from django.db.models import Count, F, Func, IntegerField, Max, Min, Q
from django.db.models.functions import TruncDate

from dsar import jurisdictions
from dsar.lib import spreadsheet
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

    def as_sql(
        self,
        compiler: Any,
        connection: Any,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra: Any,
    ) -> Any:
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


def write_csv(reports: Iterable[Report], out: spreadsheet.Out) -> None:
    """The reports as CSV: one line per right, per channel and the total, for each report."""
    writer = spreadsheet.writer(out)  # formula cells neutralized (dsar.lib.spreadsheet)
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


# -- CCPA §7102: the five request types ------------------------------------------------------------


@dataclass(frozen=True)
class RequestType:
    """One of the request types Cal. Code Regs. tit. 11 §7102(a)(1)(A)-(E) lists, and the kinds
    of request dsar counts as it."""

    key: str
    label: str
    kinds: frozenset[str]


# The regulation's five types. A request to know covers the copy in a portable format (dsar's
# "data portability"); an opt-out of targeted advertising is California's "sharing" (for
# cross-context behavioral advertising, as Cal. Civ. Code §1798.140 defines it), so it counts
# with sale. A marketing opt-out (CAN-SPAM, GDPR Art. 21(3)) and an opt-out of profiling (not a
# CCPA right) are no §7102 type, nor is an appeal: they are left out of this table.
CCPA_7102_TYPES = (
    RequestType("delete", "requests to delete", frozenset({RightKind.ERASURE.value})),
    RequestType("correct", "requests to correct", frozenset({RightKind.RECTIFICATION.value})),
    RequestType(
        "know",
        "requests to know",
        frozenset({RightKind.ACCESS.value, RightKind.PORTABILITY.value}),
    ),
    RequestType(
        "opt_out",
        "requests to opt-out of sale/sharing",
        frozenset({RightKind.OPT_OUT_SALE.value, RightKind.OPT_OUT_TARGETED_ADS.value}),
    ),
    RequestType("limit", "requests to limit", frozenset({RightKind.LIMIT_SENSITIVE.value})),
)
CCPA_7102_KINDS = frozenset().union(*(t.kinds for t in CCPA_7102_TYPES))


class Scope:
    """Whose requests the §7102 table counts. The CCPA's "consumer" is a California resident
    (Cal. Civ. Code §1798.140): that is the default; "all" counts every requester, for an
    organization that answers everyone alike and wants to say so."""

    CALIFORNIA = "california"
    ALL = "all"
    CHOICES = (CALIFORNIA, ALL)


@dataclass(frozen=True)
class TypeFigures:
    """A row of the §7102 table."""

    key: str
    label: str
    received: int
    complied: int
    denied: int
    closed_otherwise: int
    open: int
    median_days: float | None
    mean_days: float | None
    gpc: int | None  # opt-outs only: how many came with Global Privacy Control

    @property
    def answered(self) -> int:
        return self.complied + self.denied


@dataclass(frozen=True)
class Ccpa7102Report:
    organization: Organization
    year: int
    scope: str
    rows: list[TypeFigures]
    # Browsers whose GPC signal the public pages recorded, first seen in the year; None when
    # dsar.intake does not record them (``browser_gpc_signals``).
    browser_gpc_signals: int | None

    @property
    def is_empty(self) -> bool:
        return not any(row.received for row in self.rows)


# The model that records a browser's Global Privacy Control signal on the public pages (one row
# per browser and organization). The public side owns it; this report only counts its rows.
GPC_SIGNAL_MODEL = ("intake", "GpcSignal")


def _year_bounds(organization: Organization, year: int) -> tuple[datetime.datetime, ...]:
    zone = ZoneInfo(organization.time_zone)
    return datetime.datetime(year, 1, 1, tzinfo=zone), datetime.datetime(
        year + 1, 1, 1, tzinfo=zone
    )


def browser_gpc_signals(*, organization: Organization, year: int) -> int | None:
    """How many browsers first sent the Global Privacy Control signal to ``organization``'s
    public pages in ``year`` (its time zone): each is an opt-out of sale and sharing for that
    browser (Cal. Code Regs. tit. 11 §7025), whether or not its user ever sent a request.

    The hook on the public side's record (``GPC_SIGNAL_MODEL``): None when that model is not
    installed, and the page then says that such signals are not counted."""
    try:
        model = apps.get_model(*GPC_SIGNAL_MODEL)
    except LookupError:
        return None
    start, end = _year_bounds(organization, year)
    return model.objects.filter(
        organization=organization, first_seen_at__gte=start, first_seen_at__lt=end
    ).count()


# (right kind, jurisdiction, sent with GPC): the groups both tables below are added up from.
GroupKey = tuple[str, str, bool]


@dataclass(frozen=True)
class YearGroups:
    """The year's requests of the kinds the §7102 and appeals tables count, grouped by right,
    jurisdiction and GPC: the counts of each group and its histogram of days to respond. Read
    once (``year_groups``), added up by each table in Python (a few dozen groups)."""

    counts: dict[GroupKey, dict[str, int]]
    days: dict[GroupKey, dict[int, int]]

    def add_up(self, keep: Any) -> tuple[Counter[str], Counter[int]]:
        """The counts and the histogram of the groups ``keep(key)`` accepts."""
        counts: Counter[str] = Counter()
        histogram: Counter[int] = Counter()
        for key, values in self.counts.items():
            if keep(key):
                counts.update(values)
                if key[2]:
                    counts["gpc"] += values["received"]
        for key, days in self.days.items():
            if keep(key):
                histogram.update(days)
        return counts, histogram


def year_groups(*, organization: Organization, year: int) -> YearGroups:
    """The groups of ``organization``'s requests received in calendar ``year`` that are a
    §7102 type or an appeal: two aggregate queries, whatever the number of requests."""
    requests = PrivacyRequest.objects.filter(
        organization=organization,
        received_on__year=year,
        right_kind__in=[*CCPA_7102_KINDS, RightKind.APPEAL.value],
    ).order_by()
    closed_on = TruncDate("closed_at", tzinfo=ZoneInfo(organization.time_zone))
    rows = "received_on"
    key = ("right_kind", "jurisdiction", "gpc")
    counts = {
        (row.pop("right_kind"), row.pop("jurisdiction"), row.pop("gpc")): row
        for row in requests.values(*key).annotate(
            received=Count(rows),
            complied=Count(rows, filter=Q(status__in=COMPLIED)),
            fulfilled=Count(rows, filter=Q(status=Status.FULFILLED)),
            denied=Count(rows, filter=Q(status=Status.DENIED)),
            closed_otherwise=Count(rows, filter=Q(status__in=CLOSED_OTHERWISE)),
            open=Count(rows, filter=Q(status__in=Status.open_values())),
        )
    }
    days: dict[GroupKey, dict[int, int]] = {}
    for right, where, gpc, elapsed, how_many in (
        requests.filter(status__in=ANSWERED)
        .annotate(days=DaysBetween(closed_on, F("received_on")))
        .values(*key, "days")
        .annotate(n=Count(rows))
        .values_list(*key, "days", "n")
    ):
        days.setdefault((right, where, gpc), {})[elapsed] = how_many
    return YearGroups(counts, days)


def ccpa_7102(
    *,
    organization: Organization,
    year: int,
    scope: str = Scope.CALIFORNIA,
    groups: YearGroups | None = None,
) -> Ccpa7102Report:
    """The §7102 table of ``organization`` for the requests received in calendar ``year``:
    ``groups`` (``year_groups``, two queries, read here when not given) and one count of the
    browsers' GPC signals."""
    if scope not in Scope.CHOICES:
        raise ValueError(f"unknown scope {scope!r}")
    groups = groups or year_groups(organization=organization, year=year)
    rows = []
    for kind in CCPA_7102_TYPES:
        counts, histogram = groups.add_up(
            lambda key, kinds=kind.kinds: (
                key[0] in kinds and (scope == Scope.ALL or key[1] == "US-CA")
            )
        )
        rows.append(
            TypeFigures(
                key=kind.key,
                label=kind.label,
                received=counts["received"],
                complied=counts["complied"],
                denied=counts["denied"],
                closed_otherwise=counts["closed_otherwise"],
                open=counts["open"],
                median_days=median(histogram),
                mean_days=mean(histogram),
                gpc=counts["gpc"] if kind.key == "opt_out" else None,
            )
        )
    signals = browser_gpc_signals(organization=organization, year=year)
    return Ccpa7102Report(organization, year, scope, rows, signals)


CCPA_7102_CSV_COLUMNS = (
    "organization",
    "year",
    "counted",
    "request_type",
    "label",
    "received",
    "complied_in_whole_or_in_part",
    "denied",
    "closed_otherwise",
    "open",
    "median_days_to_respond",
    "mean_days_to_respond",
    "sent_with_global_privacy_control",
)


def write_ccpa_7102_csv(report: Ccpa7102Report, out: spreadsheet.Out) -> None:
    """The §7102 table as CSV, one line per request type; then, when the public side records
    them, a line for the browsers' own GPC signals (received only)."""
    writer = spreadsheet.writer(out)  # formula cells neutralized (dsar.lib.spreadsheet)
    writer.writerow(CCPA_7102_CSV_COLUMNS)
    common = [report.organization.slug, report.year, report.scope]
    for row in report.rows:
        writer.writerow(
            [
                *common,
                row.key,
                row.label,
                row.received,
                row.complied,
                row.denied,
                row.closed_otherwise,
                row.open,
                _number(row.median_days),
                _number(row.mean_days),
                "" if row.gpc is None else row.gpc,
            ]
        )
    if report.browser_gpc_signals is not None:
        label = "browsers that sent Global Privacy Control to the public pages (first seen)"
        writer.writerow(
            [*common, "gpc_signal", label, report.browser_gpc_signals]
            + [""] * 6
            + [report.browser_gpc_signals]
        )


# -- Appeals of refusals, per state ----------------------------------------------------------------


@dataclass(frozen=True)
class AppealFigures:
    """A row of the appeals table: one state (its law and appeal clause), or the total."""

    key: str  # the jurisdiction ("US-VA"), "" when not known, or "total"
    label: str
    received: int
    granted: int  # the appeal fulfilled
    granted_in_part: int  # partially fulfilled
    denied: int
    closed_otherwise: int
    open: int
    median_days: float | None
    mean_days: float | None


@dataclass(frozen=True)
class AppealsReport:
    organization: Organization
    year: int
    by_state: list[AppealFigures]
    total: AppealFigures

    @property
    def is_empty(self) -> bool:
        return self.total.received == 0


def _state_label(code: str) -> str:
    if not code:
        return "residence not known"
    try:
        where = jurisdictions.Jurisdiction.parse(code)
    except ValueError:
        return code
    state_law = jurisdictions.US_STATE_LAWS.get(where.us_state or "")
    if state_law is None or state_law.appeal is None:
        return where.name
    return f"{where.name} ({state_law.appeal.citation})"


def _appeal_figures(
    key: str, label: str, counts: dict[str, int], histogram: dict[int, int]
) -> AppealFigures:
    return AppealFigures(
        key=key,
        label=label,
        received=counts.get("received", 0),
        granted=counts.get("fulfilled", 0),
        granted_in_part=counts.get("complied", 0) - counts.get("fulfilled", 0),
        denied=counts.get("denied", 0),
        closed_otherwise=counts.get("closed_otherwise", 0),
        open=counts.get("open", 0),
        median_days=median(histogram),
        mean_days=mean(histogram),
    )


def appeal_metrics(
    *, organization: Organization, year: int, groups: YearGroups | None = None
) -> AppealsReport:
    """The appeals ``organization`` received in calendar ``year``, per state of the requester:
    received, granted (fulfilled), granted in part, denied, and the median and mean days from
    the appeal to its decision. From ``groups`` (``year_groups``: read here when not given)."""
    groups = groups or year_groups(organization=organization, year=year)
    states = sorted({key[1] for key in groups.counts if key[0] == RightKind.APPEAL})
    by_state = []
    for state in states:
        counts, histogram = groups.add_up(
            lambda key, state=state: key[0] == RightKind.APPEAL and key[1] == state
        )
        by_state.append(_appeal_figures(state, _state_label(state), counts, histogram))
    counts, histogram = groups.add_up(lambda key: key[0] == RightKind.APPEAL)
    total = _appeal_figures("total", "all appeals", counts, histogram)
    return AppealsReport(organization, year, by_state, total)


APPEALS_CSV_COLUMNS = (
    "organization",
    "year",
    "jurisdiction",
    "label",
    "received",
    "granted",
    "granted_in_part",
    "denied",
    "closed_otherwise",
    "open",
    "median_days_to_decide",
    "mean_days_to_decide",
)


def write_appeals_csv(report: AppealsReport, out: spreadsheet.Out) -> None:
    """The appeals table as CSV: one line per state, then the total."""
    writer = spreadsheet.writer(out)  # formula cells neutralized (dsar.lib.spreadsheet)
    writer.writerow(APPEALS_CSV_COLUMNS)
    for row in [*report.by_state, report.total]:
        writer.writerow(
            [
                report.organization.slug,
                report.year,
                row.key,
                row.label,
                row.received,
                row.granted,
                row.granted_in_part,
                row.denied,
                row.closed_otherwise,
                row.open,
                _number(row.median_days),
                _number(row.mean_days),
            ]
        )
