"""When the database goes away in the middle of a request: a 503 page, not a bare 500.

A lost or refused connection (PostgreSQL restarting, a failover, a killed backend) raises
``OperationalError`` or ``InterfaceError`` from the view. This middleware answers 503 with
``Retry-After``, says that nothing was lost and to try again, gives a post of the public request
form back with what was typed (``dsar.core.errors.database_unavailable``), and drops the broken
connection so that the next request opens a new one (``CONN_HEALTH_CHECKS`` checks a reused one
too). The same error raised by a middleware, outside the view, reaches ``handler500``, which
answers the same 503.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from dsar.core.errors import DATABASE_ERRORS, database_unavailable


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_ERRORS):
            return database_unavailable(request, exception)
        return None
