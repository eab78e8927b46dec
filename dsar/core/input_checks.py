"""A NUL character in an address is refused with a 400 before any view reads it.

No link of ours, no form and no API client of ours puts a NUL (``%00``) in a path or a query
string; one there is a probe or a broken script. PostgreSQL refuses NUL in text (psycopg raises
"PostgreSQL text fields cannot contain NUL (0x00) bytes"), so a NUL that reaches a lookup (the
reports' ``?organization=``, a list filter, the admin's ``<object_id>`` of a model with a text
key) is a 500 long after the request came in, in whichever view happened to use it. Checking
every view would be a rule each new view could forget: this middleware checks once, for all.

Bodies are left to the forms and parsers, which refuse a NUL with a message next to the field
(Django's form fields, ``dsar.lib.json_input``): the person who typed the rest keeps it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, JsonResponse

NUL = "\x00"

#: Paths answered with a problem document (RFC 9457) rather than the HTML error page.
MACHINE_PATHS = ("/api/", "/drp/")


def has_nul(request: HttpRequest) -> bool:
    """Whether the path, or a name or a value of the query string, holds a NUL."""
    if NUL in request.path:
        return True
    return any(
        NUL in name or any(NUL in value for value in values) for name, values in request.GET.lists()
    )


class RefuseNulMiddleware:
    """400 for a NUL in the path or the query string (docs/security.md, "Malformed input")."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_nul(request):
            if request.path.startswith(MACHINE_PATHS):
                return JsonResponse(
                    {
                        "type": "urn:dsar:problem:malformed",
                        "title": "Malformed request",
                        "status": 400,
                        "detail": "The address holds a NUL character (%00).",
                    },
                    status=400,
                    content_type="application/problem+json",
                )
            # Django answers it with handler400: the site's error page, in the visitor's language.
            raise BadRequest("NUL character in the address")
        return self.get_response(request)
