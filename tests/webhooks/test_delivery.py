"""Webhooks end to end: an event is queued with its cause, sent signed to a real HTTP receiver,
retried after failures, taken over after a worker dies, and paused when the receiver keeps
failing."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest
from django.core import mail
from django.db import connection
from pytest_httpserver import HTTPServer
from standardwebhooks import Webhook
from werkzeug import Request, Response

from dsar.requests import services
from dsar.requests.models import Status, VerificationMethod
from dsar.webhooks import outbox
from dsar.webhooks.conf import webhook_settings
from dsar.webhooks.models import (
    Delivery,
    OutboxStatus,
    Subscription,
    WebhookEvent,
    receiving_ids_of_sql,
    receiving_known,
)
from dsar.webhooks.services import subscription_resume, subscription_rotate_secret
from tests.conftest import deliver_outbox
from tests.webhooks.conftest import load

pytestmark = pytest.mark.django_db


def received(receiver: HTTPServer) -> list[Request]:
    return [request for request, _response in receiver.log]


def verify(subscription_secret: str, request: Request) -> dict:
    """What a receiver does with the reference library: raises unless the signature is good."""
    return Webhook(subscription_secret).verify(request.get_data(), dict(request.headers))


def test_a_logged_request_is_delivered_signed_as_standard_webhooks_says(subscribe, log, receiver):
    subscription = subscribe()
    receiver.expect_request("/hook", method="POST").respond_with_data("thanks")

    request = log()
    delivery = Delivery.objects.get()
    assert delivery.event == WebhookEvent.REQUEST_RECEIVED
    assert not received(receiver)  # queued with the request, sent by the cluster

    result = outbox.deliver_pending()

    assert result.delivered == 1
    (hit,) = received(receiver)
    payload = verify(subscription.secret, hit)
    assert payload["type"] == "request.received"
    assert payload["data"]["request"]["reference"] == request.reference
    assert payload["data"]["request"]["status"] == Status.RECEIVED
    assert payload["data"]["request"]["due_date"] == request.due_date.isoformat()
    assert hit.headers["webhook-id"] == delivery.message_id
    assert hit.headers["Content-Type"] == "application/json"
    delivery.refresh_from_db()
    assert delivery.status == OutboxStatus.DELIVERED and delivery.last_status_code == 200
    (attempt,) = delivery.tries.all()
    assert attempt.status_code == 200 and attempt.response_body == "thanks"


def test_personal_data_travels_only_where_the_subscription_opts_in(subscribe, log, receiver):
    receiver.expect_request("/hook").respond_with_data("ok")
    receiver.expect_request("/hook-pii").respond_with_data("ok")
    plain = subscribe(path="/hook")
    opted = subscribe(path="/hook-pii", include_personal_data=True)

    log(requester_name="Dana Data", requester_email="dana@example.org")
    outbox.deliver_pending()

    bodies = {r.path: r.get_data(as_text=True) for r in received(receiver)}
    assert "Dana" not in bodies["/hook"] and "dana@example.org" not in bodies["/hook"]
    assert json.loads(bodies["/hook-pii"])["data"]["requester"] == {
        "name": "Dana Data",
        "email": "dana@example.org",
    }
    verify(plain.secret, next(r for r in received(receiver) if r.path == "/hook"))
    verify(opted.secret, next(r for r in received(receiver) if r.path == "/hook-pii"))


def test_only_the_events_subscribed_to_of_the_subscriptions_own_organization(
    subscribe, log, receiver
):
    from tests.webhooks.conftest import load

    other = load("imt")
    subscribe(events=[WebhookEvent.REQUEST_CLOSED])
    subscribe(organization=other, path="/other")

    request = log()
    assert not Delivery.objects.exists()  # received: nobody here asked for it

    services.request_withdraw(request=request, actor=None, note="by phone")
    (delivery,) = Delivery.objects.all()
    assert delivery.event == WebhookEvent.REQUEST_CLOSED
    assert delivery.details["event"]["to_status"] == Status.WITHDRAWN
    # Free text staff wrote (the note) never travels.
    assert "by phone" not in json.dumps(delivery.details)


def test_each_lifecycle_event_is_its_webhook(subscribe, log, olivia, settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    from dsar.letters.services import letter_issue

    subscribe()
    request = log()
    request = services.request_start(request=request, actor=olivia)
    request = services.request_verify_identity(
        request=request, actor=olivia, how="passport seen", method=VerificationMethod.DOCUMENT
    )
    request = services.request_extend(request=request, actor=olivia, reason="many systems")
    letter_issue(request=request, kind="acknowledgement", actor=olivia)
    services.request_deny(request=request, actor=olivia, reason="no data held")

    events = list(Delivery.objects.order_by("pk").values_list("event", flat=True))
    assert events == [
        "request.received",
        "request.verified",
        "request.extended",
        "letter.issued",
        "request.closed",
    ]
    extended = Delivery.objects.get(event="request.extended")
    assert extended.details["event"]["due"]["new"] == request.due_date.isoformat()
    assert "many systems" not in json.dumps(extended.details)
    verified = Delivery.objects.get(event="request.verified")
    assert verified.details["event"]["method"] == "document"
    assert "passport" not in json.dumps(verified.details)


def test_a_failed_try_is_retried_with_backoff_and_the_same_webhook_id(
    subscribe, log, receiver, time_machine
):
    subscribe()
    receiver.expect_oneshot_request("/hook").respond_with_data("down for maintenance", status=500)
    receiver.expect_oneshot_request("/hook").respond_with_data("still down", status=503)
    receiver.expect_request("/hook").respond_with_data("ok")
    log()
    delivery = Delivery.objects.get()
    start = dt.datetime.now(dt.UTC)
    time_machine.move_to(start, tick=True)

    assert outbox.deliver_pending().retrying == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, 500)
    assert delivery.next_attempt_at - start >= dt.timedelta(seconds=59)
    assert outbox.deliver_pending().as_dict()["delivered"] == 0  # not due yet

    time_machine.move_to(start + dt.timedelta(seconds=61), tick=True)
    assert outbox.deliver_pending().retrying == 1
    delivery.refresh_from_db()
    # The wait doubles: 60 s after the first failure, 120 s after the second.
    assert delivery.next_attempt_at - (start + dt.timedelta(seconds=61)) >= dt.timedelta(
        seconds=119
    )

    time_machine.move_to(start + dt.timedelta(seconds=190), tick=True)
    assert outbox.deliver_pending().delivered == 1
    delivery.refresh_from_db()
    assert delivery.status == OutboxStatus.DELIVERED and delivery.attempts == 3
    assert [t.status_code for t in delivery.tries.all()] == [500, 503, 200]
    assert delivery.tries.first().response_body == "down for maintenance"
    ids = {r.headers["webhook-id"] for r in received(receiver)}
    assert ids == {delivery.message_id}


def test_a_receiver_that_does_not_answer_in_time_is_tried_again(
    subscribe, log, receiver, time_machine
):
    subscribe()

    def slow(request: Request) -> Response:
        time.sleep(2.5)
        return Response("too late")

    receiver.expect_oneshot_request("/hook").respond_with_handler(slow)
    receiver.expect_request("/hook").respond_with_data("ok")
    log()
    start = dt.datetime.now(dt.UTC)

    took = time.monotonic()
    assert outbox.deliver_pending().retrying == 1
    assert time.monotonic() - took < 2.4  # gave up after DSAR_WEBHOOK_TIMEOUT, not 2.5 s
    delivery = Delivery.objects.get()
    (attempt,) = delivery.tries.all()
    assert attempt.status_code is None and "timed out" in attempt.error

    time_machine.move_to(start + dt.timedelta(seconds=65), tick=True)
    assert outbox.deliver_pending().delivered == 1


def test_a_delivery_gives_up_after_the_last_try(subscribe, log, receiver, settings, time_machine):
    settings.DSAR_WEBHOOK_MAX_ATTEMPTS = 2
    subscribe()
    receiver.expect_request("/hook").respond_with_data("no", status=500)
    log()
    start = dt.datetime.now(dt.UTC)
    outbox.deliver_pending()
    time_machine.move_to(start + dt.timedelta(seconds=61), tick=True)

    assert outbox.deliver_pending().failed == 1
    delivery = Delivery.objects.get()
    assert delivery.status == OutboxStatus.FAILED and delivery.attempts == 2


def test_a_delivery_claimed_by_a_worker_that_died_is_sent_after_the_lease(
    subscribe, log, receiver, time_machine
):
    subscription = subscribe()
    receiver.expect_request("/hook").respond_with_data("ok")
    log()
    delivery = Delivery.objects.get()
    start = dt.datetime.now(dt.UTC)
    time_machine.move_to(start, tick=True)

    # A worker claims the delivery, then is killed before it sends (nothing else happens).
    assert outbox.claim(Delivery, delivery.pk, webhook_settings())

    # Another worker, within the lease, leaves it alone: the claim may still be alive.
    assert outbox.deliver_pending().delivered == 0
    assert not received(receiver)

    # After the lease (30 s here) the next run takes it over and sends it.
    time_machine.move_to(start + dt.timedelta(seconds=31), tick=True)
    assert outbox.deliver_pending().delivered == 1
    delivery.refresh_from_db()
    assert delivery.status == OutboxStatus.DELIVERED
    assert delivery.attempts == 2  # the dead worker's try, and this one
    (hit,) = received(receiver)
    verify(subscription.secret, hit)


def test_two_workers_never_send_the_same_try(subscribe, log, receiver):
    subscribe()
    log()
    delivery = Delivery.objects.get()
    conf = webhook_settings()
    assert outbox.claim(Delivery, delivery.pk, conf)
    assert not outbox.claim(Delivery, delivery.pk, conf)


def test_a_subscription_that_keeps_failing_is_paused_and_its_officers_told(
    subscribe, log, receiver, olivia, alice, settings
):
    settings.DSAR_WEBHOOK_PAUSE_AFTER_FAILURES = 3
    settings.DSAR_WEBHOOK_PAUSE_AFTER_HOURS = 0
    subscription = subscribe()
    receiver.expect_request("/hook").respond_with_data("broken", status=500)
    for _ in range(3):
        log()

    result = outbox.deliver_pending()

    assert result.retrying == 3 and result.pause_notices == 1
    subscription.refresh_from_db()
    assert subscription.paused_at is not None and subscription.consecutive_failures == 3
    assert not mail.outbox  # queued in the outbox with the pause, sent by the cluster
    deliver_outbox()
    (notice,) = mail.outbox
    assert notice.to == ["olivia@example.org"]  # the privacy officer, not the handler
    assert subscription.url in notice.body

    # Paused: nothing goes out, new events are still kept, and the notice is not repeated.
    log()
    Delivery.objects.update(next_attempt_at=dt.datetime.now(dt.UTC))
    hits = len(received(receiver))
    assert outbox.deliver_pending().as_dict() == {
        "delivered": 0,
        "retrying": 0,
        "failed": 0,
        "taken": 0,
        "pause_notices": 0,
    }
    assert len(received(receiver)) == hits and len(mail.outbox) == 1
    assert Delivery.objects.filter(status=OutboxStatus.PENDING).count() == 4

    # Resumed once the receiver is fixed: everything kept goes out.
    receiver.clear()
    receiver.expect_request("/hook").respond_with_data("ok")
    subscription_resume(subscription=subscription)
    assert outbox.deliver_pending().delivered == 4
    subscription.refresh_from_db()
    assert subscription.consecutive_failures == 0 and subscription.paused_at is None


def test_a_short_outage_does_not_pause(subscribe, log, receiver, settings):
    settings.DSAR_WEBHOOK_PAUSE_AFTER_FAILURES = 2
    settings.DSAR_WEBHOOK_PAUSE_AFTER_HOURS = 24
    subscription = subscribe()
    receiver.expect_request("/hook").respond_with_data("broken", status=500)
    log()
    log()
    outbox.deliver_pending()
    subscription.refresh_from_db()
    # Two failures in a row, but not yet for 24 hours.
    assert subscription.consecutive_failures == 2 and subscription.paused_at is None


def test_during_a_rotation_both_secrets_sign(subscribe, log, receiver):
    subscription = subscribe()
    old = subscription.secret
    subscription = subscription_rotate_secret(subscription=subscription)
    receiver.expect_request("/hook").respond_with_data("ok")
    log()
    outbox.deliver_pending()

    (hit,) = received(receiver)
    assert len(hit.headers["webhook-signature"].split(" ")) == 2
    verify(old, hit)  # a receiver that has not switched yet
    verify(subscription.secret, hit)  # one that has


def test_after_the_rotation_window_only_the_new_secret_signs(subscribe, log, receiver, settings):
    settings.DSAR_WEBHOOK_ROTATION_HOURS = 0
    subscription = subscription_rotate_secret(subscription=subscribe())
    receiver.expect_request("/hook").respond_with_data("ok")
    log()
    outbox.deliver_pending()
    (hit,) = received(receiver)
    assert " " not in hit.headers["webhook-signature"]
    verify(subscription.secret, hit)


def test_a_switched_off_subscription_queues_nothing(subscribe, log):
    subscribe(active=False)
    log()
    assert not Delivery.objects.exists()
    assert Subscription.objects.get().active is False


def test_only_the_organizations_own_switched_on_subscriptions_queue(subscribe, log, img):
    other = load("imgwg")
    theirs = subscribe(organization=other)
    subscribe(active=False)
    ours = subscribe()
    log()
    assert set(Delivery.objects.values_list("subscription", flat=True)) == {ours.pk}
    assert theirs.pk not in Subscription.objects.receiving_ids([img.pk])
    assert sorted(Subscription.objects.receiving_ids([img.pk, other.pk])) == sorted(
        [ours.pk, theirs.pk]
    )


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the API reads ahead on PostgreSQL only (arrays)"
)
def test_the_subquery_a_caller_reads_ahead_answers_as_receiving_ids(subscribe, img):
    # dsar.api.keys reads the ids with the key, in the statement it runs anyway.
    subscribe(organization=load("imgwg"))
    subscribe(active=False)
    ours = sorted([subscribe().pk, subscribe().pk])
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {receiving_ids_of_sql('o.id')} FROM organizations_organization o "  # noqa: S608
            "WHERE o.id = %s",
            [img.pk],
        )
        (read_ahead,) = cursor.fetchone()
    assert sorted(read_ahead) == sorted(Subscription.objects.receiving_ids([img.pk])) == ours


def test_receiving_ids_takes_the_callers_word_within_the_call_only(subscribe, img):
    other = load("imgwg")
    theirs = subscribe(organization=other).pk
    ours = sorted([subscribe().pk, subscribe().pk])
    with receiving_known(img.pk, [ours[0]]):
        assert Subscription.objects.receiving_ids([img.pk]) == [ours[0]]
        # Not told about the other organization: the database is asked for both.
        assert sorted(Subscription.objects.receiving_ids([img.pk, other.pk])) == sorted(
            [*ours, theirs]
        )
    assert sorted(Subscription.objects.receiving_ids([img.pk])) == ours
