"""The request list: filters, search, bulk "assign to me", and a query count that does not grow
with the number of requests (no N+1, no COUNT(*) of the whole table)."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_q.conf import Conf

from dsar.letters.models import Letter
from dsar.requests import services
from dsar.requests.admin import CappedCountPaginator
from dsar.requests.models import EventKind, PrivacyRequest
from tests.workspace.conftest import CHANGELIST, NOW

pytestmark = pytest.mark.django_db


def listed(response) -> set[str]:
    return {obj.reference for obj in response.context["cl"].result_list}


@pytest.fixture
def requests_(log_request, imt, alice):
    """IMG: one overdue, one due within a week, one due later, one with no legal deadline; and an
    iMT request nobody at IMG may see."""
    overdue = log_request(
        received_at=dt.datetime(2026, 1, 12, 15, tzinfo=dt.UTC),
        requester_name="Olga Overdue",
        requester_email="olga@example.com",
    )
    soon = log_request(
        received_at=dt.datetime(2026, 2, 5, 15, tzinfo=dt.UTC),
        right_kind="erasure",
        requester_name="Sam Soon",
        requester_email="sam@example.net",
    )
    later = log_request(requester_name="Lara Later", requester_email="lara@example.org")
    # iMT's erasure promise is in words, and no law applies without a jurisdiction: no deadline.
    none = log_request(
        organization=imt,
        right_kind="erasure",
        jurisdiction="",
        requester_name="Nina None",
        requester_email="nina@example.com",
    )
    services.request_assign(request=later, actor=alice, assignee=alice)
    return {"overdue": overdue, "soon": soon, "later": later, "none": none}


@pytest.fixture
def both(login, root):
    """A superuser sees both organizations, so the organization filter is offered."""
    return login(root)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"deadline": "overdue"}, {"overdue"}),
        ({"deadline": "week"}, {"soon"}),
        ({"deadline": "later"}, {"later"}),
        ({"deadline": "none"}, {"none"}),
        ({"right_kind__exact": "erasure"}, {"soon", "none"}),
        ({"status__exact": "received"}, {"overdue", "soon", "later", "none"}),
        ({"assignee": "none"}, {"overdue", "soon", "none"}),
        ({"q": "olga"}, {"overdue"}),
        ({"q": "example.net"}, {"soon"}),
        ({"q": "Lara Later"}, {"later"}),
        ({"q": "lara@example.org"}, {"later"}),  # exact, through the index
        ({"q": "LARA@Example.org"}, {"later"}),
        ({"q": "LGA@EXAMPLE.COM"}, {"overdue"}),  # no exact match: substring
    ],
)
def test_filters_and_search(both, requests_, query, expected):
    response = both.get(CHANGELIST, query, follow=True)

    assert response.status_code == 200
    assert listed(response) == {requests_[key].reference for key in expected}
    assert "q=" not in response.request["QUERY_STRING"]


def test_search_by_reference(both, requests_):
    reference = requests_["soon"].reference

    for term in (reference, f" {reference.lower()} ", reference[-5:]):
        assert listed(both.get(searched(both, term))) == {reference}


def searched(client, term: str, **filters: str) -> str:
    """Post the list's search form; the address it sends the browser to."""
    response = client.post(CHANGELIST + ("?" + urlencode(filters) if filters else ""), {"q": term})
    assert response.status_code == 302
    return response["Location"]


def test_a_search_keeps_the_term_out_of_every_address(both, requests_):
    # A requester's name and address are personal data: not in the address bar, the server's
    # log, the history or a Referer. The list's address carries a token, as do its links.
    url = searched(both, "Lara Later", deadline="later")
    assert "Lara" not in url and "deadline=later" in url and "s=" in url

    response = both.get(url)

    assert listed(response) == {requests_["later"].reference}
    page = response.content.decode()
    assert 'value="Lara Later"' in page  # the search box still shows it
    hrefs = re.findall(r'(?:href|action)="([^"]*)"', page)
    assert hrefs and not [h for h in hrefs if "Lara" in h or "q=" in h]
    # Opening a request and coming back keeps the search, by its token.
    change = next(h for h in hrefs if "_changelist_filters" in h)
    assert "s%3D" in change


def test_an_address_with_the_term_is_sent_to_its_token(both, requests_):
    response = both.get(CHANGELIST, {"q": "lara@example.org", "deadline": "later"})

    assert response.status_code == 302
    assert "lara" not in response["Location"] and "deadline=later" in response["Location"]
    assert listed(both.get(response["Location"])) == {requests_["later"].reference}


def test_a_search_token_means_nothing_in_another_session(both, root, requests_):
    url = searched(both, "olga")

    other = Client()  # the same person, another browser
    other.force_login(root)
    response = other.get(url, follow=True)

    assert "That search has expired" in response.content.decode()
    assert len(listed(response)) == len(requests_)


def test_an_auditor_may_search(login, audrey, requests_):
    client = login(audrey)

    assert listed(client.get(searched(client, "olga"))) == {requests_["overdue"].reference}


def test_filter_by_organization(both, requests_, imt):
    response = both.get(CHANGELIST, {"organization__id__exact": imt.pk})

    assert listed(response) == {requests_["none"].reference}


def test_filter_assigned_to_me(login, alice, requests_):
    response = login(alice).get(CHANGELIST, {"assignee": "me"})

    assert listed(response) == {requests_["later"].reference}


def test_the_list_shows_the_deadline_in_words_and_colour(login, alice, requests_):
    page = login(alice).get(CHANGELIST).content.decode()

    assert re.search(r'deadline-overdue"[^>]*>\d+ days overdue', page)
    assert re.search(r'deadline-soon"[^>]*>\d+ days left', page)
    assert re.search(r'deadline-ok"[^>]*>\d+ days left', page)


def test_bulk_assign_to_me_writes_an_event_per_request(login, alice, requests_):
    targets = [requests_["overdue"], requests_["soon"]]

    response = login(alice).post(
        CHANGELIST,
        {"action": "assign_to_me", "_selected_action": [r.pk for r in targets], "index": 0},
    )

    assert response.status_code == 302
    for privacy_request in targets:
        privacy_request.refresh_from_db()
        assert privacy_request.assignee == alice
        assert privacy_request.events.filter(kind=EventKind.ASSIGNED, actor=alice).exists()


def test_bulk_acknowledgements_are_issued_through_the_task_queue(
    login, alice, requests_, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(Conf, "SYNC", True)  # the cluster's code, run in this process
    targets = [requests_["overdue"], requests_["soon"]]

    with django_capture_on_commit_callbacks(execute=True):
        response = login(alice).post(
            CHANGELIST,
            {
                "action": "issue_acknowledgements",
                "_selected_action": [r.pk for r in targets],
                "index": 0,
            },
            follow=True,
        )

    assert "2 acknowledgements queued" in response.content.decode()
    for privacy_request in targets:
        letter = Letter.objects.get(request=privacy_request)
        assert (letter.kind, letter.issued_by) == ("acknowledgement", alice)
        assert letter.read().startswith(b"%PDF")


# -- Speed -----------------------------------------------------------------------------------------


def _create(log_request, alice, count: int) -> None:
    for i in range(count):
        privacy_request = log_request(
            received_at=NOW - dt.timedelta(days=i % 40, hours=1),
            requester_name=f"Requester {i}",
            requester_email=f"r{i}@example.com",
        )
        if i % 3 == 0:
            services.request_assign(request=privacy_request, actor=None, assignee=alice)


def _queries(client, url: str, params: dict[str, str] | None = None) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


@pytest.mark.parametrize(
    "params", [{}, {"deadline": "week", "q": "example"}, {"status__exact": "received"}]
)
def test_the_list_makes_the_same_few_queries_for_5_or_50_requests(
    login, alice, log_request, django_assert_max_num_queries, params
):
    client = login(alice)
    _create(log_request, alice, 5)
    url = CHANGELIST + "?" + urlencode(params)
    if "q" in params:  # searched through the form, as staff do: the address carries a token
        url = searched(client, params["q"], **{k: v for k, v in params.items() if k != "q"})
    few = _queries(client, url)
    _create(log_request, alice, 45)
    assert PrivacyRequest.objects.count() == 50

    with django_assert_max_num_queries(len(few)):
        client.get(url)
    many = _queries(client, url)

    assert len(many) == len(few) <= 12


def test_the_list_never_counts_the_whole_table(login, alice, log_request):
    _create(log_request, alice, 3)

    queries = _queries(login(alice), CHANGELIST)

    counts = [sql for sql in queries if "COUNT(" in sql.upper()]
    assert counts, "the paginator counts (a bounded count)"
    assert all("LIMIT" in sql.upper() for sql in counts), counts


def test_past_the_cap_the_list_says_more_than(login, alice, log_request, monkeypatch):
    monkeypatch.setattr(CappedCountPaginator, "cap", 3)
    _create(log_request, alice, 5)

    response = login(alice).get(CHANGELIST)

    assert response.context["cl"].result_count == 3
    assert "More than 3 requests" in response.content.decode()
