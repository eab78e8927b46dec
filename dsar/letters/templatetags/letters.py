"""Template helpers for letters: assets that work both in the PDF and in the browser preview."""

from __future__ import annotations

from typing import Any

from django import template
from django.templatetags.static import static

from dsar.letters.render import STATIC_SCHEME

register = template.Library()


@register.simple_tag(takes_context=True)
def asset(context: Any, path: str) -> str:
    """``dsar-static:<path>`` in a PDF (served by the locked-down fetcher), the static URL in the
    browser preview."""
    if context.get("for_pdf", True):
        return STATIC_SCHEME + path
    return static(path)


@register.filter
def long_date(value: Any) -> str:
    """Every date a letter prints, in the letter's language and unambiguous: "6 December 2026",
    "6 de diciembre de 2026", never 01/06/2027. It is the public pages' filter (a requester
    reads one way of writing dates), run under the letter's language (``render.render_html``)."""
    from dsar.intake.templatetags.intake import long_date as public_long_date

    return public_long_date(value)
