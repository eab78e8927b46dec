"""Template helpers of the public pages: widgets tied to their hint and error for screen readers."""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.forms import BoundField
from django.utils import timezone
from django.utils.formats import date_format, get_format
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from dsar.intake import selectors

register = template.Library()


def described_by(field: BoundField) -> str:
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_hint")
    if field.errors:
        ids.append(f"{field.auto_id}_error")
    return " ".join(ids)


@register.simple_tag
def widget(field: BoundField, **attrs: Any) -> SafeString:
    """The field's widget with aria-describedby (hint, error) and aria-invalid when in error."""
    extra: dict[str, Any] = {}
    if ids := described_by(field):
        extra["aria-describedby"] = ids
    if field.errors:
        extra["aria-invalid"] = "true"
    extra.update(attrs)
    return field.as_widget(attrs=extra)


@register.filter
def describedby(field: BoundField) -> str:
    return described_by(field)


@register.filter
def web_url(value: str) -> str:
    """``value`` when it is an http(s) URL, else "" (a policy's address is not trusted markup)."""
    text = (value or "").strip()
    return text if text.lower().startswith(("https://", "http://")) else ""


@register.filter
def long_date(value: Any) -> str:
    """A date in words in the current language: "2 April 2026", "2 de abril de 2026". A moment
    (confirmed at, released at) is first put in the installation's time zone."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    language = get_language() or "en"
    fmt = "j F Y" if language.startswith("en") else get_format("DATE_FORMAT")
    text = date_format(value, fmt)
    if language.startswith("pt"):
        # Portuguese writes the month in lower case and the first day as an ordinal: "1º de
        # abril de 2026" (Acordo Ortográfico de 1990); Django's catalogue prints "1 de Abril".
        text = text.lower()
        if value.day == 1 and text.startswith("1 "):
            text = "1º" + text[1:]
    return text


@register.filter
def awaits_email(request: Any) -> bool:
    """Whether a privacy request waits for its requester to follow the emailed link (the
    reminder is about that link, not about an identity check)."""
    return selectors.awaits_email(request)


@register.filter
def email_never_confirmed(request: Any) -> bool:
    """Whether a web-form request's email address was never confirmed (what the notice of its
    closure says)."""
    return selectors.email_never_confirmed(request)
