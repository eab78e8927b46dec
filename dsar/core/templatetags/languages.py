"""The language switcher's choices, each named in its own language."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils import translation

register = template.Library()


@register.simple_tag
def languages_by_own_name() -> list[tuple[str, str]]:
    """``[(code, name)]`` for ``LANGUAGES``, each name as its own catalogue writes it
    ("Français", "Deutsch", "Português (Brasil)"): a reader who does not understand the page's
    language still finds theirs. Django's ``name_local`` would say "Português Brasileiro", and
    lower-case "français"; the catalogues are where translators can fix a name."""
    named = []
    for code, name in settings.LANGUAGES:
        with translation.override(code):
            named.append((code, str(name)))
    return named
