"""The HTTP connector against a real local HTTP server: a signed call, answered at once or
later through a single-use callback URL; failed tries retried with backoff; the webhooks'
address rules apply."""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from pytest_httpserver import HTTPServer
from standardwebhooks import Webhook
from werkzeug import Response

from dsar.fulfilment import runs
from dsar.fulfilment.models import ConnectorRun, RunKind, RunStatus, Task
from dsar.requests.models import EventKind

from .conftest import verify

pytestmark = pytest.mark.django_db

SECRET = "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()
SECRET_ENV = "DSAR_TEST_CRM_SECRET"


@pytest.fixture(scope="module")
def server() -> Iterator[HTTPServer]:
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()


@pytest.fixture
def crm(make_system: Any, alice: Any, server: HTTPServer, settings: Any, monkeypatch: Any) -> Any:
    server.clear()
    settings.DSAR_WEBHOOK_ALLOW_HTTP_LOOPBACK = True
    settings.DSAR_WEBHOOK_ALLOW_PRIVATE = False
    settings.DSAR_WEBHOOK_TIMEOUT = 2.0
    settings.DSAR_WEBHOOK_RETRY_SECONDS = 60
    settings.DSAR_WEBHOOK_MAX_ATTEMPTS = 3
    monkeypatch.setenv(SECRET_ENV, SECRET)
    return make_system(
        "Hosted CRM",
        owner=alice,
        connector="http",
        endpoint_url=server.url_for("/dsar"),
        secret_env=SECRET_ENV,
    )


def _task(request: Any) -> Task:
    return Task.objects.select_related("system", "request").get(request=request)


def _run(task: Task, kind: RunKind, actor: Any) -> ConnectorRun:
    run = runs.run_request(task=task, kind=kind, actor=actor)
    runs.perform(run.pk)
    run.refresh_from_db()
    return run


def _calls(server: HTTPServer) -> list[Any]:
    return [request for request, _response in server.log]


def test_an_access_call_is_signed_and_its_immediate_answer_goes_into_the_package(
    crm: Any, server: HTTPServer, log_request: Any, olivia: Any, alice: Any
) -> None:
    rows = [{"email": "dana@example.org", "plan": "gold"}]
    server.expect_request("/dsar", method="POST").respond_with_json({"rows": rows})
    request = verify(log_request("access"), olivia)

    run = _run(_task(request), RunKind.ACCESS, alice)

    assert (run.status, run.rows) == (RunStatus.DONE, 1)
    (call,) = _calls(server)
    body = call.get_data(as_text=True)
    # The signature verifies with the receivers' own library and the shared secret.
    Webhook(SECRET).verify(body, dict(call.headers))
    message = json.loads(body)
    assert message["type"] == "access"
    assert message["reference"] == request.reference
    assert message["identity"] == {"email": "dana@example.org", "name": "Dana Ortiz"}
    item = request.data_items.get()
    assert (item.system, item.records) == ("Hosted CRM", rows)


def test_a_later_answer_comes_through_the_callback_once(
    crm: Any, server: HTTPServer, log_request: Any, olivia: Any, alice: Any, client: Any
) -> None:
    server.expect_request("/dsar", method="POST").respond_with_data("", status=202)
    request = verify(log_request("erasure"), olivia)

    run = _run(_task(request), RunKind.ERASURE_REQUEST, alice)

    assert run.status == RunStatus.WAITING
    (call,) = _calls(server)
    callback = urlsplit(json.loads(call.get_data(as_text=True))["callback_url"]).path
    bad = client.post(callback, data="not json", content_type="application/json")
    assert bad.status_code == 400  # refused, and the token still works
    taken = client.post(callback, data={"erased": 3}, content_type="application/json")
    again = client.post(callback, data={"erased": 0}, content_type="application/json")
    unknown = client.post(
        "/fulfilment/callback/nope/", data={"erased": 1}, content_type="application/json"
    )

    assert (taken.status_code, again.status_code, unknown.status_code) == (204, 410, 404)
    run.refresh_from_db()
    assert (run.status, run.rows) == (RunStatus.DONE, 3)
    ran = request.events.get(kind=EventKind.CONNECTOR_RAN)
    assert ran.summary == "Hosted CRM erased 3 records"


def test_a_failed_try_is_retried_with_backoff_then_given_up(
    crm: Any, server: HTTPServer, log_request: Any, olivia: Any, alice: Any
) -> None:
    server.expect_request("/dsar", method="POST").respond_with_handler(
        lambda r: Response("down", status=503)
    )
    request = verify(log_request("access"), olivia)
    run = runs.run_request(task=_task(request), kind=RunKind.ACCESS, actor=alice)

    runs.perform(run.pk)
    run.refresh_from_db()
    first_wait = run.next_attempt_at - run.requested_at
    assert (run.status, run.attempts, run.error) == (
        RunStatus.QUEUED,
        1,
        "the endpoint answered HTTP 503",
    )
    runs.perform(run.pk)
    run.refresh_from_db()
    assert run.attempts == 2
    assert run.next_attempt_at - run.requested_at >= 2 * first_wait - first_wait / 2
    runs.perform(run.pk)  # the last try
    run.refresh_from_db()

    assert (run.status, run.attempts) == (RunStatus.FAILED, 3)
    assert len(_calls(server)) == 3
    assert "failed" in request.events.get(kind=EventKind.CONNECTOR_RAN).summary


def test_a_private_address_is_refused_unless_the_installation_allows_it(
    crm: Any, log_request: Any, olivia: Any, alice: Any, settings: Any
) -> None:
    settings.DSAR_WEBHOOK_MAX_ATTEMPTS = 1
    crm.endpoint_url = "https://10.0.0.5/dsar"
    crm.save()
    request = verify(log_request("access"), olivia)

    run = _run(_task(request), RunKind.ACCESS, alice)

    assert run.status == RunStatus.FAILED
    assert "not a public address" in run.error


def test_an_answer_that_is_not_a_result_fails_the_try(
    crm: Any, server: HTTPServer, log_request: Any, olivia: Any, alice: Any, settings: Any
) -> None:
    settings.DSAR_WEBHOOK_MAX_ATTEMPTS = 1
    server.expect_request("/dsar").respond_with_json({"rows": "everything"})
    request = verify(log_request("access"), olivia)

    run = _run(_task(request), RunKind.ACCESS, alice)

    assert (run.status, run.error) == (RunStatus.FAILED, 'the answer has no "rows" list of objects')
    assert not request.data_items.exists()
