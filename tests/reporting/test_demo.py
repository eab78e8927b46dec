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
from dsar.requests.demo import (
    DEMO_ACTOR_LABEL,
    HISTORY_DAYS,
    SEED_ORGANIZATIONS,
    seed_demo_requests,
)
from dsar.requests.models import EventKind, PrivacyRequest, RequestEvent, Status

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
            assert request.closed_at == times[-1]
    # Answered over the months of the history, not all on the day the demo was made: the
    # on-time chart has something to show.
    assert len({r.closed_at.date().replace(day=1) for r in closed}) >= 3
    assert closed.filter(closed_at__lt=NOW - dt.timedelta(days=30)).exists()
