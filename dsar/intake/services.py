"""Writes of the public side. Each function is one transaction; request changes go through the
services of ``dsar.requests`` (``request_log_awaiting_confirmation``,
``request_requester_answered``, ``request_verify_identity``), which write the request's events.

The life of a request sent through the form:

1. ``intake_submit`` logs it (channel "web form"), marks it as waiting for the requester to
   confirm their email address (a link), and emails the link, which also acknowledges receipt
   (Cal. Code Regs. tit. 11 §7021(a)). No clock stops for the confirmation: it shows only that
   the sender reads that mailbox (docs/legal-decisions.md, "Email confirmation").
2. ``intake_confirm`` records the confirmation (``request_confirm_email``: the identity is not
   verified by it) and emails a link to the status page.
3. The reminder sweep (``dsar.reminders``) closes requests never confirmed, through
   ``intake_close_unverified``; ``jobs.close_unverified`` does the same by hand.
4. ``release_file`` puts a letter or data package on the status page.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any
from zoneinfo import ZoneInfo

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from dsar.intake import files, selectors
from dsar.intake.forms import KeptUpload, Upload, staff_message
from dsar.intake.models import IntakeSubmission, ReleasedFile, StatusLink
from dsar.intake.tokens import confirmation_tokens, new_status_token
from dsar.lib import emails
from dsar.lib.i18n import in_staff_language
from dsar.organizations.models import Organization
from dsar.policies.models import ChannelKind, PolicyVersion, RightKind
from dsar.requests import events
from dsar.requests.models import (
    EventKind,
    PrivacyRequest,
    Status,
)
from dsar.requests.services import (
    TransitionError,
    request_acknowledge,
    request_close,
    request_confirm_email,
    request_log_awaiting_confirmation,
    request_note,
)

logger = logging.getLogger(__name__)

# Turns a path ("/o/img/verify/…") into an absolute URL: the view's request.build_absolute_uri.
LinkMaker = Callable[[str], str]

AUTHORIZATIONS = "intake/authorizations"
PENDING = "intake/pending"
RELEASED = "intake/released"
REQUESTER = "requester"


@dataclass(frozen=True)
class NewRequest:
    """What the form received, cleaned. ``name`` is the person filling in the form."""

    organization: Organization
    right_kind: str
    name: str
    email: str
    jurisdiction: str
    language: str
    is_agent: bool = False
    subject_name: str = ""
    details: dict[str, str] | None = None
    message: str = ""


def _org_today(organization: Organization, now: datetime) -> Any:
    return timezone.localtime(now, ZoneInfo(organization.time_zone)).date()


# -- Uploads ---------------------------------------------------------------------------------------


def keep_upload(upload: Upload) -> KeptUpload:
    """Store a valid upload while the requester corrects another field (pruned after a day)."""
    stored = files.store(upload.file.chunks(), folder=PENDING, content_type=upload.content_type)
    return KeptUpload(stored.path, stored.content_type, stored.size, stored.sha256, upload.name)


def _store_authorization(
    organization: Organization, upload: Upload | None, kept: KeptUpload | None
):
    folder = f"{AUTHORIZATIONS}/{organization.pk}"
    if upload is not None:
        return files.store(upload.file.chunks(), folder=folder, content_type=upload.content_type)
    if kept is not None:
        path = files.move(kept.path, folder=folder)
        return files.StoredFile(path, kept.size, kept.sha256, kept.content_type)
    return None


# -- Intake ----------------------------------------------------------------------------------------


@sensitive_variables("new", "upload", "kept")
@in_staff_language
@transaction.atomic
def intake_submit(
    *,
    new: NewRequest,
    received_at: datetime,
    link_for: LinkMaker,
    upload: Upload | None = None,
    kept: KeptUpload | None = None,
    policy_version: PolicyVersion | None = None,
) -> IntakeSubmission:
    """Log a request from the public form and email the requester the confirmation link.

    1. ``request_log_awaiting_confirmation`` (channel: web form; the person named is the data
       subject, the agent is named apart) gives it its reference, flags and deadline, and
       records that it waits for the requester to confirm their email address, with the clock
       effect of each rule in the events.
    2. The submission, written with it, keeps the right's details and the agent's authorization.
    3. After commit, the confirmation email goes out in the language of the form.

    ``policy_version``: the version the form has just read as in force (``request_log``).
    """
    organization = new.organization
    details = new.details or {}
    stored = _store_authorization(organization, upload, kept) if new.is_agent else None
    # Written with the request, in the same statement where the database allows it.
    submission = IntakeSubmission(
        details=details,
        verification_sent_at=received_at,
        authorization_path=stored.path if stored else "",
        authorization_type=stored.content_type if stored else "",
        authorization_size=stored.size if stored else None,
        authorization_sha256=stored.sha256 if stored else "",
    )
    try:
        request = request_log_awaiting_confirmation(
            organization=organization,
            right_kind=new.right_kind,
            channel_kind=ChannelKind.WEB_FORM,
            received_at=received_at,
            requester_name=new.subject_name if new.is_agent else new.name,
            requester_email=new.email,
            jurisdiction=new.jurisdiction,
            message=staff_message(details, new.message),
            actor=None,
            actor_label=REQUESTER,
            policy_version=policy_version,
            language=new.language,
            is_agent=new.is_agent,
            agent_name=new.name if new.is_agent else "",
            note=_("Follow the link emailed to the address given on the web form."),
            dependents=[submission],
        )
    except BaseException:
        # Nothing refers to the file: remove it now. (A file orphaned by an outer transaction
        # rolling back later is removed by jobs.prune_intake.)
        if stored is not None:
            files.delete_private(stored.path)
        raise
    transaction.on_commit(lambda: send_confirmation(submission, link_for=link_for, fresh=True))
    logger.info("intake: %s received through the web form", request.reference)
    return submission


def confirmation_link(submission: IntakeSubmission, link_for: LinkMaker) -> str:
    path = reverse(
        "intake:confirm",
        kwargs={
            "slug": submission.request.organization.slug,
            "uidb64": urlsafe_base64_encode(force_bytes(submission.pk)),
            "token": confirmation_tokens.make_token(submission),
        },
    )
    return link_for(path)


def status_link(submission: IntakeSubmission, link_for: LinkMaker, *, now: datetime) -> str:
    """Make a new status link (the older ones keep working) and return its URL."""
    token, token_hash = new_status_token()
    StatusLink.objects.create(submission=submission, token_hash=token_hash, created_at=now)
    path = reverse(
        "intake:status",
        kwargs={"slug": submission.request.organization.slug, "token": token},
    )
    return link_for(path)


def _email_context(submission: IntakeSubmission, **extra: Any) -> dict[str, Any]:
    """What the requester's emails say: the answer date and what it rests on
    (``selectors.answer_for``, as the status page says it) and how the identity will be
    checked. The words are chosen when the email is rendered, in the requester's language."""
    request = submission.request
    return {
        "organization": request.organization,
        "request": request,
        "right_label": RightKind(request.right_kind).label,
        "answer": selectors.answer_for(request),
        "identity": selectors.identity_check(request),
        "link_hours": confirmation_tokens.max_age() // 3600,
        **extra,
    }


def send_confirmation(
    submission: IntakeSubmission, *, link_for: LinkMaker, fresh: bool = False
) -> None:
    """Email the confirmation link (after commit: the token hashes the committed state).

    ``fresh``: the caller's objects are the committed state (``intake_submit`` passes what it
    has just written), so they are not read again."""
    if not fresh:
        submission = IntakeSubmission.objects.select_related(
            "request", "request__organization", "request__right"
        ).get(pk=submission.pk)
    request = submission.request
    sent = send_to_requester(
        "intake_confirm",
        request,
        _email_context(submission, confirm_url=confirmation_link(submission, link_for)),
    )
    if sent and request.acknowledged_at is None:
        _acknowledged(request)


@in_staff_language
def _acknowledged(request: PrivacyRequest) -> None:
    """The first confirmation email acknowledges receipt (§7021(a)): it says what was received,
    how it will be processed and verified, and when to expect an answer."""
    with contextlib.suppress(TransitionError):  # acknowledged meanwhile (a racing resend)
        request_acknowledge(
            request=request,
            actor=None,
            actor_label="system",
            how=_("the acknowledgement email sent on receipt through the web form"),
        )


def send_to_requester(name: str, request: PrivacyRequest, context: dict[str, Any]) -> bool:
    """Send after commit. A mail server that fails must not turn a stored request into an error
    page (the requester would send it again): the failure is logged and recorded in the
    request's trail for staff. The requester has "send the link again", and an unconfirmed
    request gets a fresh link from the reminder sweep (``dsar.reminders``: its outbox retries
    and records each send)."""
    try:
        emails.send(name, to=[request.requester_email], context=context, language=request.language)
        return True
    except Exception as error:
        logger.exception("intake: the %s email for %s could not be sent", name, request.reference)
        try:
            events.record(
                request,
                kind=EventKind.SEND_FAILED,
                summary=_("The %(email)s email to the requester could not be sent")
                % {"email": name},
                actor=None,
                actor_label="system",
                email=name,
                error=type(error).__name__,
            )
        except Exception:
            logger.exception("intake: the failed send for %s was not recorded", request.reference)
        return False


# -- Confirmation ----------------------------------------------------------------------------------


class AlreadyConfirmed(Exception):
    pass


@in_staff_language
@transaction.atomic
def intake_confirm(
    *, submission: IntakeSubmission, now: datetime, link_for: LinkMaker
) -> tuple[IntakeSubmission, str]:
    """The requester followed the link: their email address is confirmed, and only that.

    ``request_confirm_email`` records it and moves a request that waited for it on (to awaiting
    verification where staff must still verify the identity); no clock moves. Returns the
    submission and the URL of a new status link, which is also emailed.
    """
    submission = IntakeSubmission.objects.select_for_update().get(pk=submission.pk)
    if submission.verified_at is not None:
        raise AlreadyConfirmed
    request = submission.request
    if not request.is_open:
        raise TransitionError(_("This request no longer waits for a confirmation."))
    request_confirm_email(request=request, confirmed_on=_org_today(request.organization, now))
    submission.verified_at = now
    submission.save(update_fields=["verified_at"])
    url = status_link(submission, link_for, now=now)
    submission = IntakeSubmission.objects.select_related(
        "request", "request__organization", "request__right"
    ).get(pk=submission.pk)
    context = _email_context(submission, status_url=url)
    transaction.on_commit(
        lambda: send_to_requester("intake_confirmed", submission.request, context)
    )
    logger.info("intake: %s confirmed by the requester", submission.request.reference)
    return submission, url


# -- Closing unconfirmed requests ------------------------------------------------------------------


@in_staff_language
@transaction.atomic
def intake_close_unverified(
    *, request: PrivacyRequest, note: str, now: datetime | None = None
) -> PrivacyRequest:
    """Close a request whose email address was never confirmed, as "closed: identity not
    verified" (``request_close``, one event), and mark its submission; sends nothing.

    The reminder sweep of ``dsar.reminders`` calls it (hook ``CLOSE_UNVERIFIED``) under its
    claim and tells the requester; ``jobs.close_unverified`` (the manual command) takes the
    same claim.
    """
    request = request_close(
        request=request, actor=None, as_status=Status.CLOSED_UNVERIFIABLE, note=note
    )
    IntakeSubmission.objects.filter(request=request, verified_at__isnull=True).update(
        closed_unverified_at=now or timezone.now()
    )
    return request


# -- Resend ----------------------------------------------------------------------------------------


def _open_submissions(organization: Organization, email: str):
    return IntakeSubmission.objects.select_related(
        "request", "request__organization", "request__right"
    ).filter(
        request__organization=organization,
        request__requester_email__iexact=email,
        request__status__in=Status.open_values(),
    )


@sensitive_variables("email")
@in_staff_language
@transaction.atomic
def intake_resend(
    *,
    organization: Organization,
    email: str = "",
    submission: IntakeSubmission | None = None,
    now: datetime,
    link_for: LinkMaker,
    limit: int = 5,
) -> int:
    """Email again what the requester needs: a fresh confirmation link for each unconfirmed open
    request of this address (or of ``submission``), a new status link for each confirmed one.
    Returns the number of emails; the caller shows the same page whatever it is."""
    if submission is not None:
        found: Iterable[IntakeSubmission] = _open_submissions(
            organization, submission.request.requester_email
        ).filter(pk=submission.pk)
    else:
        found = _open_submissions(organization, email).order_by("-created_at")[:limit]
    sent = 0
    for item in found:
        if item.verified_at is None:
            IntakeSubmission.objects.filter(pk=item.pk).update(
                verification_sent_at=now, verification_sends=item.verification_sends + 1
            )
            transaction.on_commit(lambda item=item: send_confirmation(item, link_for=link_for))
        else:
            context = _email_context(item, status_url=status_link(item, link_for, now=now))
            transaction.on_commit(
                lambda item=item, context=context: send_to_requester(
                    "intake_status_link", item.request, context
                )
            )
        sent += 1
    return sent


# -- Released files --------------------------------------------------------------------------------


@in_staff_language
@transaction.atomic
def release_file(
    *,
    request: PrivacyRequest,
    title: str,
    filename: str,
    content: bytes | IO[bytes],
    content_type: str,
    kind: str = ReleasedFile.Kind.LETTER,
    actor: AbstractBaseUser | None = None,
    notify: bool = True,
    link_for: LinkMaker | None = None,
) -> ReleasedFile:
    """Put a letter or file on the requester's status page (the hook for ``dsar.letters``).

    The content is copied under PRIVATE_STORAGE_ROOT; a note records the release in the
    request's trail. With ``notify`` and a ``link_for`` (absolute URLs), a requester who came
    through the web form and confirmed it gets an email with a new status link.
    """
    if isinstance(content, bytes):
        chunks: Iterable[bytes] = [content]
    else:
        chunks = iter(lambda: content.read(files.CHUNK), b"")
    folder = f"{RELEASED}/{request.organization_id}"
    stored = files.store(chunks, folder=folder, content_type=content_type)
    released = ReleasedFile.objects.create(
        request=request,
        kind=kind,
        title=title[:200],
        filename=filename[:150],
        path=stored.path,
        content_type=content_type,
        size=stored.size,
        sha256=stored.sha256,
        released_at=timezone.now(),
        released_by=actor,
    )
    request_note(
        request=request,
        actor=actor,
        text=_("Released to the requester: %(title)s (%(sha)s)")
        % {"title": released.title, "sha": stored.sha256[:12]},
    )
    submission = IntakeSubmission.objects.filter(request=request, verified_at__isnull=False).first()
    if notify and link_for is not None and submission is not None:
        context = _email_context(
            submission,
            status_url=status_link(submission, link_for, now=timezone.now()),
            released=released,
        )
        transaction.on_commit(lambda: send_to_requester("intake_released", request, context))
    return released
