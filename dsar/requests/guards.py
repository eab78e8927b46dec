"""What other apps say must be done before a request is answered, asked by ``request_fulfil``.

The requests app does not know the work other apps track (the fulfilment app's tasks, say): an
app registers a function here in its ``ready()``, and ``request_fulfil`` asks every one of them
in its transaction. A guard names what is still missing, in words a staff member can act on.
Unlike the verification level the law sets (``verification.answer_blockers``), what a guard
names may be overridden by a privacy officer who gives a reason: the reason goes on the trail.
"""

from __future__ import annotations

from collections.abc import Callable

from dsar.requests.models import PrivacyRequest

Guard = Callable[[PrivacyRequest], list[str]]

_guards: list[Guard] = []


def register(guard: Guard) -> Guard:
    """Ask ``guard(request)`` before every fulfilment (usable as a decorator)."""
    if guard not in _guards:
        _guards.append(guard)
    return guard


def blockers(request: PrivacyRequest) -> list[str]:
    """What the registered guards say is still missing before ``request`` is answered."""
    return [reason for guard in _guards for reason in guard(request)]
