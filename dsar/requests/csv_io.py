"""Requests to and from spreadsheets: ``import_requests`` and ``export_requests``.

The file format (UTF-8, with or without a byte-order mark, comma-separated, one header row):

========================  ========  ======================================================
column                    import    meaning
========================  ========  ======================================================
``reference``             ignored   PREFIX-YEAR-NNNNN (export only: a new one is given)
``organization``          required  the organization's slug, e.g. ``img``
``right``                 required  a ``RightKind`` value, e.g. ``access``
``channel``               required  a ``ChannelKind`` value, e.g. ``email``
``received_at``           required  ISO 8601. Without an offset it is read in the
                                    organization's time zone; a date alone is midnight there
``requester_name``        required  not blank
``requester_email``       required  may be blank
``jurisdiction``          required  where the requester lives: a US state (US-CA, US-DC), an
                                    EU/EEA country (FR), GB, CA, BR or OTHER (``residences``,
                                    the list the public form and staff intake offer); blank
                                    for not known
``subject_line``          required  as received; may be blank
``message``               optional  as received
``status``                ignored   (export only) an imported request is logged as received
``deadline``              ignored   (export only) the legal due date; recomputed on import
========================  ========  ======================================================

An import is all or nothing: every row is checked before anything is written, the writes run in
one transaction through ``services.request_log`` (so each request gets its policy version, flags,
deadline and audit event), and a single bad row stores nothing. Imported requests are logged as
*received*, whatever their history elsewhere: their life in this app starts at the import.

Cells are written so that a spreadsheet cannot run them: a value that starts with ``=``, ``+``,
``-``, ``@`` (or their full-width forms, ``dsar.lib.spreadsheet``), a tab, a carriage return or
an apostrophe gets a leading apostrophe (OWASP "CSV injection"; requesters type these fields on
a public form). The import removes one leading apostrophe, so an export imports back to the same
values.
"""

from __future__ import annotations

import csv
import datetime
import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TextIO
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from dsar import residences
from dsar.lib import spreadsheet
from dsar.organizations.models import Organization
from dsar.policies.models import ChannelKind, PolicyVersion, RightKind
from dsar.requests import services
from dsar.requests.models import PrivacyRequest

IMPORT_ACTOR_LABEL = "import"

REQUIRED_COLUMNS = (
    "organization",
    "right",
    "channel",
    "received_at",
    "requester_name",
    "requester_email",
    "jurisdiction",
    "subject_line",
)
OPTIONAL_COLUMNS = ("message",)
# Written by the export and accepted, then ignored, by the import, so that an export imports back.
EXPORT_ONLY_COLUMNS = ("reference", "status", "deadline")
EXPORT_COLUMNS = ("reference", *REQUIRED_COLUMNS, *OPTIONAL_COLUMNS, "status", "deadline")

# Field limits of PrivacyRequest, checked before any write so the report can name the line.
MAX_LENGTHS = {"requester_name": 200, "requester_email": 254, "subject_line": 500}

_FORMULA_STARTS = (*spreadsheet.FORMULA_PREFIXES, "'")


class CsvImportError(Exception):
    """The file cannot be imported; ``problems`` says where and why, one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} problem{'s' if len(problems) != 1 else ''}")
        self.problems = problems


@dataclass(frozen=True)
class Row:
    """One valid line of the file, ready for ``request_log``."""

    line: int
    organization: Organization
    right_kind: str
    channel_kind: str
    received_at: datetime.datetime
    requester_name: str
    requester_email: str
    jurisdiction: str
    subject_line: str
    message: str
    zone_assumed: str = ""  # the organization's zone, when received_at had no offset


@dataclass(frozen=True)
class Imported:
    row: Row
    request: PrivacyRequest


@dataclass
class _Checker:
    """Checks rows against what the database holds, fetched once per file, not once per row."""

    organizations: dict[str, Organization]
    # Per organization: (in force from, in force until) of every published policy version.
    policy_periods: dict[int, list[tuple[datetime.datetime, datetime.datetime | None]]]
    now: datetime.datetime
    problems: list[str] = field(default_factory=list)

    @classmethod
    def for_slugs(cls, slugs: Iterable[str]) -> _Checker:
        organizations = {o.slug: o for o in Organization.objects.filter(slug__in=set(slugs))}
        periods: dict[int, list[tuple[datetime.datetime, datetime.datetime | None]]] = {}
        versions = PolicyVersion.objects.filter(
            organization__in=organizations.values(), in_force_from__isnull=False
        ).values_list("organization_id", "in_force_from", "in_force_until")
        for organization_id, start, end in versions:
            if start is not None:  # always: the filter left out the versions without one
                periods.setdefault(organization_id, []).append((start, end))
        return cls(organizations, periods, timezone.now())

    def problem(self, line: int, message: str) -> None:
        self.problems.append(f"line {line}: {message}")

    def first_in_force(self, organization: Organization) -> datetime.datetime | None:
        starts = [start for start, _end in self.policy_periods.get(organization.pk, [])]
        return min(starts) if starts else None

    def policy_in_force(self, organization: Organization, when: datetime.datetime) -> bool:
        return any(
            start <= when and (end is None or when < end)
            for start, end in self.policy_periods.get(organization.pk, [])
        )


def unescape_cell(value: str) -> str:
    """Undo ``escape_cell``: drop one leading apostrophe."""
    return value[1:] if value.startswith("'") else value


def escape_cell(value: str) -> str:
    """Keep a spreadsheet from reading a cell as a formula (see the module docstring): the
    prefixes of ``dsar.lib.spreadsheet`` (with their full-width forms), and an apostrophe, which
    ``unescape_cell`` removes on import."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def _suggest(value: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, list(choices), n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


def parse_received_at(value: str, zone: str) -> tuple[datetime.datetime, bool]:
    """An aware datetime for an ISO 8601 ``value``, and whether ``zone`` had to be assumed.

    A value without an offset is wall-clock time in ``zone`` (the organization's); a date alone
    is midnight there. Raises ValueError for anything that is not ISO 8601.
    """
    text = value.strip()
    if not text or not text[:4].isdigit():
        raise ValueError(text)
    parsed = datetime.datetime.fromisoformat(text)
    if timezone.is_aware(parsed):
        return parsed, False
    return parsed.replace(tzinfo=ZoneInfo(zone)), True


def _header(line: int, cells: list[str]) -> tuple[list[str], list[str]]:
    """The normalized column names of the header row, and the problems with it."""
    names = [cell.strip().lower() for cell in cells]
    known = set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS) | set(EXPORT_ONLY_COLUMNS)
    problems = []
    unknown = [name for name in names if name not in known]
    if unknown:
        hint = ""
        if len(names) == 1 and (";" in names[0] or "\t" in names[0]):
            hint = " (the file looks separated by semicolons or tabs: save it comma-separated)"
        problems.append(
            f"line {line}: unknown column"
            + ("s " if len(unknown) > 1 else " ")
            + ", ".join(f"'{name}'" for name in unknown)
            + hint
            + "; the columns are: "
            + ", ".join(EXPORT_COLUMNS)
        )
    missing = [name for name in REQUIRED_COLUMNS if name not in names]
    if missing:
        problems.append(
            f"line {line}: missing column"
            + ("s " if len(missing) > 1 else " ")
            + ", ".join(f"'{name}'" for name in missing)
        )
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        columns = ", ".join(f"'{name}'" for name in twice)
        problems.append(f"line {line}: column {columns} appears twice")
    return names, problems


def _records(stream: TextIO) -> Iterator[tuple[int, list[str]]]:
    """(line number where the record starts, cells), skipping blank lines.

    A quoted cell may span lines (a message with paragraphs), so the line is counted by the
    reader, not by the loop.
    """
    reader = csv.reader(stream, strict=True)
    start = 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                yield start, cells
            start = reader.line_num + 1
    except csv.Error as error:
        raise CsvImportError([f"line {start}: {error}"]) from None


def read_rows(stream: TextIO) -> list[Row]:
    """Check every row of the file and return them all, or raise CsvImportError listing every
    problem found, each with its line."""
    records = list(_records(stream))
    if not records:
        raise CsvImportError(["line 1: the file is empty; the first line must name the columns"])
    (header_line, header_cells), body = records[0], records[1:]
    names, problems = _header(header_line, header_cells)
    if problems:
        raise CsvImportError(problems)
    if not body:
        raise CsvImportError(["the file has a header but no requests"])
    dicts = []
    for line, cells in body:
        if len(cells) != len(names):
            problems.append(f"line {line}: {len(cells)} cells, but the header names {len(names)}")
            continue
        # Spaces around a cell are a spreadsheet's noise, except in the message as received.
        values = {
            name: unescape_cell(cell if name == "message" else cell.strip())
            for name, cell in zip(names, cells, strict=True)
        }
        if nul := _nul_problems(line, values):
            problems.extend(nul)
            continue
        dicts.append((line, values))
    checker = _Checker.for_slugs(values["organization"] for _line, values in dicts)
    checker.problems = problems
    rows = [row for line, values in dicts if (row := _check(checker, line, values)) is not None]
    if checker.problems:
        raise CsvImportError(checker.problems)
    return rows


def _nul_problems(line: int, values: dict[str, str]) -> list[str]:
    """One problem per cell holding a NUL character. PostgreSQL refuses NUL in text, even in a
    query: such a row is reported here, before any lookup, or the import would stop on a
    database error naming no line (a NUL is a broken export, never data)."""
    return [
        f"line {line}: {column} contains a NUL character (\\x00); remove it"
        for column, value in values.items()
        if "\x00" in value
    ]


def _check(checker: _Checker, line: int, values: dict[str, str]) -> Row | None:
    """The row, or None after recording each of its problems with ``checker``."""
    before = len(checker.problems)
    slug = values["organization"]
    organization = checker.organizations.get(slug)
    if organization is None:
        checker.problem(
            line,
            f"organization '{slug}' does not exist"
            + _suggest(slug, Organization.objects.values_list("slug", flat=True)),
        )
    right = values["right"]
    if right not in RightKind.values:
        checker.problem(
            line,
            f"right '{right}' is not a right kind{_suggest(right, RightKind.values)} "
            f"(one of: {', '.join(RightKind.values)})",
        )
    channel = values["channel"]
    if channel not in ChannelKind.values:
        checker.problem(
            line,
            f"channel '{channel}' is not a channel kind{_suggest(channel, ChannelKind.values)} "
            f"(one of: {', '.join(ChannelKind.values)})",
        )
    received_at, zone_assumed = None, False
    raw_received = values["received_at"]
    try:
        received_at, zone_assumed = parse_received_at(
            raw_received, organization.time_zone if organization else "UTC"
        )
    except ValueError:
        checker.problem(
            line,
            f"received_at '{raw_received}' is not an ISO 8601 date-time "
            "(e.g. 2026-03-02T14:30:00+01:00, or 2026-03-02 for midnight in the organization's "
            "time zone)",
        )
    if received_at is not None:
        if received_at > checker.now:
            checker.problem(line, f"received_at '{raw_received}' is in the future")
        elif organization is not None and not checker.policy_in_force(organization, received_at):
            first = checker.first_in_force(organization)
            since = (
                f" (its first policy version is in force from {first.isoformat()})" if first else ""
            )
            checker.problem(
                line,
                f"organization '{slug}' had no policy in force on {received_at.isoformat()}"
                f"{since}: a request is bound to the policy version in force when it was "
                "received (a new organization's first policy can be loaded with "
                "load_policy --in-force-from DATE)",
            )
    # The residences the public form and staff intake offer, and no other: a request imported
    # from a spreadsheet is judged by the same laws as one sent through the form.
    jurisdiction = values["jurisdiction"]
    if jurisdiction:
        try:
            jurisdiction = residences.parse(jurisdiction)
        except ValueError as error:
            checker.problem(line, f"jurisdiction: {error} Leave it blank if it is not known.")
    if not values["requester_name"]:
        checker.problem(line, "requester_name is blank")
    email = values["requester_email"]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            checker.problem(line, f"requester_email '{email}' is not an email address")
    for column, limit in MAX_LENGTHS.items():
        if len(values[column]) > limit:
            checker.problem(
                line, f"{column} is {len(values[column])} characters long; at most {limit}"
            )
    if len(checker.problems) > before:
        return None
    assert organization is not None and received_at is not None  # noqa: S101 - checked above
    return Row(
        line=line,
        organization=organization,
        right_kind=right,
        channel_kind=channel,
        received_at=received_at,
        requester_name=values["requester_name"],
        requester_email=email,
        jurisdiction=jurisdiction,
        subject_line=values["subject_line"],
        message=values.get("message", ""),
        zone_assumed=organization.time_zone if zone_assumed else "",
    )


def import_requests(stream: TextIO, *, dry_run: bool = False) -> list[Imported]:
    """Log every request of the CSV ``stream``, all or nothing (see the module docstring).

    1. Read and check every row (``read_rows``); any problem raises before a single write.
    2. Log the rows in file order in one transaction, through ``services.request_log``. Each call
       is its own savepoint, so a row the service refuses is reported and the next ones are still
       tried: the report lists every problem, not only the first.
    3. On any refusal, or with ``dry_run``, roll everything back.
    """
    rows = read_rows(stream)
    problems: list[str] = []
    imported: list[Imported] = []
    with transaction.atomic():
        for row in rows:
            try:
                request = services.request_log(
                    organization=row.organization,
                    right_kind=row.right_kind,
                    channel_kind=row.channel_kind,
                    received_at=row.received_at,
                    requester_name=row.requester_name,
                    requester_email=row.requester_email,
                    jurisdiction=row.jurisdiction,
                    subject_line=row.subject_line,
                    message=row.message,
                    actor_label=IMPORT_ACTOR_LABEL,
                )
            except (services.TransitionError, ValidationError, ValueError, IntegrityError) as error:
                if isinstance(error, ValidationError):
                    message = "; ".join(error.messages)
                elif isinstance(error, IntegrityError):
                    message = f"the database refused it ({error})"
                else:
                    message = str(error)
                problems.append(f"line {row.line}: {message}")
            else:
                imported.append(Imported(row, request))
        if problems:
            transaction.set_rollback(True)
            raise CsvImportError(problems)
        if dry_run:
            transaction.set_rollback(True)
    return imported


def export_rows(requests: QuerySet[PrivacyRequest]) -> Iterator[list[str]]:
    """The header, then one row per request of ``requests``, as ``import_requests`` reads them.

    ``received_at`` is written in the organization's time zone with its offset, so it reads as
    the local time of receipt and converts back to the same instant. Rows come from
    ``values_list`` in chunks, not model instances: on PostgreSQL a million requests stream
    through a server-side cursor in little memory.
    """
    yield list(EXPORT_COLUMNS)
    zones: dict[str, ZoneInfo] = {}
    rows = (
        requests.order_by("organization_id", "received_at", "id")
        .values_list(
            "reference",
            "organization__slug",
            "organization__time_zone",
            "right_kind",
            "channel_kind",
            "received_at",
            "requester_name",
            "requester_email",
            "jurisdiction",
            "subject_line",
            "message",
            "status",
            "due_date",
        )
        .iterator(chunk_size=2000)
    )
    for (
        reference,
        slug,
        zone,
        right,
        channel,
        received_at,
        name,
        email,
        jurisdiction,
        subject_line,
        message,
        status,
        due_date,
    ) in rows:
        tz = zones.get(zone) or zones.setdefault(zone, ZoneInfo(zone))
        yield [
            reference,
            slug,
            right,
            channel,
            received_at.astimezone(tz).isoformat(),
            escape_cell(name),
            escape_cell(email),
            jurisdiction,
            escape_cell(subject_line),
            escape_cell(message),
            status,
            due_date.isoformat() if due_date else "",
        ]


def export_requests(out: spreadsheet.Out, *, organization: Organization | None = None) -> int:
    """Write the requests (of ``organization``, or all) to ``out`` as CSV; return how many."""
    requests = PrivacyRequest.objects.all()
    if organization is not None:
        requests = requests.filter(organization=organization)
    writer = spreadsheet.writer(out)
    count = -1  # the header is not a request
    for row in export_rows(requests):
        writer.writerow(row)
        count += 1
    return count
