"""The public pages: the request form, the confirmation link, the status page and its downloads.

No page takes personal data in its URL: the form posts, the confirmation link carries a
submission number and an HMAC, the status link a random token. Pages that carry a secret in
their URL are never cached and send no Referer to other sites. Log lines name references, never
people.
"""

from __future__ import annotations

import logging
from typing import Any

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
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_safe

from dsar.intake import files, selectors, theme, throttle
from dsar.intake.forms import (
    ActingFor,
    KeptUpload,
    RequestForm,
    ResendForm,
    error_summary,
)
from dsar.intake.middleware import apply_policy
from dsar.intake.models import IntakeSubmission, ReleasedFile, StatusLink
from dsar.intake.services import (
    AlreadyConfirmed,
    NewRequest,
    intake_confirm,
    intake_resend,
    intake_submit,
    keep_upload,
)
from dsar.intake.tokens import (
    confirmation_tokens,
    download_max_age,
    hash_status_token,
    make_download_token,
    read_download_token,
)
from dsar.organizations.models import Organization
from dsar.policies.models import PolicyVersion
from dsar.requests import channel_rules
from dsar.requests.services import TransitionError

logger = logging.getLogger(__name__)

DONE_COOKIE = "dsar_intake_sent"
DONE_SALT = "dsar.intake.sent"
DONE_MAX_AGE = 60 * 60
# same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on a form's POST,
# which the CSRF check rightly refuses. Other sites never get a Referer, so never the token.
PRIVATE_HEADERS = {"Referrer-Policy": "same-origin", "X-Robots-Tag": "noindex, nofollow"}


def _organization(slug: str) -> Organization:
    return get_object_or_404(Organization, slug=slug)


def _private(response: HttpResponse) -> HttpResponse:
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
        **context,
    }
    return apply_policy(render(request, template, context, status=status))


def _set_done_cookie(response: HttpResponse, submission: IntakeSubmission) -> None:
    response.set_signed_cookie(
        DONE_COOKIE,
        str(submission.pk),
        salt=DONE_SALT,
        max_age=DONE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        path="/o/",
    )


def _done_submission(request: HttpRequest, organization: Organization) -> IntakeSubmission | None:
    try:
        pk = request.get_signed_cookie(DONE_COOKIE, salt=DONE_SALT, max_age=DONE_MAX_AGE)
    except (KeyError, signing.BadSignature):
        return None
    return (
        IntakeSubmission.objects.select_related(
            "request", "request__organization", "request__right"
        )
        .filter(pk=pk, request__organization=organization)
        .first()
    )


# -- The form --------------------------------------------------------------------------------------


@csrf_exempt
def request_form(request: HttpRequest, slug: str) -> HttpResponse:
    """Caps uploads before anything reads the body (the CSRF check reads it), then the form."""
    request.upload_handlers.insert(0, files.CappedUploadHandler(files.max_upload_bytes()))
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
    kinds = list(channel_rules.rules_for(version).kinds)
    if request.method != "POST":
        form = RequestForm(right_kinds=kinds)
        return _form_page(request, organization, version, form)

    form = RequestForm(request.POST, request.FILES, right_kinds=kinds)
    ip = throttle.network_key(throttle.client_ip(request))
    if not throttle.hit("submit_ip", ip):
        logger.warning("intake: submission rate limit reached for a network (org %s)", slug)
        return _form_page(request, organization, version, form, rate_limited=True)
    if form.is_bot:
        logger.info("intake: honeypot filled in (org %s); nothing logged", slug)
        return redirect("intake:done", slug=slug)
    if not form.is_valid():
        kept = form.kept
        if form.upload is not None:
            kept = keep_upload(form.upload)
        return _form_page(request, organization, version, form, kept=kept)
    data = form.cleaned_data
    if not throttle.hit("submit_email", data["email"]):
        logger.warning("intake: submission rate limit reached for an address (org %s)", slug)
        return _form_page(request, organization, version, form, kept=form.kept, rate_limited=True)
    is_agent = data["acting_for"] == ActingFor.AGENT
    submission = intake_submit(
        new=NewRequest(
            organization=organization,
            right_kind=data["right"],
            name=data["name"],
            email=data["email"],
            jurisdiction=data["residence"],
            language=(get_language() or settings.LANGUAGE_CODE)[:8],
            is_agent=is_agent,
            subject_name=data["subject_name"] if is_agent else "",
            details=form.details(),
            message=data["message"],
        ),
        received_at=received_at,
        link_for=request.build_absolute_uri,
        upload=form.upload if is_agent else None,
        kept=form.kept if is_agent else None,
        policy_version=version,
    )
    response = redirect("intake:done", slug=slug)
    _set_done_cookie(response, submission)
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
    }
    errors = error_summary(form, first_ids) if form.is_bound and not rate_limited else []
    selected = form["right"].value() if form.is_bound else None
    channels = _all_channels(offers)
    context = {
        "form": form,
        "offers": offers,
        "selected_right": selected,
        "errors": errors,
        "kept": kept,
        "kept_token": kept.sign() if kept else "",
        "rate_limited": rate_limited,
        "channels": channels,
        "state_laws": selectors.state_law_names(selectors.today_for(organization)),
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
    organization = _organization(slug)
    submission = _done_submission(request, organization)
    context: dict[str, Any] = {
        "submission": submission,
        "request_": submission.request if submission else None,
    }
    if submission is not None:
        context["answer"] = selectors.answer_for(submission.request)
        context["link_hours"] = confirmation_tokens.max_age() // 3600
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
        form = ResendForm()
        return _private(_page(request, organization, "intake/resend.html", {"form": form}))
    submission = (
        _done_submission(request, organization) if "from_sent_page" in request.POST else None
    )
    form = ResendForm(request.POST) if submission is None else None
    if form is not None and not form.is_valid():
        errors = error_summary(form, {})
        return _private(
            _page(request, organization, "intake/resend.html", {"form": form, "errors": errors})
        )
    email = submission.request.requester_email if submission else form.cleaned_data["email"]
    ip = throttle.network_key(throttle.client_ip(request))
    if not (throttle.hit("resend_ip", ip) and throttle.hit("resend_email", email)):
        logger.warning("intake: resend rate limit reached (org %s)", slug)
        context = {"form": form or ResendForm(), "rate_limited": True}
        return _private(_page(request, organization, "intake/resend.html", context, status=429))
    intake_resend(
        organization=organization,
        email=email,
        submission=submission,
        now=timezone.now(),
        link_for=request.build_absolute_uri,
    )
    return _private(_page(request, organization, "intake/resend_sent.html", {}))


# -- Confirmation ----------------------------------------------------------------------------------


def _submission_for_link(organization: Organization, uidb64: str) -> IntakeSubmission | None:
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    return (
        IntakeSubmission.objects.select_related("request", "request__organization")
        .filter(pk=pk, request__organization=organization)
        .first()
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, slug: str, uidb64: str, token: str) -> HttpResponse:
    """The link in the email. GET asks for a click (mail scanners follow links; a GET changes
    nothing), POST confirms. A used, expired, or forged link shows how to get a new one."""
    organization = _organization(slug)
    submission = _submission_for_link(organization, uidb64)
    if not confirmation_tokens.check_token(submission, token):
        return _private(_page(request, organization, "intake/confirm_invalid.html", {}))
    assert submission is not None  # noqa: S101 - check_token refuses None
    if request.method != "POST":
        context = {"submission": submission, "request_": submission.request}
        return _private(_page(request, organization, "intake/confirm.html", context))
    try:
        _submission, url = intake_confirm(
            submission=submission, now=timezone.now(), link_for=request.build_absolute_uri
        )
    except (AlreadyConfirmed, TransitionError):
        return _private(_page(request, organization, "intake/confirm_invalid.html", {}))
    return _private(HttpResponseRedirect(url))


# -- Status page and downloads ---------------------------------------------------------------------


def _status_link(organization: Organization, token: str) -> StatusLink | None:
    if not token or len(token) > 100:
        return None
    return (
        StatusLink.objects.select_related(
            "submission",
            "submission__request",
            "submission__request__organization",
            "submission__request__right",
        )
        .filter(
            token_hash=hash_status_token(token),
            revoked_at__isnull=True,
            submission__request__organization=organization,
        )
        .first()
    )


@require_safe
def status(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    organization = _organization(slug)
    link = _status_link(organization, token)
    if link is None:
        return _private(_page(request, organization, "intake/status_invalid.html", {}, status=404))
    StatusLink.objects.filter(pk=link.pk).update(last_used_at=timezone.now())
    privacy_request = link.submission.request
    released = [
        (item, _download_url(organization, item, link.token_hash))
        for item in selectors.released_to_requester(privacy_request)
    ]
    context = {
        "submission": link.submission,
        "request_": privacy_request,
        "view": selectors.status_view(
            privacy_request, email_confirmed=link.submission.verified_at is not None
        ),
        "released": released,
        "download_minutes": download_max_age() // 60,
    }
    return _private(_page(request, organization, "intake/status.html", context))


def _download_url(organization: Organization, item: selectors.Released, token_hash: str) -> str:
    """A file or letter through this app's one-hour link; a data package through the link of
    ``dsar.letters`` (its own expiry, and the download is recorded there)."""
    if item.source == "p":
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
    return StatusLink.objects.filter(
        submission__request_id=privacy_request_id,
        token_hash__startswith=value["t"] or "-",
        revoked_at__isnull=True,
    ).exists()


def _released_file(organization: Organization, value: dict[str, Any]) -> FileResponse | None:
    released = ReleasedFile.objects.filter(
        pk=value["f"], withdrawn_at__isnull=True, request__organization=organization
    ).first()
    if released is None or not _linked(released.request_id, value):
        return None
    try:
        handle = files.open_private(released.path)
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


@require_safe
def download(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """A released file or letter, through the one-hour link the status page made."""
    organization = _organization(slug)
    value = read_download_token(token)
    if value is None:
        return _private(
            _page(request, organization, "intake/download_expired.html", {}, status=410)
        )
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
def authorization(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """An agent's signed authorization, for staff of the organization only."""
    organization = _organization(slug)
    user: Any = request.user
    if not (user.is_superuser or organization.memberships.filter(user=user).exists()):
        raise Http404
    submission = get_object_or_404(
        IntakeSubmission.objects.exclude(authorization_path=""),
        pk=pk,
        request__organization=organization,
    )
    try:
        handle = files.open_private(submission.authorization_path)
    except (OSError, ValueError):
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
