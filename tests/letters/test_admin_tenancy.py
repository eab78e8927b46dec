"""The read-only admins of letters, intake and reminders: every staff role can open them
(migration organizations 0004 grants ``view``), each lists its own organizations' rows only,
the organization filter names no other tenant, and another tenant's row answers 404."""

from __future__ import annotations

import datetime
import re
import uuid
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from dsar.intake.models import IntakeSubmission, ReleasedFile
from dsar.letters.services import data_item_add, letter_issue, letter_send, package_build
from dsar.organizations.models import Role
from dsar.reminders.models import Notification, NotificationKind, Reminder, ReminderKind

from .conftest import staff

pytestmark = pytest.mark.django_db

SEED_SLUGS = ("img", "imt", "imservicecenter")

ADMINS = [
    ("letters", "letter"),
    ("letters", "letterdelivery"),
    ("letters", "datapackage"),
    ("letters", "dataitem"),
    ("intake", "intakesubmission"),
    ("intake", "releasedfile"),
    ("reminders", "reminder"),
    ("reminders", "notification"),
]


def _archive(request: Any, actor: Any) -> dict[str, Any]:
    """One row of each model for ``request``."""
    now = timezone.now()
    item = data_item_add(
        request=request, actor=actor, system="CRM", category="Contact Data", records=[{"a": 1}]
    )
    letter = letter_issue(request=request, kind="access", actor=actor)
    delivery = letter_send(letter=letter, actor=actor, method="attachment")
    package = package_build(request=request, cover_letter=letter, actor=actor)
    return {
        "letter": letter,
        "letterdelivery": delivery,
        "datapackage": package,
        "dataitem": item,
        "intakesubmission": IntakeSubmission.objects.create(
            request=request, verification_sent_at=now
        ),
        "releasedfile": ReleasedFile.objects.create(
            request=request,
            title="Answer",
            filename="answer.pdf",
            path=f"released/{uuid.uuid4().hex}.pdf",
            content_type="application/pdf",
            size=10,
            sha256="0" * 64,
            released_at=now,
        ),
        "reminder": Reminder.objects.create(
            request=request,
            kind=ReminderKind.DEADLINE,
            deadline=request.received_on + datetime.timedelta(days=30),
            offset=3,
            run=uuid.uuid4(),
        ),
        "notification": Notification.objects.create(
            kind=NotificationKind.VERIFY_NUDGE, request=request
        ),
    }


@pytest.fixture
def rows(seeds: Any, make_request: Any) -> dict[str, dict[str, Any]]:
    img_officer = staff("olivia", seeds["img"], Role.PRIVACY_OFFICER)
    imt_handler = staff("charlie", seeds["imt"], Role.HANDLER)
    return {
        "img": _archive(make_request("img", "access"), img_officer),
        "imt": _archive(make_request("imt", "access"), imt_handler),
    }


@pytest.mark.parametrize("role", [Role.PRIVACY_OFFICER, Role.HANDLER, Role.AUDITOR])
def test_every_role_of_img_sees_img_rows_only(
    rows: dict[str, dict[str, Any]], seeds: Any, client: Any, role: Role
) -> None:
    user = staff(f"img-{role}", seeds["img"], role)
    # Also an auditor of a second organization: the filter then shows, and lists both.
    staff(f"img-{role}", seeds["imservicecenter"], Role.AUDITOR)
    own = sorted(
        ((seeds[slug].pk, seeds[slug].name) for slug in ("img", "imservicecenter")),
        key=lambda choice: choice[1],
    )
    client.force_login(user)
    for app, model in ADMINS:
        response = client.get(reverse(f"admin:{app}_{model}_changelist"))
        assert response.status_code == 200, (app, model)
        assert [obj.pk for obj in response.context["cl"].result_list] == [rows["img"][model].pk], (
            app,
            model,
        )
        # The organization filter offers the user's organizations, never another tenant.
        [organizations] = [
            spec.lookup_choices
            for spec in response.context["cl"].filter_specs
            if spec.title == "organization"
        ]
        assert organizations == own, (app, model)
        # As a word: a random CSRF token on the page may hold the letters "iMT".
        assert not re.search(r"\biMT\b", response.content.decode()), (app, model)

        mine = client.get(reverse(f"admin:{app}_{model}_change", args=[rows["img"][model].pk]))
        assert mine.status_code == 200, (app, model)
        theirs = client.get(reverse(f"admin:{app}_{model}_change", args=[rows["imt"][model].pk]))
        assert theirs.status_code == 404, (app, model)
