"""What the reminders app asks of other apps, when they offer it.

Intake and letters are built beside this app. Each hook is looked up when it is needed: a hook
that is not there yet is reported (housekeeping says so in its result and in the log), never
guessed at. An import error *inside* a hook's module is not swallowed.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from typing import Any

from dsar.requests.models import PrivacyRequest, Status

logger = logging.getLogger(__name__)

#: Called by housekeeping: delete expired download links and uploads; returns a count or a dict.
DELETE_EXPIRED = (
    "dsar.intake.housekeeping.delete_expired",
    "dsar.letters.housekeeping.delete_expired",
)
#: Called when a request's personal data is purged: delete its files (uploads, letters).
PURGE_FILES = (
    "dsar.intake.housekeeping.purge_request",
    "dsar.letters.housekeeping.purge_request",
)
#: ``verification_url(request) -> str``: the link a requester follows to verify their identity.
VERIFICATION_URL = "dsar.intake.verification.verification_url"
#: ``close_unverified(*, request, note) -> PrivacyRequest``: intake's own closure, if it has one.
CLOSE_UNVERIFIED = "dsar.intake.services.intake_close_unverified"


def find(path: str) -> Callable[..., Any] | None:
    """The function at dotted ``path``, or None when its module or the name does not exist."""
    module_name, _, name = path.rpartition(".")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name and module_name.startswith(error.name):
            return None
        raise
    found = getattr(module, name, None)
    return found if callable(found) else None


def verification_url(request: PrivacyRequest) -> str:
    hook = find(VERIFICATION_URL)
    return str(hook(request)) if hook else ""


def close_unverified(*, request: PrivacyRequest, note: str) -> PrivacyRequest:
    """Close an unverified request through intake's service, or the requests service."""
    hook = find(CLOSE_UNVERIFIED)
    if hook is not None:
        return hook(request=request, note=note)
    from dsar.requests.services import request_close

    return request_close(
        request=request, actor=None, as_status=Status.CLOSED_UNVERIFIABLE, note=note
    )


def delete_expired() -> dict[str, Any]:
    """Run every ``delete_expired`` hook; ``"missing"`` for the ones not there yet."""
    results: dict[str, Any] = {}
    for path in DELETE_EXPIRED:
        hook = find(path)
        if hook is None:
            logger.warning("housekeeping hook %s does not exist yet", path)
            results[path] = "missing"
        else:
            results[path] = hook()
    return results


def purge_files(request: PrivacyRequest) -> list[str]:
    """Run the ``purge_request`` hooks for one request; returns the ones that ran."""
    ran = []
    for path in PURGE_FILES:
        hook = find(path)
        if hook is not None:
            hook(request)
            ran.append(path)
    return ran
