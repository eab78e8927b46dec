"""Tasks in Chromium: the owner of a system opens My tasks, follows a task to its page, completes
it with what was done, and the request page shows it done, with the other task still open."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dsar.fulfilment.models import System, Task, TaskState
from dsar.requests import services
from dsar.requests.models import EventKind
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OUTCOME = "Deleted the customer row and both orders; the backups expire in 30 days."


@pytest.fixture
def erasure(alice: Any, settings: Any, tmp_path: Any) -> Any:
    """Dana's verified erasure request to IMG, whose register has two systems: the shop, which
    Alice owns, and the CRM, which nobody owns yet."""
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    img = alice.memberships.get().organization
    System.objects.create(
        organization=img, name="Shop database", owner=alice, rights=["erasure"],
        instructions="Delete the customer and their orders by email.",
    )  # fmt: skip
    System.objects.create(organization=img, name="Zoho CRM", rights=["erasure"])
    request = services.request_log(
        organization=img,
        right_kind="erasure",
        channel_kind="email",
        received_at=timezone.now(),
        requester_name="Dana Ortiz",
        requester_email="dana@example.org",
        jurisdiction="DE",
    )
    return services.request_verify_identity(
        request=request, actor=alice, how="passport seen", method="document"
    )


def test_an_owner_completes_a_task_from_my_tasks_and_the_request_shows_it_done(
    live_server: Any, page: Any, alice: Any, erasure: Any
) -> None:
    sign_in(page, live_server)
    page.goto(live_server.url + "/staff/fulfilment/task/mine/")
    mine = page.locator("tr.my-task")
    expect(mine).to_have_count(1)  # the CRM's task is nobody's yet
    expect(mine).to_contain_text(erasure.reference)

    mine.get_by_role("link", name="Shop database").click()
    expect(page.get_by_text("Delete the customer and their orders by email.")).to_be_visible()
    page.get_by_label("What was done").fill(OUTCOME)
    page.get_by_role("button", name="Complete the task").click()
    expect(page.get_by_role("button", name="Reopen")).to_be_visible()  # finished: it can reopen

    page.goto(f"{live_server.url}/staff/requests/privacyrequest/{erasure.pk}/change/")
    tasks = page.locator("#tasks")
    expect(tasks).to_contain_text("1 task still open.")
    expect(tasks.locator("tr.task-done")).to_contain_text("Shop database")
    expect(tasks.locator("tr.task-open")).to_contain_text("Zoho CRM")
    expect(page.locator("#timeline")).to_contain_text("Shop database")
    task = Task.objects.get(request=erasure, system__name="Shop database")
    assert task.state == TaskState.DONE and task.outcome == OUTCOME and task.completed_by == alice
    assert erasure.events.filter(kind=EventKind.TASK_COMPLETED).count() == 1

    page.goto(live_server.url + "/staff/fulfilment/task/mine/")
    expect(page.locator("tr.my-task")).to_have_count(0)
    expect(page.get_by_text("You have no open task.")).to_be_visible()
