"""Staff pages for letters, and the two signed links a requester downloads from.

Staff views are thin: each loads the request or letter through a ``_get_*_for_user`` helper that
answers 404 outside the user's organizations (a member of another organization learns nothing),
and only privacy officers and handlers may issue, send or release; auditors read.
"""

from __future__ import annotations

import base64
import hashlib

from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseGone,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from dsar.core.actors import staff_user
from dsar.letters import law, services, tokens
from dsar.letters.context import (
    LetterNotApplicable,
    check_applicable,
    default_parts,
    issued_on,
    letter_parts,
    missing_contact,
    open_items,
    register_confirmation,
    register_year,
)
from dsar.letters.forms import DataItemForm, LetterPartsForm, SendForm
from dsar.letters.kinds import LetterKind
from dsar.letters.models import DataPackage, Letter
from dsar.organizations.models import (
    Role,
    disclosures_for_year,
    holds_role_in,
)
from dsar.organizations.tenancy import ACTING_ROLES, get_for_staff
from dsar.policies.models import DataCategory
from dsar.requests.models import PrivacyRequest

# Letters whose complaint paragraph names an authority (directly, or through _outcome).
COMPLAINT_KINDS = (
    LetterKind.ACCESS,
    LetterKind.REFUSAL,
    LetterKind.ERASURE,
    LetterKind.RECTIFICATION,
    LetterKind.RESTRICTION,
    LetterKind.PORTABILITY,
    LetterKind.APPEAL_DECISION,
)


def _get_request(request: HttpRequest, pk: int) -> PrivacyRequest:
    queryset = PrivacyRequest.objects.select_related("organization", "policy_version", "right")
    return get_for_staff(queryset, request.user, pk=pk)


def _get_letter(request: HttpRequest, pk: int) -> Letter:
    queryset = Letter.objects.select_related("request__organization")
    return get_for_staff(queryset, request.user, pk=pk)


def _get_package(request: HttpRequest, pk: int) -> DataPackage:
    queryset = DataPackage.objects.select_related("request__organization")
    return get_for_staff(queryset, request.user, pk=pk)


def _posted_pk(value: str | None) -> int | None:
    """The id a form or query string names, or None when it names none that could exist.

    Handed to a query as it came, "abc" raises ValueError (a 500), and a number too large for
    the column fails in the database: only a short run of ASCII digits is an id."""
    value = (value or "").strip()
    if not (value.isascii() and value.isdigit() and len(value) <= 18):
        return None
    return int(value)


def _check_can_act(user: User, privacy_request: PrivacyRequest) -> None:
    """Issuing, sending and releasing are for privacy officers and handlers, not auditors."""
    if getattr(user, "is_superuser", False):
        return
    if not privacy_request.organization.memberships.filter(
        user=user, role__in=ACTING_ROLES
    ).exists():
        raise PermissionDenied(_("Auditors can read letters but not issue or send them."))


def _file_response(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    # RFC 9530: the client can check the bytes against the archived SHA-256.
    digest = base64.b64encode(hashlib.sha256(content).digest()).decode()
    response["Repr-Digest"] = f"sha-256=:{digest}:"
    return response


def _gone(message: str) -> HttpResponse:
    """410: the file existed and was deleted on purpose (retention, expiry)."""
    return HttpResponseGone(message, content_type="text/plain; charset=utf-8")


def _staff_page(
    request: HttpRequest, template: str, title: str, context: dict[str, object]
) -> HttpResponse:
    """A staff page inside the admin's frame (header, breadcrumbs back to the request page)."""
    return render(
        request, template, {**admin.site.each_context(request), "title": title, **context}
    )


# -- Staff -----------------------------------------------------------------------------------------


@staff_member_required
@require_safe
def request_letters(request: HttpRequest, request_pk: int) -> HttpResponse:
    """The letters of one request: issued letters, deliveries, packages and what to do next."""
    privacy_request = _get_request(request, request_pk)
    letters = (
        Letter.objects.filter(request=privacy_request)
        .select_related("issued_by", "corrects")
        .prefetch_related("deliveries")
        .order_by("number")
    )
    categories = DataCategory.objects.filter(version=privacy_request.policy_version)
    return _staff_page(
        request,
        "letters/request_letters.html",
        _("Letters of %(ref)s") % {"ref": privacy_request.reference},
        {
            "privacy_request": privacy_request,
            "letters": letters,
            "kinds": LetterKind.for_right(privacy_request.right_kind),
            "items": privacy_request.data_items.all(),
            "packages": privacy_request.data_packages.select_related("cover_letter"),
            "item_form": DataItemForm(),
            # One form per letter row: no ids (they would repeat), each select in its label.
            "send_form": SendForm(auto_id=False),
            "categories": categories,
        },
    )


@staff_member_required
@require_http_methods(["GET", "POST"])
def preview(request: HttpRequest, request_pk: int, kind: str) -> HttpResponse:
    """GET: the letter as it would be issued, with its free-text parts to edit.
    POST action=preview: show the edits; POST action=issue: issue the letter (PDF, archived)."""
    privacy_request = _get_request(request, request_pk)
    try:
        letter_kind = LetterKind(kind)
    except ValueError:
        raise Http404("no such letter kind") from None
    corrects = None
    if corrects_value := request.POST.get("corrects") or request.GET.get("corrects"):
        corrects_pk = _posted_pk(corrects_value)
        if corrects_pk is None:
            return HttpResponseBadRequest(_("The letter to correct must be given by its id."))
        # Only a letter of this request: any other is not found, whoever's it is.
        corrects = get_object_or_404(Letter, pk=corrects_pk, request=privacy_request)

    problem = None
    applicable = letter_parts(letter_kind, privacy_request)
    if request.method == "POST":
        _check_can_act(staff_user(request), privacy_request)
        form = LetterPartsForm(applicable, request.POST)
        action = request.POST.get("action")
        send_form = SendForm(request.POST)
        if form.is_valid() and action == "issue":
            try:
                letter = services.letter_issue(
                    request=privacy_request,
                    kind=letter_kind,
                    actor=staff_user(request),
                    parts=form.cleaned_data,
                    corrects=corrects,
                )
            except LetterNotApplicable as error:
                problem = str(error)
            else:
                messages.success(
                    request, _("Letter %(ref)s issued and archived.") % {"ref": letter.reference}
                )
                return redirect("letters:request_letters", request_pk=privacy_request.pk)
        elif form.is_valid() and action == "issue_send" and send_form.is_valid():
            try:
                letter, _delivery = services.letter_issue_and_send(
                    request=privacy_request,
                    kind=letter_kind,
                    actor=staff_user(request),
                    method=send_form.cleaned_data["method"],
                    parts=form.cleaned_data,
                    corrects=corrects,
                )
            except LetterNotApplicable as error:
                problem = str(error)
            else:
                messages.success(
                    request,
                    _("Letter %(ref)s issued, archived and queued for sending.")
                    % {"ref": letter.reference},
                )
                return redirect("letters:request_letters", request_pk=privacy_request.pk)
        parts = form.cleaned_data if form.is_valid() else dict(form.data.items())
    else:
        parts = default_parts(letter_kind, privacy_request)
        form = LetterPartsForm(applicable, initial=parts)
    try:
        check_applicable(letter_kind, privacy_request, today=issued_on(privacy_request))
    except LetterNotApplicable as error:
        problem = problem or str(error)
    rendered = services.letter_prepare(
        request=privacy_request, kind=letter_kind, parts=parts, corrects=corrects, for_pdf=False
    )
    organization = privacy_request.organization
    needs_register = (
        letter_kind is LetterKind.SHINE_THE_LIGHT and register_confirmation(privacy_request) is None
    )
    return _staff_page(
        request,
        "letters/preview.html",
        str(letter_kind.label),
        {
            "privacy_request": privacy_request,
            "kind": letter_kind,
            "form": form,
            "letter_html": rendered.html,
            "template": rendered.template,
            "corrects": corrects,
            "problem": problem,
            "send_form": SendForm(),
            # Before issuing, staff see what the letter would leave open or could not say.
            "open_items": open_items(letter_kind, privacy_request, rendered.parts),
            "missing_contact": missing_contact(privacy_request),
            "organization_url": reverse(
                "admin:organizations_organization_change", args=[organization.pk]
            ),
            "complaint_summary": (
                law.complaint_summary(privacy_request) if letter_kind in COMPLAINT_KINDS else ""
            ),
            "register_year": register_year(privacy_request) if needs_register else None,
            "register_rows": (
                disclosures_for_year(organization, register_year(privacy_request)).count()
                if needs_register
                else 0
            ),
            "can_confirm_register": needs_register
            and holds_role_in(request.user, organization.pk, [Role.PRIVACY_OFFICER]),
        },
    )


@staff_member_required
@require_POST
def register_confirm(request: HttpRequest, request_pk: int) -> HttpResponse:
    """A privacy officer confirms that the 1798.83 register of the year a request covers is
    complete, so that its letter can say what was (or was not) disclosed that year.

    The confirmation row records who and when; the request's timeline records that it was done
    from this request (staff actions are audited). Privacy officers only: a handler can issue
    letters, but the completeness of the register is the privacy officer's statement."""
    privacy_request = _get_request(request, request_pk)
    organization = privacy_request.organization
    if not holds_role_in(request.user, organization.pk, [Role.PRIVACY_OFFICER]):
        raise PermissionDenied(_("Only a privacy officer can confirm the register."))
    year = register_year(privacy_request)
    # PostgreSQL cannot store a NUL character; nobody types one on purpose.
    note = (request.POST.get("note") or "").replace("\x00", "").strip()[:2000]
    try:
        services.register_confirm(
            request=privacy_request, year=year, actor=staff_user(request), note=note
        )
    except IntegrityError:
        messages.info(
            request, _("The register of %(year)s was already confirmed.") % {"year": year}
        )
    else:
        messages.success(
            request, _("The register of %(year)s is confirmed complete.") % {"year": year}
        )
    return redirect(
        "letters:preview", request_pk=privacy_request.pk, kind=LetterKind.SHINE_THE_LIGHT.value
    )


@staff_member_required
@require_safe
def download(request: HttpRequest, pk: int) -> HttpResponse:
    letter = get_for_staff(
        Letter.objects.select_related("request__organization"), request.user, pk=pk
    )
    if letter.purged_at is not None:
        return _gone(
            _("This letter's PDF was deleted when the request's personal data was purged.")
        )
    return _file_response(letter.read(), filename=letter.filename, content_type="application/pdf")


@staff_member_required
@require_POST
def send(request: HttpRequest, pk: int) -> HttpResponse:
    letter = get_for_staff(
        Letter.objects.select_related("request__organization"), request.user, pk=pk
    )
    _check_can_act(staff_user(request), letter.request)
    form = SendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how to send the letter."))
    else:
        try:
            services.letter_send(
                letter=letter, actor=staff_user(request), method=form.cleaned_data["method"]
            )
        except LetterNotApplicable as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("%(ref)s is queued for sending.") % {"ref": letter.reference}
            )
    return redirect("letters:request_letters", request_pk=letter.request_id)


@staff_member_required
@require_safe
def evidence_pack(request: HttpRequest, request_pk: int) -> HttpResponse:
    """The evidence pack PDF; each export is recorded on the request's audit trail."""
    privacy_request = _get_request(request, request_pk)
    now = timezone.now()
    content = services.evidence_pack_export(
        request=privacy_request, actor=staff_user(request), now=now
    )
    return _file_response(
        content,
        filename=f"{privacy_request.reference}-evidence-{now:%Y%m%d-%H%M%S}.pdf",
        content_type="application/pdf",
    )


@staff_member_required
@require_POST
def data_item_add(request: HttpRequest, request_pk: int) -> HttpResponse:
    privacy_request = _get_request(request, request_pk)
    _check_can_act(staff_user(request), privacy_request)
    form = DataItemForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        services.data_item_add(
            request=privacy_request,
            actor=staff_user(request),
            system=form.cleaned_data["system"],
            category=form.cleaned_data["category"],
            records=form.cleaned_data["records"],
            content=upload.read() if upload else None,
            original_name=upload.name if upload else "",
            content_type=(upload.content_type or "") if upload else "",
        )
        messages.success(request, _("Data attached."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("letters:request_letters", request_pk=privacy_request.pk)


@staff_member_required
@require_POST
def package_build(request: HttpRequest, request_pk: int) -> HttpResponse:
    privacy_request = _get_request(request, request_pk)
    _check_can_act(staff_user(request), privacy_request)
    cover_pk = _posted_pk(request.POST.get("cover_letter"))
    if cover_pk is None:
        messages.error(request, _("Choose the letter that covers the package."))
        return redirect("letters:request_letters", request_pk=privacy_request.pk)
    # Only a letter of this request: any other is not found, whoever's it is.
    cover = get_object_or_404(Letter, pk=cover_pk, request=privacy_request)
    try:
        package = services.package_build(
            request=privacy_request, cover_letter=cover, actor=staff_user(request)
        )
    except LetterNotApplicable as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Data package %(n)s built.") % {"n": package.number})
    return redirect("letters:request_letters", request_pk=privacy_request.pk)


@staff_member_required
@require_POST
def package_release(request: HttpRequest, pk: int) -> HttpResponse:
    package = get_for_staff(
        DataPackage.objects.select_related("request__organization"), request.user, pk=pk
    )
    _check_can_act(staff_user(request), package.request)
    try:
        services.package_release(package=package, actor=staff_user(request))
    except LetterNotApplicable as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The package link was sent to the requester."))
    return redirect("letters:request_letters", request_pk=package.request_id)


@staff_member_required
@require_safe
def package_download(request: HttpRequest, pk: int) -> HttpResponse:
    package = get_for_staff(
        DataPackage.objects.select_related("request__organization"), request.user, pk=pk
    )
    if package.file_deleted:
        return _gone(
            _("This data package's ZIP was deleted: its link expired or the data was purged.")
        )
    return _file_response(package.read(), filename=package.filename, content_type="application/zip")


# -- Requester (signed links, no login) ------------------------------------------------------------


def _public(response: HttpResponse) -> HttpResponse:
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
@require_safe
def requester_letter(request: HttpRequest, token: str) -> HttpResponse:
    """A released letter, through the signed link of the email or the status page."""
    letter = tokens.letter_from_token(token)
    if letter is None:
        raise Http404("This link is not valid or has expired.")
    return _public(
        _file_response(letter.read(), filename=letter.filename, content_type="application/pdf")
    )


@never_cache
@require_safe
def requester_package(request: HttpRequest, token: str) -> HttpResponse:
    """A released data package while its link is valid; each download is recorded."""
    package = tokens.package_from_token(token, now=timezone.now())
    if package is None:
        raise Http404("This link is not valid or has expired.")
    content = services.package_download(package=package)
    return _public(
        _file_response(content, filename=package.filename, content_type="application/zip")
    )


def preview_url(privacy_request: PrivacyRequest, kind: LetterKind | str) -> str:
    """Where the workspace's buttons link to."""
    return reverse("letters:preview", args=[privacy_request.pk, LetterKind(kind).value])
