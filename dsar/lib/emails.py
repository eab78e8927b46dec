"""One way to send email: a name means three templates, rendered with one context.

``send("verify_email", to=[...], context={...})`` renders ``emails/verify_email.subject.txt``,
``emails/verify_email.txt`` and ``emails/verify_email.html`` (the HTML part is optional) in the
given language. Newlines are stripped from the subject: a header must not contain them, and a
subject built from requester text must not be able to inject headers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation


def make_message(
    name: str,
    *,
    to: Sequence[str],
    context: Mapping[str, Any],
    language: str | None = None,
    attachments: Sequence[tuple[str, bytes, str]] = (),
    reply_to: Sequence[str] = (),
    from_email: str | None = None,
) -> EmailMultiAlternatives:
    """Build (not send) the message, so that callers that record or retry sends can do so."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"emails/{name}.subject.txt", context).split())
        body = render_to_string(f"emails/{name}.txt", context)
        try:
            html = render_to_string(f"emails/{name}.html", context)
        except TemplateDoesNotExist:
            html = None
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        reply_to=list(reply_to),
    )
    if html is not None:
        message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    return message


def send(name: str, **kwargs: Any) -> int:
    """Render and send at once; returns the number of messages sent (0 or 1)."""
    return make_message(name, **kwargs).send()
