"""``/readyz`` and ``/metrics`` (``/healthz``, liveness, is ``dsar.core.views.healthz``)."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from dsar.ops import health


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: 200 when the database, the task broker and the private storage all work,
    else 503 naming what failed (``dsar.ops.health``)."""
    result = health.readiness()
    return JsonResponse(result.as_dict(), status=200 if result.ready else 503)


def _bearer(request: HttpRequest) -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


@never_cache
@require_safe
def metrics(request: HttpRequest) -> HttpResponse:
    """The Prometheus figures, for a scraper that sends ``Authorization: Bearer $METRICS_TOKEN``.

    Without ``METRICS_TOKEN`` the endpoint does not exist (404); a missing or wrong token is 401.
    """
    expected = getattr(settings, "METRICS_TOKEN", "") or ""
    if not expected:
        return HttpResponseNotFound(b"Not Found", content_type="text/plain")
    if not hmac.compare_digest(_bearer(request).encode(), expected.encode()):
        response = HttpResponse(b"Unauthorized", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    from prometheus_client import CONTENT_TYPE_LATEST

    from dsar.ops.metrics import exposition

    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
