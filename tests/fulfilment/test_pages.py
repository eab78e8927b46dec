"""The staff pages: "my tasks", a task's page, the tasks on the request page, overdue tasks by
owner on the dashboard, and the tenancy of them all."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from dsar.fulfilment.models import Task, TaskState
from dsar.organizations.models import Role
from dsar.requests.models import EventKind, Status

from .conftest import staff, verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_tasks(make_system: Any, log_request: Any, olivia: Any, alice: Any, bob: Any) -> Any:
    make_system("Zoho CRM", owner=alice)
    make_system("Shop", owner=bob)
    return verify(log_request("access"), olivia)


def test_my_tasks_lists_the_users_own_tasks(client: Any, two_tasks: Any, alice: Any) -> None:
    client.force_login(alice)

    page = client.get(reverse("admin:fulfilment_task_mine")).content.decode()

    assert "Zoho CRM" in page and two_tasks.reference in page
    assert "Shop" not in page  # Bob's


def test_my_tasks_shows_fifty_at_a_time_soonest_due_first(
    client: Any, make_system: Any, log_request: Any, olivia: Any, alice: Any
) -> None:
    for n in range(13):
        make_system(f"System {n:02d}", owner=alice)
    requests = [verify(log_request("access"), olivia) for _ in range(4)]  # 52 tasks
    Task.objects.filter(request=requests[0]).update(due_date=datetime.date(2026, 3, 10))
    client.force_login(alice)

    first = client.get(reverse("admin:fulfilment_task_mine")).content.decode()
    last = client.get(reverse("admin:fulfilment_task_mine") + "?page=2").content.decode()

    assert "52 open tasks, soonest due first." in first
    assert first.count('class="my-task') == 50 and last.count('class="my-task') == 2
    assert "Page 1 of 2" in first and 'rel="next"' in first
    assert requests[0].reference in first  # due sooner than the others
    assert requests[3].reference in last and requests[1].reference not in last


def test_the_request_page_shows_the_tasks_with_their_state(
    client: Any, two_tasks: Any, alice: Any
) -> None:
    task = Task.objects.get(request=two_tasks, system__name="Zoho CRM")
    client.force_login(alice)
    client.post(reverse("admin:fulfilment_task_act", args=[task.pk, "start"]))

    page = client.get(reverse("admin:requests_privacyrequest_change", args=[two_tasks.pk]))

    html = page.content.decode()
    assert 'id="tasks"' in html
    assert "2 tasks still open." in html
    assert "task-in_progress" in html and "task-open" in html


def test_an_owner_completes_a_task_with_a_file_that_goes_into_the_package(
    client: Any, two_tasks: Any, alice: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    task = Task.objects.get(request=two_tasks, system__name="Zoho CRM")
    client.force_login(alice)

    response = client.post(
        reverse("admin:fulfilment_task_act", args=[task.pk, "complete"]),
        {
            "outcome": "Exported the contact",
            "file": SimpleUploadedFile("contact.csv", b"email\ndana@example.org\n", "text/csv"),
        },
    )

    assert response.status_code == 302
    task.refresh_from_db()
    assert task.state == TaskState.DONE and task.completed_by == alice
    item = two_tasks.data_items.get()
    assert (item.system, item.original_name) == ("Zoho CRM", "contact.csv")
    assert item.file.read() == b"email\ndana@example.org\n"


def test_bad_rows_are_refused_with_a_message_and_nothing_changes(
    client: Any, two_tasks: Any, alice: Any
) -> None:
    task = Task.objects.get(request=two_tasks, system__name="Zoho CRM")
    client.force_login(alice)

    response = client.post(
        reverse("admin:fulfilment_task_act", args=[task.pk, "complete"]),
        {"outcome": "Exported", "records": '{"not": "a list"'},
    )

    assert response.status_code == 200
    assert "Not valid JSON" in response.content.decode()
    task.refresh_from_db()
    assert task.state == TaskState.OPEN
    assert not two_tasks.data_items.exists()


def test_the_fulfil_action_says_why_it_was_refused(client: Any, two_tasks: Any, alice: Any) -> None:
    client.force_login(alice)

    response = client.post(
        reverse("admin:requests_privacyrequest_act", args=[two_tasks.pk, "fulfil"]),
        {"fulfil-reason": "", "fulfil-note": ""},
    )

    assert "the tasks of Shop, Zoho CRM are open" in response.content.decode()
    two_tasks.refresh_from_db()
    assert two_tasks.status == Status.IN_PROGRESS


def test_a_privacy_officer_overrides_from_the_request_page(
    client: Any, two_tasks: Any, olivia: Any
) -> None:
    client.force_login(olivia)

    client.post(
        reverse("admin:requests_privacyrequest_act", args=[two_tasks.pk, "fulfil"]),
        {"fulfil-override": "Both systems were searched by phone with the vendor"},
    )

    two_tasks.refresh_from_db()
    assert two_tasks.status == Status.FULFILLED
    closing = two_tasks.events.filter(kind=EventKind.STATUS_CHANGED).last()
    assert closing.data["override"] == "Both systems were searched by phone with the vendor"


def test_the_dashboard_counts_overdue_tasks_by_owner(
    client: Any, two_tasks: Any, olivia: Any
) -> None:
    due = Task.objects.filter(request=two_tasks).first().due_date
    client.force_login(olivia)
    url = reverse("admin:requests_privacyrequest_dashboard")

    assert "No task is overdue." in client.get(url).content.decode()
    after = datetime.datetime.combine(
        due + datetime.timedelta(days=1), datetime.time(15), datetime.UTC
    )
    with time_machine.travel(after, tick=False):
        client.force_login(olivia)  # the session of the first visit has expired by then
        html = client.get(url).content.decode()

    assert "Overdue tasks by owner" in html
    assert html.count('class="overdue-owner"') == 2
    assert ">alice<" in html and ">bob<" in html


def test_another_organizations_task_answers_404(client: Any, two_tasks: Any, imt: Any) -> None:
    charlie = staff("charlie", imt, Role.HANDLER)
    task = Task.objects.filter(request=two_tasks).first()
    client.force_login(charlie)

    assert client.get(reverse("admin:fulfilment_task_change", args=[task.pk])).status_code == 404
    response = client.post(reverse("admin:fulfilment_task_act", args=[task.pk, "start"]))
    assert response.status_code == 404
    assert "Zoho CRM" not in client.get(reverse("admin:fulfilment_task_mine")).content.decode()


def test_an_auditor_reads_a_task_but_cannot_act(client: Any, two_tasks: Any, img: Any) -> None:
    auditor = staff("audrey", img, Role.AUDITOR)
    task = Task.objects.filter(request=two_tasks).first()
    client.force_login(auditor)

    assert client.get(reverse("admin:fulfilment_task_change", args=[task.pk])).status_code == 200
    response = client.post(reverse("admin:fulfilment_task_act", args=[task.pk, "start"]))
    assert response.status_code == 403


def _answer_with_a_file(request: Any, n: int) -> bytes:
    from email.message import EmailMessage

    from dsar.correspondence import addresses

    message = EmailMessage()
    message["From"] = request.requester_email
    message["To"] = addresses.reply_address_for(request)
    message["Subject"] = f"Re: question {n}"
    message.set_content("Here it is.\n")
    message.add_attachment(
        b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
        maintype="application",
        subtype="pdf",
        filename=f"statement-{n}.pdf",
    )
    return message.as_bytes()


@pytest.mark.parametrize("second_factor", [False, True], ids=["password", "verified-code"])
def test_the_request_page_reads_every_panel_in_under_15_queries(
    client: Any,
    make_system: Any,
    log_request: Any,
    olivia: Any,
    django_assert_max_num_queries: Any,
    second_factor: bool,
) -> None:
    """The staff page target of bench/request_page.py, whatever the tasks, messages, files and
    letters: each panel reads once, however many rows it shows."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from dsar.correspondence import services as correspondence
    from dsar.correspondence.models import CorrespondenceSettings
    from dsar.letters.services import letter_issue

    for n in range(6):
        make_system(f"System {n:02d}", owner=olivia)
    request = verify(log_request("erasure"), olivia)
    CorrespondenceSettings.objects.create(
        organization=request.organization, reply_mailbox="replies@img.example"
    )
    for n in range(4):
        correspondence.message_send(
            request=request, actor=olivia, subject=f"Question {n}", body="Which account?"
        )
        correspondence.receive(_answer_with_a_file(request, n), via="email")
    letter = letter_issue(request=request, kind="acknowledgement", actor=olivia)
    client.force_login(olivia)
    if second_factor:
        device = TOTPDevice.objects.create(user=olivia, name="app", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    url = reverse("admin:requests_privacyrequest_change", args=[request.pk])
    client.get(url)  # once a connection: SQLite's JSON support is probed on first use

    with django_assert_max_num_queries(14):
        page = client.get(url)

    html = page.content.decode()
    assert page.status_code == 200
    assert "6 tasks still open." in html
    assert all(f"statement-{n}.pdf" in html for n in range(4))  # each message's file
    assert f"{letter.reference} (" in html  # the closing forms ask about the unsent letter
    assert "replies+" in html  # the request's reply address
