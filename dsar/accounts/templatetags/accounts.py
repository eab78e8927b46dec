"""``{% sso_login_url as url %}``: the single sign-on link of the login page, or ""."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.urls import reverse

from dsar.accounts import oidc

register = template.Library()


@register.simple_tag(takes_context=True)
def sso_login_url(context: dict[str, Any]) -> str:
    if not oidc.enabled():
        return ""
    url = reverse("accounts:oidc_login")
    following = context.get("next") or ""
    return f"{url}?{urlencode({'next': following})}" if following else url
