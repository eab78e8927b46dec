"""dsar's URLs and error handlers, with views that fail on purpose (ROOT_URLCONF in the tests)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import path

from dsar import urls as site_urls

# dsar's own handlers (None: Django's defaults, as before dsar named any).
handler400 = getattr(site_urls, "handler400", None)
handler403 = getattr(site_urls, "handler403", None)
handler404 = getattr(site_urls, "handler404", None)
handler500 = getattr(site_urls, "handler500", None)

#: Detail that must never reach a visitor: an exception's text, a file path.
SECRET = "secret-detail-/etc/dsar/private.key"


def bad(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation(SECRET)


def denied(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied(SECRET)


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError(SECRET)


urlpatterns = [
    path("test-errors/400/", bad),
    path("test-errors/403/", denied),
    path("test-errors/500/", broken),
    *site_urls.urlpatterns,
]
