"""Request ids on every log line, and log lines as JSON when ``LOG_FORMAT=json``.

``RequestIdMiddleware`` (``dsar.ops.middleware``) puts the request's id in a context variable
for as long as the request is served, and on the request; ``RequestIdFilter``, on the console
handler, copies it onto every record (``-`` outside a request: the task cluster, commands). Django
logs a 4xx or 5xx answer ("Not Found: /o/img/status/…/") once the middlewares are done, with the
request passed along: the filter takes the id from there, and puts the URL's tokens back as their
names (``/o/img/status/<token>/``): a status page's or a download's token is the key to a
requester's data, and has no place in a log.

``JsonFormatter`` writes one JSON object per line with a fixed set of keys. It never serializes
a record's other attributes: Django's ``django.request`` logger passes the whole ``HttpRequest``
(posted form included) as ``extra``, and such objects must not reach a log. The project's rule
stands: code logs references, ids and counts, never names, addresses or what a requester wrote.

This module is imported by ``logging.config`` while settings load: it imports nothing of Django's
models.
"""

from __future__ import annotations

import contextvars
import datetime
import json
import logging
import re
import uuid
from typing import Any

#: The id of the request being served in this thread or task, if any.
current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "dsar_request_id", default="-"
)

#: An incoming X-Request-ID is used only when it is a plain token: no spaces, quotes, control
#: characters, "@" or "=" (so no email address, no injected log line), at most 128 characters.
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")

#: URL parameters whose values are keys to someone's data (``<str:token>``, ``<uidb64>``): a
#: logged path shows their names instead.
SECRET_URL_PARAMETER = re.compile(r"token|uidb64|secret|signature", re.IGNORECASE)

#: Attributes a record may carry as ``extra`` that the JSON line keeps (all scalars, none
#: personal): the access line's fields and Django's own status code.
EXTRA_FIELDS = ("method", "route", "view", "status", "status_code", "duration_ms")


def safe_request_id(value: str | None) -> str | None:
    """``value`` when it is a safe token, else None."""
    if value and SAFE_REQUEST_ID.fullmatch(value):
        return value
    return None


def new_request_id() -> str:
    return uuid.uuid4().hex


def redacted_path(request: Any) -> str:
    """``request.path`` with the values of its secret URL parameters replaced by their names."""
    path = str(getattr(request, "path", ""))
    match = getattr(request, "resolver_match", None)
    for name, value in (getattr(match, "kwargs", None) or {}).items():
        if SECRET_URL_PARAMETER.search(name) and isinstance(value, str) and value:
            path = path.replace(value, f"<{name}>")
    return path


class RequestIdFilter(logging.Filter):
    """Sets ``record.request_id`` from the current request (``-`` outside one), and keeps the
    tokens of a request's URL out of Django's own lines about it (``django.request``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if not hasattr(record, "request_id"):
            record.request_id = getattr(request, "request_id", None) or current_request_id.get()
        if request is not None and isinstance(record.args, tuple) and record.args:
            path = str(getattr(request, "path", ""))
            # Django logs the path escaped (unicode_escape), the path as is otherwise.
            forms = {path, path.encode("unicode_escape").decode("ascii")}
            if any(isinstance(arg, str) and arg in forms for arg in record.args):
                redacted = redacted_path(request)
                record.args = tuple(
                    redacted if isinstance(arg, str) and arg in forms else arg
                    for arg in record.args
                )
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, request id, the
    whitelisted extras, and the traceback of an exception."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", current_request_id.get()),
        }
        for name in EXTRA_FIELDS:
            value = getattr(record, name, None)
            if isinstance(value, str | int | float | bool):
                line[name] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)
