"""Every write of the letters app: issue, send, attach data, build and release packages.

Names read ``<entity>_<verb>``; arguments are keyword-only; each service is one transaction that
records what it did on the request's audit trail (``dsar.letters.events``). Side effects that
leave the process (emails, queued tasks) run on commit.
"""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dsar.core.actors import Actor
from dsar.letters import events, packages, queue, render
from dsar.letters.context import (
    LetterNotApplicable,
    check_applicable,
    check_parts,
    default_parts,
    issued_on,
    letter_context,
    letter_parts,
    logo_inline,
)
from dsar.letters.evidence import evidence_pack_pdf
from dsar.letters.kinds import LetterKind
from dsar.letters.models import (
    DataItem,
    DataPackage,
    DeliveryMethod,
    DeliveryStatus,
    ItemKind,
    Letter,
    LetterDelivery,
)
from dsar.letters.storage import private_storage, sha256_hex
from dsar.organizations.models import DisclosureRegisterConfirmation, disclosures_for_year
from dsar.requests.models import EventKind, PrivacyRequest

__all__ = [
    "LetterNotApplicable",
    "Rendered",
    "data_item_add",
    "evidence_pack_export",
    "letter_issue",
    "letter_issue_and_send",
    "letter_prepare",
    "letter_send",
    "letters_issue_bulk",
    "package_build",
    "package_download",
    "package_release",
    "register_confirm",
]


@dataclass(frozen=True)
class Rendered:
    """A letter rendered but not (yet) issued: what the preview shows and issuing stores."""

    kind: LetterKind
    template: render.Template
    parts: dict[str, str]
    html: str
    inline: dict[str, tuple[bytes, str]]
    number: int
    date: datetime.date

    def pdf(self) -> bytes:
        return render.html_to_pdf(self.html, inline=self.inline)


def _clean_parts(
    kind: LetterKind, request: PrivacyRequest, given: Mapping[str, Any] | None
) -> dict[str, str]:
    """The kind's parts that apply to the request: defaults overridden by ``given``; unknown
    names, and parts of another law's version of the letter, are dropped."""
    parts = default_parts(kind, request, given)
    for part in letter_parts(kind, request):
        if given and part.name in given and given[part.name] is not None:
            parts[part.name] = str(given[part.name]).replace("\r\n", "\n").strip()
    return parts


def _check_parts(kind: LetterKind, request: PrivacyRequest, parts: Mapping[str, str]) -> None:
    for part in letter_parts(kind, request):
        value = parts.get(part.name, "")
        if part.required and not value.strip():
            raise LetterNotApplicable(
                _("Fill in “%(part)s” before issuing.") % {"part": part.label}
            )
        if part.choices and value not in {choice for choice, _label in part.choices}:
            raise LetterNotApplicable(_("Choose a value for “%(part)s”.") % {"part": part.label})
    check_parts(kind, request, parts)


def _next_number(request: PrivacyRequest) -> int:
    return (request.letters.aggregate(n=Max("number"))["n"] or 0) + 1


def letter_prepare(
    *,
    request: PrivacyRequest,
    kind: LetterKind | str,
    parts: Mapping[str, Any] | None = None,
    corrects: Letter | None = None,
    number: int | None = None,
    now: datetime.datetime | None = None,
    for_pdf: bool = True,
) -> Rendered:
    """Render ``kind`` for ``request`` without storing anything (the preview, and step 1 of
    issuing). ``for_pdf=False`` addresses assets for a browser."""
    kind = LetterKind(kind)
    clean = _clean_parts(kind, request, parts)
    template = render.letter_template(kind, request.language)
    inline = logo_inline(request)
    number = number or _next_number(request)
    date = issued_on(request, now)
    context = letter_context(
        request, kind, clean, number=number, date=date, corrects=corrects, has_logo=bool(inline)
    )
    html = render.render_html(template, context, for_pdf=for_pdf)
    return Rendered(kind, template, clean, html, inline, number, date)


def _letter_path(request: PrivacyRequest, number: int, kind: LetterKind) -> str:
    # A random part: the name is never guessable, and never reused.
    return (
        f"letters/{request.organization.slug}/{request.reference}/"
        f"L{number:03d}-{kind.value}-{uuid.uuid4().hex}.pdf"
    )


@transaction.atomic
def letter_issue(
    *,
    request: PrivacyRequest,
    kind: LetterKind | str,
    actor: Actor,
    parts: Mapping[str, Any] | None = None,
    corrects: Letter | None = None,
    batch: uuid.UUID | None = None,
    now: datetime.datetime | None = None,
) -> Letter:
    """Issue a letter: render it, store the PDF once with its SHA-256, record an event.

    1. Lock the request, so two letters issued at once get distinct numbers.
    2. With a ``batch`` (bulk issue), a letter already issued for it is returned, not doubled.
    3. Refuse a letter that does not fit the request (kind, state, law) or lacks a required part.
    4. Render, write the PDF to the private storage (write-once), create the row, record.
    Issuing the same letter twice makes two letters; a correction names the one it corrects.
    """
    kind = LetterKind(kind)
    now = now or timezone.now()
    request = (
        PrivacyRequest.objects.select_for_update(of=("self",))
        .select_related("organization", "policy_version", "right")
        .get(pk=request.pk)
    )
    if batch is not None:
        existing = Letter.objects.filter(request=request, kind=kind, batch=batch).first()
        if existing is not None:
            return existing
    check_applicable(kind, request, today=issued_on(request, now))
    if corrects is not None and corrects.request_id != request.pk:
        raise LetterNotApplicable(_("A letter can only correct a letter of the same request."))
    rendered = letter_prepare(request=request, kind=kind, parts=parts, corrects=corrects, now=now)
    _check_parts(kind, request, rendered.parts)
    content = rendered.pdf()
    digest = sha256_hex(content)
    storage = private_storage()
    name = storage.save_once(_letter_path(request, rendered.number, kind), content)
    try:
        letter = Letter.objects.create(
            request=request,
            number=rendered.number,
            kind=kind,
            language=rendered.template.language,
            parts=rendered.parts,
            template=rendered.template.name,
            template_version=rendered.template.version,
            file=name,
            sha256=digest,
            size=len(content),
            issued_at=now,
            issued_by=actor,
            corrects=corrects,
            batch=batch,
        )
        summary = _("Letter %(ref)s issued: %(kind)s") % {
            "ref": letter.reference,
            "kind": kind.label,
        }
        if corrects is not None:
            summary += " " + _("(corrects %(ref)s)") % {"ref": corrects.reference}
        events.record(
            request,
            EventKind.LETTER_ISSUED,
            summary=summary,
            actor=actor,
            id=letter.pk,
            number=letter.number,
            kind=kind.value,
            sha256=digest,
            template_version=letter.template_version,
            corrects=corrects.pk if corrects else None,
        )
    except BaseException:
        # No row, no file: the transaction rolls back, and the PDF goes with it.
        storage.delete(name)
        raise
    return letter


def letters_issue_bulk(
    *,
    requests: Iterable[PrivacyRequest],
    kind: LetterKind | str,
    actor: Actor,
    batch: uuid.UUID | None = None,
) -> uuid.UUID:
    """Queue the issue of ``kind`` for every request (django-q2 tasks of
    DSAR_LETTER_BULK_CHUNK requests each); returns the batch id.

    A letter is issued once per (request, kind, batch): a task that runs twice, or a batch
    queued again with the same ``batch`` to finish what failed, never doubles a letter."""
    batch = batch or uuid.uuid4()
    kind = LetterKind(kind)
    ids = [request.pk for request in requests]
    actor_id = actor.pk if actor is not None else None
    transaction.on_commit(lambda: queue.enqueue_issue(ids, kind.value, actor_id, batch))
    return batch


# -- Sending ---------------------------------------------------------------------------------------


def _max_attempts() -> int:
    return int(settings.DSAR_LETTER_SEND_MAX_ATTEMPTS)


@transaction.atomic
def letter_send(
    *,
    letter: Letter,
    actor: Actor,
    method: DeliveryMethod | str = DeliveryMethod.ATTACHMENT,
    to: str = "",
    now: datetime.datetime | None = None,
) -> LetterDelivery:
    """Release the letter to the requester and queue the email that carries it (or a link).

    A released letter is listed on the requester's status page (``dsar.intake`` reads
    ``Letter.objects.released_to_requester``). The email is sent by a task after commit; a
    failure is retried with backoff and recorded (``dsar.letters.jobs.deliver``)."""
    now = now or timezone.now()
    letter = (
        Letter.objects.select_for_update(of=("self",)).select_related("request").get(pk=letter.pk)
    )
    request = letter.request
    if letter.purged_at is not None:
        raise LetterNotApplicable(_("This letter was purged with the request's personal data."))
    to = to or request.requester_email
    if not to:
        raise LetterNotApplicable(
            _("The requester gave no email address: send the letter by post.")
        )
    if letter.released_at is None:
        letter.released_at = now
        letter.save(update_fields=["released_at"])
    return _queue_delivery(
        letter=letter, method=DeliveryMethod(method), to=to, actor=actor, now=now
    )


@transaction.atomic
def letter_issue_and_send(
    *,
    request: PrivacyRequest,
    kind: LetterKind | str,
    actor: Actor,
    method: DeliveryMethod | str = DeliveryMethod.ATTACHMENT,
    parts: Mapping[str, Any] | None = None,
    corrects: Letter | None = None,
    now: datetime.datetime | None = None,
) -> tuple[Letter, LetterDelivery]:
    """Issue a letter and send it to the requester in one step: ``letter_issue`` then
    ``letter_send``, each recording its own events, in one transaction.

    Most letters go out as soon as they are issued; two steps made staff come back to the
    letters page to send what they had just issued, and an issued letter left unsent is a
    deadline missed. Refused before anything is issued when the requester gave no email
    address, so a failure never leaves half of it done (the letter issued, not sent)."""
    if not request.requester_email:
        raise LetterNotApplicable(
            _("The requester gave no email address: send the letter by post.")
        )
    now = now or timezone.now()
    letter = letter_issue(
        request=request, kind=kind, actor=actor, parts=parts, corrects=corrects, now=now
    )
    try:
        delivery = letter_send(letter=letter, actor=actor, method=method, now=now)
    except BaseException:
        # The transaction rolls the letter's row back; its PDF goes with it, as in letter_issue.
        private_storage().delete(letter.file.name)
        raise
    return letter, delivery


def _queue_delivery(
    *,
    letter: Letter,
    method: DeliveryMethod,
    to: str,
    actor: Actor,
    now: datetime.datetime,
    package: DataPackage | None = None,
) -> LetterDelivery:
    delivery = LetterDelivery.objects.create(
        letter=letter,
        package=package,
        method=method,
        to=to,
        status=DeliveryStatus.PENDING,
        max_attempts=_max_attempts(),
        next_attempt_at=now,
        created_at=now,
        created_by=actor,
    )
    events.record(
        letter.request,
        EventKind.LETTER_QUEUED,
        summary=_("%(what)s queued for sending (%(method)s)")
        % {
            "what": _("Data package %(n)s") % {"n": package.number}
            if package
            else _("Letter %(ref)s") % {"ref": letter.reference},
            "method": method.label,
        },
        actor=actor,
        id=letter.pk,
        delivery=delivery.pk,
        method=method.value,
        package=package.pk if package else None,
    )
    transaction.on_commit(lambda: queue.enqueue_delivery(delivery.pk))
    return delivery


# -- Data packages ---------------------------------------------------------------------------------


@transaction.atomic
def data_item_add(
    *,
    request: PrivacyRequest,
    actor: Actor,
    system: str,
    category: str,
    records: Sequence[dict[str, Any]] | None = None,
    content: bytes | None = None,
    original_name: str = "",
    content_type: str = "",
) -> DataItem:
    """Attach what one system holds in one category: records (a list of objects) or a file."""
    system, category = system.strip(), category.strip()
    if not system or not category:
        raise LetterNotApplicable(_("Name the system and the data category."))
    if (records is None) == (content is None):
        raise LetterNotApplicable(_("Attach either a file or records, not both."))
    if records is not None:
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise LetterNotApplicable(_("Records must be a list of objects (field: value)."))
        canonical = json.dumps(records, sort_keys=True, ensure_ascii=False).encode()
        item = DataItem.objects.create(
            request=request,
            system=system,
            category=category,
            kind=ItemKind.RECORDS,
            records=records,
            sha256=sha256_hex(canonical),
            added_by=actor,
        )
    else:
        assert content is not None  # noqa: S101 - checked above
        name = private_storage().save_once(
            f"data/{request.organization.slug}/{request.reference}/{uuid.uuid4().hex}", content
        )
        item = DataItem.objects.create(
            request=request,
            system=system,
            category=category,
            kind=ItemKind.FILE,
            file=name,
            original_name=original_name[:255],
            content_type=content_type[:100],
            sha256=sha256_hex(content),
            added_by=actor,
        )
    events.record(
        request,
        EventKind.DATA_ADDED,
        summary=_("Data attached from %(system)s (%(category)s)")
        % {"system": system, "category": category},
        actor=actor,
        item=item.pk,
        kind=item.kind,
        sha256=item.sha256,
    )
    return item


def _package_items(request: PrivacyRequest) -> list[packages.PackageItem]:
    items = []
    for item in request.data_items.all():
        if item.kind == ItemKind.FILE:
            # Checked against the SHA-256 recorded when it was attached: never packaged altered.
            content = private_storage().read_verified(
                item.file.name, item.sha256, what=f"DataItem {item.pk}"
            )
            items.append(
                packages.PackageItem(
                    item.system,
                    item.category,
                    content=content,
                    original_name=item.original_name,
                    content_type=item.content_type,
                )
            )
        else:
            items.append(packages.PackageItem(item.system, item.category, records=item.records))
    return items


@transaction.atomic
def package_build(
    *,
    request: PrivacyRequest,
    cover_letter: Letter,
    actor: Actor,
    now: datetime.datetime | None = None,
) -> DataPackage:
    """Build the ZIP of every data item of the request with its cover letter; store it once."""
    now = now or timezone.now()
    request = (
        PrivacyRequest.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=request.pk)
    )
    if cover_letter.request_id != request.pk or not cover_letter.kind_enum.carries_data:
        raise LetterNotApplicable(
            _("The cover letter must be an access response or portability letter of this request.")
        )
    if (
        cover_letter.purged_at is not None
        or request.data_items.filter(purged_at__isnull=False).exists()
    ):
        raise LetterNotApplicable(_("The request's personal data was purged: nothing to build."))
    items = _package_items(request)
    if not items:
        raise LetterNotApplicable(_("Attach the data each system holds before building."))
    language = render.letter_language(request.language)
    readme = packages.readme_text(
        language=language,
        reference=request.reference,
        organization=request.organization.name,
        days=int(settings.DSAR_DATA_PACKAGE_LINK_DAYS),
    )
    with translation.override(language):
        right = str(request.get_right_kind_display())
    content = packages.build_zip(
        reference=request.reference,
        organization=request.organization.legal_name or request.organization.name,
        right=right,
        received_on=request.received_on,
        built_at=now,
        cover_letter=(cover_letter.reference, cover_letter.read()),
        items=items,
        readme=readme,
    )
    number = (request.data_packages.aggregate(n=Max("number"))["n"] or 0) + 1
    digest = sha256_hex(content)
    storage = private_storage()
    name = storage.save_once(
        f"packages/{request.organization.slug}/{request.reference}/"
        f"P{number:03d}-{uuid.uuid4().hex}.zip",
        content,
    )
    try:
        package = DataPackage.objects.create(
            request=request,
            number=number,
            cover_letter=cover_letter,
            file=name,
            sha256=digest,
            size=len(content),
            item_count=len(items),
            built_at=now,
            built_by=actor,
        )
        events.record(
            request,
            EventKind.PACKAGE_BUILT,
            summary=_("Data package %(n)s built: %(count)s items, with %(ref)s")
            % {"n": number, "count": len(items), "ref": cover_letter.reference},
            actor=actor,
            package=package.pk,
            sha256=digest,
            cover_letter=cover_letter.pk,
        )
    except BaseException:
        storage.delete(name)
        raise
    return package


@transaction.atomic
def package_release(
    *,
    package: DataPackage,
    actor: Actor,
    send_email: bool = True,
    now: datetime.datetime | None = None,
) -> str:
    """Release the package through a signed link that expires; email the link. Returns the URL.

    Releasing again starts a new period and invalidates the links given before."""
    from dsar.letters import tokens

    now = now or timezone.now()
    package = (
        DataPackage.objects.select_for_update(of=("self",))
        .select_related("request")
        .get(pk=package.pk)
    )
    if package.file_deleted:
        raise LetterNotApplicable(_("This package's ZIP was deleted: build a new package."))
    package.released_at = now
    package.link_expires_at = now + datetime.timedelta(days=tokens.package_link_days())
    package.save(update_fields=["released_at", "link_expires_at"])
    url = tokens.package_url(package)
    cover = package.cover_letter
    if cover.released_at is None:
        cover.released_at = now
        cover.save(update_fields=["released_at"])
    events.record(
        package.request,
        EventKind.PACKAGE_RELEASED,
        summary=_("Data package %(n)s released; the link expires %(when)s")
        % {"n": package.number, "when": package.link_expires_at.date().isoformat()},
        actor=actor,
        package=package.pk,
        expires=package.link_expires_at.isoformat(),
    )
    request = package.request
    if send_email and request.requester_email:
        _queue_delivery(
            letter=cover,
            method=DeliveryMethod.PACKAGE_LINK,
            to=request.requester_email,
            actor=actor,
            now=now,
            package=package,
        )
    return url


@transaction.atomic
def register_confirm(
    *, request: PrivacyRequest, year: int, actor: User, note: str = ""
) -> DisclosureRegisterConfirmation:
    """A privacy officer's statement that the 1798.83 register of ``year`` is complete, recorded
    on the trail of the request it was made from. Raises IntegrityError if that year is already
    confirmed (one statement per organization and year)."""
    organization = request.organization
    rows = disclosures_for_year(organization, year).count()
    confirmation = DisclosureRegisterConfirmation.objects.create(
        organization=organization, year=year, confirmed_by=actor, note=note
    )
    events.record(
        request,
        EventKind.NOTE,
        summary=ngettext(
            "The 1798.83 register of %(year)s was confirmed complete (%(rows)s entry)",
            "The 1798.83 register of %(year)s was confirmed complete (%(rows)s entries)",
            rows,
        )
        % {"year": year, "rows": rows},
        actor=actor,
        register_confirmation=confirmation.pk,
        year=year,
        rows=rows,
    )
    return confirmation


@transaction.atomic
def evidence_pack_export(
    *, request: PrivacyRequest, actor: Actor, now: datetime.datetime | None = None
) -> bytes:
    """The evidence pack PDF of ``request``; each export is on its audit trail with the PDF's
    SHA-256, so a pack shown later can be matched to the export it came from."""
    content = evidence_pack_pdf(request, now=now or timezone.now())
    events.record(
        request,
        EventKind.EXPORTED,
        summary=_("Evidence pack exported"),
        actor=actor,
        sha256=sha256_hex(content),
    )
    return content


@transaction.atomic
def package_download(*, package: DataPackage) -> bytes:
    """The ZIP of a released package, for the requester; each download is counted and recorded
    (the requester got their data: the trail shows when)."""
    content = package.read()
    DataPackage.objects.filter(pk=package.pk).update(download_count=F("download_count") + 1)
    events.record(
        package.request,
        EventKind.PACKAGE_DOWNLOADED,
        summary=_("Data package %(n)s downloaded by the requester") % {"n": package.number},
        actor_label="requester",
        package=package.pk,
    )
    return content
