"""seed_demo_requests and demo_setup: every status, real audit trails, idempotent."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from dsar.organizations.models import Membership, Role
from dsar.requests import events, verification
from dsar.requests.demo import (
    DEMO_ACTOR_LABEL,
    HISTORY_DAYS,
    REVIEWER,
    SEED_ORGANIZATIONS,
    seed_demo_requests,
)
from dsar.requests.models import (
    AgentAuthority,
    EventKind,
    IdentityStatus,
    PrivacyRequest,
    RequestEvent,
    Status,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 15, 12, 0, tzinfo=dt.UTC)
# Enough for every status in every organization (the plan cycles through 14 targets).
SMALL = 14


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_demo_requests", **options, stdout=out)
    return out.getvalue()


def test_it_covers_every_status_in_every_organization_through_the_services(seeds):
    out = seed(per_organization=SMALL)

    assert "Seeded " in out
    requests = PrivacyRequest.objects.all()
    assert set(requests.values_list("status", flat=True)) == set(Status.values)
    assert set(requests.values_list("organization__slug", flat=True)) == set(seeds)
    # Awaiting verification needs a right whose policy requires it: imgwg and imservicecenter.
    awaiting = requests.filter(status=Status.AWAITING_VERIFICATION)
    assert set(awaiting.values_list("organization__slug", flat=True)) <= {
        "imgwg",
        "imservicecenter",
    }
    for request in requests.prefetch_related("events"):
        events = list(request.events.all())
        assert events[0].kind == EventKind.RECEIVED
        assert events[0].actor_label == DEMO_ACTOR_LABEL
        # The audit trail ends where the request stands: it got there through the services.
        assert [e.to_status for e in events if e.to_status][-1] == request.status
    assert requests.filter(extended=True).exists()
    assert requests.exclude(paused_days=[]).exists()
    assert requests.filter(flags__icontains="duplicate").exists()


def test_it_spreads_requests_over_the_last_months_and_leaves_some_overdue(seeds):
    seed(per_organization=SMALL)

    requests = PrivacyRequest.objects.all()
    oldest = requests.order_by("received_at").first().received_at
    assert NOW - dt.timedelta(days=HISTORY_DAYS) <= oldest < NOW - dt.timedelta(days=40)
    assert requests.filter(received_at__gt=NOW).count() == 0
    assert requests.overdue(NOW.date()).exists()


def test_a_second_run_adds_nothing(seeds):
    seed(per_organization=SMALL)
    counts = PrivacyRequest.objects.count(), RequestEvent.objects.count()

    out = seed(per_organization=SMALL)

    assert out == "Demo requests exist already: nothing added.\n"
    assert (PrivacyRequest.objects.count(), RequestEvent.objects.count()) == counts


def test_it_is_deterministic(seeds):
    def facts() -> list[tuple]:
        return list(
            PrivacyRequest.objects.order_by("reference").values_list(
                "reference", "status", "right_kind", "channel_kind", "requester_email"
            )
        )

    with transaction.atomic():
        seed_demo_requests(per_organization=SMALL)
        first = facts()
        transaction.set_rollback(True)

    seed_demo_requests(per_organization=SMALL)

    assert facts() == first


def test_with_policies_loaded_an_hour_ago_requests_are_received_since_then(db):
    # As on a fresh `make demo`: no request may be received before its policy was in force.
    with pytest.raises(CommandError, match=r"seed organizations missing; run: python manage\.py"):
        seed()
    with time_machine.travel(NOW - dt.timedelta(hours=1), tick=False):
        call_command(
            "load_policy",
            *[f"dsar/policies/seeds/{slug}.yaml" for slug in SEED_ORGANIZATIONS],
            stdout=io.StringIO(),
        )

    out = seed(per_organization=10)

    assert "have been in force for 60 minutes only" in out
    requests = PrivacyRequest.objects.select_related("policy_version").prefetch_related("events")
    assert requests.count() >= 50
    for request in requests:
        assert request.policy_version.in_force_from <= request.received_at <= NOW
        # Every step after receipt, even squeezed into the hour: never a closure before it.
        times = [event.at for event in request.events.all()]
        assert times[0] == request.received_at and times == sorted(times), request.reference


def test_assignments_go_to_the_actor_where_a_member(seeds):
    demo = User.objects.create_user("demo", is_staff=True)
    Membership.objects.create(user=demo, organization=seeds["img"], role=Role.PRIVACY_OFFICER)

    seed(per_organization=SMALL)

    assigned = PrivacyRequest.objects.filter(assignee=demo)
    assert assigned.exists()
    assert set(assigned.values_list("organization__slug", flat=True)) == {"img"}
    assert RequestEvent.objects.filter(actor=demo).exists()


def test_demo_setup_loads_the_seeds_makes_a_privacy_officer_and_seeds_requests(db, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-password-for-tests")

    call_command("demo_setup", force=True, stdout=io.StringIO())
    counts = PrivacyRequest.objects.count(), RequestEvent.objects.count()
    out = io.StringIO()
    call_command("demo_setup", force=True, stdout=out)

    demo = User.objects.get(username="demo")
    assert demo.is_superuser and demo.is_staff
    assert demo.check_password("demo-password-for-tests")
    # Reminders and digests to staff reach the demo mailbox, and nobody outside it.
    assert demo.email == "officer@demo.dsar.invalid"
    assert sorted(demo.memberships.values_list("organization__slug", "role")) == [
        (slug, Role.PRIVACY_OFFICER)
        for slug in sorted(["img", "imgwg", "ims-consulting", "imservicecenter", "imt"])
    ]
    assert demo.groups.filter(name=Role.PRIVACY_OFFICER.group_name).exists()
    assert counts[0] > 100
    assert (PrivacyRequest.objects.count(), RequestEvent.objects.count()) == counts
    assert "unchanged" in out.getvalue()
    assert "nothing added" in out.getvalue()
    # The seed policies are in force from before the oldest demo request, so the demo has a
    # history to show: requests received months ago, not only since the install.
    oldest = PrivacyRequest.objects.order_by("received_at").first().received_at
    assert timezone.now() - oldest > dt.timedelta(days=60)


def test_each_story_is_told_at_the_times_it_happened(seeds):
    seed(per_organization=SMALL)

    closed = PrivacyRequest.objects.exclude(closed_at=None)
    for request in PrivacyRequest.objects.prefetch_related("events"):
        times = [event.at for event in request.events.all()]
        # Received when it says it was, then step by step, never in the future.
        assert times[0] == request.received_at
        assert times == sorted(times) and times[-1] <= NOW
        if request.closed_at is not None:
            # Closed by its last change of status; only an appeal of it may come after.
            moves = [e for e in request.events.all() if e.to_status]
            assert request.closed_at == moves[-1].at
            assert {e.kind for e in request.events.all() if e.at > request.closed_at} <= {
                EventKind.APPEALED
            }
    # Answered over the months of the history, not all on the day the demo was made: the
    # on-time chart has something to show.
    assert len({r.closed_at.date().replace(day=1) for r in closed}) >= 3
    assert closed.filter(closed_at__lt=NOW - dt.timedelta(days=30)).exists()


def test_the_stories_are_told_without_moving_the_clock(seeds):
    # Each service is given its step's time; the process's clock stays where it is, so the
    # seeder may run beside anything else (a web worker, a test) without moving its "now".
    clock_at_each_write: list[dt.datetime] = []

    def watch(written):
        clock_at_each_write.append(timezone.now())

    events.on_written(watch)
    try:
        seed(per_organization=SMALL)
    finally:
        events._listeners.remove(watch)

    assert clock_at_each_write and set(clock_at_each_write) == {NOW}
    assert RequestEvent.objects.filter(at__lt=NOW - dt.timedelta(days=30)).exists()


@pytest.fixture
def demo_user(seeds):
    """The demo login as ``demo_setup`` makes it: a superuser, privacy officer of IMG."""
    demo = User.objects.create_superuser("demo", "demo@example.org", None)
    Membership.objects.create(user=demo, organization=seeds["img"], role=Role.PRIVACY_OFFICER)
    return demo


def test_it_tells_the_us_state_stories_through_the_services(demo_user):
    seed(per_organization=SMALL)

    # A Californian's opt-out sent with Global Privacy Control: in progress at once, fulfilled.
    gpc = PrivacyRequest.objects.get(gpc=True)
    assert (gpc.right_kind, gpc.jurisdiction, gpc.status) == ("opt_out_sale", "US-CA", "fulfilled")
    assert gpc.identity_status == IdentityStatus.NOT_REQUIRED
    assert [e.to_status for e in gpc.events.all() if e.to_status] == [
        "received",
        "in_progress",
        "fulfilled",
    ]
    assert gpc.events.filter(kind=EventKind.NOTE, summary__contains="Global Privacy").exists()

    # A Virginian's refusal appealed; the appeal decided by someone other than who refused.
    appeal = PrivacyRequest.objects.get(right_kind="appeal")
    refused = appeal.appeal_of
    assert (refused.jurisdiction, refused.status) == ("US-VA", Status.DENIED)
    assert refused.events.filter(kind=EventKind.APPEALED).exists()
    assert refused.events.get(to_status=Status.DENIED).actor == demo_user
    assert appeal.status == Status.IN_PROGRESS
    assert appeal.assignee.username == REVIEWER
    assert appeal.organization.appeals_by_another_decider
    assert (appeal.deadline_rule, appeal.due_date) == (
        "appeal_60",
        appeal.received_on + dt.timedelta(days=60),
    )
    assert not User.objects.get(username=REVIEWER).has_usable_password()

    # A Californian's request by an authorized agent, verified as §7062 and §7063 ask.
    agents = PrivacyRequest.objects.get(is_agent=True)
    assert agents.jurisdiction == "US-CA"
    assert agents.agent_authority == AgentAuthority.PERMISSION
    assert agents.consumer_confirmed_agent_on is not None
    assert len(agents.data_points_matched) == 2
    assert agents.identity_status == IdentityStatus.VERIFIED
    assert agents.status == Status.IN_PROGRESS
    assert verification.answer_blockers(agents) == []
    kinds = set(agents.events.values_list("kind", flat=True))
    assert {
        EventKind.AGENT_CHECKED,
        EventKind.AGENT_CONFIRMED,
        EventKind.DATA_POINTS_MATCHED,
    } <= kinds


def test_staff_see_the_stories_on_the_list_the_dashboard_and_the_request_pages(demo_user, client):
    seed(per_organization=SMALL)
    client.force_login(demo_user)
    gpc = PrivacyRequest.objects.get(gpc=True)
    appeal = PrivacyRequest.objects.get(right_kind="appeal")
    agents = PrivacyRequest.objects.get(is_agent=True)

    listed = client.get("/staff/requests/privacyrequest/", {"gpc": "yes"}).context["cl"]
    assert [r.reference for r in listed.result_list] == [gpc.reference]
    dashboard = client.get("/staff/requests/privacyrequest/dashboard/").content.decode()
    assert "Appeals awaiting decision" in dashboard and appeal.reference in dashboard

    page = client.get(f"/staff/requests/privacyrequest/{appeal.pk}/change/").content.decode()
    assert appeal.appeal_of.reference in page and 'class="refused-by">demo,' in page
    page = client.get(f"/staff/requests/privacyrequest/{agents.pk}/change/").content.decode()
    assert "Rights Agent Example LLC" in page
    assert "nothing: the agent's authority is shown" in page
    assert "nothing: the level is reached" in page


def test_without_a_demo_user_the_stories_are_told_by_the_system(seeds):
    seed(per_organization=SMALL, actor="nobody")

    appeal = PrivacyRequest.objects.get(right_kind="appeal")
    assert appeal.assignee.username == REVIEWER
    assert appeal.appeal_of.events.get(to_status=Status.DENIED).actor_label == "system"
