"""The public pages: the request form, the confirmation link, the status page and its downloads,
the appeal of a refusal, and the Global Privacy Control support resource.

No page takes personal data in its URL: the form posts, the confirmation link carries a
submission number and an HMAC, the status link a random token. A URL with a token is followed
once: it is exchanged for the browser's session and answered with a 303, sending no Referer, to
a URL without it (``dsar.intake.grants``), so the token stays out of the address bar, the
history, Referer headers and access logs past that first request. Private pages are never
cached and send no Referer to other sites. Log lines name references, never
people. Every page of an organization notes a browser's Global Privacy Control signal
(``gpc.record``) and says that it was received.
"""

from __future__ import annotations

import logging
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core import signing
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
)
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from dsar.core.links import link_maker, site_url
from dsar.intake import files, gpc, grants, selectors, throttle
from dsar.intake.forms import (
    ActingFor,
    AppealForm,
    KeptUpload,
    RequestForm,
    ResendForm,
    error_summary,
)
from dsar.intake.middleware import apply_policy
from dsar.intake.models import IntakeSubmission, ReleasedFile, StatusLink, StatusLinkQuerySet
from dsar.intake.services import (
    AlreadyConfirmed,
    NewRequest,
    intake_appeal,
    intake_confirm,
    intake_receive,
    intake_resend_later,
    keep_upload,
)
from dsar.intake.tokens import (
    confirmation_tokens,
    download_max_age,
    hash_status_token,
    make_download_token,
    read_download_token,
)
from dsar.lib import theme
from dsar.organizations.models import Organization
from dsar.organizations.tenancy import get_for_staff
from dsar.policies.models import PolicyVersion
from dsar.requests.services import TransitionError

logger = logging.getLogger(__name__)

ERROR_NOT_APPEALABLE = _(
    "This request can no longer be appealed: it was appealed already, or the time to appeal has "
    "ended."
)
DONE_COOKIE = "dsar_intake_sent"
DONE_SALT = "dsar.intake.sent"
DONE_MAX_AGE = 60 * 60
# same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on a form's POST,
# which the CSRF check rightly refuses. Other sites never get a Referer, so never the token.
PRIVATE_HEADERS = {"Referrer-Policy": "same-origin", "X-Robots-Tag": "noindex, nofollow"}


def _organization(slug: str) -> Organization:
    return get_object_or_404(Organization, slug=slug)


R = TypeVar("R", bound=HttpResponseBase)


def _private(response: R) -> R:
    """A page with a secret in its URL or personal data in its body: not cached, no Referer."""
    patch_cache_control(response, no_store=True, private=True, max_age=0)
    for header, value in PRIVATE_HEADERS.items():
        response.headers[header] = value
    return response


def _page(
    request: HttpRequest,
    organization: Organization,
    template: str,
    context: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    context = {
        "organization": organization,
        "theme_version": theme.theme_for(organization.primary_colour).accent[1:],
        "gpc_signal": gpc.signal_sent(request),
        **context,
    }
    response = render(request, template, context, status=status)
    gpc.record(request, response, organization)
    return apply_policy(response)


def _set_done_cookie(response: HttpResponse, submissions: list[IntakeSubmission]) -> None:
    """The submissions of the post, for the sent page: the chosen right's, then the opt-out the
    Global Privacy Control signal added."""
    response.set_signed_cookie(
        DONE_COOKIE,
        ",".join(str(submission.pk) for submission in submissions),
        salt=DONE_SALT,
        max_age=DONE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        path="/o/",
    )


def _done_submissions(request: HttpRequest, organization: Organization) -> list[IntakeSubmission]:
    try:
        value = request.get_signed_cookie(DONE_COOKIE, salt=DONE_SALT, max_age=DONE_MAX_AGE)
    except (KeyError, signing.BadSignature):
        return []
    pks = [int(pk) for pk in (value or "").split(",") if pk.isdigit()][:2]
    found = {
        submission.pk: submission
        for submission in IntakeSubmission.objects.select_related(
            "request", "request__organization", "request__right"
        ).filter(pk__in=pks, request__organization=organization)
    }
    return [found[pk] for pk in pks if pk in found]


def _done_submission(request: HttpRequest, organization: Organization) -> IntakeSubmission | None:
    found = _done_submissions(request, organization)
    return found[0] if found else None


# -- The form --------------------------------------------------------------------------------------


@csrf_exempt
def request_form(request: HttpRequest, slug: str) -> HttpResponse:
    """Caps uploads before anything reads the body (the CSRF check reads it), then the form."""
    request.upload_handlers = [
        files.CappedUploadHandler(files.max_upload_bytes()),
        *request.upload_handlers,
    ]
    return _request_form(request, slug)


@csrf_protect
@sensitive_post_parameters()
@require_http_methods(["GET", "HEAD", "POST"])
def _request_form(request: HttpRequest, slug: str) -> HttpResponse:
    # Taken before the policy is read, so the version read is the one in force at receipt.
    received_at = timezone.now()
    organization, version = selectors.form_policy(slug)
    if organization is None:
        raise Http404
    if version is None:
        return _page(request, organization, "intake/no_policy.html", {}, status=404)
    if not organization.web_form_enabled:
        # Switched off: the page says so and gives the policy's other channels; a post is
        # neither read nor logged.
        if request.method == "POST":
            logger.info("intake: a post to the switched-off form of %s; nothing logged", slug)
        context = {"channels": _all_channels(selectors.offers(organization, version))}
        return _private(_page(request, organization, "intake/form_off.html", context))
    # A post is checked against the kinds alone; the page's details are read only to show it.
    kinds = selectors.form_kinds(organization, version, on=organization.today())
    if request.method != "POST":
        form = RequestForm(right_kinds=kinds, organization=organization)
        return _form_page(request, organization, version, form)

    form = RequestForm(request.POST, request.FILES, right_kinds=kinds, organization=organization)
    ip = throttle.network_key(throttle.client_ip(request))
    if not throttle.hit("submit_ip", ip):
        logger.warning("intake: submission rate limit reached for a network (org %s)", slug)
        return _form_page(request, organization, version, form, rate_limited=True)
    if form.is_bot:
        logger.info("intake: honeypot filled in (org %s); nothing logged", slug)
        return redirect("intake:done", slug=slug)
    if not form.is_valid():
        kept = form.kept
        if form.upload is not None and not form.is_opt_out:
            kept = keep_upload(form.upload)
        return _form_page(request, organization, version, form, kept=kept)
    data = form.cleaned_data
    if not throttle.hit("submit_email", data["email"]):
        logger.warning("intake: submission rate limit reached for an address (org %s)", slug)
        return _form_page(request, organization, version, form, kept=form.kept, rate_limited=True)
    is_agent = data["acting_for"] == ActingFor.AGENT
    # An opt-out asks for nothing but who asks and where they live: no document, no details.
    upload_wanted = is_agent and not form.is_opt_out
    submissions = intake_receive(
        new=NewRequest(
            organization=organization,
            right_kind=data["right"],
            name=data["name"],
            email=data["email"],
            jurisdiction=data["residence"],
            language=(get_language() or settings.LANGUAGE_CODE)[:8],
            is_agent=is_agent,
            subject_name=data["subject_name"] if is_agent else "",
            details={} if form.is_opt_out else form.details(),
            message=form.kept_message(),
            access_scope=form.chosen_access_scope(),
        ),
        received_at=received_at,
        link_for=link_maker(request),
        upload=form.upload if upload_wanted else None,
        kept=form.kept if upload_wanted else None,
        policy_version=version,
        gpc=gpc.signal_sent(request),
    )
    response = redirect("intake:done", slug=slug)
    _set_done_cookie(response, submissions)
    gpc.record(request, response, organization)
    return response


def _form_page(
    request: HttpRequest,
    organization: Organization,
    version: PolicyVersion,
    form: RequestForm,
    *,
    kept: KeptUpload | None = None,
    rate_limited: bool = False,
) -> HttpResponse:
    offers = selectors.offers(organization, version)
    first_ids = {
        "right": f"id_right_{offers[0].kind}" if offers else "id_right",
        "acting_for": "id_acting_for_0",
        "portability_format": "id_portability_format_0",
        "portability_recipient": "id_portability_recipient_0",
        "access_scope": "id_access_scope_0",
    }
    errors = error_summary(form, first_ids) if form.is_bound and not rate_limited else []
    selected = form["right"].value() if form.is_bound else None
    channels = _all_channels(offers)
    kinds = {offer.kind for offer in offers}
    context = {
        "form": form,
        "offers": offers,
        "policy_offers": [offer for offer in offers if not offer.by_law],
        "law_offers": [offer for offer in offers if offer.by_law],
        "any_opt_out": any(offer.is_opt_out for offer in offers),
        "asks_access_scope": "access" in kinds
        and selectors.asks_access_scope(organization, "access", "US-CA"),
        "selected_right": selected,
        "errors": errors,
        "kept": kept,
        "kept_token": kept.sign() if kept else "",
        "rate_limited": rate_limited,
        "channels": channels,
        "state_laws": selectors.state_law_names(organization.today()),
    }
    status = 429 if rate_limited else 200
    return _private(_page(request, organization, "intake/form.html", context, status=status))


def _all_channels(offers: list[selectors.Offer]) -> list[Any]:
    seen: dict[int, Any] = {}
    for offer in offers:
        for channel in offer.channels:
            seen.setdefault(channel.pk, channel)
    return list(seen.values())


@require_safe
def done(request: HttpRequest, slug: str) -> HttpResponse:
    """The sent page: the reference and the date to expect; for an opt-out, that it is being
    acted on; and the opt-out a Global Privacy Control signal added, with its own reference."""
    organization = _organization(slug)
    submissions = _done_submissions(request, organization)
    submission = submissions[0] if submissions else None
    context: dict[str, Any] = {
        "submission": submission,
        "request_": submission.request if submission else None,
    }
    if submission is not None:
        context["answer"] = selectors.answer_for(submission.request)
        context["link_hours"] = confirmation_tokens.max_age() // 3600
        context["acted_on"] = not submission.confirmation_asked
    if len(submissions) > 1:
        extra = submissions[1].request
        context["gpc_request"] = extra
        context["gpc_answer"] = selectors.answer_for(extra)
    return _private(_page(request, organization, "intake/done.html", context))


@sensitive_post_parameters()
@require_http_methods(["GET", "HEAD", "POST"])
def resend(request: HttpRequest, slug: str) -> HttpResponse:
    """Send the confirmation link again (rate limited), or a new status link once confirmed.

    From the "sent" page the submission comes from its signed cookie; otherwise the requester
    gives their email address. The answer is the same whether or not the address is known.
    """
    organization = _organization(slug)
    if request.method != "POST":
        blank = ResendForm()
        return _private(_page(request, organization, "intake/resend.html", {"form": blank}))
    submission = (
        _done_submission(request, organization) if "from_sent_page" in request.POST else None
    )
    form: ResendForm | None = None
    if submission is None:
        form = ResendForm(request.POST)
        if not form.is_valid():
            errors = error_summary(form, {})
            return _private(
                _page(request, organization, "intake/resend.html", {"form": form, "errors": errors})
            )
        email = form.cleaned_data["email"]
    else:
        email = submission.request.requester_email
    ip = throttle.network_key(throttle.client_ip(request))
    if not (throttle.hit("resend_ip", ip) and throttle.hit("resend_email", email)):
        logger.warning("intake: resend rate limit reached (org %s)", slug)
        context = {"form": form or ResendForm(), "rate_limited": True}
        return _private(_page(request, organization, "intake/resend.html", context, status=429))
    # The same work and the same page for every address: the lookup runs on the task cluster.
    intake_resend_later(
        organization=organization,
        email=email,
        submission=submission,
        origin=site_url("/", request).removesuffix("/"),
    )
    return _private(_page(request, organization, "intake/resend_sent.html", {}))


# -- Links of emails: followed once, then a session ----------------------------------------------
#
# A URL with a token (confirmation, status page, download) answers only a 303 to a URL without
# it, after keeping what the token opens in the session (``dsar.intake.grants``): the token is in
# the path of that one request, never in the address bar, the history, a page's Referer or the
# log lines of what the page then asks for. The 303 carries ``Referrer-Policy: no-referrer``, so
# the browser does not send the token's URL on to the page it redirects to. The token-free pages
# keep ``same-origin`` (``PRIVATE_HEADERS``): their URLs hold nothing secret, and their forms post.


def _exchanged(url: str) -> HttpResponse:
    """The answer to a URL with a token: 303 to ``url``, never cached, no Referer sent on."""
    response = HttpResponseRedirect(url, status=303)
    patch_cache_control(response, no_store=True, private=True, max_age=0)
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _see_other(url: str) -> HttpResponse:
    return _private(HttpResponseRedirect(url, status=303))


# -- Confirmation ----------------------------------------------------------------------------------


def _submission_for_link(organization: Organization, uidb64: str) -> IntakeSubmission | None:
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    return _submission(organization, pk)


def _submission(organization: Organization, pk: Any) -> IntakeSubmission | None:
    if not isinstance(pk, int):
        return None
    return (
        IntakeSubmission.objects.select_related("request", "request__organization")
        .filter(pk=pk, request__organization=organization)
        .first()
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, slug: str, uidb64: str, token: str) -> HttpResponse:
    """The link in the email: kept in the session, and on to the page that asks for a click.

    A GET changes nothing (mail scanners follow links). A POST here (a confirmation page of an
    earlier release, still open in a browser) confirms as the page's own POST does."""
    organization = _organization(slug)
    submission = _submission_for_link(organization, uidb64)
    if not confirmation_tokens.check_token(submission, token):
        return _exchanged(reverse("intake:confirm_invalid", args=[slug]))
    assert submission is not None  # noqa: S101 - check_token refuses None
    if request.method == "POST":
        return _confirmed(request, organization, submission)
    key = grants.grant(request, grants.CONFIRM, {"s": submission.pk, "t": token})
    return _exchanged(reverse("intake:confirm_page", args=[slug, key]))


@require_safe
def confirm_invalid(request: HttpRequest, slug: str) -> HttpResponse:
    """A used, expired, or forged confirmation link: how to get a new one."""
    organization = _organization(slug)
    return _private(_page(request, organization, "intake/confirm_invalid.html", {}))


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm_page(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """GET asks for a click, POST confirms: the link's token is read from the session."""
    organization = _organization(slug)
    held = grants.granted(request, grants.CONFIRM, key)
    submission = _submission(organization, held.get("s")) if isinstance(held, dict) else None
    token = held.get("t") if isinstance(held, dict) else None
    if not confirmation_tokens.check_token(submission, token if isinstance(token, str) else None):
        grants.forget(request, grants.CONFIRM, key)
        return _private(_page(request, organization, "intake/confirm_invalid.html", {}))
    assert submission is not None  # noqa: S101 - check_token refuses None
    if request.method != "POST":
        context = {"submission": submission, "request_": submission.request}
        return _private(_page(request, organization, "intake/confirm.html", context))
    grants.forget(request, grants.CONFIRM, key)
    return _confirmed(request, organization, submission)


def _confirmed(
    request: HttpRequest, organization: Organization, submission: IntakeSubmission
) -> HttpResponse:
    """Confirm, and go on to the status page through the session: the new status link's token,
    emailed too, never reaches this browser's address bar."""
    try:
        intake_confirm(submission=submission, now=timezone.now(), link_for=link_maker(request))
    except (AlreadyConfirmed, TransitionError):
        return _private(_page(request, organization, "intake/confirm_invalid.html", {}))
    # The link confirming has just made (and emailed): this browser holds it, not its token.
    link = StatusLink.objects.filter(submission=submission).latest("created_at", "id")
    key = grants.grant(request, grants.STATUS, link.pk)
    return _see_other(reverse("intake:status_page", args=[organization.slug, key]))


# -- Status page and downloads ---------------------------------------------------------------------


def _status_links(organization: Organization) -> StatusLinkQuerySet:
    return StatusLink.objects.select_related(
        "submission",
        "submission__request",
        "submission__request__organization",
        "submission__request__right",
    ).filter(revoked_at__isnull=True, submission__request__organization=organization)


def _status_link(organization: Organization, token: str) -> StatusLink | None:
    """The unrevoked link of ``token``, expired or not."""
    if not token or len(token) > 100:
        return None
    return _status_links(organization).filter(token_hash=hash_status_token(token)).first()


def _granted_link(request: HttpRequest, organization: Organization, key: str) -> StatusLink | None:
    """The status link this browser followed under ``key``, while it is still usable."""
    pk = grants.granted(request, grants.STATUS, key)
    if not isinstance(pk, int):
        return None
    link = _status_links(organization).usable(timezone.now()).filter(pk=pk).first()
    if link is None:
        grants.forget(request, grants.STATUS, key)
        if _status_links(organization).filter(pk=pk).exists():
            grants.note_expired(request, pk)
    return link


@never_cache
@require_safe
def status(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """The status link of an email: kept in the session, and on to the page without the token.
    An unknown, revoked or expired link goes on to the page that sends a new one."""
    organization = _organization(slug)
    link = _status_link(organization, token)
    now = timezone.now()
    if link is None:
        return _exchanged(reverse("intake:status_renew", args=[slug]))
    if not StatusLink.objects.usable(now).filter(pk=link.pk).exists():
        grants.note_expired(request, link.pk)
        return _exchanged(reverse("intake:status_renew", args=[slug]))
    StatusLink.objects.filter(pk=link.pk).update(last_used_at=now)
    key = grants.grant(request, grants.STATUS, link.pk)
    return _exchanged(reverse("intake:status_page", args=[slug, key]))


@require_safe
def status_page(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    organization = _organization(slug)
    link = _granted_link(request, organization, key)
    if link is None:
        return _renew_page(request, organization, ResendForm(), status=404)
    return _status_page(request, organization, link, key, AppealForm())


def _renew_page(
    request: HttpRequest,
    organization: Organization,
    form: ResendForm,
    *,
    status: int = 200,
    **context: Any,
) -> HttpResponse:
    context = {
        "form": form,
        "expired": grants.expired_link_id(request) is not None,
        "link_days": settings.DSAR_STATUS_LINK_DAYS,
        **context,
    }
    return _private(
        _page(request, organization, "intake/status_invalid.html", context, status=status)
    )


@sensitive_post_parameters()
@require_http_methods(["GET", "HEAD", "POST"])
def status_renew(request: HttpRequest, slug: str) -> HttpResponse:
    """An expired or unknown status link: "email me a new link".

    The answer is the same whether or not the address is known or is the request's: a new link
    goes only to the request's own address (``intake_renew_status_link``), rate limited as the
    other resend."""
    organization = _organization(slug)
    if request.method != "POST":
        return _renew_page(request, organization, ResendForm())
    form = ResendForm(request.POST)
    if not form.is_valid():
        errors = error_summary(form, {})
        return _renew_page(request, organization, form, errors=errors)
    email = form.cleaned_data["email"]
    ip = throttle.network_key(throttle.client_ip(request))
    if not (throttle.hit("resend_ip", ip) and throttle.hit("resend_email", email)):
        logger.warning("intake: status link renewal rate limit reached (org %s)", slug)
        return _renew_page(request, organization, form, status=429, rate_limited=True)
    # The lookup runs on the cluster, as for "send the link again": the answer takes the same
    # time for every address.
    intake_resend_later(
        organization=organization,
        email=email,
        submission=None,
        origin=site_url("/", request).removesuffix("/"),
        expired_link_id=grants.expired_link_id(request),
    )
    return _private(_page(request, organization, "intake/resend_sent.html", {}))


def _status_page(
    request: HttpRequest,
    organization: Organization,
    link: StatusLink,
    key: str,
    appeal_form: AppealForm,
    *,
    appeal_error: str = "",
    status: int = 200,
) -> HttpResponse:
    privacy_request = link.submission.request
    released = [
        (item, _download_url(organization, item, link.token_hash))
        for item in selectors.released_to_requester(privacy_request)
    ]
    context = {
        "submission": link.submission,
        "request_": privacy_request,
        "view": selectors.status_view(
            privacy_request, email_confirmed=not link.submission.awaits_confirmation
        ),
        "released": released,
        "download_minutes": download_max_age() // 60,
        "appeal": selectors.appeal_route(privacy_request),
        "appeal_of": selectors.appeal_of(privacy_request),
        "appeal_form": appeal_form,
        "appeal_error": appeal_error,
        "errors": error_summary(appeal_form, {}) if appeal_form.is_bound else [],
        "key": key,
    }
    return _private(_page(request, organization, "intake/status.html", context, status=status))


@sensitive_post_parameters()
@require_POST
def appeal(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """File the appeal of a refusal from its status page (CSRF-protected like every post; the
    request is the status link's), then show the page again with the appeal on it."""
    organization = _organization(slug)
    link = _granted_link(request, organization, key)
    if link is None:
        return _renew_page(request, organization, ResendForm(), status=404)
    form = AppealForm(request.POST)
    if not form.is_valid():
        return _status_page(request, organization, link, key, form, status=400)
    try:
        intake_appeal(
            submission=link.submission,
            message=form.cleaned_data["message"],
            now=timezone.now(),
            link_for=link_maker(request),
        )
    except TransitionError:
        # Appealed already (a second tab), or the time to appeal ended since the page was shown.
        message = str(ERROR_NOT_APPEALABLE)
        return _status_page(
            request, organization, link, key, AppealForm(), appeal_error=message, status=409
        )
    return _see_other(reverse("intake:status_page", args=[slug, key]))


def _download_url(organization: Organization, item: selectors.Released, token_hash: str) -> str:
    """A file or letter through this app's one-hour link; a data package through the link of
    ``dsar.letters`` (its own expiry, and the download is recorded there)."""
    if item.source == "p" and item.package is not None:
        from dsar.letters.tokens import package_token

        return reverse("letters:requester_package", args=[package_token(item.package)])
    return reverse(
        "intake:download",
        kwargs={
            "slug": organization.slug,
            "token": make_download_token(item.source, item.pk, token_hash),
        },
    )


def _linked(privacy_request_id: int, value: dict[str, Any]) -> bool:
    """Whether the status link the download token was made under still opens the page."""
    return (
        StatusLink.objects.usable(timezone.now())
        .filter(
            submission__request_id=privacy_request_id,
            token_hash__startswith=value["t"] or "-",
        )
        .exists()
    )


def _released_file(organization: Organization, value: dict[str, Any]) -> FileResponse | None:
    released = ReleasedFile.objects.filter(
        pk=value["f"], withdrawn_at__isnull=True, request__organization=organization
    ).first()
    if released is None or not _linked(released.request_id, value):
        return None
    try:
        # Checked against the SHA-256 recorded when it was released: an altered file is refused.
        handle = files.open_verified(released.path, released.sha256, what=f"released {released.pk}")
    except files.TamperedFileError:
        return None  # logged by the storage
    except (OSError, ValueError):
        logger.error("intake: released file %s is missing from private storage", released.pk)
        return None
    return FileResponse(
        handle, as_attachment=True, filename=released.filename, content_type=released.content_type
    )


def _released_letter(organization: Organization, value: dict[str, Any]) -> HttpResponse | None:
    from dsar.letters.models import Letter, TamperedFileError

    letter = (
        Letter.objects.filter(
            pk=value["l"], released_at__isnull=False, request__organization=organization
        )
        .select_related("request")
        .first()
    )
    if letter is None or not _linked(letter.request_id, value):
        return None
    try:
        content = letter.read()  # checked against the SHA-256 recorded at issue
    except (OSError, TamperedFileError):
        logger.error("intake: letter %s cannot be read from private storage", letter.pk)
        return None
    response = HttpResponse(content, content_type="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{letter.filename}"'
    return response


@never_cache
@require_safe
def download(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """The one-hour link of the status page: kept in the session, and on to the file's URL
    without the token."""
    _organization(slug)
    if read_download_token(token) is None:
        return _exchanged(reverse("intake:download_expired", args=[slug]))
    key = grants.grant(request, grants.DOWNLOAD, token)
    return _exchanged(reverse("intake:download_file", args=[slug, key]))


@require_safe
def download_expired(request: HttpRequest, slug: str) -> HttpResponse:
    organization = _organization(slug)
    return _private(_page(request, organization, "intake/download_expired.html", {}, status=410))


@require_safe
def download_file(request: HttpRequest, slug: str, key: str) -> HttpResponseBase:
    """A released file or letter, while the download link this browser followed lasts."""
    organization = _organization(slug)
    token = grants.granted(request, grants.DOWNLOAD, key)
    value = read_download_token(token) if isinstance(token, str) else None
    if value is None:
        grants.forget(request, grants.DOWNLOAD, key)
        return download_expired(request, slug)
    response: HttpResponseBase | None
    if "l" in value:
        response = _released_letter(organization, value)
    else:
        response = _released_file(organization, value)
    if response is None:
        raise Http404
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return _private(response)


@staff_member_required
@require_safe
def authorization(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    """An agent's signed authorization, for staff of the organization only."""
    organization = get_for_staff(Organization.objects.all(), request.user, slug=slug)
    submission = get_object_or_404(
        IntakeSubmission.objects.exclude(authorization_path=""),
        pk=pk,
        request__organization=organization,
    )
    try:
        handle = files.open_verified(
            submission.authorization_path,
            submission.authorization_sha256,
            what=f"authorization {submission.pk}",
        )
    except (OSError, ValueError, files.TamperedFileError):
        raise Http404 from None
    extension = files.EXTENSIONS.get(submission.authorization_type, ".bin")
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{submission.request.reference}-authorization{extension}",
        content_type=submission.authorization_type,
    )
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return _private(response)


# -- Branding --------------------------------------------------------------------------------------


@require_safe
def theme_css(request: HttpRequest, slug: str) -> HttpResponse:
    organization = _organization(slug)
    response = HttpResponse(
        theme.theme_for(organization.primary_colour).css(), content_type="text/css; charset=utf-8"
    )
    patch_cache_control(response, public=True, max_age=300)
    return response


LOGO_TYPES = {
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"GIF87a": "image/gif",
    b"GIF89a": "image/gif",
}


@require_safe
def logo(request: HttpRequest, slug: str) -> HttpResponse:
    """The organization's logo, when it is a PNG, JPEG or GIF (never SVG: it can carry script)."""
    organization = _organization(slug)
    if not organization.logo:
        raise Http404
    try:
        with organization.logo.open("rb") as handle:
            data = handle.read()
    except OSError:
        raise Http404 from None
    content_type = next((t for magic, t in LOGO_TYPES.items() if data.startswith(magic)), None)
    if content_type is None:
        raise Http404
    response = HttpResponse(data, content_type=content_type)
    response.headers["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, public=True, max_age=300)
    return response


def form_url(slug: str) -> str:
    return reverse("intake:form", kwargs={"slug": slug})


# -- Global Privacy Control ------------------------------------------------------------------------


@require_safe
def gpc_support(request: HttpRequest) -> HttpResponse:
    """``/.well-known/gpc.json``: dsar honours the Global Privacy Control signal."""
    return gpc.support_resource()
