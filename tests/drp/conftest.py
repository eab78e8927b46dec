"""An authorized agent with its own Ed25519 key pair, and IMG as a Covered Business.

The agent does what a DRP agent does (DRP 1.0 §2, §3.07): signs JSON with libsodium's combined
mode (signature first), base64-encodes it, sends it as text/plain, pairs for a bearer token and
presents it. The endpoints are driven through Django's test client, over the real URL routing.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from nacl.signing import SigningKey

from dsar.drp.models import Agent, Business
from dsar.organizations.models import Organization

SEEDS = Path(__file__).resolve().parents[2] / "dsar" / "policies" / "seeds"


def load(slug: str) -> Organization:
    call_command(
        "load_policy",
        SEEDS / f"{slug}.yaml",
        in_force_from=dt.date(2025, 1, 1),
        stdout=io.StringIO(),
    )
    return Organization.objects.get(slug=slug)


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat()


@dataclass
class AgentClient:
    """An authorized agent: its key, its id, and the token it got by pairing."""

    client: Client
    agent_id: str
    key: SigningKey = field(default_factory=SigningKey.generate)
    token: str = ""

    @property
    def verify_key(self) -> str:
        return base64.b64encode(bytes(self.key.verify_key)).decode()

    def sign(self, message: dict[str, Any], key: SigningKey | None = None) -> str:
        signed = (key or self.key).sign(json.dumps(message).encode())
        return base64.b64encode(bytes(signed)).decode()

    def envelope(self, business_id: str, **extra: Any) -> dict[str, Any]:
        now = dt.datetime.now(dt.UTC)
        return {
            "agent-id": self.agent_id,
            "business-id": business_id,
            "issued-at": iso(now),
            "expires-at": iso(now + dt.timedelta(minutes=5)),
            "drp.version": "1.0",
            **extra,
        }

    def post(self, path: str, body: str, *, token: str | None = None) -> Any:
        headers = {"Authorization": f"Bearer {token if token is not None else self.token}"}
        return self.client.post(path, data=body, content_type="text/plain", headers=headers)

    def get(self, path: str, *, token: str | None = None) -> Any:
        headers = {"Authorization": f"Bearer {token if token is not None else self.token}"}
        return self.client.get(path, headers=headers)

    def delete(self, path: str, body: str) -> Any:
        return self.client.delete(
            path,
            data=body,
            content_type="text/plain",
            headers={"Authorization": f"Bearer {self.token}"},
        )

    def pair(self, business_id: str) -> Any:
        response = self.client.post(
            f"/drp/v1/agent/{self.agent_id}",
            data=self.sign(self.envelope(business_id)),
            content_type="text/plain",
        )
        if response.status_code == 200:
            self.token = response.json()["token"]
        return response

    def exercise(self, business_id: str, **claims: Any) -> Any:
        message = self.envelope(
            business_id,
            exercise="access",
            regime="ccpa",
            relationships=["customer"],
            name="Dana Data",
            email="dana@example.org",
            email_verified=True,
        )
        message.update(claims)
        return self.post("/drp/v1/data-rights-request", self.sign(message))


@pytest.fixture
def img(db: None) -> Organization:
    return load("img")


@pytest.fixture
def business(img: Organization) -> Business:
    return Business.objects.create(organization=img, business_id="IMG")


def register(agent: AgentClient, name: str = "Permission Slip") -> Agent:
    return Agent.objects.create(agent_id=agent.agent_id, name=name, verify_key=agent.verify_key)


@pytest.fixture
def agent(client: Client, business: Business) -> AgentClient:
    """A registered agent, paired with IMG."""
    me = AgentClient(client, "PERMISSION_SLIP")
    register(me)
    assert me.pair(business.business_id).status_code == 200
    return me
