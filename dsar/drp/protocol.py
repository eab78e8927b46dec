"""Reading a signed DRP message, in the order the protocol says to check it (DRP §3.07).

A message is JSON with the agent's Ed25519 signature prepended to it (libsodium's "combined
mode"), the whole base64-encoded, sent as ``text/plain``. Checked, in order:

1. it decodes from base64;
2. the signature verifies with the key of the agent the bearer token was issued to (or, for a
   pairing, the agent named in the URL): the directory's key is the root of trust;
3. ``agent-id`` in the message is that agent (a request signed by one agent cannot be replayed
   by another);
4. ``business-id`` is the business the token is for (a request to one business cannot be sent
   to another);
5. ``issued-at`` is not in the future (allowing ``CLOCK_SKEW``), and
6. ``expires-at`` is not past (an old message cannot be replayed), nor more than ``MAX_WINDOW``
   after ``issued-at``.

Signatures are checked with PyNaCl, the libsodium binding the protocol recommends.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from nacl.exceptions import BadSignatureError
from nacl.signing import VerifyKey

from dsar.lib import json_input

#: Clocks differ: a message issued up to this long "in the future" is still taken.
CLOCK_SKEW = datetime.timedelta(seconds=60)
#: The protocol recommends windows of no more than 10 minutes; one far longer is refused, as a
#: message that could be replayed for that long.
MAX_WINDOW = datetime.timedelta(hours=1)
#: Bytes of a message body read at most (a request is a few hundred).
MAX_BODY = 64 * 1024


class ProtocolError(Exception):
    """A message refused: ``status`` is the HTTP status to answer with; ``fatal`` says the
    agent should not send it again as it is (DRP §3.06)."""

    def __init__(self, status: int, message: str, *, fatal: bool = True) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.fatal = fatal

    def as_json(self) -> dict[str, Any]:
        return {"code": str(self.status), "message": self.message, "fatal": self.fatal}


@dataclass(frozen=True)
class Verified:
    """A message whose signature verified: its claims, and what identifies it."""

    claims: dict[str, Any]
    text: str  # the base64 text as received
    digest: str  # SHA-256 of the signed bytes: the same message twice has the same digest


def open_signed(text: str | bytes, verify_key: bytes) -> Verified:
    """Steps 1 and 2: decode and verify; the JSON object inside. Raises ProtocolError (403 for
    a bad signature, 400 for a message that is no base64 or no JSON object)."""
    if isinstance(text, bytes):
        try:
            text = text.decode("ascii")
        except UnicodeDecodeError:
            raise ProtocolError(400, "The body is not base64 text.") from None
    text = text.strip()
    try:
        signed = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise ProtocolError(400, "The body is not base64 text.") from None
    try:
        message = VerifyKey(verify_key).verify(signed)
    except (BadSignatureError, ValueError):
        raise ProtocolError(403, "The signature does not verify with the agent's key.") from None
    try:
        claims = json_input.loads(message.decode("utf-8"))
    except (UnicodeDecodeError, json_input.JSONInputError):
        raise ProtocolError(400, "The signed message is not JSON.") from None
    if not isinstance(claims, dict):
        raise ProtocolError(400, "The signed message is not a JSON object.")
    return Verified(claims=claims, text=text, digest=hashlib.sha256(signed).hexdigest())


def parse_time(value: Any, name: str) -> datetime.datetime:
    """An ISO 8601 timestamp; one without a zone is taken as UTC."""
    if not isinstance(value, str):
        raise ProtocolError(400, f"{name} must be an ISO 8601 timestamp.")
    try:
        parsed = datetime.datetime.fromisoformat(value.strip())
    except ValueError:
        raise ProtocolError(400, f"{name} is not an ISO 8601 timestamp.") from None
    if timezone.is_naive(parsed):
        parsed = parsed.replace(tzinfo=datetime.UTC)
    return parsed


def check_envelope(
    claims: dict[str, Any], *, agent_id: str, business_id: str | None
) -> tuple[datetime.datetime, datetime.datetime]:
    """Steps 3 to 6; returns (issued-at, expires-at). ``business_id`` None checks only that the
    message names one (pairing: the caller finds it)."""
    if claims.get("agent-id") != agent_id:
        raise ProtocolError(403, "agent-id does not match the agent of the token.")
    if business_id is not None and claims.get("business-id") != business_id:
        raise ProtocolError(403, "business-id does not name this business.")
    if not isinstance(claims.get("business-id"), str):
        raise ProtocolError(400, "business-id is required.")
    issued = parse_time(claims.get("issued-at"), "issued-at")
    expires = parse_time(claims.get("expires-at"), "expires-at")
    now = timezone.now()
    if issued > now + CLOCK_SKEW:
        raise ProtocolError(403, "issued-at is in the future: check the agent's clock.")
    if expires <= now:
        raise ProtocolError(403, "The message has expired (expires-at is past).")
    if expires <= issued or expires - issued > MAX_WINDOW:
        raise ProtocolError(
            403, f"expires-at must be after issued-at, and within {MAX_WINDOW} of it."
        )
    return issued, expires
