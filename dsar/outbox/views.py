"""The demo mailbox's pages (``dsar.outbox.mailbox``): staff only, and 404 unless the demo
setting is on, so that no real installation shows the emails it sent."""

from __future__ import annotations

from django.contrib import admin
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from dsar.outbox import mailbox


def _require_enabled() -> None:
    if not mailbox.enabled():
        raise Http404(_("The mailbox exists only in the demo."))


@require_safe
def mailbox_list(request: HttpRequest) -> HttpResponse:
    """The emails sent, newest first: to whom, what, when."""
    _require_enabled()
    context = {
        **admin.site.each_context(request),
        "title": _("Demo mailbox"),
        "emails": mailbox.newest(),
    }
    return TemplateResponse(request, "outbox/mailbox.html", context)


@require_safe
def mailbox_email(request: HttpRequest, name: str) -> HttpResponse:
    """One email as sent, its links clickable."""
    _require_enabled()
    kept = mailbox.get(name)
    if kept is None:
        raise Http404(_("No such email."))
    context = {
        **admin.site.each_context(request),
        "title": kept.subject,
        "email": kept,
    }
    return TemplateResponse(request, "outbox/mailbox_email.html", context)
