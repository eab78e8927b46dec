"""The US state rights as staff see them: the verification level the law asks and what is
missing, the actions that record data points, the declaration and an agent's authority (each
writing its event through its service), appeals linked both ways and kept from whoever refused,
GPC opt-outs and appeals on the list and the dashboard, and the organization's settings.

The clock is frozen at 14:00 UTC on Monday 2 March 2026 (tests/workspace/conftest.py).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dsar.organizations.models import Organization
from dsar.requests import services
from dsar.requests.models import (
    AgentAuthority,
    EventKind,
    IdentityStatus,
    PrivacyRequest,
    RequestEvent,
    Status,
)
from tests.workspace.conftest import (
    CHANGELIST,
    DASHBOARD,
    NOW,
    act_url,
    change_url,
)
from tests.workspace.test_organization_admin import _post_data

pytestmark = pytest.mark.django_db

POINTS = ["email address", "postal address", "telephone number", "last order number"]


def post_action(client: Client, privacy_request: PrivacyRequest, action: str, **fields: Any):
    data = {f"{action}-{name}": value for name, value in fields.items()}
    return client.post(act_url(privacy_request, action), data)


def page_of(client: Client, privacy_request: PrivacyRequest) -> str:
    response = client.get(change_url(privacy_request))
    assert response.status_code == 200
    return response.content.decode()


def offered(client: Client, privacy_request: PrivacyRequest) -> set[str]:
    response = client.get(change_url(privacy_request))
    shown = response.context["actions"] + response.context["closing_actions"]
    return {each.action.name for each in shown}


@pytest.fixture
def points(img: Organization) -> Organization:
    img.data_points = POINTS
    img.save(update_fields=["data_points"])
    return img


@pytest.fixture
def californian(points, log_request) -> PrivacyRequest:
    """A Californian's request to know, not saying categories: specific pieces, §7062(c)."""
    request = log_request(jurisdiction="US-CA")
    assert request.identity_status == IdentityStatus.PENDING
    return services.request_start(request=request, actor=None)


# -- Verification level ----------------------------------------------------------------------------


def test_the_page_says_the_level_the_law_asks_and_what_is_missing(login, alice, californian):
    client = login(alice)

    page = page_of(client, californian)

    assert "Verification the law asks" in page
    assert (
        "Cal. Code Regs. tit. 11 §7062(c)</strong>: 3 data points (0 so far) and a signed "
        "declaration (not yet received)"
    ) in page
    assert "3 matched data points (0 so far); a declaration signed under penalty of perjury" in (
        page
    )
    assert {"match_data_points", "record_declaration"} <= offered(client, californian)


def test_staff_record_the_data_points_and_the_declaration_until_the_level_is_reached(
    login, alice, californian
):
    client = login(alice)

    response = post_action(
        client,
        californian,
        "match_data_points",
        points=["email address", "postal address"],
        how="the account record",
    )

    assert response.status_code == 302
    californian.refresh_from_db()
    assert californian.data_points_matched == ["email address", "postal address"]
    event = californian.events.get(kind=EventKind.DATA_POINTS_MATCHED)
    assert (event.actor, event.data["points"], event.data["how"]) == (
        alice,
        ["email address", "postal address"],
        "the account record",
    )
    page = page_of(client, californian)
    assert "3 data points (2 so far) and a signed declaration" in page
    # Only the points not matched yet are offered.
    form = client.get(change_url(californian)).context["actions"]
    match = next(a.form for a in form if a.action.name == "match_data_points")
    assert [value for value, _label in match.fields["points"].choices] == [
        "telephone number",
        "last order number",
    ]

    post_action(client, californian, "match_data_points", points=["telephone number"], how="call")
    post_action(client, californian, "record_declaration", signed_on="2026-03-02")

    californian.refresh_from_db()
    assert californian.declaration_signed_on == dt.date(2026, 3, 2)
    assert californian.events.filter(kind=EventKind.DECLARATION_RECEIVED, actor=alice).exists()
    page = page_of(client, californian)
    assert "3 data points (3 so far) and a signed declaration (received, dated 2 Mar 2026)" in page
    assert "nothing: the level is reached" in page
    assert not {"match_data_points", "record_declaration"} & offered(client, californian)


def test_a_point_the_organization_does_not_list_is_refused_and_nothing_written(
    login, alice, californian
):
    response = post_action(
        login(alice), californian, "match_data_points", points=["shoe size"], how="asked"
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not californian.events.filter(kind=EventKind.DATA_POINTS_MATCHED).exists()


def test_a_declaration_dated_in_the_future_is_refused(login, alice, californian):
    response = post_action(login(alice), californian, "record_declaration", signed_on="2026-03-09")

    assert "A declaration cannot be in the future." in response.content.decode()
    californian.refresh_from_db()
    assert californian.declaration_signed_on is None


def test_fulfilling_before_the_level_is_reached_is_refused_with_what_is_missing(
    login, alice, californian
):
    client = login(alice)
    verified = services.request_verify_identity(
        request=californian, actor=alice, how="called back on the account's number"
    )

    response = post_action(client, verified, "fulfil", reason="", note="")

    page = response.content.decode()
    assert (
        "It cannot be fulfilled until the identity is verified to Cal. Code Regs. tit. 11 "
        "§7062(c): it needs 3 matched data points (0 so far)"
    ) in page
    verified.refresh_from_db()
    assert verified.status == Status.IN_PROGRESS


def test_an_organization_without_data_points_is_told_where_to_list_them(login, alice, log_request):
    request = log_request(jurisdiction="US-CA", access_scope="categories")
    client = login(alice)

    page = page_of(client, request)

    assert "§7062(b)</strong>: 2 data points (0 so far)" in page
    assert "The organization lists no data points to match" in page
    assert "match_data_points" not in offered(client, request)


@pytest.mark.parametrize(
    ("fields", "why"),
    [
        ({"jurisdiction": "FR"}, "the GDPR sets no level"),
        ({"jurisdiction": "US-CA", "right_kind": "opt_out_sale"}, "an opt-out needs none"),
    ],
)
def test_no_level_no_verification_actions(login, alice, points, log_request, fields, why):
    request = log_request(**fields)
    client = login(alice)

    page = page_of(client, request)

    assert "Verification the law asks" not in page, why
    assert not {"match_data_points", "record_declaration", "check_agent"} & offered(client, request)


def test_another_states_level_is_two_data_points(login, alice, points, log_request):
    request = log_request(jurisdiction="US-VA")

    page = page_of(login(alice), request)

    assert "Va. Code §59.1-577(B)</strong>: 2 data points (0 so far)" in page
    assert "signed declaration" not in page


# -- Authorized agents -----------------------------------------------------------------------------


@pytest.fixture
def agents_request(points, log_request) -> PrivacyRequest:
    return log_request(
        jurisdiction="US-CA",
        access_scope="categories",
        is_agent=True,
        agent_name="Rights Agents LLC",
    )


def test_an_agents_request_shows_the_agent_and_what_california_still_asks(
    login, alice, agents_request
):
    client = login(alice)

    page = page_of(client, agents_request)

    assert "Rights Agents LLC" in page
    assert re.search(r'class="agent-authority">\s*Not yet checked', page)
    assert "the agent&#x27;s signed permission, checked" in page
    assert {"check_agent", "consumer_confirmed_agent"} <= offered(client, agents_request)


def test_staff_check_the_agent_and_record_the_consumers_confirmation(login, alice, agents_request):
    client = login(alice)

    post_action(
        client,
        agents_request,
        "check_agent",
        authority=AgentAuthority.PERMISSION,
        how="signed permission, dated 1 March, naming the agent",
    )
    post_action(
        client,
        agents_request,
        "consumer_confirmed_agent",
        confirmed_on="2026-03-02",
        how="called the consumer on the account's number",
    )

    agents_request.refresh_from_db()
    assert agents_request.agent_authority == AgentAuthority.PERMISSION
    assert agents_request.consumer_confirmed_agent_on == dt.date(2026, 3, 2)
    kinds = list(agents_request.events.filter(actor=alice).values_list("kind", flat=True))
    assert kinds == [EventKind.AGENT_CHECKED, EventKind.AGENT_CONFIRMED]
    page = page_of(client, agents_request)
    assert "Signed permission from the consumer, checked" in page
    assert "nothing: the agent's authority is shown" in page
    assert not {"check_agent", "consumer_confirmed_agent"} & offered(client, agents_request)


def test_a_confirmation_before_the_request_arrived_is_refused(login, alice, agents_request):
    response = post_action(
        login(alice),
        agents_request,
        "consumer_confirmed_agent",
        confirmed_on="2026-02-01",
        how="phoned",
    )

    assert "A confirmation cannot come before the request arrived." in response.content.decode()
    assert not agents_request.events.filter(kind=EventKind.AGENT_CONFIRMED).exists()


def test_no_agent_actions_on_a_request_the_requester_made_themselves(login, alice, californian):
    assert not {"check_agent", "consumer_confirmed_agent"} & offered(login(alice), californian)


def test_an_auditor_sees_the_state_but_no_action(login, audrey, agents_request):
    client = login(audrey)

    page = page_of(client, agents_request)

    assert "Rights Agents LLC" in page and "Verification the law asks" in page
    response = post_action(client, agents_request, "check_agent", authority="permission", how="x")
    assert response.status_code == 403
    assert not agents_request.events.filter(kind=EventKind.AGENT_CHECKED).exists()


# -- Appeals ---------------------------------------------------------------------------------------


@pytest.fixture
def appealed(alice, log_request) -> tuple[PrivacyRequest, PrivacyRequest]:
    """A Virginian's request alice denied, and its appeal (Va. Code §59.1-577(C): 60 days)."""
    refused = services.request_deny(
        request=log_request(
            jurisdiction="US-VA", received_at=NOW - dt.timedelta(days=20), requester_name="Vic"
        ),
        actor=alice,
        reason="We hold no data about you.",
    )
    appeal = services.request_appeal(request=refused, received_at=NOW, message="Look again.")
    return refused, appeal


def test_the_appeal_links_to_the_refusal_and_says_who_refused(login, bob, appealed):
    refused, appeal = appealed
    client = login(bob)

    page = page_of(client, appeal)

    assert f'href="{change_url(refused)}">{refused.reference}</a> (denied)' in page
    assert re.search(r'class="refused-by">alice, \d+ \w+ 2026', page)
    assert "Someone other than who refused" in page

    page = page_of(client, refused)
    assert f'href="{change_url(appeal)}">{appeal.reference}</a>: received' in page
    assert "decision due 1 May 2026" in page


def test_a_refusal_not_yet_appealed_says_until_when_it_can_be(login, alice, log_request):
    refused = services.request_deny(
        request=log_request(jurisdiction="US-VA"), actor=alice, reason="No data."
    )

    page = page_of(login(alice), refused)

    assert "gives an appeal of this refusal: they can appeal until 31 May 2026" in page


def test_the_assign_form_of_an_appeal_leaves_out_whoever_refused(login, alice, bob, appealed):
    _refused, appeal = appealed
    client = login(bob)

    form = next(
        a.form
        for a in client.get(change_url(appeal)).context["actions"]
        if a.action.name == "assign"
    )
    assert [u.username for u in form.fields["assignee"].queryset] == ["bob"]

    response = post_action(client, appeal, "assign", assignee=alice.pk)
    assert "Select a valid choice" in response.content.decode()
    assert not appeal.events.filter(kind=EventKind.ASSIGNED).exists()

    post_action(client, appeal, "assign", assignee=bob.pk)
    appeal.refresh_from_db()
    assert appeal.assignee == bob


def test_a_team_of_one_may_assign_the_appeal_to_whoever_refused(login, alice, bob, appealed):
    _refused, appeal = appealed
    Organization.objects.filter(pk=appeal.organization_id).update(appeals_by_another_decider=False)
    client = login(alice)

    form = next(
        a.form
        for a in client.get(change_url(appeal)).context["actions"]
        if a.action.name == "assign"
    )

    assert {u.username for u in form.fields["assignee"].queryset} == {"alice", "bob"}
    assert "Anyone: the organization lets the person who refused" in page_of(client, appeal)
    post_action(client, appeal, "assign", assignee=alice.pk)
    appeal.refresh_from_db()
    assert appeal.assignee == alice


# -- The list and the dashboard --------------------------------------------------------------------


@pytest.fixture
def mixed(log_request, appealed) -> dict[str, PrivacyRequest]:
    refused, appeal = appealed
    gpc = log_request(
        right_kind="opt_out_sale",
        channel_kind="web_form",
        jurisdiction="US-CA",
        gpc=True,
        requester_email="gpc@example.com",
    )
    ads = log_request(
        right_kind="opt_out_targeted_ads", jurisdiction="US-CO", requester_email="ads@example.com"
    )
    plain = log_request(requester_email="plain@example.com")
    return {"refused": refused, "appeal": appeal, "gpc": gpc, "ads": ads, "plain": plain}


def listed(client: Client, **query: str) -> set[str]:
    response = client.get(CHANGELIST, query)
    assert response.status_code == 200
    return {obj.reference for obj in response.context["cl"].result_list}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"gpc": "yes"}, {"gpc"}),
        ({"gpc": "no"}, {"refused", "appeal", "ads", "plain"}),
        ({"appeal": "appeals"}, {"appeal"}),
        ({"appeal": "open"}, {"appeal"}),
        ({"appeal": "appealed"}, {"refused"}),
        ({"opt_out": "any"}, {"gpc", "ads"}),
        ({"opt_out": "opt_out_targeted_ads"}, {"ads"}),
        ({"opt_out": "limit_sensitive"}, set()),
    ],
)
def test_the_list_filters_gpc_appeals_and_opt_outs(login, alice, mixed, query, expected):
    assert listed(login(alice), **query) == {mixed[key].reference for key in expected}


def test_the_list_marks_gpc_opt_outs_and_appealed_refusals(login, alice, mixed):
    response = login(alice).get(CHANGELIST)
    page = response.content.decode()

    rows = {
        ref: row
        for row in re.findall(r"<tr>.*?</tr>", page, re.DOTALL)
        if (ref := next((r.reference for r in mixed.values() if r.reference in row), None))
    }
    assert 'class="marker marker-gpc"' in rows[mixed["gpc"].reference]
    assert 'class="marker marker-appealed"' in rows[mixed["refused"].reference]
    assert "marker" not in rows[mixed["plain"].reference]
    assert "appeal of a refusal" in rows[mixed["appeal"].reference]
    assert "Sent with Global Privacy Control" in page  # the filter


@pytest.mark.parametrize("params", [{}, {"gpc": "yes"}, {"appeal": "appealed"}])
def test_the_list_with_markers_makes_the_same_few_queries_for_few_or_many(
    login, alice, log_request, params, django_assert_max_num_queries
):
    def make(count: int) -> None:
        for i in range(count):
            refused = services.request_deny(
                request=log_request(
                    jurisdiction="US-VA",
                    gpc=i % 2 == 0,
                    requester_email=f"r{i}-{count}@example.com",
                    received_at=NOW - dt.timedelta(days=2, hours=i),
                ),
                actor=alice,
                reason="No data.",
            )
            if i % 3 == 0:
                services.request_appeal(request=refused, received_at=NOW, message="Again.")

    client = login(alice)
    url = CHANGELIST + "?" + urlencode(params)
    make(3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    make(24)

    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
    assert len(few.captured_queries) <= 12


def test_the_list_count_does_not_probe_for_appeals(login, alice, mixed):
    with CaptureQueriesContext(connection) as captured:
        login(alice).get(CHANGELIST)

    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts and not [sql for sql in counts if "appeal_of_id" in sql], counts


def test_the_dashboard_lists_the_appeals_awaiting_decision(login, alice, mixed):
    client = login(alice)

    response = client.get(DASHBOARD)

    counts = {queue.key: queue.count for queue in response.context["queues"]}
    assert counts["appeals"] == 1
    appeals = [item.reference for item, _deadline in response.context["appeals"]]
    assert appeals == [mixed["appeal"].reference]
    page = response.content.decode()
    assert "Appeals awaiting decision" in page
    assert "60 days left (due 1 May 2026)" in page
    assert f'href="{change_url(mixed["refused"])}">{mixed["refused"].reference}</a>' in page
    queue = next(q for q in response.context["queues"] if q.key == "appeals")
    assert listed(client, **dict([queue.query.split("=")])) == {mixed["appeal"].reference}

    started = services.request_start(request=mixed["appeal"], actor=None)
    services.request_fulfil(request=started, actor=None)
    assert client.get(DASHBOARD).context["appeals"] == []


# -- The organization's settings -------------------------------------------------------------------


def test_the_privacy_officer_sets_data_points_and_who_decides_appeals(login, olivia, img):
    client = login(olivia)
    url = reverse("admin:organizations_organization_change", args=[img.pk])
    page = client.get(url).content.decode()
    assert "Verification and appeals (US state laws)" in page
    data = _post_data(client.get(url))
    data.update(
        data_points="email address\n\n  postal address \nemail address\nlast order number\n",
        deletion_data_points="3",
    )
    data.pop("appeals_by_another_decider", None)  # unticked

    response = client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    img.refresh_from_db()
    assert img.data_points == ["email address", "postal address", "last order number"]
    assert (img.deletion_data_points, img.appeals_by_another_decider) == (3, False)
    # Shown again one per line.
    assert (
        "email address\npostal address\nlast order number</textarea>"
        in client.get(url).content.decode()
    )


def test_the_level_of_a_deletion_follows_the_organizations_setting(
    login, alice, points, log_request
):
    Organization.objects.filter(pk=points.pk).update(deletion_data_points=3)

    page = page_of(login(alice), log_request(right_kind="erasure", jurisdiction="US-CA"))

    assert "§7062(d)</strong>: 3 data points (0 so far)" in page


def test_the_events_are_written_once_each(login, alice, californian):
    before = RequestEvent.objects.count()
    post_action(login(alice), californian, "match_data_points", points=["email address"], how="x")
    assert RequestEvent.objects.count() == before + 1


@pytest.mark.parametrize(("where", "required"), [("US-CA", True), ("US-VA", False), ("FR", False)])
def test_the_page_says_a_request_came_with_gpc_and_whether_the_law_requires_it(
    login, alice, log_request, where, required
):
    request = log_request(
        right_kind="opt_out_sale", channel_kind="web_form", jurisdiction=where, gpc=True
    )

    page = page_of(login(alice), request)

    assert "Sent with the Global Privacy Control signal (Sec-GPC: 1)" in page
    assert ("The law of the requester's state requires honouring it." in page) is required
