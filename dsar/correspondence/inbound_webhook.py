"""Inbound mail from an email service provider, through django-anymail's inbound webhooks.

Anymail checks the provider's signature (and its basic-auth secret, ``ANYMAIL_WEBHOOK_SECRET``)
before the signal fires; the message it parsed is handed to the same ``receive`` as the MTA
pipe, as raw bytes, so that both paths parse alike.
"""

from __future__ import annotations

from typing import Any

from anymail.signals import inbound
from django.dispatch import receiver

from dsar.correspondence.services import receive


@receiver(inbound, dispatch_uid="dsar.correspondence.inbound")
def on_inbound(sender: Any, event: Any, esp_name: str, **kwargs: Any) -> None:
    message = event.message
    receive(
        message.as_bytes(),
        via="webhook",
        envelope_recipient=getattr(message, "envelope_recipient", None) or "",
    )
