"""Writes of the Data Rights Protocol: pairing an agent, logging its requests, revoking them.

A request becomes a ``PrivacyRequest`` through ``dsar.requests.services.request_log``, like one
from any channel: channel ``drp``, an authorized agent's request (``is_agent``, the agent's name
as ``agent_name``), checked against the organization's policy and given its legal deadline at
intake. The agent's attestation is evidence, not verification: where the law or the policy
requires a verified request, the identity stays pending until staff verify it, as for a request
by email (docs/legal-decisions.md, "Email confirmation is not identity verification"; CCPA
regulations §7063 let a business verify the consumer's identity directly even when an agent
asks).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dsar.drp import protocol
from dsar.drp.models import ACCEPTED_VERSIONS, Action, Agent, Business, DrpRequest, Pairing
from dsar.drp.models import token_digest as digest_of
from dsar.drp.protocol import ProtocolError
from dsar.policies.models import ChannelKind, RightKind
from dsar.requests import services as request_services
from dsar.requests.models import PrivacyRequest, Status
from dsar.webhooks import transport

#: The regime of a request and the residence it implies: the CCPA protects Californians.
REGIME_JURISDICTION = {"ccpa": "US-CA"}


# -- Pairing and tokens ----------------------------------------------------------------------------


@transaction.atomic
def agent_pair(*, agent_id: str, body: bytes) -> tuple[Pairing, str]:
    """Pair an agent with a business (DRP §2.05): the signed message names both; the token is
    returned once and only its digest kept. Pairing again replaces the token. Raises
    ProtocolError (the view answers 403 with no body, as the protocol says)."""
    agent = Agent.objects.filter(agent_id=agent_id, active=True).first()
    if agent is None:
        raise ProtocolError(403, "Unknown agent.")
    verified = protocol.open_signed(body, agent.key_bytes)
    protocol.check_envelope(verified.claims, agent_id=agent.agent_id, business_id=None)
    business = Business.objects.filter(
        business_id=verified.claims["business-id"], enabled=True
    ).first()
    if business is None:
        raise ProtocolError(403, "Unknown business.")
    token = Pairing.new_token()
    pairing, _created = Pairing.objects.update_or_create(
        agent=agent,
        business=business,
        defaults={"token_digest": digest_of(token), "created_at": timezone.now()},
    )
    return pairing, token


def pairing_for(authorization: str) -> Pairing:
    """The pairing of an ``Authorization: Bearer <token>`` header. Raises ProtocolError."""
    scheme, _sep, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ProtocolError(403, "A bearer token is required (POST /v1/agent/{agent-id}).")
    pairing = (
        Pairing.objects.select_related("agent", "business__organization")
        .filter(token_digest=digest_of(token.strip()))
        .first()
    )
    if pairing is None or not pairing.agent.active or not pairing.business.enabled:
        raise ProtocolError(403, "Unknown or revoked token.")
    Pairing.objects.filter(pk=pairing.pk).update(last_used_at=timezone.now())
    return pairing


# -- Requests --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Received:
    drp_request: DrpRequest
    created: bool  # False: the same signed message again, answered with the request it made


def _text(claims: dict[str, Any], name: str, limit: int) -> str:
    value = claims.get(name, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ProtocolError(400, f"{name} must be a string.")
    return value.strip()[:limit]


def _address(value: Any) -> str:
    """A postal address claim as lines: text, or an object (OpenID Connect's ``address`` or
    schema.org's PostalAddress)."""
    if isinstance(value, str):
        return value.strip()
    if not isinstance(value, dict):
        return ""
    if isinstance(value.get("formatted"), str):
        return value["formatted"].strip()
    keys = (
        "street_address",
        "streetAddress",
        "locality",
        "addressLocality",
        "region",
        "addressRegion",
        "postal_code",
        "postalCode",
        "country",
        "addressCountry",
    )
    return "\n".join(str(value[k]).strip() for k in keys if isinstance(value.get(k), str))


def _jurisdiction(regime: str, claims: dict[str, Any]) -> str:
    """The requester's residence: the regime's (CCPA: California), else what the address says
    when it names a country (and a US state), else unknown."""
    if regime in REGIME_JURISDICTION:
        return REGIME_JURISDICTION[regime]
    address = claims.get("address")
    if not isinstance(address, dict):
        return ""
    country = str(address.get("country") or address.get("addressCountry") or "").upper()
    region = str(address.get("region") or address.get("addressRegion") or "").upper()
    if country == "US" and len(region) == 2:
        return f"US-{region}"
    return country if len(country) == 2 else ""


def _action(claims: dict[str, Any], business: Business) -> tuple[Action, str]:
    exercise = claims.get("exercise")
    if isinstance(exercise, list) and len(exercise) == 1:
        exercise = exercise[0]  # 0.5 sent a list; one right per request since 0.6
    if exercise not in Action.values:
        raise ProtocolError(400, "Unsupported rights action.")
    action = Action(exercise)
    right_kind = action.right_kind
    if right_kind is None or right_kind not in RightKind.values or not business.accepts(action):
        raise ProtocolError(400, f"This business does not take {action.value} requests.")
    return action, right_kind


def _summary(agent: Agent, action: Action, regime: str, claims: dict[str, Any]) -> str:
    """The request's message as staff read it: who asked through whom, what and on what basis,
    and what the agent says it verified."""
    verified = [
        name
        for name in ("email", "phone_number", "address")
        if claims.get(f"{name}_verified") is True
    ]
    relationships = claims.get("relationships") or []
    return "\n".join(
        [
            _("Sent by the authorized agent %(agent)s (%(id)s) under the Data Rights Protocol.")
            % {"agent": agent.name, "id": agent.agent_id},
            _("Action: %(action)s; regime: %(regime)s.")
            % {"action": action.value, "regime": regime or _("none (voluntary)")},
            _("Relationships: %(r)s.")
            % {"r": ", ".join(map(str, relationships)) if relationships else _("none given")},
            _("The agent attests it verified: %(v)s.")
            % {"v": ", ".join(verified) if verified else _("nothing")},
        ]
    )


def drp_request_create(*, pairing: Pairing, body: bytes) -> Received:
    """Check and log a Data Rights Exercise request (DRP §2.01). The same signed message sent
    again (a retry, a replay inside its validity window) logs nothing and answers with the
    request it made. Raises ProtocolError."""
    agent, business = pairing.agent, pairing.business
    verified = protocol.open_signed(body, agent.key_bytes)
    claims = verified.claims
    issued, expires = protocol.check_envelope(
        claims, agent_id=agent.agent_id, business_id=business.business_id
    )
    version = str(claims.get("drp.version", ""))
    if version not in ACCEPTED_VERSIONS:
        raise ProtocolError(400, f"drp.version {version!r} is not supported (1.0).")
    known = DrpRequest.objects.filter(message_digest=verified.digest).first()
    if known is not None:
        return Received(known, created=False)
    action, right_kind = _action(claims, business)
    regime = _text(claims, "regime", 32).lower()
    callback = _text(claims, "status_callback", 2000)
    if callback:
        try:
            transport.check_syntax(callback)
        except transport.RefusedURL as error:
            raise ProtocolError(400, f"status_callback refused: {error}", fatal=False) from None
    name, email = _text(claims, "name", 200), _text(claims, "email", 254)
    if not (name or email):
        raise ProtocolError(400, "The request names no consumer: give name or email.")
    relationships = claims.get("relationships") or []
    if not isinstance(relationships, list):
        raise ProtocolError(400, "relationships must be a list.")
    try:
        return Received(
            _log(
                pairing=pairing,
                verified=verified,
                action=action,
                right_kind=right_kind,
                regime=regime,
                issued=issued,
                expires=expires,
                callback=callback,
                name=name,
                email=email,
                relationships=[str(r)[:100] for r in relationships][:20],
            ),
            created=True,
        )
    except IntegrityError:
        # The same message, sent twice at once: the other one logged it.
        known = DrpRequest.objects.filter(message_digest=verified.digest).first()
        if known is None:
            raise
        return Received(known, created=False)
    except ValidationError as error:
        raise ProtocolError(400, "; ".join(error.messages)) from None
    except request_services.TransitionError as error:
        raise ProtocolError(503, str(error), fatal=False) from None


@transaction.atomic
def _log(
    *,
    pairing: Pairing,
    verified: protocol.Verified,
    action: Action,
    right_kind: str,
    regime: str,
    issued: datetime.datetime,
    expires: datetime.datetime,
    callback: str,
    name: str,
    email: str,
    relationships: list[str],
) -> DrpRequest:
    """The request and its protocol record, in one transaction."""
    agent, business = pairing.agent, pairing.business
    claims = verified.claims
    request = request_services.request_log(
        organization=business.organization,
        right_kind=right_kind,
        channel_kind=ChannelKind.DRP,
        received_at=timezone.now(),
        requester_name=name or email,
        requester_email=email,
        jurisdiction=_jurisdiction(regime, claims),
        subject_line=_("Data Rights Protocol: %(action)s") % {"action": action.value},
        message=_summary(agent, action, regime, claims),
        actor=None,
        actor_label=f"drp:{agent.agent_id}"[:150],
        requester_phone=_text(claims, "phone_number", 40),
        requester_address=_address(claims.get("address")),
        is_agent=True,
        agent_name=agent.name[:200],
    )
    return DrpRequest.objects.create(
        request=request,
        agent=agent,
        business=business,
        agent_request_id=_text(claims, "agent-request-id", 200),
        exercise=action.value,
        regime=regime,
        relationships=relationships,
        status_callback=callback,
        issued_at=issued,
        expires_at=expires,
        claims=claims,
        signed_message=verified.text,
        message_digest=verified.digest,
    )


def drp_request_for(pairing: Pairing, request_id: str) -> DrpRequest:
    """The agent's own request (DRP §2.02): another agent's, or another business's, is a 403;
    an id nobody used, a 404. Raises ProtocolError."""
    found = (
        DrpRequest.objects.select_related("request__organization", "agent", "business")
        .filter(public_id=request_id)
        .first()
    )
    if found is None:
        raise ProtocolError(404, "No such request.", fatal=True)
    if found.agent_id != pairing.agent_id or found.business_id != pairing.business_id:
        raise ProtocolError(403, "This request is not managed by this agent.")
    return found


def drp_request_revoke(*, pairing: Pairing, drp_request: DrpRequest, body: bytes) -> DrpRequest:
    """The consumer, through the agent, revokes the request (DRP §2.04): it is withdrawn, the
    reason they gave kept as an internal note. Raises ProtocolError (409 once closed)."""
    verified = protocol.open_signed(body, pairing.agent.key_bytes)
    reason = _text(verified.claims, "reason", 2000)
    request: PrivacyRequest = drp_request.request
    if request.status_enum.is_closed:
        if request.status == Status.WITHDRAWN:
            return drp_request
        raise ProtocolError(409, "The request is closed already.")
    note = _("Revoked by the consumer through the authorized agent %(agent)s") % {
        "agent": pairing.agent.name
    }
    if reason:
        note += ": " + reason
    try:
        request_services.request_withdraw(request=request, actor=None, note=note)
    except request_services.TransitionError as error:
        raise ProtocolError(409, str(error)) from None
    drp_request.refresh_from_db()
    drp_request.request.refresh_from_db()
    return drp_request
