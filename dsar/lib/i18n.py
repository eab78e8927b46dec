"""Which language a piece of text is written in.

The audit trail, the flags and the staff pages are the staff's: they are written in the
installation's language (``LANGUAGE_CODE``) whatever language the requester used. A public page
runs in the requester's language, so every write it makes to the trail runs under
``staff_language`` (a request made in Spanish must not write Spanish into the staff's trail).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.conf import settings
from django.utils import translation

P = ParamSpec("P")
T = TypeVar("T")


def staff_language() -> translation.override:
    """A context in which gettext writes the staff's language."""
    return translation.override(settings.LANGUAGE_CODE)


def in_staff_language(function: Callable[P, T]) -> Callable[P, T]:
    """Run ``function`` (a write of the public side) in the staff's language."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        with staff_language():
            return function(*args, **kwargs)

    return wrapper
