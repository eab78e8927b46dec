"""Tasks through the API: read with any key of the organization, done with a write key, by the
task page's own services: the same events (named after the key), the same refusals (409), the
same rows in the data package, the same ``task.completed`` webhook.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from dsar.fulfilment.models import System, Task, TaskState
from dsar.requests.models import EventKind, PrivacyRequest, RequestEvent, Status
from dsar.webhooks.models import Delivery, Subscription

pytestmark = pytest.mark.django_db

ROWS = [{"email": "ann@example.com", "since": "2021-04-01"}]


@pytest.fixture
def crm(img: Any, alice: Any) -> System:
    """IMG's CRM, owned by alice, holding data for access and erasure requests."""
    system = System(
        organization=img,
        name="Zoho CRM",
        owner=alice,
        rights=["access", "erasure"],
        data_categories="Contact Data",
        instructions="Look the person up by email.",
    )
    system.full_clean()
    system.save()
    return system


@pytest.fixture
def started(api: Any, img_key: str, crm: System, log_request: Any) -> Any:
    """``started(**fields)``: an access request started through the API, with its CRM task."""

    def start(**fields: Any) -> PrivacyRequest:
        request = log_request(**fields)
        response = api("POST", f"/api/v1/requests/{request.reference}/start/", img_key, {})
        assert response.status_code == 200, response.content
        return request

    return start


def _task(request: PrivacyRequest) -> Task:
    return Task.objects.get(request=request)


def _trail(request: PrivacyRequest, after: int) -> list[tuple[str, str]]:
    return [
        (e.kind, e.summary)
        for e in RequestEvent.objects.filter(request=request, pk__gt=after).order_by("pk")
    ]


def test_a_read_key_lists_and_reads_the_tasks_of_a_request(
    api: Any, img_reader: str, started: Any, crm: System
) -> None:
    request = started()
    task = _task(request)

    listed = api("GET", f"/api/v1/requests/{request.reference}/tasks/", img_reader)
    assert listed.status_code == 200
    [row] = listed.json()
    assert row["url"] == f"/api/v1/tasks/{task.pk}/"
    assert (row["request"], row["system"], row["state"], row["owner"]) == (
        request.reference,
        "Zoho CRM",
        "open",
        "alice",
    )
    assert row["due_date"] == task.due_date.isoformat()
    assert row["instructions"] == "Look the person up by email."

    read = api("GET", row["url"], img_reader)
    assert read.status_code == 200
    assert read.json() == row


def test_the_api_writes_what_the_task_page_writes(
    api: Any, img_key: str, login: Any, alice: Any, started: Any
) -> None:
    """Start, complete with rows, reopen: on the page by alice, through the API by the key. The
    timelines and the data packages must be the same but for who acted."""
    on_page = _task(started(requester_email="page@example.com"))
    by_api = _task(started(requester_email="api@example.com"))
    last = RequestEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    client = login(alice)

    def page(action: str, form: dict[str, str]) -> None:
        response = client.post(
            reverse("admin:fulfilment_task_act", args=[on_page.pk, action]), form
        )
        assert response.status_code == 302, response.content

    def call(action: str, body: dict[str, Any]) -> dict[str, Any]:
        response = api("POST", f"/api/v1/tasks/{by_api.pk}/{action}/", img_key, body)
        assert response.status_code == 200, response.content
        return response.json()

    page("start", {})
    assert call("start", {})["state"] == "in_progress"
    page("complete", {"outcome": "Exported the contact record", "records": json.dumps(ROWS)})
    done = call("complete", {"outcome": "Exported the contact record", "records": ROWS})
    assert (done["state"], done["outcome"]) == ("done", "Exported the contact record")
    assert done["completed_at"] is not None and done["completed_by"] is None
    page("reopen", {"reason": "Missed the old address"})
    assert call("reopen", {"reason": "Missed the old address"})["state"] == "open"

    page_trail, api_trail = _trail(on_page.request, last), _trail(by_api.request, last)
    assert [kind for kind, _summary in api_trail] == [
        EventKind.TASK_CHANGED,
        EventKind.DATA_ADDED,
        EventKind.TASK_COMPLETED,
        EventKind.TASK_CHANGED,
    ]
    assert page_trail == api_trail
    written = RequestEvent.objects.filter(request=by_api.request, pk__gt=last)
    assert {(e.actor_id, e.actor_label) for e in written} == {(None, "api:crm-sync")}
    # The rows are in the request's data package, as the page puts them there.
    item = by_api.request.data_items.get()
    assert (item.system, item.category, item.records) == ("Zoho CRM", "Contact Data", ROWS)
    assert on_page.request.data_items.get().records == ROWS


def test_a_read_key_cannot_act_on_a_task(api: Any, img_reader: str, started: Any) -> None:
    task = _task(started())
    before = RequestEvent.objects.count()
    for action, body in [
        ("start", {}),
        ("complete", {"outcome": "Nothing"}),
        ("reopen", {"reason": "x"}),
    ]:
        response = api("POST", f"/api/v1/tasks/{task.pk}/{action}/", img_reader, body)
        assert response.status_code == 403
        assert response.json()["type"] == "urn:dsar:problem:forbidden"
    task.refresh_from_db()
    assert task.state == TaskState.OPEN
    assert RequestEvent.objects.count() == before


def test_refusals_are_problems_and_change_nothing(api: Any, img_key: str, started: Any) -> None:
    task = _task(started())
    url = f"/api/v1/tasks/{task.pk}/"

    # Invalid input: 400, one entry per field.
    blank = api("POST", url + "complete/", img_key, {"outcome": "", "records": [1, 2]})
    assert blank.status_code == 400
    assert {e["field"] for e in blank.json()["errors"]} >= {"outcome", "records.0"}

    # Rows found and "not applicable" at once: the service's refusal.
    both = api(
        "POST",
        url + "complete/",
        img_key,
        {"outcome": "x", "not_applicable": True, "records": ROWS},
    )
    assert both.status_code == 409
    assert both.json()["detail"] == "A task with data found is done, not “not applicable”."
    assert not task.request.data_items.exists()

    done = api(
        "POST", url + "complete/", img_key, {"outcome": "No account", "not_applicable": True}
    )
    assert done.json()["state"] == "not_applicable"
    events = RequestEvent.objects.count()

    again = api("POST", url + "complete/", img_key, {"outcome": "Once more"})
    assert again.status_code == 409
    assert again["Content-Type"] == "application/problem+json"
    assert again.json() == {
        "type": "urn:dsar:problem:refused",
        "title": "Action refused",
        "status": 409,
        "detail": "The task is not applicable: reopen it first.",
    }
    assert api("POST", url + "start/", img_key, {}).status_code == 409
    no_reason = api("POST", url + "reopen/", img_key, {"reason": " "})
    assert no_reason.status_code == 400
    task.refresh_from_db()
    assert (task.state, task.outcome) == (TaskState.NOT_APPLICABLE, "No account")
    assert RequestEvent.objects.count() == events


def test_a_key_cannot_override_open_tasks_but_fulfils_once_they_are_done(
    api: Any, img_key: str, started: Any
) -> None:
    """The override is a privacy officer's; a key holds no role (docs/api.md, "Tasks")."""
    request = started()
    fulfil = f"/api/v1/requests/{request.reference}/fulfil/"

    plain = api("POST", fulfil, img_key, {})
    assert plain.status_code == 409
    assert plain.json()["detail"].startswith(
        "It cannot be fulfilled while the task of Zoho CRM is open"
    )
    override = api("POST", fulfil, img_key, {"override_reason": "The CRM is being migrated."})
    assert override.status_code == 409
    assert override.json()["detail"] == (
        f"Only a privacy officer of {request.organization.name} may answer while the task of "
        "Zoho CRM is open."
    )
    request.refresh_from_db()
    assert request.status == Status.IN_PROGRESS

    task = _task(request)
    api(
        "POST",
        f"/api/v1/tasks/{task.pk}/complete/",
        img_key,
        {"outcome": "Exported", "records": ROWS},
    )
    closed = api("POST", fulfil, img_key, {"note": "Sent the export."})
    assert closed.status_code == 200, closed.content
    assert closed.json()["status"] == "fulfilled"

    # A closed request's tasks do not change.
    reopen = api("POST", f"/api/v1/tasks/{task.pk}/reopen/", img_key, {"reason": "Late find"})
    assert reopen.status_code == 409
    assert reopen.json()["detail"] == "The request is closed: its tasks do not change."


def test_completing_a_task_through_the_api_queues_a_task_completed_webhook(
    api: Any, img: Any, img_key: str, started: Any
) -> None:
    wants = Subscription.objects.create(
        organization=img, url="https://hooks.example.org/tasks", events=["task.completed"]
    )
    other = Subscription.objects.create(
        organization=img, url="https://hooks.example.org/other", events=["request.closed"]
    )
    request = started()
    task = _task(request)

    response = api(
        "POST", f"/api/v1/tasks/{task.pk}/complete/", img_key, {"outcome": "Nothing held here"}
    )
    assert response.status_code == 200

    delivery = Delivery.objects.get(subscription=wants)
    assert delivery.event == "task.completed"
    assert delivery.request == request
    assert delivery.details["event"]["kind"] == EventKind.TASK_COMPLETED
    assert "Nothing held here" not in str(delivery.details)  # free text stays out
    assert not Delivery.objects.filter(subscription=other).exists()
