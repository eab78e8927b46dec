"""``{% request_reminders privacy_request %}``: the reminders section of the staff request page.

A tag of this app, so that the request page (``dsar.requests``) needs one line to show which
reminders of a request went out, to whom and when, and nothing of how they are kept.
"""

from __future__ import annotations

from typing import Any

from django import template

from dsar.reminders.selectors import reminders_for_request
from dsar.requests.models import PrivacyRequest

register = template.Library()


@register.inclusion_tag("reminders/request_reminders.html")
def request_reminders(privacy_request: PrivacyRequest) -> dict[str, Any]:
    """Two queries: the reminders of the request, and the emails that carried them."""
    return {"reminders": list(reminders_for_request(privacy_request))}
