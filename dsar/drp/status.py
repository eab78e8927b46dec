"""dsar's lifecycle said in the protocol's words: the Exercise Status object (DRP §3.02, §3.03).

dsar runs its own DRP endpoints, so a request passes at once from ``open`` to ``in_progress``
(DRP §3.03 note 1): the agent is told ``in_progress`` from the first answer, with
``received_at`` and ``expected_by`` (the legal deadline, or the organization's own date where no
law sets one; an extension moves it and says why in ``processing_details``).

The mapping (docs/drp.md has it as a table):

- received, in progress, awaiting verification, waiting for the requester: ``in_progress``;
- fulfilled, partially fulfilled: ``fulfilled``;
- denied: ``denied``, reason ``too_many_requests`` when flagged beyond the policy's or the
  statute's frequency limit, else ``other``;
- closed as unverifiable: ``denied``/``insuf_verification``; closed as a duplicate:
  ``denied``/``other``;
- withdrawn (by the consumer, or revoked through the agent): ``revoked``.

``need_user_verification`` is not used: it requires a ``user_verification_url`` the consumer
follows, and the protocol says no implementer has built that flow (DRP §3.02.1); staff verify
identity as for any other request. ``processing_details`` carries only what the requester is
told anyway (``outcome_reason``, an extension's reason), never a staff note.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _

from dsar.drp.models import DrpRequest
from dsar.requests.models import EventKind, Flag, PrivacyRequest, Status

_STATUS = {
    Status.RECEIVED: ("in_progress", None),
    Status.AWAITING_VERIFICATION: ("in_progress", None),
    Status.IN_PROGRESS: ("in_progress", None),
    Status.WAITING_REQUESTER: ("in_progress", None),
    Status.FULFILLED: ("fulfilled", None),
    Status.PARTIALLY_FULFILLED: ("fulfilled", None),
    Status.DENIED: ("denied", "other"),
    Status.CLOSED_UNVERIFIABLE: ("denied", "insuf_verification"),
    Status.CLOSED_DUPLICATE: ("denied", "other"),
    Status.WITHDRAWN: ("revoked", None),
}


def _iso(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def drp_status(request: PrivacyRequest) -> tuple[str, str | None]:
    """The protocol's status and reason for a dsar request."""
    current = request.status_enum
    # A status added to dsar later is said by whether it is open, until it gets its own line.
    fallback = ("denied", "other") if current.is_closed else ("in_progress", None)
    status, reason = _STATUS.get(current, fallback)
    if request.status == Status.DENIED and request.has_flag(Flag.BEYOND_FREQUENCY):
        reason = "too_many_requests"
    return status, reason


def _details(request: PrivacyRequest) -> str:
    """What the agent may tell the consumer: the reasons they are given, what the business is
    doing or waiting for, and why the date moved (DRP §3.08)."""
    status = request.status_enum
    if status.is_closed:
        if request.outcome_reason:
            return request.outcome_reason
        if status == Status.CLOSED_DUPLICATE:
            return str(_("A duplicate of another request of the same consumer."))
        return ""
    parts = []
    if request.extended:
        extension = request.events.filter(kind=EventKind.EXTENDED).order_by("-at", "-id").first()
        if extension is not None:
            parts.append(
                str(
                    _("The deadline was extended: %(reason)s")
                    % {"reason": extension.data.get("reason", "")}
                )
            )
    if status == Status.AWAITING_VERIFICATION:
        parts.append(str(_("The business is verifying the consumer's identity.")))
    if status == Status.WAITING_REQUESTER and request.waiting_for:
        parts.append(
            str(
                _("Waiting for the consumer: %(what)s.")
                % {"what": request.get_waiting_for_display()}
            )
        )
    return " ".join(parts)


def exercise_status(drp_request: DrpRequest) -> dict[str, Any]:
    """The Exercise Status object of ``drp_request`` as it stands now."""
    request = drp_request.request
    status, reason = drp_status(request)
    document: dict[str, Any] = {
        "request_id": str(drp_request.public_id),
        "status": status,
        "received_at": _iso(request.received_at),
    }
    if reason:
        document["reason"] = reason
    if drp_request.agent_request_id:
        document["agent_request_id"] = drp_request.agent_request_id
    expected = request.due_date or request.internal_target
    if expected is not None and status == "in_progress":
        document["expected_by"] = expected.isoformat()
    details = _details(request)
    if details:
        document["processing_details"] = details
    return document
