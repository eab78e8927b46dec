"""The Data Rights Protocol's HTTP endpoints (DRP 1.0 §2), under ``/drp/`` (the ``api_base``).

Machine to machine: no cookies, no CSRF token (the signature and the bearer token are the
authentication), JSON answers, errors as the protocol's ``{"code", "message", "fatal"}``
(DRP §3.06). Views are thin: the checks and writes are ``dsar.drp.services``.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from dsar.drp import services
from dsar.drp.models import VERSION, Action, Business
from dsar.drp.protocol import MAX_BODY, ProtocolError
from dsar.drp.status import exercise_status


def _error(error: ProtocolError) -> JsonResponse:
    return JsonResponse(error.as_json(), status=error.status)


def _body(request: HttpRequest) -> bytes:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY:
        raise ProtocolError(413, "The body is too large.")
    return request.body


def api_base(request: HttpRequest) -> str:
    """The absolute ``api_base`` agents call: the site's public origin and ``/drp``."""
    path = reverse("drp:base").rstrip("/")
    origin = str(settings.DSAR_SITE_URL).rstrip("/") or request.build_absolute_uri("/").rstrip("/")
    return origin + path


def _business_document(business: Business, base: str) -> dict[str, Any]:
    """A business's entry for the DRP directory (DRP §3.05.2), what its operators publish."""
    organization = business.organization
    websites = organization.websites or []
    return {
        "id": business.business_id,
        "name": organization.name,
        "logo": None,
        "api_base": base,
        "supported_actions": [a for a in business.actions if a in Action.values],
        "supported_verifications": ["email"],
        "web_url": websites[0] if websites else "",
    }


@require_GET
def discovery(request: HttpRequest) -> JsonResponse:
    """``/.well-known/data-rights.json``: the discovery document of DRP up to 0.8, kept for
    agents that still read it (0.9 moved discovery to the network's directory). One business:
    its ``api_base`` and ``actions`` at the top, as 0.8 had them; every business, as directory
    entries, under ``businesses``."""
    base = api_base(request)
    businesses = list(
        Business.objects.filter(enabled=True).select_related("organization").order_by("business_id")
    )
    document: dict[str, Any] = {
        "version": VERSION,
        "api_base": base,
        "businesses": [_business_document(b, base) for b in businesses],
    }
    if len(businesses) == 1:
        document["actions"] = document["businesses"][0]["supported_actions"]
        document["user_relationships"] = []
    return JsonResponse(document)


@require_GET
def base(request: HttpRequest) -> JsonResponse:
    """The ``api_base`` itself: says which protocol answers here."""
    return JsonResponse({"drp.version": VERSION})


@csrf_exempt
@require_http_methods(["GET", "POST"])
def agent(request: HttpRequest, agent_id: str) -> HttpResponse:
    """``POST``: pair-wise key setup (DRP §2.05); a refusal is a bare 403, as the protocol
    says. ``GET``: whether the bearer token is still good for this agent (§2.06)."""
    if request.method == "POST":
        try:
            pairing, token = services.agent_pair(agent_id=agent_id, body=_body(request))
        except ProtocolError:
            return HttpResponse(status=403)
        return JsonResponse({"agent-id": pairing.agent.agent_id, "token": token})
    try:
        pairing = services.pairing_for(request.headers.get("Authorization", ""))
    except ProtocolError as error:
        return _error(error)
    if pairing.agent.agent_id != agent_id:
        return _error(ProtocolError(403, "The token is not this agent's."))
    return JsonResponse({})


@csrf_exempt
@require_http_methods(["POST"])
def exercise(request: HttpRequest) -> JsonResponse:
    """``POST /v1/data-rights-request``: a signed Data Rights Exercise request (DRP §2.01)."""
    try:
        pairing = services.pairing_for(request.headers.get("Authorization", ""))
        received = services.drp_request_create(pairing=pairing, body=_body(request))
    except ProtocolError as error:
        return _error(error)
    return JsonResponse(exercise_status(received.drp_request))


@csrf_exempt
@require_http_methods(["GET", "DELETE"])
def data_rights_request(request: HttpRequest, request_id: uuid.UUID) -> JsonResponse:
    """``GET``: the request's status (DRP §2.02). ``DELETE``: revoke it, with a signed body
    (§2.04); the answer carries the new ``revoked`` state."""
    try:
        pairing = services.pairing_for(request.headers.get("Authorization", ""))
        drp_request = services.drp_request_for(pairing, str(request_id))
        if request.method == "DELETE":
            drp_request = services.drp_request_revoke(
                pairing=pairing, drp_request=drp_request, body=_body(request)
            )
    except ProtocolError as error:
        return _error(error)
    return JsonResponse(exercise_status(drp_request))
