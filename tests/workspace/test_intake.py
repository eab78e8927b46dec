"""The intake form: requests that came by email, mail, phone or fax, logged through request_log."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from dsar.requests.models import EventKind, Flag, PrivacyRequest
from tests.workspace.conftest import INTAKE, change_url

pytestmark = pytest.mark.django_db


def _form(img, **overrides):
    data = {
        "organization": img.pk,
        "right_kind": "shine_the_light",
        "channel_kind": "postal_mail",
        "received_at": "2026-02-27T10:30",
        "requester_name": "Rita Letter",
        "requester_address": "1 Main St\nSacramento, CA 95814",
        "jurisdiction": "US-CA",
        "subject_line": "",
        "message": "Your California Privacy Rights. Please tell me who bought my data.",
    }
    data.update(overrides)
    return data


def test_a_mailed_request_is_logged_with_its_deadline_and_event(login, alice, img):
    response = login(alice).post(INTAKE, _form(img))

    privacy_request = PrivacyRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == change_url(privacy_request)
    assert privacy_request.organization == img
    assert privacy_request.channel_kind == "postal_mail"
    assert privacy_request.requester_address == "1 Main St\nSacramento, CA 95814"
    assert privacy_request.jurisdiction == "US-CA"
    assert privacy_request.due_date is not None
    event = privacy_request.events.get()
    assert (event.kind, event.actor) == (EventKind.RECEIVED, alice)


def test_the_time_of_receipt_is_read_in_the_organizations_time_zone(login, alice, img):
    login(alice).post(INTAKE, _form(img, received_at="2026-02-27T23:30"))

    privacy_request = PrivacyRequest.objects.get()
    assert privacy_request.received_at == dt.datetime(
        2026, 2, 27, 23, 30, tzinfo=ZoneInfo("America/New_York")
    )
    assert privacy_request.received_on == dt.date(2026, 2, 27)


def test_a_request_without_the_policys_label_is_logged_and_flagged(login, alice, img):
    login(alice).post(INTAKE, _form(img, message="Who did you sell my data to?"))

    privacy_request = PrivacyRequest.objects.get()
    assert privacy_request.has_flag(Flag.LABEL_MISSING)


def test_phone_requests_with_agent(login, alice, img):
    login(alice).post(
        INTAKE,
        _form(
            img,
            right_kind="access",
            channel_kind="phone",
            requester_address="",
            requester_phone="+1 954 555 0100",
            agent_name="Privacy Agents LLC",
            jurisdiction="FR",
        ),
    )

    privacy_request = PrivacyRequest.objects.get()
    assert privacy_request.requester_phone == "+1 954 555 0100"
    assert privacy_request.is_agent and privacy_request.agent_name == "Privacy Agents LLC"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"received_at": "2026-03-03T10:00"}, "received_at"),  # tomorrow
        ({"jurisdiction": "Narnia"}, "jurisdiction"),
        ({"channel_kind": "web_form"}, "channel_kind"),  # arrives by itself
        ({"requester_name": ""}, "requester_name"),
        ({"requester_address": "", "requester_email": "", "requester_phone": ""}, "__all__"),
    ],
)
def test_invalid_input_is_shown_again_and_nothing_is_logged(login, alice, img, overrides, field):
    data = _form(img, **overrides)

    response = login(alice).post(INTAKE, data)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert response.context["form"]["requester_name"].value() == data["requester_name"]
    assert not PrivacyRequest.objects.exists()


def test_a_refusal_of_the_service_is_shown_on_the_form(login, alice, img):
    # Before IMG's first policy was in force (1 January 2025) there is nothing to bind it to.
    response = login(alice).post(INTAKE, _form(img, received_at="2024-06-01T10:00"))

    assert response.status_code == 200
    assert "no policy in force" in response.content.decode()
    assert not PrivacyRequest.objects.exists()


def test_the_form_is_labelled_and_offers_only_the_users_organizations(login, alice, img, imt):
    response = login(alice).get(INTAKE)

    page = response.content.decode()
    assert list(response.context["form"].fields["organization"].queryset) == [img]
    for field in ("organization", "right_kind", "channel_kind", "received_at", "requester_name"):
        assert f'<label class="required" for="id_{field}">' in page or f'for="id_{field}"' in page
    assert 'type="datetime-local"' in page
    assert "csrfmiddlewaretoken" in page


# -- Where the requester lives: the same list as the public form and the CSV import ---------------


def test_the_residence_is_chosen_from_the_one_list_with_not_known_first(login, alice, img):
    from dsar import residences

    response = login(alice).get(INTAKE)

    field = response.context["form"].fields["jurisdiction"]
    assert field.choices[0] == ("", "Not known")
    assert list(field.choices[1:]) == residences.grouped_choices()
    page = response.content.decode()
    assert '<select name="jurisdiction"' in page
    assert '<optgroup label="United States">' in page
    assert '<option value="US-DC">District of Columbia</option>' in page


def test_a_request_whose_residence_is_not_known_is_logged(login, alice, img):
    response = login(alice).post(INTAKE, _form(img, jurisdiction=""))

    assert response.status_code == 302
    assert PrivacyRequest.objects.get().jurisdiction == ""


@pytest.mark.parametrize("code", ["US", "EU", "XX", "us-ca"])
def test_a_code_outside_the_list_is_refused(login, alice, img, code):
    # The coarse codes of older requests are named, never offered (``residences``).
    response = login(alice).post(INTAKE, _form(img, jurisdiction=code))

    assert response.status_code == 200
    assert "jurisdiction" in response.context["form"].errors
    assert not PrivacyRequest.objects.exists()


@pytest.mark.parametrize(
    ("code", "shown"),
    [("US", "United States (state not given)"), ("EU", "EU/EEA (country not given)")],
)
def test_a_request_logged_with_a_legacy_code_still_shows_it(login, alice, log_request, code, shown):
    privacy_request = log_request(jurisdiction=code)

    page = login(alice).get(change_url(privacy_request)).content.decode()

    facts = page.split('id="request-heading"')[1].split("</section>")[0]
    assert f"{shown} ({code})" in facts
