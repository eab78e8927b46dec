"""dsar's lifecycle as the protocol's statuses, the agent's status callback, and the evidence
purged with the request's personal data."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone
from pytest_httpserver import HTTPServer

from dsar.drp import callbacks
from dsar.drp.models import DrpRequest, StatusCallback
from dsar.reminders.services import request_purge
from dsar.requests import services
from dsar.requests.models import PrivacyRequest, Status
from dsar.webhooks.models import OutboxStatus

pytestmark = pytest.mark.django_db


def status_of(agent, drp: DrpRequest) -> dict:
    return agent.get(f"/drp/v1/data-rights-request/{drp.public_id}").json()


def test_statuses_follow_the_request(agent):
    agent.exercise("IMG")
    drp = DrpRequest.objects.get()
    request = drp.request
    assert status_of(agent, drp)["status"] == "in_progress"

    request = services.request_start(request=request, actor=None)
    if request.status == Status.AWAITING_VERIFICATION:
        awaiting = status_of(agent, drp)
        assert awaiting["status"] == "in_progress"
        assert "verifying" in awaiting["processing_details"]

    old_due = request.due_date
    request = services.request_extend(request=request, actor=None, reason="many systems to search")
    extended = status_of(agent, drp)
    assert extended["expected_by"] == request.due_date.isoformat() != old_due.isoformat()
    assert "many systems to search" in extended["processing_details"]

    services.request_deny(request=request, actor=None, reason="We hold no data about you.")
    denied = status_of(agent, drp)
    assert (denied["status"], denied["reason"]) == ("denied", "other")
    assert denied["processing_details"] == "We hold no data about you."
    assert "expected_by" not in denied


def test_a_request_closed_unverified_is_denied_for_insufficient_verification(agent):
    agent.exercise("IMG")
    drp = DrpRequest.objects.get()
    request = services.request_start(request=drp.request, actor=None)
    if request.status != Status.AWAITING_VERIFICATION:
        pytest.skip("the request needs no verification under the policy")
    services.request_close(request=request, actor=None, as_status=Status.CLOSED_UNVERIFIABLE)
    assert (status_of(agent, drp)["status"], status_of(agent, drp)["reason"]) == (
        "denied",
        "insuf_verification",
    )


def test_a_status_change_reaches_the_agents_callback(agent, settings, httpserver: HTTPServer):
    settings.DSAR_WEBHOOK_ALLOW_HTTP_LOOPBACK = True
    httpserver.expect_request("/drp-status", method="POST").respond_with_data("ok")
    callback = httpserver.url_for("/drp-status").replace("localhost", "127.0.0.1")
    agent.exercise("IMG", status_callback=callback)
    drp = DrpRequest.objects.get()
    assert not StatusCallback.objects.exists()  # the create's answer told the status already

    services.request_deny(request=drp.request, actor=None, reason="No data held.")
    (queued,) = StatusCallback.objects.all()

    assert callbacks.deliver_callbacks()["delivered"] == 1
    ((sent, _response),) = httpserver.log
    body = json.loads(sent.get_data())
    assert body["request_id"] == str(drp.public_id) and body["status"] == "denied"
    queued.refresh_from_db()
    assert queued.status == OutboxStatus.DELIVERED and queued.last_status_code == 200


def test_a_failed_callback_is_retried(agent, settings, httpserver: HTTPServer, time_machine):
    settings.DSAR_WEBHOOK_ALLOW_HTTP_LOOPBACK = True
    settings.DSAR_WEBHOOK_RETRY_SECONDS = 60
    httpserver.expect_oneshot_request("/cb").respond_with_data("busy", status=503)
    httpserver.expect_request("/cb").respond_with_data("ok")
    agent.exercise(
        "IMG", status_callback=httpserver.url_for("/cb").replace("localhost", "127.0.0.1")
    )
    services.request_withdraw(request=DrpRequest.objects.get().request, actor=None)
    start = timezone.now()

    assert callbacks.deliver_callbacks()["retrying"] == 1
    time_machine.move_to(start + dt.timedelta(seconds=65), tick=True)
    assert callbacks.deliver_callbacks()["delivered"] == 1
    assert StatusCallback.objects.get().attempts == 2


def test_a_callback_to_a_private_address_is_refused_at_intake(agent, settings):
    settings.DSAR_WEBHOOK_ALLOW_HTTP_LOOPBACK = False
    response = agent.exercise("IMG", status_callback="https://10.0.0.8/cb")
    assert response.status_code == 400 and response.json()["fatal"] is False
    assert not PrivacyRequest.objects.exists()


def test_a_purge_blanks_the_agents_evidence(agent):
    agent.exercise("IMG")
    drp = DrpRequest.objects.get()
    services.request_deny(request=drp.request, actor=None, reason="No data held.")

    request_purge(request=drp.request)

    drp.refresh_from_db()
    assert drp.claims == {} and drp.signed_message == ""
    assert drp.evidence_purged_at is not None
    assert drp.message_digest  # the replay guard stays: it holds no personal data
