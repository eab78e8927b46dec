"""Global Privacy Control: the ``Sec-GPC: 1`` signal, and the support resource that says dsar
honours it.

The GPC specification (docs/us-state-laws.md §3, [U1]) defines the signal as the header
``Sec-GPC`` whose value is exactly ``1``; a server "MUST ignore it and process the request as if
that header had not been specified unless the field value is exactly the character "1"". It is a
valid request to opt out of sale and sharing (Cal. Code Regs. tit. 11 §7025), and dsar honours it
wherever the requester lives (docs/legal-decisions.md, "US state rights").

A browser that sends it to an organization's public pages is recorded once for that organization
(``GpcSignal``): the browser is named by a random id in an HttpOnly cookie, of which only the
SHA-256 is stored. Nothing else about the browser or its user is kept (no address, no user agent):
the signal asks not to be followed, and the record must not follow anyone either.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import secrets

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers

from dsar.intake.models import GpcSignal
from dsar.organizations.models import Organization

HEADER = "Sec-GPC"
COOKIE = "dsar_gpc"
# A year: long enough that a returning browser is the same row, short enough to be forgotten.
COOKIE_MAX_AGE = 365 * 24 * 60 * 60
# The day dsar started honouring the signal: the "lastUpdate" of /.well-known/gpc.json. The
# spec makes it the date of the statement of support, so that a later change to the meaning of
# GPC does not change what was promised; change it only when what dsar does with GPC changes.
LAST_UPDATE = datetime.date(2026, 12, 6)
_BROWSER_ID = re.compile(r"[A-Za-z0-9_-]{43}")


def signal_sent(request: HttpRequest) -> bool:
    """Whether the request carries the GPC signal: ``Sec-GPC`` exactly "1" ("0", "true", " 1"
    and the rest are ignored, as the specification requires)."""
    return request.headers.get(HEADER) == "1"


def _hash(organization: Organization, browser_id: str) -> str:
    """The browser's id hashed with the organization's: one browser's rows at two organizations
    cannot be matched with each other."""
    return hashlib.sha256(f"{organization.pk}:{browser_id}".encode("ascii")).hexdigest()


def record(
    request: HttpRequest,
    response: HttpResponse,
    organization: Organization,
    *,
    now: datetime.datetime | None = None,
) -> bool:
    """Record the signal of ``request``'s browser for ``organization`` (one row per browser and
    organization; a later visit moves ``last_seen_at``), and give the browser its id cookie when
    it has none. Does nothing, and returns False, without the signal. Either way the response
    varies with the header: a page with the signal says that it was received."""
    patch_vary_headers(response, [HEADER])
    if not signal_sent(request):
        return False
    now = now or timezone.now()
    browser_id = request.COOKIES.get(COOKIE, "")
    if not _BROWSER_ID.fullmatch(browser_id):
        browser_id = secrets.token_urlsafe(32)
    # One statement whatever the race: a second tab's insert of the same row updates it instead.
    GpcSignal.objects.bulk_create(
        [
            GpcSignal(
                organization=organization,
                browser_hash=_hash(organization, browser_id),
                first_seen_at=now,
                last_seen_at=now,
            )
        ],
        update_conflicts=True,
        unique_fields=["organization", "browser_hash"],
        update_fields=["last_seen_at"],
    )
    # The cookie is set (again) on every page with the signal: its year runs from the last visit.
    response.set_cookie(
        COOKIE,
        browser_id,
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        path="/o/",
    )
    return True


def support_resource() -> JsonResponse:
    """``/.well-known/gpc.json``: ``gpc`` true (dsar "intends to abide by GPC requests at least to
    the extent it is legally obligated to do so", and beyond: everywhere) and ``lastUpdate``, an
    RFC 3339 full-date."""
    response = JsonResponse({"gpc": True, "lastUpdate": LAST_UPDATE.isoformat()})
    patch_cache_control(response, public=True, max_age=24 * 60 * 60)
    return response
