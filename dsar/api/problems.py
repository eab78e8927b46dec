"""Every error of the API as an RFC 9457 problem document (``application/problem+json``).

``{"type", "title", "status", "detail"}``, plus ``errors`` (one ``{field, pointer, detail}`` per
field) for invalid input. The types are URNs, each listed in docs/api.md:

=================================  ======  =====================================================
type                               status  when
=================================  ======  =====================================================
urn:dsar:problem:validation        400     the body or a query parameter is invalid (``errors``)
urn:dsar:problem:malformed         400     the body is not JSON
urn:dsar:problem:unauthenticated   401     no key, or an unknown, revoked or expired key
urn:dsar:problem:forbidden         403     a read key tried to write
urn:dsar:problem:not-found         404     no such object, or another organization's
urn:dsar:problem:method            405     the path does not take this method
urn:dsar:problem:not-acceptable    406     the Accept header asks for something else than JSON
urn:dsar:problem:refused           409     the request's state, the law or the policy refuses
                                           the action: the service's own message
                                           (``TransitionError``, ``LetterNotApplicable``,
                                           ``TaskError``, ``MessageError``)
urn:dsar:problem:gone              410     a letter or package purged under the retention rules
urn:dsar:problem:media-type        415     the body is not ``application/json``
urn:dsar:problem:idempotency       422     an Idempotency-Key reused with a different body
urn:dsar:problem:rate-limited      429     too many calls this minute (``Retry-After``)
=================================  ======  =====================================================

A refusal is 409 Conflict, not 422: the input was understood and valid (the serializers check
it first, 400), and it conflicts with the current state of the request, which another call or a
staff member may change; the same call may succeed later.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from dsar.correspondence.services import MessageError
from dsar.fulfilment.tasks import TaskError
from dsar.letters.services import LetterNotApplicable
from dsar.requests.services import TransitionError

CONTENT_TYPE = "application/problem+json"

TITLES = {
    "validation": "Invalid input",
    "malformed": "Malformed body",
    "unauthenticated": "Not authenticated",
    "forbidden": "Not allowed",
    "not-found": "Not found",
    "method": "Method not allowed",
    "not-acceptable": "Not acceptable",
    "refused": "Action refused",
    "gone": "Gone",
    "media-type": "Unsupported media type",
    "idempotency": "Idempotency key reused",
    "rate-limited": "Too many requests",
}


class IdempotencyConflict(exceptions.APIException):
    """The same Idempotency-Key with another body: 422."""

    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = "This Idempotency-Key was used with a different body."


class Gone(exceptions.APIException):
    status_code = status.HTTP_410_GONE
    default_detail = "Deleted under the retention rules."


def problem(
    name: str, status_code: int, detail: str, *, errors: list[dict[str, str]] | None = None
) -> Response:
    """A problem response of type ``urn:dsar:problem:<name>``."""
    body: dict[str, Any] = {
        "type": f"urn:dsar:problem:{name}",
        "title": TITLES[name],
        "status": status_code,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = errors
    return Response(body, status=status_code, content_type=CONTENT_TYPE)


def field_errors(detail: Any, path: tuple[str, ...] = ()) -> list[dict[str, str]]:
    """DRF's nested error structure as a flat list of ``{field, pointer, detail}``."""
    found: list[dict[str, str]] = []
    if isinstance(detail, dict):
        for name, value in detail.items():
            here = path if name in ("non_field_errors", "__all__") else (*path, str(name))
            found += field_errors(value, here)
    elif isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            for item in detail:
                found.append(
                    {
                        "field": ".".join(path),
                        "pointer": "#/" + "/".join(path) if path else "#",
                        "detail": str(item),
                    }
                )
        else:
            for index, item in enumerate(detail):
                found += field_errors(item, (*path, str(index)))
    else:
        found.append(
            {
                "field": ".".join(path),
                "pointer": "#/" + "/".join(path) if path else "#",
                "detail": str(detail),
            }
        )
    return found


def _validation(errors: list[dict[str, str]]) -> Response:
    summary = "; ".join(
        f"{error['field']}: {error['detail']}" if error["field"] else error["detail"]
        for error in errors
    )
    return problem("validation", 400, summary, errors=errors)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's ``EXCEPTION_HANDLER``: every exception the API knows, as a problem document.

    Anything else propagates (a 500, logged as usual). The transaction of a failed write is
    rolled back (``set_rollback``) as DRF's own handler does."""
    response = _problem_for(exc)
    if response is None:
        return None
    set_rollback()
    if isinstance(exc, exceptions.APIException):
        if auth_header := getattr(exc, "auth_header", None):
            response["WWW-Authenticate"] = auth_header
        if (wait := getattr(exc, "wait", None)) is not None:
            response["Retry-After"] = str(int(wait))
    return response


def _problem_for(exc: Exception) -> Response | None:
    if isinstance(exc, Http404):
        return problem("not-found", 404, "No such object.")
    if isinstance(exc, PermissionDenied):
        return problem("forbidden", 403, str(exc) or "Not allowed.")
    if isinstance(exc, TransitionError | LetterNotApplicable | TaskError | MessageError):
        return problem("refused", 409, str(exc))
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        return _validation(field_errors(detail))
    if isinstance(exc, exceptions.ValidationError):
        return _validation(field_errors(exc.detail))
    kinds: list[tuple[type[exceptions.APIException], str]] = [
        (exceptions.ParseError, "malformed"),
        (exceptions.NotAuthenticated, "unauthenticated"),
        (exceptions.AuthenticationFailed, "unauthenticated"),
        (exceptions.PermissionDenied, "forbidden"),
        (exceptions.NotFound, "not-found"),
        (exceptions.MethodNotAllowed, "method"),
        (exceptions.NotAcceptable, "not-acceptable"),
        (exceptions.UnsupportedMediaType, "media-type"),
        (exceptions.Throttled, "rate-limited"),
        (IdempotencyConflict, "idempotency"),
        (Gone, "gone"),
    ]
    for kind, name in kinds:
        if isinstance(exc, kind):
            message = str(exc.detail)
            if isinstance(exc, exceptions.Throttled):
                wait = getattr(exc, "wait", None)  # set by Throttled.__init__; not in the stubs
                message = f"More than the key's limit of calls per minute; retry in {wait} s."
            return problem(name, exc.status_code, message)
    if isinstance(exc, exceptions.APIException):
        return problem("validation", exc.status_code, str(exc.detail))
    return None


def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
    """Any path under /api/ that names nothing: a problem document, not the HTML 404 page."""
    from rest_framework.renderers import JSONRenderer

    response = problem("not-found", 404, "No such path in the API.")
    response.accepted_renderer = JSONRenderer()
    response.accepted_media_type = CONTENT_TYPE
    # Set by APIView.finalize_response, which this 404 never goes through; not in the stubs.
    response.renderer_context = {}  # type: ignore[attr-defined]
    response.render()
    return response
