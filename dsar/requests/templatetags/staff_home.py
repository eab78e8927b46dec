"""The staff home's reads for ``templates/admin/index.html``, which Django's admin renders
itself (no view of ours to pass them): the piles come from ``dsar.requests.staff_home``."""

from __future__ import annotations

from typing import Any

from django import template

from dsar.outbox import mailbox
from dsar.requests.staff_home import StaffHome, staff_home

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_today(context: dict[str, Any]) -> StaffHome:
    """What needs doing today for the staff member signed in."""
    return staff_home(context["request"].user)


@register.simple_tag
def demo_mailbox_enabled() -> bool:
    """Whether the demo's mailbox page exists (``dsar.outbox.mailbox``)."""
    return mailbox.enabled()
