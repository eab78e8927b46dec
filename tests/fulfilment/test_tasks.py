"""Tasks: one per system the right applies to, made when the request is verified, and the
request cannot be answered while one is open unless a privacy officer says why."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dsar import deadlines
from dsar.fulfilment.models import Task, TaskMargin, TaskState
from dsar.fulfilment.tasks import TaskError, task_complete, task_reopen, task_start
from dsar.requests import services
from dsar.requests.models import EventKind, Status
from dsar.requests.services import TransitionError

from .conftest import verify

pytestmark = pytest.mark.django_db


def test_verifying_a_request_gives_each_system_of_its_right_a_task(
    make_system: Any, log_request: Any, olivia: Any, alice: Any, bob: Any
) -> None:
    make_system("Zoho CRM", owner=alice, instructions="Search contacts by email; export as CSV.")
    make_system("Shop", owner=bob, rights=["access"])
    make_system("Newsletter", rights=["marketing_opt_out"])  # not for access
    request = log_request("access")
    assert not Task.objects.filter(request=request).exists()  # nothing before verification

    request = verify(request, olivia)

    tasks = {t.system.name: t for t in Task.objects.filter(request=request)}
    assert set(tasks) == {"Zoho CRM", "Shop"}
    assert tasks["Zoho CRM"].owner == alice
    assert tasks["Shop"].owner == bob
    assert tasks["Zoho CRM"].instructions == "Search contacts by email; export as CSV."
    assert {t.state for t in tasks.values()} == {TaskState.OPEN}
    made = request.events.get(kind=EventKind.TASKS_CREATED)
    assert "2 tasks created" in made.summary


def test_the_due_date_is_the_legal_deadline_less_the_margin_in_business_days(
    img: Any, make_system: Any, log_request: Any, olivia: Any
) -> None:
    make_system("Zoho CRM")
    TaskMargin.objects.create(organization=img, business_days=3)
    request = verify(log_request("access"), olivia)

    task = Task.objects.get(request=request)
    calendar = img.holiday_calendar or None
    assert task.due_date == deadlines.add_business_days(request.due_date, -3, calendar)
    assert deadlines.business_days_between(task.due_date, request.due_date, calendar) == 3
    assert task.due_date < request.due_date


def test_a_margin_longer_than_the_time_left_makes_the_task_due_today_not_overdue(
    img: Any, make_system: Any, log_request: Any, olivia: Any
) -> None:
    make_system("Zoho CRM")
    TaskMargin.objects.create(organization=img, business_days=200)
    request = verify(log_request("access"), olivia)

    assert Task.objects.get(request=request).due_date == datetime.date(2026, 3, 5)


def test_tasks_are_made_in_a_constant_number_of_queries(
    make_system: Any, log_request: Any, olivia: Any, django_assert_num_queries: Any
) -> None:
    make_system("System 00")
    first = log_request("access")
    with CaptureQueriesContext(connection) as one_system:
        verify(first, olivia)
    assert Task.objects.filter(request=first).count() == 1
    for n in range(1, 20):
        make_system(f"System {n:02d}")
    second = log_request("access", requester_email="eve@example.org")

    with django_assert_num_queries(len(one_system.captured_queries)):
        verify(second, olivia)

    assert Task.objects.filter(request=second).count() == 20


def test_tasks_are_made_once_even_if_the_request_is_verified_again(
    make_system: Any, log_request: Any, olivia: Any
) -> None:
    from dsar.fulfilment.tasks import tasks_create

    make_system("Zoho CRM")
    request = verify(log_request("access"), olivia)

    assert tasks_create(request=request) == []
    assert Task.objects.filter(request=request).count() == 1


def test_an_open_task_keeps_the_request_from_being_fulfilled(
    make_system: Any, log_request: Any, olivia: Any, alice: Any
) -> None:
    make_system("Zoho CRM", owner=alice)
    request = verify(log_request("access"), olivia)

    with pytest.raises(TransitionError, match="the task of Zoho CRM is open"):
        services.request_fulfil(request=request, actor=alice)

    request.refresh_from_db()
    assert request.status == Status.IN_PROGRESS


def test_a_handler_cannot_override_open_tasks(
    make_system: Any, log_request: Any, olivia: Any, alice: Any
) -> None:
    make_system("Zoho CRM", owner=alice)
    request = verify(log_request("access"), olivia)

    with pytest.raises(TransitionError, match="Only a privacy officer"):
        services.request_fulfil(request=request, actor=alice, override="The CRM is down")

    request.refresh_from_db()
    assert request.status == Status.IN_PROGRESS


def test_a_privacy_officer_overrides_with_a_reason_on_the_trail(
    make_system: Any, log_request: Any, olivia: Any
) -> None:
    make_system("Zoho CRM")
    request = verify(log_request("access"), olivia)

    request = services.request_fulfil(
        request=request, actor=olivia, override="The CRM was decommissioned last week"
    )

    assert request.status == Status.FULFILLED
    closing = request.events.filter(kind=EventKind.STATUS_CHANGED).last()
    assert closing.data["override"] == "The CRM was decommissioned last week"
    assert closing.data["overridden"] == ["the task of Zoho CRM is open"]
    assert "The CRM was decommissioned last week" in closing.summary
    assert closing.actor == olivia


def test_completed_tasks_let_the_request_be_fulfilled(
    make_system: Any, log_request: Any, olivia: Any, alice: Any, bob: Any
) -> None:
    crm = make_system("Zoho CRM", owner=alice)
    make_system("Shop", owner=bob)
    request = verify(log_request("access"), olivia)
    tasks = {t.system_id: t for t in Task.objects.filter(request=request)}
    crm_task = tasks.pop(crm.pk)
    (shop_task,) = tasks.values()

    task_start(task=crm_task, actor=alice)
    task_complete(
        task=crm_task,
        actor=alice,
        outcome="Exported the contact record",
        records=[{"email": "dana@example.org", "since": "2021-04-01"}],
    )
    task_complete(task=shop_task, actor=bob, outcome="No account", not_applicable=True)
    request = services.request_fulfil(request=request, actor=alice)

    assert request.status == Status.FULFILLED
    states = dict(Task.objects.filter(request=request).values_list("system__name", "state"))
    assert states == {"Zoho CRM": TaskState.DONE, "Shop": TaskState.NOT_APPLICABLE}
    item = request.data_items.get()
    assert (item.system, item.category) == ("Zoho CRM", "Contact Data")
    assert item.records == [{"email": "dana@example.org", "since": "2021-04-01"}]
    kinds = list(request.events.values_list("kind", flat=True))
    assert kinds.count(EventKind.TASK_COMPLETED) == 2


def test_completing_needs_what_was_done_and_a_finished_task_can_be_reopened(
    make_system: Any, log_request: Any, olivia: Any, alice: Any
) -> None:
    make_system("Zoho CRM", owner=alice)
    request = verify(log_request("access"), olivia)
    task = Task.objects.get(request=request)

    with pytest.raises(TaskError, match="Say what was done"):
        task_complete(task=task, actor=alice, outcome="  ")
    task = task_complete(task=task, actor=alice, outcome="Nothing found", not_applicable=True)
    with pytest.raises(TaskError, match="reopen it first"):
        task_complete(task=task, actor=alice, outcome="again")
    task = task_reopen(task=task, actor=olivia, reason="Searched the wrong account")

    assert task.state == TaskState.OPEN
    assert task.outcome == ""
    with pytest.raises(TransitionError):
        services.request_fulfil(request=request, actor=alice)


def test_a_task_completion_is_a_task_completed_webhook(
    img: Any, make_system: Any, log_request: Any, olivia: Any, alice: Any
) -> None:
    from dsar.webhooks.models import Delivery, Subscription

    Subscription.objects.create(
        organization=img, url="https://hooks.example.org/dsar", events=["task.completed"]
    )
    make_system("Zoho CRM", owner=alice)
    request = verify(log_request("access"), olivia)
    task = Task.objects.get(request=request)

    task_complete(task=task, actor=alice, outcome="Nothing found", not_applicable=True)

    delivery = Delivery.objects.get(request=request)
    assert delivery.event == "task.completed"
    assert "Nothing found" not in str(delivery.details)  # free text stays out of webhooks


def test_the_access_letter_lists_start_from_the_register(
    img: Any, make_system: Any, log_request: Any, olivia: Any
) -> None:
    from dsar.fulfilment.models import Recipient
    from dsar.letters.context import default_parts

    crm = make_system(
        "Zoho CRM",
        data_categories="Contact Data\nMarketing and Communications Data",
        retention="6 years after the last contact",
        location="United States",
        transfer_safeguards="Standard contractual clauses",
    )
    make_system("Newsletter", rights=["marketing_opt_out"], data_categories="Email address")
    Recipient.objects.create(organization=img, name="Zoho", category="processor").systems.set([crm])
    request = verify(log_request("access"), olivia)

    parts = default_parts("access", request)

    assert parts["categories"] == "Contact Data\nMarketing and Communications Data"
    assert parts["recipients"] == "Zoho (processor)"
    assert parts["retention"] == "Zoho CRM: 6 years after the last contact"
    if "transfers" in parts:
        assert parts["transfers"] == "Zoho CRM (United States): Standard contractual clauses"


def test_a_request_that_needs_no_verification_gets_its_tasks_when_work_starts(
    make_system: Any, log_request: Any, alice: Any
) -> None:
    from dsar.requests.models import IdentityStatus

    make_system("Zoho CRM")
    request = log_request("access")
    request.identity_status = IdentityStatus.NOT_REQUIRED
    request.save(update_fields=["identity_status"])
    if request.status != Status.RECEIVED:
        pytest.skip("the seed's intake moved the request on already")

    services.request_start(request=request, actor=alice)

    assert Task.objects.filter(request=request).count() == 1
