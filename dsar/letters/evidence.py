"""The evidence pack: one PDF per request for a regulator or an auditor.

It shows what happened and when (the full timeline), every notice and letter issued with its
SHA-256 (so each archived PDF can be checked against it), how the identity was verified, the
data packages released, and the deadline arithmetic: the basis recorded when the deadline was
set, and the engine's explanation recomputed from the request's dates. Under the timeline, the
head of the trail's hash chain (``dsar.requests.chain``), recomputed as the pack is made.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from dsar.correspondence.selectors import conversation
from dsar.deadlines import Rule
from dsar.letters import render
from dsar.letters.models import DataPackage, Letter
from dsar.requests import chain, clock
from dsar.requests.models import EventKind, PrivacyRequest, RequestEvent, Status, WaitingFor

TEMPLATE = "letters/evidence_pack.html"
VERIFICATION_EVENTS = (
    EventKind.IDENTITY_VERIFIED,
    EventKind.ASKED_REQUESTER,
    EventKind.REQUESTER_ANSWERED,
)


@dataclass(frozen=True)
class Arithmetic:
    rule: Rule
    start: datetime.date
    calendar: str | None
    extended: bool
    paused: list[tuple[datetime.date, datetime.date]]
    due: datetime.date
    explain: str
    reason: str
    matches: bool  # the recomputed date is the one the request holds


def recompute(request: PrivacyRequest) -> Arithmetic | None:
    """The deadline recomputed from the request's dates by ``clock.decide_for``, the function
    that set it, with the engine's words; None when only an internal target applies.

    The same function as the request page and every letter: a different date here means the
    request's inputs were changed behind the services' back, and the pack says so."""
    decision = clock.decide_for(request)
    deadline = decision.deadline
    if deadline is None:
        return None
    binding = decision.binding
    # The pauses recorded on the request count only for a rule that pauses (the UK GDPR's
    # clarification, Decision.waiting_effect): an EU requester's clarification is asked and
    # answered, and the pack must not say the month was paused when the letters say it ran.
    paused = [
        (datetime.date.fromisoformat(a), datetime.date.fromisoformat(b))
        for a, b in request.paused_days
        if binding is not None and binding.pauses and a >= deadline.received.isoformat()
    ]
    return Arithmetic(
        deadline.rule,
        deadline.received,
        deadline.calendar,
        deadline.extended,
        paused,
        deadline.due,
        deadline.explain(),
        decision.reason,
        deadline.due == request.due_date,
    )


def _verification(events: list[RequestEvent]) -> list[RequestEvent]:
    """Identity verified, the requester asked (for ID or clarification) and answering."""
    waiting = Status.WAITING_REQUESTER
    return [
        event
        for event in events
        if event.kind in VERIFICATION_EVENTS
        or (
            event.kind == EventKind.STATUS_CHANGED
            and waiting in (event.to_status, event.from_status)
        )
    ]


def evidence_context(
    request: PrivacyRequest, *, now: datetime.datetime | None = None
) -> dict[str, Any]:
    events = list(request.events.select_related("actor").order_by("at", "id"))
    letters = list(
        Letter.objects.filter(request=request)
        .select_related("issued_by", "corrects")
        .prefetch_related("deliveries")
        .order_by("number")
    )
    return {
        "request": request,
        "org": request.organization,
        "generated_at": now or timezone.now(),
        "events": events,
        "letters": letters,
        "packages": list(DataPackage.objects.filter(request=request).order_by("number")),
        # Every message in and out (dsar.correspondence), with its attachments' SHA-256.
        "conversation": list(conversation(request)),
        "verification": _verification(events),
        "deadline_events": [
            e
            for e in events
            if e.kind in (EventKind.RECEIVED, EventKind.DEADLINE_SET, EventKind.EXTENDED)
        ],
        "arithmetic": recompute(request),
        "waiting_identity": request.waiting_for == WaitingFor.IDENTITY,
        # The head of the trail's hash chain, recomputed now: whoever keeps this pack can later
        # tell whether the trail was changed since (manage.py verify_trail, docs/operations.md).
        "chain": chain.head_of(request.pk),
    }


def evidence_pack_pdf(request: PrivacyRequest, *, now: datetime.datetime | None = None) -> bytes:
    """The evidence pack of ``request`` as PDF bytes (English: for regulators and auditors)."""
    return render.render_document(TEMPLATE, evidence_context(request, now=now))
