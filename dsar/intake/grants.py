"""What a browser holds once it has followed a link of an email: the link, kept in its session.

A bearer token in a URL goes wherever the URL goes: the access logs of proxies and servers, the
browser's history, and the ``Referer`` of every request the page makes (its own stylesheet and
logo included, which a same-origin policy lets through). So a URL with a token is followed once:
its view checks the token, keeps what it opens in the session under a new random key, and answers
303 to a URL that names only that key (``dsar.intake.views``). The key is not a secret: without
the session cookie (HttpOnly, and Secure in production) it opens nothing.

A browser may hold several: a requester with two requests follows two links, and each page has a
key of its own. At most ``MAX_PER_KIND`` of each kind are kept, the oldest dropped first.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.http import HttpRequest

SESSION_KEY = "dsar_public"
#: A status link (its StatusLink id), a download (the download token), a confirmation link
#: (``{"s": submission id, "t": token}``), and the id of a status link found expired.
STATUS = "status"
DOWNLOAD = "download"
CONFIRM = "confirm"
EXPIRED = "expired"
KINDS = (STATUS, DOWNLOAD, CONFIRM)
MAX_PER_KIND = 20


def _held(request: HttpRequest) -> dict[str, Any]:
    held = request.session.get(SESSION_KEY)
    return held if isinstance(held, dict) else {}


def grant(request: HttpRequest, kind: str, value: Any) -> str:
    """Keep ``value`` in the session; returns the key a token-free URL names it by."""
    if kind not in KINDS:
        raise ValueError(kind)
    held = _held(request)
    bucket = held.get(kind)
    if not isinstance(bucket, dict):
        bucket = {}
    # The same link followed twice reuses its key: the page's URL stays the same.
    key = next((k for k, v in bucket.items() if v == value), None) or secrets.token_urlsafe(9)
    bucket.pop(key, None)
    bucket[key] = value
    while len(bucket) > MAX_PER_KIND:
        bucket.pop(next(iter(bucket)))
    held[kind] = bucket
    request.session[SESSION_KEY] = held
    return key


def granted(request: HttpRequest, kind: str, key: str) -> Any | None:
    """What ``key`` names in the session, or None."""
    bucket = _held(request).get(kind)
    return bucket.get(key) if isinstance(bucket, dict) else None


def forget(request: HttpRequest, kind: str, key: str) -> None:
    held = _held(request)
    bucket = held.get(kind)
    if isinstance(bucket, dict) and bucket.pop(key, None) is not None:
        request.session[SESSION_KEY] = held


def note_expired(request: HttpRequest, link_id: int) -> None:
    """Remember which status link was found expired, for the form that sends a new one."""
    held = _held(request)
    held[EXPIRED] = link_id
    request.session[SESSION_KEY] = held


def expired_link_id(request: HttpRequest) -> int | None:
    value = _held(request).get(EXPIRED)
    return value if isinstance(value, int) else None
