"""The US state rights: opt-outs and their deadlines, appeals, verification levels and agents.

Each case cites the statute or regulation it checks (docs/us-state-laws.md). The clock is frozen
at 14:00 UTC on Monday 2 March 2026 (tests/requests/conftest.py).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User

from dsar import jurisdictions
from dsar.organizations.models import Membership, Organization, Role
from dsar.requests import services, verification
from dsar.requests.models import (
    AccessScope,
    AgentAuthority,
    EventKind,
    IdentityStatus,
    Status,
)
from dsar.requests.services import TransitionError
from tests.requests.conftest import NOW

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.mark.parametrize(
    ("right", "where", "rule", "due"),
    [
        # California: 15 business days (Cal. Code Regs. tit. 11 §7026(f), §7027(g)).
        ("opt_out_sale", "US-CA", "ccpa_opt_out", D(2026, 3, 23)),
        ("opt_out_targeted_ads", "US-CA", "ccpa_opt_out", D(2026, 3, 23)),
        ("limit_sensitive", "US-CA", "ccpa_limit", D(2026, 3, 23)),
        # Virginia, Colorado, Connecticut: the 45 days of every consumer right (Va. Code
        # §59.1-577(B); Colo. Rev. Stat. §6-1-1306(2); Conn. Gen. Stat. §42-518(c)).
        ("opt_out_sale", "US-VA", "us_state", D(2026, 4, 16)),
        ("opt_out_targeted_ads", "US-VA", "us_state", D(2026, 4, 16)),
        ("opt_out_profiling", "US-VA", "us_state", D(2026, 4, 16)),
        ("opt_out_profiling", "US-CO", "us_state", D(2026, 4, 16)),
        ("opt_out_sale", "US-CT", "us_state", D(2026, 4, 16)),
    ],
)
def test_each_opt_out_has_its_states_deadline(log, imgwg, right, where, rule, due):
    request = log(imgwg, right_kind=right, jurisdiction=where)
    assert (request.deadline_rule, request.due_date) == (rule, due)
    # No identity verification may be required for an opt-out (§7060(b); §7027(e)).
    assert request.identity_status == IdentityStatus.NOT_REQUIRED


@pytest.mark.parametrize(
    ("where", "rule", "due", "extended_due"),
    [
        ("US-VA", "appeal_60", D(2026, 5, 1), None),  # Va. Code §59.1-577(C)
        ("US-CO", "appeal_45_60", D(2026, 4, 16), D(2026, 6, 15)),  # §6-1-1306(3)
        ("US-CT", "appeal_60", D(2026, 5, 1), None),  # Conn. Gen. Stat. §42-518
    ],
)
def test_an_appeal_is_a_request_of_its_own_with_its_states_deadline(
    log, imgwg, alice, where, rule, due, extended_due
):
    refused = log(imgwg, jurisdiction=where, received_at=NOW - dt.timedelta(days=20))
    refused = services.request_deny(request=refused, actor=alice, reason="We hold no data.")

    appeal = services.request_appeal(request=refused, received_at=NOW, message="Please look again.")

    assert (appeal.right_kind, appeal.appeal_of) == ("appeal", refused)
    assert (appeal.deadline_rule, appeal.due_date) == (rule, due)
    assert refused.events.last().kind == EventKind.APPEALED
    assert appeal.reference in refused.events.last().summary
    if extended_due:
        extended = services.request_extend(request=appeal, actor=alice, reason="Volume.")
        assert extended.due_date == extended_due


def test_one_appeal_per_refusal_and_none_in_california(log, imgwg, alice):
    virginian = services.request_deny(
        request=log(imgwg, jurisdiction="US-VA"), actor=alice, reason="No data."
    )
    services.request_appeal(request=virginian, received_at=NOW, message="Again.")
    with pytest.raises(TransitionError, match="cannot be appealed"):
        services.request_appeal(request=virginian, received_at=NOW, message="Once more.")

    # The CCPA gives no appeal.
    californian = services.request_deny(
        request=log(imgwg, jurisdiction="US-CA"), actor=alice, reason="No data."
    )
    assert services.appeal_route(californian) is None
    with pytest.raises(TransitionError, match="cannot be appealed"):
        services.request_appeal(request=californian, received_at=NOW, message="Again.")


def test_the_time_to_appeal_ends(log, imgwg, alice, settings):
    settings.DSAR_APPEAL_WINDOW_DAYS = 10
    refused = services.request_deny(
        request=log(imgwg, jurisdiction="US-VA"), actor=alice, reason="No data."
    )
    with pytest.raises(TransitionError, match="The time to appeal ended"):
        services.request_appeal(
            request=refused, received_at=NOW + dt.timedelta(days=11), message="Late."
        )


def test_an_appeal_is_not_assigned_to_whoever_refused(log, imgwg, alice):
    bob = User.objects.create_user("bob", "bob@example.org", is_staff=True)
    for user in (alice, bob):
        Membership.objects.create(user=user, organization=imgwg, role=Role.HANDLER)
    refused = services.request_deny(
        request=log(imgwg, jurisdiction="US-VA"), actor=alice, reason="No data."
    )
    appeal = services.request_appeal(request=refused, received_at=NOW, message="Again.")

    with pytest.raises(TransitionError, match="decided by someone else"):
        services.request_assign(request=appeal, actor=bob, assignee=alice)
    assert services.request_assign(request=appeal, actor=alice, assignee=bob).assignee == bob

    # Where the organization allows it (a team of one), the first decider may decide it.
    Organization.objects.filter(pk=imgwg.pk).update(appeals_by_another_decider=False)
    appeal.refresh_from_db()
    assert services.request_assign(request=appeal, actor=bob, assignee=alice).assignee == alice


def _californian(log, organization: Organization, **fields):
    organization.data_points = ["email address", "postal address", "last order date"]
    organization.save(update_fields=["data_points"])
    request = log(organization, jurisdiction="US-CA", **fields)
    assert request.identity_status == IdentityStatus.PENDING  # a verifiable consumer request
    return request


def test_a_request_for_specific_pieces_waits_for_three_data_points_and_a_declaration(
    log, imgwg, alice
):
    request = _californian(log, imgwg, access_scope=AccessScope.SPECIFIC)
    request = services.request_start(request=request, actor=alice)
    request = services.request_verify_identity(request=request, actor=alice, how="called back")

    for points in (["email address"], ["postal address"], ["last order date"]):
        with pytest.raises(TransitionError, match="§7062\\(c\\)"):
            services.request_fulfil(request=request, actor=alice)
        request = services.request_match_data_points(request=request, actor=alice, points=points)
    with pytest.raises(TransitionError, match="declaration signed under penalty of perjury"):
        services.request_fulfil(request=request, actor=alice)

    request = services.request_record_declaration(
        request=request, actor=alice, signed_on=D(2026, 3, 4)
    )
    assert services.request_fulfil(request=request, actor=alice).status == Status.FULFILLED
    kinds = list(request.events.values_list("kind", flat=True))
    assert kinds.count(EventKind.DATA_POINTS_MATCHED) == 3
    assert EventKind.DECLARATION_RECEIVED in kinds


def test_categories_need_two_data_points_and_no_declaration(log, imgwg, alice):
    request = _californian(log, imgwg, access_scope=AccessScope.CATEGORIES)
    level = verification.required_level(request)
    assert (level.data_points, level.declaration) == (2, False)
    request = services.request_start(request=request, actor=alice)
    request = services.request_match_data_points(
        request=request, actor=alice, points=["email address", "postal address"]
    )
    request = services.request_verify_identity(request=request, actor=alice, how="matched")
    assert services.request_fulfil(request=request, actor=alice).status == Status.FULFILLED


def test_only_the_organizations_own_data_points_can_be_matched(log, imgwg, alice):
    request = _californian(log, imgwg)
    with pytest.raises(TransitionError, match="Choose among the data points"):
        services.request_match_data_points(request=request, actor=alice, points=["shoe size"])


def test_a_gdpr_request_has_no_fixed_level(log, img):
    assert verification.required_level(log(img, jurisdiction="FR")) is None


def test_an_agents_own_confirmation_never_verifies_the_consumer(log, imgwg, alice):
    """An agent's request (§7063): the agent confirming its own email address is no proof of
    the consumer's identity; the agent's permission is checked, then the consumer confirms."""
    request = _californian(
        log,
        imgwg,
        access_scope=AccessScope.CATEGORIES,
        is_agent=True,
        agent_name="Permission Slip",
        channel_kind="web_form",
    )
    request = services.request_confirm_email(request=request, confirmed_on=D(2026, 3, 2))
    assert request.identity_status == IdentityStatus.PENDING
    request = services.request_match_data_points(
        request=request, actor=alice, points=["email address", "postal address"]
    )
    request = services.request_verify_identity(request=request, actor=alice, how="matched")
    with pytest.raises(TransitionError, match="signed permission"):
        services.request_fulfil(request=request, actor=alice)

    request = services.request_check_agent(
        request=request, actor=alice, authority=AgentAuthority.PERMISSION, how="signed form seen"
    )
    assert services.request_fulfil(request=request, actor=alice).status == Status.FULFILLED


def test_an_agent_with_permission_needs_the_consumer_verified_or_confirming(log, imgwg, alice):
    request = _californian(log, imgwg, access_scope=AccessScope.CATEGORIES, is_agent=True)
    request = services.request_check_agent(
        request=request, actor=alice, authority=AgentAuthority.PERMISSION, how="signed form"
    )
    assert verification.agent_gaps(request) == [
        "the consumer's own identity verified, or their confirmation of the agent"
    ]
    request = services.request_consumer_confirmed_agent(
        request=request, actor=alice, confirmed_on=D(2026, 3, 3), how="phoned the consumer"
    )
    assert verification.agent_gaps(request) == []
    assert request.events.last().kind == EventKind.AGENT_CONFIRMED


def test_a_power_of_attorney_stands_for_the_other_steps(log, imgwg, alice):
    request = _californian(log, imgwg, access_scope=AccessScope.CATEGORIES, is_agent=True)
    request = services.request_check_agent(
        request=request,
        actor=alice,
        authority=AgentAuthority.POWER_OF_ATTORNEY,
        how="power of attorney seen",
    )
    request = services.request_match_data_points(
        request=request, actor=alice, points=["email address", "postal address"]
    )
    request = services.request_start(request=request, actor=alice)
    assert verification.agent_gaps(request) == []


@pytest.mark.parametrize(
    ("where", "on", "required"),
    [
        ("US-CA", D(2026, 3, 2), True),  # Cal. Code Regs. tit. 11 §7025
        ("US-CO", D(2024, 6, 30), False),
        ("US-CO", D(2024, 7, 1), True),
        ("US-CT", D(2025, 1, 1), True),
        ("US-TX", D(2024, 12, 31), False),
        ("US-OR", D(2026, 1, 1), True),
        ("US-VA", D(2026, 3, 2), False),
        ("FR", D(2026, 3, 2), False),
    ],
)
def test_where_the_law_makes_gpc_an_opt_out(where, on, required):
    assert jurisdictions.uoom_required(where, on=on) is required
