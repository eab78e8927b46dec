"""Two middlewares, first in ``MIDDLEWARE``.

``ProbeMiddleware`` answers ``/healthz``, ``/readyz`` and ``/metrics`` before anything else runs.
Load balancers, orchestrators and Prometheus call gunicorn directly, over plain HTTP and by
address (``Host: 10.0.0.5:8000``): behind it, ``SecurityMiddleware`` would redirect them to https
and the host check refuse an address that is not in ``ALLOWED_HOSTS``. These three answers build
no URL from the host and set no cookie, so the host check protects nothing there; ``/metrics``
still wants its bearer token. They are not logged (a probe every few seconds would bury the log).

``RequestIdMiddleware`` gives each request an id: the incoming ``X-Request-ID`` when it is a safe
token (a proxy's, say nginx's ``$request_id``), else a new one. It is on every log line written
while the request is served (``dsar.ops.logs``), echoed in the response's ``X-Request-ID``, and,
with ``LOG_REQUESTS``, the request is logged once it is answered: method, the matched route
pattern (never the path itself: public paths carry tokens), status and duration.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from dsar.ops.logs import current_request_id, new_request_id, safe_request_id

access_logger = logging.getLogger("dsar.access")

HEADER = "X-Request-ID"


def _probes() -> dict[str, Callable[[HttpRequest], HttpResponse]]:
    from dsar.core import views as core_views
    from dsar.ops import views

    return {"/healthz": core_views.healthz, "/readyz": views.readyz, "/metrics": views.metrics}


class ProbeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.probes = _probes()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        view = self.probes.get(request.path_info)
        if view is not None:
            return view(request)
        return self.get_response(request)


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = safe_request_id(request.headers.get(HEADER)) or new_request_id()
        request.request_id = request_id  # type: ignore[attr-defined]
        token = current_request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response.headers[HEADER] = request_id
            if getattr(settings, "LOG_REQUESTS", False):
                self._log(request, response, started)
            return response
        finally:
            current_request_id.reset(token)

    @staticmethod
    def _log(request: HttpRequest, response: HttpResponse, started: float) -> None:
        match = getattr(request, "resolver_match", None)
        route = "/" + match.route if match is not None and match.route else "-"
        view = match.view_name if match is not None else "-"
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        access_logger.info(
            "%s %s %s %.1fms",
            request.method,
            route,
            response.status_code,
            duration_ms,
            extra={
                "method": request.method,
                "route": route,
                "view": view,
                "status": response.status_code,
                "duration_ms": duration_ms,
            },
        )
