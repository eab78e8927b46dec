"""``{{ clause|policy_text }}``: a policy clause with its inline Markdown rendered, safely.

On a web page links stay links (http, https and mailto only); in a letter,
``{{ clause|policy_text:"print" }}`` prints a link as its text and its address. Everything else in
the clause is escaped: see ``dsar.lib.policy_text``.
"""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from dsar.lib.policy_text import policy_html

register = template.Library()

MODES = ("", "print")


@register.filter
def policy_text(value: object, mode: str = "") -> SafeString:
    if mode not in MODES:
        raise template.TemplateSyntaxError(
            f"policy_text takes no argument or 'print', not {mode!r}"
        )
    return policy_html(None if value is None else str(value), printed=mode == "print")
