"""What other apps do once one of their emails is sent, inside the transaction that marks it.

The outbox knows no app; an app registers, in its ``ready()``, a function for the kinds of email
whose sending means something to it: intake's first confirmation email acknowledges receipt of
the request (Cal. Code Regs. tit. 11 §7021(a)), which is true only once it has left.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dsar.outbox.models import Email

AfterSent = Callable[["Email"], None]

_after_sent: dict[str, list[AfterSent]] = {}
_after_failed: dict[str, list[AfterSent]] = {}


def on_sent(kinds: Iterable[str], function: AfterSent) -> None:
    """Call ``function(email)`` after an email of one of ``kinds`` is marked sent."""
    for kind in kinds:
        registered = _after_sent.setdefault(kind, [])
        if function not in registered:
            registered.append(function)


def on_failed(kinds: Iterable[str], function: AfterSent) -> None:
    """Call ``function(email)`` after an email of one of ``kinds`` has failed for good (its
    last try), in the transaction that marks it failed."""
    for kind in kinds:
        registered = _after_failed.setdefault(kind, [])
        if function not in registered:
            registered.append(function)


def sent(email: Email) -> None:
    for function in _after_sent.get(email.kind, ()):
        function(email)


def failed(email: Email) -> None:
    for function in _after_failed.get(email.kind, ()):
        function(email)
