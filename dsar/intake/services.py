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

An opt-out takes a shorter path (``intake_opt_out``): no identity verification may be asked for
it (Cal. Code Regs. tit. 11 §7060(b), §7027(e)), so it is logged and started at once, without a
confirmation link, and the requester gets a receipt with the link to its status page. A form
posted with the Global Privacy Control signal also logs an opt-out of sale and sharing for the
person who sent it (``intake_receive``). An appeal of a refusal is filed from the status page
(``intake_appeal``).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import IO, Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from dsar import jurisdictions
from dsar.core.actors import Actor
from dsar.intake import files, selectors
from dsar.intake.forms import KeptUpload, Upload, staff_message
from dsar.intake.models import IntakeSubmission, ReleasedFile, StatusLink
from dsar.intake.tokens import confirmation_tokens, new_status_token
from dsar.lib.i18n import in_staff_language
from dsar.organizations.models import Organization
from dsar.outbox.models import Email as OutgoingEmail
from dsar.outbox.services import enqueue
from dsar.policies.models import ChannelKind, PolicyVersion, RightKind
from dsar.requests.models import (
    PrivacyRequest,
    Status,
)
from dsar.requests.services import (
    TransitionError,
    request_acknowledge,
    request_appeal,
    request_close,
    request_confirm_email,
    request_log,
    request_log_awaiting_confirmation,
    request_note,
    request_start,
)

logger = logging.getLogger(__name__)

# Turns a path ("/o/img/verify/…") into an absolute URL on DSAR_SITE_URL (dsar.core.links), never
# on the Host header of the request that asked for it.
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
    # What a Californian's request to know asks for (``AccessScope``), "" where not asked.
    access_scope: str = ""
    # Sent with the Global Privacy Control signal (``gpc.signal_sent``).
    gpc: bool = False


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
    3. The confirmation email, in the language of the form, is queued in the outbox with them
       (``dsar.outbox``): the task cluster sends it, so no mail server can slow the form.

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
            access_scope=new.access_scope,
            gpc=new.gpc,
            note=_("Follow the link emailed to the address given on the web form."),
            dependents=[submission],
        )
    except BaseException:
        # Nothing refers to the file: remove it now. (A file orphaned by an outer transaction
        # rolling back later is removed by jobs.prune_intake.)
        if stored is not None:
            files.delete_private(stored.path)
        raise
    send_confirmation(submission, link_for=link_for, fresh=True)
    logger.info("intake: %s received through the web form", request.reference)
    return submission


@sensitive_variables("new")
@in_staff_language
@transaction.atomic
def intake_opt_out(
    *,
    new: NewRequest,
    received_at: datetime,
    link_for: LinkMaker,
    policy_version: PolicyVersion | None = None,
) -> IntakeSubmission:
    """Log an opt-out (or California's limit) from the public form and act on it at once.

    No identity verification may be required to opt out (Cal. Code Regs. tit. 11 §7060(b),
    §7027(e); docs/legal-decisions.md, "US state rights"), and asking the requester to confirm
    their address first would only delay it: ``request_log`` gives it its deadline (California:
    15 business days, §7026(f)) with no identity to verify, ``request_start`` puts it in progress
    the same moment, and the requester is emailed a receipt with the link to its status page.
    A request for an opt-out the policy does not promise is flagged "right not promised" by
    ``request_log``: the law gives it all the same.
    """
    if not RightKind(new.right_kind).is_opt_out:
        raise ValueError(f"{new.right_kind} is not an opt-out")
    request = request_log(
        organization=new.organization,
        right_kind=new.right_kind,
        channel_kind=ChannelKind.WEB_FORM,
        received_at=received_at,
        requester_name=new.subject_name if new.is_agent else new.name,
        requester_email=new.email,
        jurisdiction=new.jurisdiction,
        message=new.message,
        actor=None,
        actor_label=REQUESTER,
        policy_version=policy_version,
        language=new.language,
        is_agent=new.is_agent,
        agent_name=new.name if new.is_agent else "",
        gpc=new.gpc,
    )
    submission = IntakeSubmission.objects.create(
        request=request, confirmation_asked=False, verification_sent_at=None, verification_sends=0
    )
    request = request_start(request=request, actor=None)
    if new.gpc:
        _note_gpc(request)
    submission.request = request
    url = status_link(submission, link_for, now=received_at)
    context = _email_context(submission, status_url=url)
    send_to_requester("intake_opt_out", request, context)
    logger.info("intake: opt-out %s received through the web form", request.reference)
    return submission


def _note_gpc(request: PrivacyRequest) -> None:
    """Say on the request's trail that the browser's Global Privacy Control signal made it,
    and whether the law of the requester's state requires honouring it (``uoom_required``):
    dsar honours it everywhere (docs/legal-decisions.md, "US state rights")."""
    text = _(
        "Sent with the Global Privacy Control signal (Sec-GPC: 1) of the requester's browser: "
        "a request to opt out of the sale and sharing of their personal information."
    )
    if request.jurisdiction and jurisdictions.uoom_required(
        request.jurisdiction, on=request.received_on
    ):
        text += " " + _(
            "The law of the requester's state requires honouring it as a valid opt-out (a "
            "universal opt-out mechanism)."
        )
    request_note(request=request, actor=None, text=text)


def gpc_opt_out(new: NewRequest) -> NewRequest | None:
    """The opt-out of sale and sharing a form posted with the Global Privacy Control signal
    adds for the person who sent it, or None where their own request already is that opt-out
    (which is then marked as sent with the signal).

    The signal is the preference of whoever uses the browser: an agent acting for someone else
    opts out for themselves, under their own name and address, where they live not being asked
    (the residence given is the other person's)."""
    if new.right_kind == RightKind.OPT_OUT_SALE and not new.is_agent:
        return None
    return NewRequest(
        organization=new.organization,
        right_kind=RightKind.OPT_OUT_SALE,
        name=new.name,
        email=new.email,
        jurisdiction="" if new.is_agent else new.jurisdiction,
        language=new.language,
        gpc=True,
    )


@sensitive_variables("new", "upload", "kept")
@transaction.atomic
def intake_receive(
    *,
    new: NewRequest,
    received_at: datetime,
    link_for: LinkMaker,
    upload: Upload | None = None,
    kept: KeptUpload | None = None,
    policy_version: PolicyVersion | None = None,
    gpc: bool = False,
) -> list[IntakeSubmission]:
    """Log what one post of the public form asks: the right chosen (an opt-out acted on at once,
    any other right waiting for the email confirmation), and, when the browser sent the Global
    Privacy Control signal (``gpc``), an opt-out of sale and sharing for the person who sent it
    (``gpc_opt_out``), handled at once. Returns the submissions, the chosen right's first."""
    extra = gpc_opt_out(new) if gpc else None
    if gpc and extra is None:
        new = replace(new, gpc=True)
    if RightKind(new.right_kind).is_opt_out:
        found = [
            intake_opt_out(
                new=new, received_at=received_at, link_for=link_for, policy_version=policy_version
            )
        ]
    else:
        found = [
            intake_submit(
                new=new,
                received_at=received_at,
                link_for=link_for,
                upload=upload,
                kept=kept,
                policy_version=policy_version,
            )
        ]
    if extra is not None:
        found.append(
            intake_opt_out(
                new=extra, received_at=received_at, link_for=link_for, policy_version=policy_version
            )
        )
    return found


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
    """Queue the confirmation link, in the transaction that wrote the state the token hashes.

    ``fresh``: the caller's objects are that state (``intake_submit`` passes what it has just
    written), so they are not read again."""
    if not fresh:
        submission = IntakeSubmission.objects.select_related(
            "request", "request__organization", "request__right"
        ).get(pk=submission.pk)
    send_to_requester(
        "intake_confirm",
        submission.request,
        _email_context(submission, confirm_url=confirmation_link(submission, link_for)),
    )


#: The emails whose sending acknowledges receipt, and how the trail says it was acknowledged
#: ("" for the confirmation email's own words).
ACKNOWLEDGING = {
    "intake_confirm": "",
    "intake_opt_out": "receipt",
    "intake_appeal": "receipt",
}


def acknowledge_on_sent(email: OutgoingEmail) -> None:
    """The outbox's hook (``dsar.outbox.hooks.on_sent``) for the ``ACKNOWLEDGING`` emails: once
    the first of them has left, receipt is acknowledged (§7021(a)), not when it was queued."""
    request = email.request
    if request is None or request.acknowledged_at is not None:
        return
    if ACKNOWLEDGING.get(email.kind) == "receipt":
        _acknowledged(request, how=_("the receipt emailed on receipt through the web form"))
    else:
        _acknowledged(request)


@in_staff_language
def _acknowledged(request: PrivacyRequest, *, how: str = "") -> None:
    """The first confirmation email acknowledges receipt (§7021(a)): it says what was received,
    how it will be processed and verified, and when to expect an answer. So does the receipt of
    an opt-out or an appeal (``how``)."""
    with contextlib.suppress(TransitionError):  # acknowledged meanwhile (a racing resend)
        request_acknowledge(
            request=request,
            actor=None,
            actor_label="system",
            how=how or _("the acknowledgement email sent on receipt through the web form"),
        )


def send_to_requester(
    name: str, request: PrivacyRequest, context: dict[str, Any]
) -> OutgoingEmail | None:
    """Queue an email to the requester in the outbox, in the caller's transaction.

    The task cluster sends it, retries it with backoff and puts its sending or its failure on
    the request's trail (``dsar.outbox.delivery``): a mail server that is slow or down can
    neither slow the public form nor turn a stored request into an error page."""
    if not request.requester_email:
        return None
    return enqueue(
        name,
        to=[request.requester_email],
        context=context,
        language=request.language,
        request=request,
    )


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
    request_confirm_email(request=request, confirmed_on=request.organization.today(now))
    submission.verified_at = now
    submission.save(update_fields=["verified_at"])
    url = status_link(submission, link_for, now=now)
    submission = IntakeSubmission.objects.select_related(
        "request", "request__organization", "request__right"
    ).get(pk=submission.pk)
    context = _email_context(submission, status_url=url)
    send_to_requester("intake_confirmed", submission.request, context)
    logger.info("intake: %s confirmed by the requester", submission.request.reference)
    return submission, url


# -- Appeals ---------------------------------------------------------------------------------------


@sensitive_variables("message")
@in_staff_language
@transaction.atomic
def intake_appeal(
    *, submission: IntakeSubmission, message: str, now: datetime, link_for: LinkMaker
) -> IntakeSubmission:
    """File the requester's appeal of a refusal from its status page.

    ``request_appeal`` decides whether it may be appealed (the state's law gives an appeal, once,
    within ``DSAR_APPEAL_WINDOW_DAYS``; TransitionError otherwise) and logs the appeal as a
    request of its own with the state's deadline. The appeal gets a submission of its own, never
    asked for a confirmation: the status page it came from is reached only through a link sent
    to the requester's address. Its receipt, with the link to its own status page, is emailed.
    """
    appeal = request_appeal(
        request=submission.request,
        received_at=now,
        message=message,
        channel_kind=ChannelKind.WEB_FORM,
        actor_label=REQUESTER,
    )
    filed = IntakeSubmission.objects.create(
        request=appeal, confirmation_asked=False, verification_sent_at=None, verification_sends=0
    )
    filed.request = appeal
    url = status_link(filed, link_for, now=now)
    context = _email_context(filed, status_url=url, original=submission.request)
    send_to_requester("intake_appeal", appeal, context)
    logger.info(
        "intake: %s appeals %s from the status page", appeal.reference, submission.request.reference
    )
    return filed


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
    IntakeSubmission.objects.filter(
        request=request, confirmation_asked=True, verified_at__isnull=True
    ).update(closed_unverified_at=now or timezone.now())
    return request


# -- Resend ----------------------------------------------------------------------------------------

#: The task that looks up the address and queues the emails (``dsar.intake.jobs.resend_links``).
RESEND_TASK = "dsar.intake.jobs.resend_links"


@sensitive_variables("email")
def intake_resend_later(
    *,
    organization: Organization,
    email: str,
    submission: IntakeSubmission | None,
    origin: str,
    expired_link_id: int | None = None,
) -> None:
    """Ask the task cluster to send the links again; the web request does nothing else.

    Looking the address up in the web request would make "send the link again" answer more
    slowly for an address with an open request than for one without (the emails written, the
    status link made), and so tell a stranger which addresses have one. So the request does the
    same work for every address, one task queued, and the lookup runs on the cluster
    (``intake_resend``). ``origin``: what the links start with (``dsar.core.links.site_url``),
    fixed here because the task has no web request to build it from. ``expired_link_id``: the
    expired status link this browser followed, renewed by the task (``intake_renew_status_link``)
    when ``email`` is its request's address.

    The address travels in the task's payload in the broker (the ORM broker's table or Redis),
    removed once the task has run; the task is queued with ``save=False`` and never fails
    (``resend_links`` catches everything), so django-q2 keeps no copy of its arguments.
    """
    from django_q.tasks import async_task

    async_task(
        RESEND_TASK,
        organization.pk,
        email,
        submission.pk if submission is not None else None,
        origin,
        expired_link_id,
        task_name="dsar: resend links",
        save=False,
    )


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
    Returns the number of emails; the caller shows the same page whatever it is. An opt-out or
    an appeal, never asked for a confirmation, gets a new status link."""
    if submission is not None:
        found: Iterable[IntakeSubmission] = _open_submissions(
            organization, submission.request.requester_email
        ).filter(pk=submission.pk)
    else:
        found = _open_submissions(organization, email).order_by("-created_at")[:limit]
    sent = 0
    for item in found:
        if item.awaits_confirmation:
            IntakeSubmission.objects.filter(pk=item.pk).update(
                verification_sent_at=now, verification_sends=item.verification_sends + 1
            )
            item.verification_sent_at = now
            item.verification_sends += 1
            send_confirmation(item, link_for=link_for, fresh=True)
        else:
            context = _email_context(item, status_url=status_link(item, link_for, now=now))
            send_to_requester("intake_status_link", item.request, context)
        sent += 1
    return sent


@sensitive_variables("email")
@in_staff_language
@transaction.atomic
def intake_renew_status_link(
    *,
    organization: Organization,
    email: str,
    expired_link_id: int | None,
    now: datetime,
    link_for: LinkMaker,
) -> int:
    """Email a new status link in place of an expired one (``DSAR_STATUS_LINK_DAYS``).

    Only to the request's own address: when ``email`` is the address of the expired link's
    request, that request gets a new link whatever its status (a closed request's page still
    shows the outcome and the way to appeal). Otherwise it is the "send the link again" of
    ``intake_resend`` for ``email``. Returns the number of emails; the caller shows the same
    page whatever it is, so the form tells nobody which addresses made requests.
    """
    link = (
        StatusLink.objects.select_related(
            "submission", "submission__request", "submission__request__organization"
        )
        .filter(
            pk=expired_link_id,
            revoked_at__isnull=True,
            submission__request__organization=organization,
        )
        .first()
        if expired_link_id is not None
        else None
    )
    address = link.submission.request.requester_email if link is not None else ""
    if not (address and email and address.casefold() == email.strip().casefold()):
        return intake_resend(organization=organization, email=email, now=now, link_for=link_for)
    assert link is not None  # noqa: S101 - an address was found on it
    submission = link.submission
    context = _email_context(submission, status_url=status_link(submission, link_for, now=now))
    send_to_requester("intake_status_link", submission.request, context)
    return 1


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
    actor: Actor = None,
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
        send_to_requester("intake_released", request, context)
    return released
