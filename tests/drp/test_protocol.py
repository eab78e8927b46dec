"""An authorized agent against dsar's DRP endpoints: pairing, a signed request, its status, and
everything the protocol says to refuse (DRP 1.0 §2, §3.07)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from nacl.signing import SigningKey

from dsar.drp.models import DrpRequest, Pairing
from dsar.policies.models import ChannelKind, RightKind
from dsar.requests.models import PrivacyRequest, Status
from tests.drp.conftest import AgentClient, iso, load, register

pytestmark = pytest.mark.django_db


def test_discovery_lists_the_business_and_its_api_base(client, business, settings):
    settings.DSAR_SITE_URL = "https://privacy.example.org"
    document = client.get("/.well-known/data-rights.json").json()
    assert document["version"] == "1.0"
    assert document["api_base"] == "https://privacy.example.org/drp"
    (entry,) = document["businesses"]
    assert entry["id"] == "IMG" and "access" in entry["supported_actions"]
    assert document["actions"] == entry["supported_actions"]


def test_pairing_gives_a_token_kept_only_as_its_digest(client, business):
    agent = AgentClient(client, "AGENT_A")
    register(agent)

    response = agent.pair("IMG")

    assert response.status_code == 200
    assert response.json()["agent-id"] == "AGENT_A"
    pairing = Pairing.objects.get()
    assert agent.token not in pairing.token_digest and len(pairing.token_digest) == 64
    assert agent.get("/drp/v1/agent/AGENT_A").json() == {}
    assert agent.get("/drp/v1/agent/SOMEONE_ELSE").status_code == 403
    # Pairing again replaces the token.
    old = agent.token
    agent.pair("IMG")
    assert agent.get("/drp/v1/agent/AGENT_A", token=old).status_code == 403


def test_pairing_is_refused_with_a_bare_403(client, business):
    agent = AgentClient(client, "AGENT_A")
    register(agent)
    stranger = AgentClient(client, "NOT_REGISTERED")

    def pair(body: str, agent_id: str = "AGENT_A") -> tuple[int, bytes]:
        response = client.post(f"/drp/v1/agent/{agent_id}", data=body, content_type="text/plain")
        return response.status_code, response.content

    forged = agent.sign(agent.envelope("IMG"), key=SigningKey.generate())
    assert pair(forged) == (403, b"")  # signed with another key
    assert pair(stranger.sign(stranger.envelope("IMG")), "NOT_REGISTERED") == (403, b"")
    assert pair(agent.sign(agent.envelope("NOBODY"))) == (403, b"")  # unknown business
    other_id = agent.envelope("IMG")
    other_id["agent-id"] = "AGENT_B"
    assert pair(agent.sign(other_id)) == (403, b"")  # the URL's agent is not the message's
    assert not Pairing.objects.exists()


def test_a_signed_request_is_logged_as_an_authorized_agents_and_its_status_read(agent, img):
    response = agent.exercise(
        "IMG",
        **{"agent-request-id": "req-42"},
        phone_number="+14155550100",
        address={
            "street_address": "1 Main St",
            "locality": "Oakland",
            "region": "CA",
            "country": "US",
        },
    )

    assert response.status_code == 200, response.content
    status = response.json()
    assert status["status"] == "in_progress"
    assert status["agent_request_id"] == "req-42"
    drp = DrpRequest.objects.get()
    request = drp.request
    assert status["request_id"] == str(drp.public_id)
    assert status["expected_by"] == request.due_date.isoformat()
    assert request.organization == img and request.channel_kind == ChannelKind.DRP
    assert request.right_kind == RightKind.ACCESS
    assert request.is_agent and request.agent_name == "Permission Slip"
    assert (request.requester_name, request.requester_email) == ("Dana Data", "dana@example.org")
    assert request.requester_phone == "+14155550100"
    assert "Oakland" in request.requester_address
    assert request.jurisdiction == "US-CA"  # the CCPA regime: a Californian
    assert "Permission Slip" in request.message and "email" in request.message
    assert request.events.get().actor_label == "drp:PERMISSION_SLIP"
    # The evidence: the claims and the signed message, which verifies again.
    assert drp.claims["email_verified"] is True and drp.claims["agent-id"] == "PERMISSION_SLIP"
    from dsar.drp import protocol

    assert protocol.open_signed(drp.signed_message, agent.key.verify_key.encode()).claims == (
        drp.claims
    )

    read = agent.get(f"/drp/v1/data-rights-request/{drp.public_id}")
    assert read.status_code == 200 and read.json() == status


def test_the_trailing_slash_of_drp_before_0_9_3_is_answered(agent):
    message = agent.envelope("IMG", exercise="deletion", name="Dana Data")
    response = agent.post("/drp/v1/data-rights-request/", agent.sign(message))
    assert response.status_code == 200
    assert PrivacyRequest.objects.get().right_kind == RightKind.ERASURE


def test_a_bad_signature_is_refused_and_logs_nothing(agent):
    message = agent.envelope("IMG", exercise="access", name="Dana Data")
    forged = agent.sign(message, key=SigningKey.generate())

    response = agent.post("/drp/v1/data-rights-request", forged)

    assert response.status_code == 403
    assert response.json() == {
        "code": "403",
        "message": "The signature does not verify with the agent's key.",
        "fatal": True,
    }
    assert not PrivacyRequest.objects.exists()


def test_a_tampered_message_fails_its_signature(agent):
    import base64

    signed = bytearray(
        base64.b64decode(agent.sign(agent.envelope("IMG", exercise="access", name="Dana")))
    )
    signed[-3] ^= 1  # one bit of the JSON
    response = agent.post("/drp/v1/data-rights-request", base64.b64encode(signed).decode())
    assert response.status_code == 403 and not PrivacyRequest.objects.exists()


def test_an_unknown_agent_or_token_is_refused(client, agent):
    stranger = AgentClient(client, "NOT_REGISTERED")
    stranger.token = "made-up-token"
    assert stranger.exercise("IMG").status_code == 403
    no_token = AgentClient(client, agent.agent_id, key=agent.key)
    assert no_token.exercise("IMG").status_code == 403
    # A registered agent switched off loses its pairings' use.
    agent_row = Pairing.objects.get().agent
    agent_row.active = False
    agent_row.save()
    assert agent.exercise("IMG").status_code == 403
    assert not PrivacyRequest.objects.exists()


def test_a_request_signed_for_another_business_or_by_another_agent_is_refused(client, agent):
    assert agent.exercise("IMT").status_code == 403  # business-id is not the token's
    message = agent.envelope("IMG", exercise="access", name="Dana")
    message["agent-id"] = "SOMEONE_ELSE"
    assert agent.post("/drp/v1/data-rights-request", agent.sign(message)).status_code == 403
    assert not PrivacyRequest.objects.exists()


def test_a_replayed_request_is_acted_on_once(agent):
    message = agent.envelope("IMG", exercise="access", name="Dana Data")
    body = agent.sign(message)

    first = agent.post("/drp/v1/data-rights-request", body)
    again = agent.post("/drp/v1/data-rights-request", body)

    assert first.status_code == again.status_code == 200
    assert first.json()["request_id"] == again.json()["request_id"]
    assert PrivacyRequest.objects.count() == 1


def test_an_expired_or_future_or_overlong_request_is_refused(agent):
    now = dt.datetime.now(dt.UTC)
    cases = {
        "expired": (now - dt.timedelta(minutes=20), now - dt.timedelta(minutes=10)),
        "from the future": (now + dt.timedelta(minutes=10), now + dt.timedelta(minutes=15)),
        "valid for a week": (now, now + dt.timedelta(days=7)),
    }
    for issued, expires in cases.values():
        message = agent.envelope("IMG", exercise="access", name="Dana")
        message.update({"issued-at": iso(issued), "expires-at": iso(expires)})
        response = agent.post("/drp/v1/data-rights-request", agent.sign(message))
        assert response.status_code == 403 and response.json()["fatal"] is True
    assert not PrivacyRequest.objects.exists()


def test_what_the_business_does_not_take_is_a_400(agent, business):
    assert agent.exercise("IMG", exercise="sale:opt-in").status_code == 400
    assert agent.exercise("IMG", exercise="teleport").status_code == 400
    business.actions = ["deletion"]
    business.save()
    response = agent.exercise("IMG", exercise="access")
    assert response.status_code == 400 and "access" in response.json()["message"]
    assert agent.exercise("IMG", name="", email="").status_code == 400
    assert agent.exercise("IMG", **{"drp.version": "0.5"}).status_code == 400
    assert not PrivacyRequest.objects.exists()


@pytest.mark.skipif("opt_out_sale" not in RightKind.values, reason="no opt-out right in dsar")
def test_an_opt_out_of_sale_is_logged_as_one(agent):
    assert agent.exercise("IMG", exercise="sale:opt-out").status_code == 200
    assert PrivacyRequest.objects.get().right_kind == "opt_out_sale"


def test_another_agents_request_is_forbidden(client, agent, business):
    drp = DrpRequest.objects.get(public_id=agent.exercise("IMG").json()["request_id"])
    other = AgentClient(client, "OTHER_AGENT")
    register(other, "Other")
    other.pair("IMG")
    assert other.get(f"/drp/v1/data-rights-request/{drp.public_id}").status_code == 403
    unknown = "00000000-0000-4000-8000-000000000000"
    assert agent.get(f"/drp/v1/data-rights-request/{unknown}").status_code == 404


def test_a_revoke_withdraws_the_request(agent):
    request_id = agent.exercise("IMG").json()["request_id"]

    response = agent.delete(
        f"/drp/v1/data-rights-request/{request_id}", agent.sign({"reason": "changed my mind"})
    )

    assert response.status_code == 200 and response.json()["status"] == "revoked"
    request = PrivacyRequest.objects.get()
    assert request.status == Status.WITHDRAWN
    assert "changed my mind" in request.events.last().summary  # kept as an internal note
    assert request.outcome_reason == ""  # and not published as the reasons


def test_the_other_business_of_the_installation_needs_its_own_pairing(client, agent):
    from dsar.drp.models import Business

    imt = load("imt")
    Business.objects.create(organization=imt, business_id="IMT")
    assert agent.exercise("IMT").status_code == 403  # the IMG token
    agent.pair("IMT")
    assert agent.exercise("IMT").status_code == 200
    assert PrivacyRequest.objects.get().organization == imt


def test_a_body_that_is_no_base64_or_no_json_is_a_400(agent):
    assert agent.post("/drp/v1/data-rights-request", "not base64 !!").status_code == 400
    signed = agent.key.sign(b"[1, 2]")
    import base64

    body = base64.b64encode(bytes(signed)).decode()
    assert agent.post("/drp/v1/data-rights-request", body).status_code == 400
    assert json.loads(agent.post("/drp/v1/data-rights-request", body).content)["code"] == "400"


def test_json_nested_too_deep_is_a_400(agent):
    import base64

    message = b"[" * 20_000 + b"]" * 20_000  # deeper than the parser's recursion limit
    body = base64.b64encode(bytes(agent.key.sign(message))).decode()

    response = agent.post("/drp/v1/data-rights-request", body)

    assert response.status_code == 400
    assert json.loads(response.content)["code"] == "400"


def test_a_nul_character_in_a_claim_is_a_400_and_logs_nothing(agent):
    # PostgreSQL cannot store "\u0000" in jsonb or text: refused before any write.
    response = agent.exercise("IMG", name="Dana\u0000Data")

    assert response.status_code == 400
    assert not PrivacyRequest.objects.exists()
