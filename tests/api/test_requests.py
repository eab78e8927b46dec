"""Requests through the API: created as by every channel, idempotent, listed with filters and a
cursor, and every error a problem document."""

from __future__ import annotations

import datetime as dt
from typing import Any

import psycopg
import pytest
from django.db import DatabaseError, connection, transaction

from dsar.api.models import IdempotencyKey
from dsar.requests import services, writes
from dsar.requests.models import PrivacyRequest
from dsar.webhooks.models import Delivery, Subscription
from tests.workspace.conftest import NOW

pytestmark = pytest.mark.django_db

REQUESTS = "/api/v1/requests/"
ANN = {
    "right_kind": "erasure",
    "requester_name": "Ann Example",
    "requester_email": "ann@example.com",
    "jurisdiction": "US-CA",
}


def test_a_creation_queues_the_received_webhook_of_each_switched_on_subscription(
    api: Any, img_key: Any, img: Any
):
    wants = Subscription.objects.create(
        organization=img, url="https://hooks.example.org/a", events=["request.received"]
    )
    off = Subscription.objects.create(
        organization=img, url="https://hooks.example.org/b", events=["request.received"]
    )
    off.active = False
    off.save()
    made = api("POST", REQUESTS, img_key, ANN).json()["reference"]
    delivery = Delivery.objects.get(subscription=wants)
    assert (delivery.event, delivery.request.reference) == ("request.received", made)
    assert not Delivery.objects.filter(subscription=off).exists()

    # What the key's statement read is the state of this call, not kept for the next.
    wants.active, off.active = False, True
    wants.save()
    off.save()
    second = api("POST", REQUESTS, img_key, {**ANN, "requester_email": "zed@example.com"})
    assert Delivery.objects.filter(subscription=wants).count() == 1
    assert Delivery.objects.get(subscription=off).request.reference == second.json()["reference"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the one-statement writes")
def test_a_creation_is_three_statements_and_its_transaction(
    api: Any, img_key: Any, django_assert_num_queries: Any
):
    api("POST", REQUESTS, img_key, ANN)  # the policy in force, read once per process
    # The key with its rate counter and what the write needs ahead (the policy's row versions,
    # the webhook subscriptions); in the transaction (a savepoint in a test), the duplicate
    # check and the one insert.
    with django_assert_num_queries(5):
        response = api("POST", REQUESTS, img_key, {**ANN, "requester_email": "zed@example.com"})
    assert response.status_code == 201


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the one-statement writes")
def test_the_one_statement_goes_numbered_through_a_raw_cursor_unless_queries_are_logged(db: Any):
    # Counting queries (above) logs them, which takes the %s form: here the path every
    # creation takes in production.
    sql = "SELECT %s::int + %s::int"
    with writes._cursor_for(sql) as (cursor, statement):
        assert isinstance(cursor.cursor, psycopg.RawCursor) and statement == (
            "SELECT $1::int + $2::int"
        )
        cursor.execute(statement, [2, 3])
        assert cursor.fetchone() == (5,)
        # Errors come wrapped as Django's, as from its own cursors.
        with pytest.raises(DatabaseError), transaction.atomic():
            cursor.execute("SELECT 1/$1::int", [0])


def test_a_created_request_is_what_request_log_makes_of_it(api: Any, img_key: Any, img: Any):
    response = api("POST", REQUESTS, img_key, ANN)
    assert response.status_code == 201
    made = PrivacyRequest.objects.get(reference=response.json()["reference"])
    same = services.request_log(
        organization=img,
        right_kind="erasure",
        channel_kind="api",
        received_at=NOW,
        requester_name="Bob Example",
        requester_email="bob@example.com",
        jurisdiction="US-CA",
    )
    for field in (
        "channel_kind",
        "due_date",
        "deadline_rule",
        "deadline_basis",
        "acknowledge_by",
        "identity_status",
        "policy_version_id",
        "status",
    ):
        assert getattr(made, field) == getattr(same, field), field
    assert [f["code"] for f in made.flags] == [f["code"] for f in same.flags]
    assert made.channel_kind == "api" and made.acknowledge_by is not None
    assert response["Location"] == f"/api/v1/requests/{made.reference}/"
    event = made.events.get()
    assert (event.actor_id, event.actor_label, event.summary) == (
        None,
        "api:crm-sync",
        f"Received by API; due {made.due_date.isoformat()}",
    )


def test_received_at_in_the_past_binds_the_deadline_to_that_day(api: Any, img_key: Any):
    body = {**ANN, "received_at": "2026-02-20T15:00:00Z"}
    response = api("POST", REQUESTS, img_key, body)
    assert response.json()["received_on"] == "2026-02-20"
    future = {**ANN, "received_at": (NOW + dt.timedelta(hours=1)).isoformat()}
    response = api("POST", REQUESTS, img_key, future)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "received_at"


def test_a_request_needs_a_way_to_answer(api: Any, img_key: Any):
    response = api("POST", REQUESTS, img_key, {"right_kind": "access", "requester_name": "A"})
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "",
            "pointer": "#",
            "detail": "Give at least one way to answer the requester: email, address or phone.",
        }
    ]


class TestIdempotency:
    def test_the_same_key_and_body_give_the_same_answer_once(self, api: Any, img_key: Any):
        first = api("POST", REQUESTS, img_key, ANN, idempotency_key="k-1")
        again = api("POST", REQUESTS, img_key, dict(reversed(ANN.items())), idempotency_key="k-1")
        assert first.status_code == again.status_code == 201
        assert first.json() == again.json()
        assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
        assert PrivacyRequest.objects.count() == 1

    def test_another_body_under_the_same_key_is_422(self, api: Any, img_key: Any):
        api("POST", REQUESTS, img_key, ANN, idempotency_key="k-1")
        other = api(
            "POST", REQUESTS, img_key, {**ANN, "right_kind": "access"}, idempotency_key="k-1"
        )
        assert other.status_code == 422
        assert other.json()["type"] == "urn:dsar:problem:idempotency"
        assert PrivacyRequest.objects.count() == 1

    def test_keys_are_per_api_key(self, api: Any, img_key: Any, img: Any):
        from tests.api.conftest import make_key

        other = make_key(img, "write", "second")
        api("POST", REQUESTS, img_key, ANN, idempotency_key="k-1")
        api("POST", REQUESTS, other, ANN, idempotency_key="k-1")
        assert PrivacyRequest.objects.count() == 2

    def test_a_refused_creation_leaves_the_key_free(self, api: Any, img_key: Any, monkeypatch):
        def refuse(**kwargs: Any) -> Any:
            raise services.TransitionError("No policy in force.")

        monkeypatch.setattr(services, "request_log", refuse)
        assert api("POST", REQUESTS, img_key, ANN, idempotency_key="k-1").status_code == 409
        monkeypatch.undo()
        assert api("POST", REQUESTS, img_key, ANN, idempotency_key="k-1").status_code == 201

    def test_an_expired_key_starts_afresh(self, api: Any, img_key: Any, time_machine: Any):
        api("POST", REQUESTS, img_key, ANN, idempotency_key="k-1")
        time_machine.move_to(NOW + dt.timedelta(hours=25), tick=False)
        again = api("POST", REQUESTS, img_key, ANN, idempotency_key="k-1")
        assert again.status_code == 201 and "Idempotent-Replayed" not in again
        assert PrivacyRequest.objects.count() == 2
        assert IdempotencyKey.objects.count() == 1


class TestList:
    @pytest.fixture
    def many(self, log_request: Any, alice: Any) -> list[PrivacyRequest]:
        made = [
            log_request(
                requester_email=f"r{n}@example.com",
                received_at=NOW - dt.timedelta(days=n),
                right_kind="access" if n % 2 else "erasure",
            )
            for n in range(7)
        ]
        services.request_assign(request=made[1], actor=None, assignee=alice)
        # Received 40 days ago, still open: overdue (a GDPR month has passed).
        made.append(
            log_request(requester_email="old@example.com", received_at=NOW - dt.timedelta(days=40))
        )
        return made

    def _all(self, api: Any, key: str, query: str = "", size: int = 3) -> list[str]:
        url, found = f"{REQUESTS}?page_size={size}&{query}", []
        while url:
            page = api("GET", url, key).json()
            found += [r["reference"] for r in page["results"]]
            url = page["next"]
        return found

    def test_the_cursor_walks_every_request_newest_first(self, api: Any, img_reader: str, many):
        expected = [r.reference for r in sorted(many, key=lambda r: r.received_at, reverse=True)]
        assert self._all(api, img_reader) == expected

    def test_the_filters(self, api: Any, img_reader: str, many: list[PrivacyRequest]):
        by = {r.reference: r for r in many}
        assert {by[x].right_kind for x in self._all(api, img_reader, "right=access")} == {"access"}
        assert self._all(api, img_reader, "assignee=alice") == [many[1].reference]
        unassigned = self._all(api, img_reader, "assignee=none")
        assert many[1].reference not in unassigned and len(unassigned) == 7
        assert self._all(api, img_reader, "overdue=true") == [many[-1].reference]
        assert many[-1].reference not in self._all(api, img_reader, "overdue=false")
        assert self._all(api, img_reader, "due_before=2026-03-01") == [many[-1].reference]
        assert self._all(api, img_reader, "status=closed_duplicate") == []
        assert len(self._all(api, img_reader, "organization=img")) == 8

    def test_a_bad_filter_is_a_problem(self, api: Any, img_reader: str):
        response = api("GET", f"{REQUESTS}?status=lost&due_before=soon", img_reader)
        assert response.status_code == 400
        assert {e["field"] for e in response.json()["errors"]} == {"status", "due_before"}

    def test_the_list_costs_the_same_few_queries(
        self, api: Any, img_reader: str, many, django_assert_max_num_queries: Any
    ):
        with django_assert_max_num_queries(4):
            api("GET", f"{REQUESTS}?page_size=50", img_reader)


class TestProblems:
    def test_no_such_path(self, api: Any, img_key: str):
        response = api("GET", "/api/v1/nothing/", img_key)
        assert response.status_code == 404
        assert response.json()["type"] == "urn:dsar:problem:not-found"

    def test_a_method_not_allowed(self, api: Any, img_key: str):
        response = api("DELETE", REQUESTS, img_key)
        assert response.status_code == 405
        assert response.json()["type"] == "urn:dsar:problem:method"

    def test_a_body_that_is_not_json(self, client: Any, img_key: str):
        auth = {"HTTP_AUTHORIZATION": f"Bearer {img_key}"}
        broken = client.post(REQUESTS, "{", content_type="application/json", **auth)
        assert (broken.status_code, broken.json()["type"]) == (400, "urn:dsar:problem:malformed")
        form = client.post(REQUESTS, {"right_kind": "access"}, **auth)
        assert (form.status_code, form.json()["type"]) == (415, "urn:dsar:problem:media-type")

    @pytest.mark.parametrize(
        "body",
        ["[" * 5000 + "]" * 5000, '{"right_kind": "access", "message": "a\\u0000b"}'],
        ids=["nested-5000-deep", "nul-character"],
    )
    def test_a_body_nested_too_deep_or_holding_nul_is_malformed(
        self, client: Any, img_key: str, body: str
    ):
        auth = {"HTTP_AUTHORIZATION": f"Bearer {img_key}"}
        response = client.post(REQUESTS, body, content_type="application/json", **auth)
        assert (response.status_code, response.json()["type"]) == (
            400,
            "urn:dsar:problem:malformed",
        )
        assert not PrivacyRequest.objects.exists()


def test_beyond_the_rate_limit_429_with_retry_after(api: Any, img_key: str, settings: Any):
    settings.DSAR_API_RATE_LIMIT = 3
    answers = [api("GET", REQUESTS, img_key) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [a["RateLimit-Remaining"] for a in answers[:3]] == ["2", "1", "0"]
    limited = answers[-1]
    assert limited["Content-Type"] == "application/problem+json"
    assert limited.json()["type"] == "urn:dsar:problem:rate-limited"
    # The clock is frozen at 14:00:00: the whole minute is left.
    assert limited["Retry-After"] == "60"


def test_each_key_has_its_own_count(api: Any, img_key: str, img_reader: str, settings: Any):
    settings.DSAR_API_RATE_LIMIT = 1
    assert api("GET", REQUESTS, img_key).status_code == 200
    assert api("GET", REQUESTS, img_reader).status_code == 200
    assert api("GET", REQUESTS, img_key).status_code == 429


def test_housekeeping_forgets_expired_idempotency_keys(api: Any, img_key: Any, time_machine):
    from dsar.api.housekeeping import delete_expired

    api("POST", REQUESTS, img_key, ANN, idempotency_key="k-1")
    assert delete_expired() == 0
    time_machine.move_to(NOW + dt.timedelta(hours=24), tick=False)
    assert delete_expired() == 1 and not IdempotencyKey.objects.exists()
