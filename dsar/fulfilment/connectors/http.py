"""The HTTP connector: a system answers access and erasure calls at an HTTPS endpoint.

dsar POSTs one JSON message per run, signed as a Standard Webhooks message (the same headers and
library as ``dsar.webhooks``, keyed with the secret in the environment variable the register
names), through the webhooks' transport: https only, every address the host resolves to checked
against the SSRF rules (no private or loopback address unless the installation allows it), the
connection pinned to the checked address, no redirects followed.

The message::

    {"type": "access" | "erasure", "run": 42, "reference": "IMG-2026-00042",
     "identity": {"email": "...", "name": "...", "phone": "..."},
     "callback_url": "https://dsar.example.org/fulfilment/callback/<token>/"}

The system answers at once (200 with the result) or later (202, then one POST of the result to
``callback_url``, whose token works once). A result is ``{"rows": [{...}, ...]}`` for access and
``{"erased": <count>}`` for erasure. Anything else, a 3xx, 4xx or 5xx, or no answer, is a
failed try, retried with backoff on the task queue.
"""

from __future__ import annotations

import datetime
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dsar.fulfilment.connectors.postgresql import MAX_ROWS, ConnectorError, _json_safe
from dsar.fulfilment.models import System
from dsar.webhooks import signing, transport
from dsar.webhooks.conf import webhook_settings


@dataclass(frozen=True)
class Outcome:
    """What one try came to: a result now, a result later (``waiting``), or a failed try."""

    waiting: bool = False
    rows: list[dict[str, Any]] | None = None
    erased: int | None = None


def _secret(system: System) -> str:
    secret = os.environ.get(system.secret_env, "") if system.secret_env else ""
    if not secret:
        raise ConnectorError(f"the environment variable {system.secret_env} is not set")
    return secret


def parse_result(kind: str, text: str) -> Outcome:
    """The result a system sent (at once or through the callback), checked."""
    try:
        body = json.loads(text)
    except ValueError:
        raise ConnectorError("the system's answer is not JSON") from None
    if not isinstance(body, dict):
        raise ConnectorError("the system's answer is not a JSON object")
    if kind == "access":
        rows = body.get("rows")
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise ConnectorError('the answer has no "rows" list of objects')
        if len(rows) > MAX_ROWS:
            raise ConnectorError(f"the answer has more than {MAX_ROWS} rows for one person")
        return Outcome(rows=[{str(k): _json_safe(v) for k, v in r.items()} for r in rows])
    erased = body.get("erased")
    if not isinstance(erased, int) or isinstance(erased, bool) or erased < 0:
        raise ConnectorError('the answer has no "erased" count')
    return Outcome(erased=erased)


def call(
    system: System,
    *,
    kind: str,
    run_id: int,
    reference: str,
    identity: Mapping[str, str],
    callback_url: str,
    now: datetime.datetime,
) -> Outcome:
    """One try: POST the signed call and read the answer. Raises ConnectorError for a refused
    URL, a missing secret, no answer or an answer that is not a result."""
    conf = webhook_settings()
    try:
        target = transport.resolve(system.endpoint_url, conf)
    except transport.RefusedURL as error:
        raise ConnectorError(f"the endpoint is refused: {error}") from None
    body = json.dumps(
        {
            "type": kind,
            "run": run_id,
            "reference": reference,
            "identity": {k: v for k, v in identity.items() if k != "reference" and v},
            "callback_url": callback_url,
        },
        ensure_ascii=False,
    )
    headers = signing.headers(
        message_id=f"run_{run_id}", body=body, secrets=[_secret(system)], at=now
    )
    try:
        answer = transport.post(target, body.encode(), headers, timeout=conf.timeout)
    except (OSError, transport.http.client.HTTPException) as error:
        raise ConnectorError(f"no answer from the endpoint ({type(error).__name__})") from None
    if answer.status == 202:
        return Outcome(waiting=True)
    if answer.status != 200:
        raise ConnectorError(f"the endpoint answered HTTP {answer.status}")
    return parse_result(kind, answer.body)
