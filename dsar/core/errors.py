"""The error pages (``handler400``, ``handler403``, ``handler404``, ``handler500`` in dsar/urls.py)
and the page shown while the database is unavailable (503, ``DatabaseUnavailableMiddleware``).

Each page is in the public pages' look and in the language the request asks for (the language
cookie, then Accept-Language), and says what to do next, never what went wrong: no exception
text, no path, no setting. None of them reads the database, so that they still render while it
is down. The staff area shows the same pages.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from django import db
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.template import loader
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

#: Seconds a client is asked to wait before trying again while the database is unavailable.
RETRY_AFTER_SECONDS = 30


def _database_errors() -> tuple[type[BaseException], ...]:
    errors: list[type[BaseException]] = [db.OperationalError, db.InterfaceError]
    try:  # the driver's own, in case one escapes Django's wrapper
        import psycopg

        errors += [psycopg.OperationalError, psycopg.InterfaceError]
    except ImportError:  # pragma: no cover - SQLite only
        pass
    return tuple(errors)


#: What the database going away raises (a lost connection, a refused one, a server shutting down).
DATABASE_ERRORS = _database_errors()


def _render(
    request: HttpRequest, status: int, context: dict[str, Any] | None = None, *, csrf: bool = False
) -> HttpResponse:
    """``<status>.html`` in the request's language. Without ``csrf`` the template is rendered with
    no request at all (no context processor runs: nothing that could fail again); a CSRF token
    goes in as a plain variable, for the language switcher."""
    language = translation.get_language_from_request(request)
    # The language switcher (intake/_language.html) posts to set_language, which wants a CSRF
    # token; get_token reads and sets a cookie only, never the database. It sends no path back
    # (the page shows none): set_language returns to the Referer, this page.
    switcher = {"csrf_token": get_token(request)}
    with translation.override(language):
        template = loader.get_template(f"{status}.html")
        content = template.render(
            {"status": status, **switcher, **(context or {})}, request=request if csrf else None
        )
    response = HttpResponse(content, status=status)
    response.headers["Content-Language"] = language
    add_never_cache_headers(response)
    return response


def bad_request(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    return _render(request, 400)


def permission_denied(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    return _render(request, 403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """``CSRF_FAILURE_VIEW``: the 403 page, saying that a form is to be reloaded and sent again."""
    return _render(request, 403, {"csrf": True})


def page_not_found(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    return _render(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    """500; or 503 when what was raised is the database going away outside any view (in a
    middleware), where ``DatabaseUnavailableMiddleware`` does not see it."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_ERRORS):
        return database_unavailable(request, error)
    return _render(request, 500)


# -- The database is unavailable -------------------------------------------------------------------


def drop_broken_connections() -> None:
    """Close every open database connection outside a transaction, so that the next request
    (or the next query of a long-lived worker) opens a new one instead of reusing a dead one.
    Closing is local: it never waits on the network."""
    for connection in db.connections.all(initialized_only=True):
        if connection.connection is None or connection.in_atomic_block:
            continue
        try:
            connection.close()
        except db.Error:  # closing a dead connection may complain: it is dropped all the same
            connection.connection = None


def database_unavailable(request: HttpRequest, error: BaseException | None = None) -> HttpResponse:
    """503 with Retry-After. A post of the public request form gets its fields back, filled in
    with what was typed, to send again; nothing here touches the database."""
    # The first line only: a later DETAIL line of PostgreSQL's could quote a row's values.
    first_line = str(error).strip().splitlines()[0][:200] if error and str(error).strip() else ""
    logger.error(
        "database unavailable during %s %s: %s %s",
        request.method,
        _route(request),
        type(error).__name__ if error else "",
        first_line,
    )
    drop_broken_connections()
    if request.path_info.startswith(("/api/", "/drp/")):
        response: HttpResponse = JsonResponse(
            {
                "type": "about:blank",
                "title": "Service unavailable",
                "status": 503,
                "detail": "The database is unavailable; nothing was stored. Try again shortly.",
            },
            status=503,
            content_type="application/problem+json",
        )
        add_never_cache_headers(response)
    else:
        with translation.override(translation.get_language_from_request(request)):
            try:
                refill = _form_refill(request)
            except Exception:  # the page must render whatever the post holds
                logger.exception("database unavailable: the form's fields could not be shown")
                refill = {}
        response = _render(request, 503, refill, csrf=bool(refill))
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _route(request: HttpRequest) -> str:
    """The matched URL pattern, never the URL (a public URL carries tokens)."""
    match = request.resolver_match
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return "(no route)"
    return match.route or match.view_name


def _form_refill(request: HttpRequest) -> dict[str, Any]:
    """The fields of a post of the public request form, for the 503 page; {} for any other
    request. Built from the post and the form's class alone: the organization, its policy and
    the form's choices live in the database."""
    if request.method != "POST":
        return {}
    try:
        match = request.resolver_match or resolve(request.path_info)
    except Resolver404:
        return {}
    if match.view_name != "intake:form":
        return {}
    from dsar.intake.forms import RequestForm

    post = request.POST
    fields: list[dict[str, Any]] = []
    shown = set()
    for name, field in RequestForm.base_fields.items():
        shown.add(name)
        values = [value for value in post.getlist(name) if value != ""]
        widget = type(field.widget).__name__
        if widget in ("FileInput", "ClearableFileInput"):
            if name in request.FILES:
                fields.append({"name": name, "label": field.label, "kind": "file"})
            continue
        if not values and (name not in post or widget == "HiddenInput"):
            continue
        if name == "website" or widget == "HiddenInput":
            fields.append({"name": name, "kind": "hidden", "values": values})
        elif hasattr(field, "choices"):
            fields.append(
                {
                    "name": name,
                    "label": field.label,
                    "kind": "choice",
                    "values": values,
                    "shown": [_choice_label(name, field, value) for value in values],
                }
            )
        else:
            kind = "textarea" if widget == "Textarea" else "email" if name == "email" else "text"
            fields.append(
                {
                    "name": name,
                    "label": field.label,
                    "kind": kind,
                    "value": values[-1] if values else "",
                }
            )
    others = [
        {"name": name, "kind": "hidden", "values": post.getlist(name)}
        for name in post
        if name not in shown and name != "csrfmiddlewaretoken"
    ]
    return {"form_fields": fields + others, "file_lost": bool(request.FILES)}


def _choice_label(name: str, field: Any, value: str) -> str:
    """The words of a chosen option, without the database: the right's and the place's names
    come from their enumerations; anything unknown is shown as it was sent."""
    from dsar import residences
    from dsar.policies.models import RightKind

    if name == "right":
        return str(RightKind(value).label) if value in RightKind.values else value
    if name == "residence":
        return residences.label(value) if residences.is_offered(value) else value
    for choice, label in field.choices:
        if str(choice) == value and not isinstance(label, list | tuple):
            return str(label)
    return value
