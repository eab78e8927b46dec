"""JSON sent by a client (a form's textarea, a signed message), parsed so that bad input is a
clean refusal and never a crash.

``json.loads`` alone is not enough for text a client chose:

* it recurses once per nested array or object, so ``[[[[...`` a few thousand levels deep raises
  RecursionError, which no ``except ValueError`` catches (a 500, not a 400);
* it accepts ``"\\u0000"``, which PostgreSQL refuses in ``jsonb`` (and in text): the write fails
  with a DataError long after the input was "valid".

``loads`` is the one place such JSON is parsed: every problem is a ``JSONInputError`` (a
ValueError), whose message can be shown to the person who sent it.
"""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext as _

# Records of a data package and DRP claims are a few levels deep; nothing needs more than this.
MAX_DEPTH = 32


class JSONInputError(ValueError):
    """The text is not JSON this app accepts; the message says why."""


def loads(text: str | bytes, *, max_depth: int = MAX_DEPTH) -> Any:
    """The value of the JSON ``text``, or JSONInputError: not JSON, nested deeper than
    ``max_depth`` arrays and objects, or holding a NUL character (in a key or a string)."""
    try:
        value = json.loads(text)
    except RecursionError:
        raise JSONInputError(too_deep(max_depth)) from None
    except json.JSONDecodeError as error:
        raise JSONInputError(_("Not valid JSON: %(e)s") % {"e": error}) from None
    except ValueError:  # bytes that are not UTF-8, an integer too long to convert
        raise JSONInputError(_("Not valid JSON.")) from None
    check(value, max_depth=max_depth)
    return value


def too_deep(max_depth: int) -> str:
    return _("The JSON is nested more than %(n)s levels deep.") % {"n": max_depth}


def check(value: Any, *, max_depth: int = MAX_DEPTH) -> None:
    """Raise JSONInputError if ``value`` nests deeper than ``max_depth`` or holds a NUL.

    Iterative, so that the check itself cannot exhaust the stack."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                raise JSONInputError(_("The JSON holds a NUL character (\\u0000)."))
        elif isinstance(item, dict | list):
            if depth >= max_depth:
                raise JSONInputError(too_deep(max_depth))
            children = [*item.keys(), *item.values()] if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
