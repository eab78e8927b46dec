"""The staff home (/staff/): what needs doing today for the staff member signed in, counted as
the lists it links to count, never another organization's requests, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dsar.fulfilment.models import System, Task, TaskState
from dsar.requests import services
from dsar.requests.models import IdentityStatus, PrivacyRequest
from dsar.requests.staff_home import staff_home
from tests.workspace.conftest import NOW, TODAY

pytestmark = pytest.mark.django_db

HOME = "/staff/"
JAN_12 = dt.datetime(2026, 1, 12, 15, tzinfo=dt.UTC)  # IMG's month ends 12 Feb: overdue
FEB_5 = dt.datetime(2026, 2, 5, 15, tzinfo=dt.UTC)  # ends 5 March: due within 7 days


def _set(request: PrivacyRequest, **fields) -> PrivacyRequest:
    PrivacyRequest.objects.filter(pk=request.pk).update(**fields)
    request.refresh_from_db()
    return request


def _task(request: PrivacyRequest, owner, *, state=TaskState.OPEN) -> Task:
    system, _ = System.objects.get_or_create(
        organization=request.organization,
        name="Shop",
        defaults={"rights": ["access"], "data_categories": "Orders", "instructions": "Look."},
    )
    return Task.objects.create(
        request=request,
        system=system,
        owner=owner,
        state=state,
        due_date=TODAY + dt.timedelta(days=2),
        outcome="Done." if state == TaskState.DONE else "",
        completed_at=NOW if state == TaskState.DONE else None,
    )


@pytest.fixture
def today_(olivia, alice, charlie, imt, log_request):
    """IMG: one request in each pile, a closed one in none; iMT: one in every pile."""
    verified = {"identity_status": IdentityStatus.VERIFIED}
    overdue = _set(log_request(received_at=JAN_12, requester_email="late@example.com"), **verified)
    soon = _set(log_request(received_at=FEB_5, requester_email="soon@example.com"), **verified)
    unverified = _set(log_request(), identity_status=IdentityStatus.PENDING)
    unacknowledged = _set(
        log_request(requester_email="ack@example.com"),
        identity_status=IdentityStatus.NOT_REQUIRED,
        acknowledge_by=TODAY + dt.timedelta(days=5),
    )
    closed = services.request_start(
        request=log_request(received_at=JAN_12, requester_email="old@example.com"), actor=None
    )
    closed = _set(
        services.request_fulfil(request=closed, actor=None),
        identity_status=IdentityStatus.PENDING,
        acknowledge_by=TODAY,
    )
    theirs = _set(
        log_request(organization=imt, received_at=JAN_12, jurisdiction="FR"),
        identity_status=IdentityStatus.PENDING,
        acknowledge_by=TODAY,
    )
    _task(soon, olivia)
    _task(overdue, alice)  # someone else's
    _task(unverified, olivia, state=TaskState.DONE)  # done
    _task(theirs, charlie)
    return {
        "overdue": overdue,
        "soon": soon,
        "unverified": unverified,
        "unacknowledged": unacknowledged,
        "closed": closed,
        "theirs": theirs,
    }


def counts_on_page(html: str) -> dict[str, int]:
    return {key: int(count) for key, count in re.findall(r'id="pile-([a-z_]+)-count">(\d+)<', html)}


def test_the_home_counts_what_the_privacy_officer_has_to_do(login, olivia, today_):
    response = login(olivia).get(HOME)

    assert response.status_code == 200
    html = response.content.decode()
    assert counts_on_page(html) == {
        "overdue": 1,
        "due_soon": 1,
        "unverified": 1,
        "unacknowledged": 1,
        "unassigned": 4,
        "my_tasks": 1,
    }
    for key in ("overdue", "soon", "unverified", "unacknowledged"):
        assert today_[key].reference in html, key
    assert today_["closed"].reference not in html
    assert "What needs doing today" in html
    assert 'href="/staff/reports/"' in html
    assert 'href="/staff/requests/privacyrequest/dashboard/"' in html


def test_each_pile_links_to_a_list_of_exactly_what_it_counts(login, olivia, today_):
    client = login(olivia)

    for pile in staff_home(olivia).piles:
        response = client.get(pile.url)
        assert response.status_code == 200, pile.key
        if pile.key == "my_tasks":
            listed = [task for task, _ in response.context["rows"]]
        else:
            listed = list(response.context["cl"].result_list)
        assert len(listed) == pile.count, pile.key
        assert {item.pk for item in listed} == {item.pk for item in pile.items}, pile.key


def test_another_organizations_requests_are_never_counted(login, olivia, charlie, today_):
    olivias = login(olivia).get(HOME).content.decode()
    assert today_["theirs"].reference not in olivias

    charlies = login(charlie).get(HOME).content.decode()
    assert counts_on_page(charlies) == {
        "overdue": 1,
        "due_soon": 0,
        "unverified": 1,
        "unacknowledged": 1,
        "unassigned": 1,
        "my_tasks": 1,
    }
    for key in ("overdue", "soon", "unverified", "unacknowledged"):
        assert today_[key].reference not in charlies, key


def test_the_home_makes_the_same_few_queries_for_few_or_many_requests(
    login, olivia, log_request, django_assert_max_num_queries
):
    client = login(olivia)
    for i in range(3):
        _task(log_request(received_at=JAN_12, requester_email=f"a{i}@example.com"), olivia)
    with CaptureQueriesContext(connection) as few:
        assert client.get(HOME).status_code == 200

    for i in range(30):
        request = log_request(received_at=FEB_5, requester_email=f"b{i}@example.com")
        _set(request, acknowledge_by=TODAY)
        _task(request, olivia)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(HOME).status_code == 200
