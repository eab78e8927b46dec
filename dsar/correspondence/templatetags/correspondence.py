"""``{% request_messages privacy_request %}`` for the staff request page and
``{% requester_messages request_ key %}`` for the status page: one line in each page, and
nothing of how messages are kept."""

from __future__ import annotations

from typing import Any

from django import template

from dsar.correspondence import addresses, selectors
from dsar.requests import workspace
from dsar.requests.models import PrivacyRequest

register = template.Library()


@register.inclusion_tag("correspondence/request_messages.html", takes_context=True)
def request_messages(context: Any, privacy_request: PrivacyRequest) -> dict[str, Any]:
    """The latest messages, or every one with ``?messages=all`` (the panel's link)."""
    request = context["request"]
    shown, earlier = selectors.for_page(
        privacy_request, everything=request.GET.get("messages") == "all"
    )
    return {
        "privacy_request": privacy_request,
        "conversation": shown,
        "earlier": earlier,
        "reply_address": addresses.reply_address_for(privacy_request),
        "can_act": workspace.can_act_on(request.user, privacy_request),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("correspondence/requester_messages.html", takes_context=True)
def requester_messages(context: Any, privacy_request: PrivacyRequest, key: str) -> dict[str, Any]:
    return {
        "request_": privacy_request,
        "organization": privacy_request.organization,
        "conversation": list(selectors.for_requester(privacy_request)),
        "key": key,
        "csrf_token": context.get("csrf_token"),
    }
