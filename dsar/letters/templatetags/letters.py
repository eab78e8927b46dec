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
