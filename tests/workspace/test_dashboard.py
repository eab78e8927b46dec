"""The dashboard: queue counts for a small known fixture, each queue's link listing exactly what it
counts, the on-time chart, and a query count that does not grow with the number of requests."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dsar.organizations.models import Membership, Role
from dsar.requests import services, workspace
from dsar.requests.models import Status
from tests.workspace.conftest import CHANGELIST, DASHBOARD, NOW, TODAY
from tests.workspace.test_list import _create

pytestmark = pytest.mark.django_db

JAN_12 = dt.datetime(2026, 1, 12, 15, tzinfo=dt.UTC)  # IMG's month ends 12 Feb: overdue
FEB_5 = dt.datetime(2026, 2, 5, 15, tzinfo=dt.UTC)  # ends 5 March: due within 7 days


@pytest.fixture
def board(olivia, imgwg, imt, log_request):
    """olivia is IMG's privacy officer and also handles imgwg's requests."""
    Membership.objects.create(user=olivia, organization=imgwg, role=Role.HANDLER)
    new = log_request(requester_email="new@example.com")
    new_overdue = log_request(received_at=JAN_12, requester_email="late@example.com")
    soon = services.request_start(
        request=log_request(received_at=FEB_5, requester_email="soon@example.com"), actor=None
    )
    services.request_assign(request=soon, actor=olivia, assignee=olivia)
    awaiting = services.request_start(
        request=log_request(organization=imgwg, jurisdiction="US-CA"), actor=None
    )
    assert awaiting.status == Status.AWAITING_VERIFICATION
    late = services.request_start(
        request=log_request(received_at=JAN_12, requester_email="old@example.com"), actor=None
    )
    services.request_fulfil(request=late, actor=None)
    in_time = services.request_start(
        request=log_request(requester_email="quick@example.com"), actor=None
    )
    services.request_fulfil(request=in_time, actor=None)
    log_request(organization=imt, right_kind="erasure", jurisdiction="")  # another tenant's
    return {"new": new, "new_overdue": new_overdue, "soon": soon, "awaiting": awaiting}


def test_the_queue_counts(login, olivia, board):
    response = login(olivia).get(DASHBOARD)

    counts = {queue.key: queue.count for queue in response.context["queues"]}
    assert counts == {
        "new": 2,
        "awaiting_verification": 1,
        "due_soon": 1,
        "overdue": 1,
        "unassigned": 3,
        "appeals": 0,
    }


def test_each_queue_links_to_the_list_of_exactly_what_it_counts(login, olivia, board):
    client = login(olivia)

    for queue in client.get(DASHBOARD).context["queues"]:
        listed = client.get(f"{CHANGELIST}?{queue.query}").context["cl"].result_list
        assert len(listed) == queue.count, queue.key


def test_the_most_urgent_list(login, olivia, board):
    response = login(olivia).get(DASHBOARD)

    urgent = [item.reference for item, _ in response.context["urgent"]]
    assert urgent == [board["new_overdue"].reference, board["soon"].reference]


def test_the_on_time_chart(login, olivia, board):
    response = login(olivia).get(DASHBOARD)

    bars = response.context["chart"]
    page = response.content.decode()
    assert [bar.label for bar in bars] == [
        "Oct 2025",
        "Nov 2025",
        "Dec 2025",
        "Jan 2026",
        "Feb 2026",
        "Mar 2026",
    ]
    march = bars[-1].month
    assert (march.on_time, march.late, march.percent_on_time) == (1, 1, 50)
    assert all(bar.month.total == 0 for bar in bars[:-1])
    assert '<svg class="ontime-chart" role="img"' in page
    assert "<script" not in page.split('id="content"')[1]  # no JavaScript, no CDN
    assert "50%" in page


def test_on_time_by_month_counts_the_month_of_the_answer(olivia, board, time_machine):
    time_machine.move_to(NOW + dt.timedelta(days=31), tick=False)

    months = workspace.on_time_by_month(olivia, today=TODAY + dt.timedelta(days=31))

    assert [(m.month.month, m.total) for m in months[-2:]] == [(3, 2), (4, 0)]


def test_the_dashboard_makes_the_same_few_queries_for_5_or_50_requests(
    login, alice, log_request, django_assert_max_num_queries
):
    client = login(alice)
    _create(log_request, alice, 5)
    with CaptureQueriesContext(connection) as few:
        client.get(DASHBOARD)
    _create(log_request, alice, 45)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(DASHBOARD)

    assert response.status_code == 200
    # 12, one for the fulfilment app's overdue tasks by owner (dsar/fulfilment), and one for the
    # second factor's check of the user's devices (on every staff page).
    assert len(few.captured_queries) <= 14


def test_the_auditor_sees_the_dashboard_without_the_intake_link(login, audrey, board):
    response = login(audrey).get(DASHBOARD)

    assert response.status_code == 200
    assert "Log a request" not in response.content.decode()


def test_an_answer_late_in_new_york_on_its_due_day_counts_as_on_time(olivia, log_request):
    """IMG keeps New York time: answered at 21:00 on the due day (02:00 the next day in UTC)."""
    request = services.request_start(request=log_request(), actor=None)
    due = request.due_date
    evening = dt.datetime.combine(due, dt.time(21), tzinfo=ZoneInfo("America/New_York"))
    assert evening.astimezone(dt.UTC).date() > due
    with time_machine.travel(evening, tick=False):
        services.request_fulfil(request=request, actor=None)
        months = workspace.on_time_by_month(olivia, today=due)

    assert (months[-1].on_time, months[-1].late) == (1, 0)


def test_a_request_due_today_in_new_york_is_not_overdue_though_utc_is_past_midnight(
    login, olivia, log_request, time_machine
):
    """IMG keeps New York time. At 22:00 there on the due day it is 03:00 the next day in UTC:
    the list's filters and the dashboard must agree with the request's own "Due today"."""
    request = services.request_start(request=log_request(), actor=None)
    evening = dt.datetime.combine(
        request.due_date, dt.time(22), tzinfo=ZoneInfo("America/New_York")
    )
    time_machine.move_to(evening, tick=False)
    client = login(olivia)

    overdue = client.get(f"{CHANGELIST}?deadline=overdue").context["cl"].result_list
    week = client.get(f"{CHANGELIST}?deadline=week").context["cl"].result_list
    counts = {q.key: q.count for q in client.get(DASHBOARD).context["queues"]}

    assert list(overdue) == []
    assert list(week) == [request]
    assert (counts["overdue"], counts["due_soon"]) == (0, 1)
