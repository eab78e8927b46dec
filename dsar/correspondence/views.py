"""Staff pages of messages (write to the requester, held messages, attachments) and the
requester's answer from the status page.

Staff views load every object through a ``_get_*_for_user`` helper that answers 404 outside the
user's organizations; writing, attaching and discarding need an acting role (not an auditor's).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from dsar.core.actors import staff_user
from dsar.correspondence import services
from dsar.correspondence.models import Attachment, Message
from dsar.intake import files
from dsar.intake.forms import ResendForm
from dsar.intake.views import _granted_link, _organization, _page, _private, _renew_page
from dsar.organizations.tenancy import acting_organizations_of, get_for_staff
from dsar.requests import workspace
from dsar.requests.models import PrivacyRequest

#: The request page's section of messages.
ANCHOR = "#messages"


def _get_request(user: Any, pk: int) -> PrivacyRequest:
    return get_for_staff(PrivacyRequest.objects.select_related("organization"), user, pk=pk)


def _request_page(privacy_request: PrivacyRequest) -> str:
    return reverse("admin:requests_privacyrequest_change", args=[privacy_request.pk]) + ANCHOR


@staff_member_required
@require_POST
def send(request: HttpRequest, pk: int) -> HttpResponse:
    """Write to the requester from the request page."""
    privacy_request = _get_request(request.user, pk)
    if not workspace.can_act_on(request.user, privacy_request):
        raise PermissionDenied
    try:
        services.message_send(
            request=privacy_request,
            actor=staff_user(request),
            subject=request.POST.get("subject", ""),
            body=request.POST.get("body", ""),
        )
    except services.MessageError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Message sent to the requester."))
    return redirect(_request_page(privacy_request))


@staff_member_required
@require_safe
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """A file that came with a message, checked against its SHA-256 as it is read."""
    found = get_object_or_404(
        Attachment.objects.filter(message__in=Message.objects.for_user(request.user)), pk=pk
    )
    try:
        handle = files.open_verified(found.path, found.sha256, what="message attachment")
    except (OSError, ValueError, files.TamperedFileError):
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=found.filename or f"attachment-{found.pk}",
        content_type=found.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@staff_member_required
@require_safe
def held(request: HttpRequest) -> HttpResponse:
    """The messages waiting for staff: to a reply address we never gave out, or not from the
    requester."""
    held_messages = list(
        Message.objects.for_user(request.user)
        .held()
        .select_related("organization", "addressed_to")
        .prefetch_related("attachments")
        .order_by("-created_at", "-id")[:200]
    )
    context = {
        **admin.site.each_context(request),
        "title": _("Held messages"),
        "held_messages": held_messages,
    }
    return render(request, "correspondence/held.html", context)


@staff_member_required
@require_POST
def held_attach(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_for_staff(Message.objects.all(), request.user, pk=pk)
    reference = request.POST.get("reference", "").strip()[:32]
    target = (
        PrivacyRequest.objects.for_user(request.user)
        .select_related("organization")
        .filter(reference__iexact=reference)
        .first()
    )
    if target is None:
        messages.error(request, _("No request of yours has that reference."))
        return redirect("correspondence:held")
    if not workspace.can_act_on(request.user, target):
        raise PermissionDenied
    try:
        services.held_attach(message=message, request=target, actor=staff_user(request))
    except services.MessageError as error:
        messages.error(request, str(error))
        return redirect("correspondence:held")
    messages.success(request, _("Message attached to %(ref)s.") % {"ref": target.reference})
    return redirect(_request_page(target))


@staff_member_required
@require_POST
def held_discard(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_for_staff(Message.objects.all(), request.user, pk=pk)
    organization_ids = acting_organizations_of(request.user).values_list("pk", flat=True)
    if not request.user.is_superuser and message.organization_id not in set(organization_ids):
        raise PermissionDenied
    try:
        services.held_discard(message=message, actor=staff_user(request))
    except services.MessageError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Message discarded."))
    return redirect("correspondence:held")


# -- The requester ---------------------------------------------------------------------------------


@require_POST
def requester_reply(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """The requester answers from their status page (the CSRF-protected form under the
    conversation); the page again, with the answer on it. Who they are was proved by the status
    link this browser followed (``key``, the session's grant), never by a token in this URL."""
    organization = _organization(slug)
    link = _granted_link(request, organization, key)
    if link is None:  # as the status page itself: the form that emails a new link
        return _renew_page(request, organization, ResendForm(), status=404)
    try:
        services.requester_reply(request=link.submission.request, body=request.POST.get("body", ""))
    except services.MessageError as error:
        context = {"error": str(error), "key": key}
        page = _page(request, organization, "correspondence/reply_refused.html", context, 400)
        return _private(page)
    url = reverse("intake:status_page", args=[slug, key]) + ANCHOR
    return _private(HttpResponseRedirect(url))
