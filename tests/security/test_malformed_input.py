"""The 500s the malformed walk found (tests/security/test_malformed_walk.py), one test each.

A NUL in an address is a 400 before any view reads it (dsar.core.input_checks); a NUL typed in
a form is still the form's own error, with what was typed kept. An admin form with an
autocomplete field posted with a value that is no id shows the form's error (dsar.lib.
admin_autocomplete). Run on PostgreSQL, where the NUL reached the database and failed there.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from dsar.api.keys import api_key_create
from dsar.organizations.models import Membership, Organization, Role
from tests.workspace.conftest import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(img: Organization) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(make_member("olivia", img, Role.PRIVACY_OFFICER))
    return client


@pytest.fixture
def root() -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.create_superuser("root", "root@example.org", None))
    return client


def test_a_nul_in_the_reports_organization_is_a_bad_request(officer: Client) -> None:
    response = officer.get("/staff/reports/?organization=%00")

    assert response.status_code == 400
    # The site's own error page, not a traceback or Django's bare default.
    assert b"<!doctype html>" in response.content.lower()


def test_a_nul_in_an_admin_object_id_is_a_bad_request(root: Client) -> None:
    """django_q's task lists have a text key: the NUL went into the lookup."""
    for path in ["/staff/django_q/success/%00/change/", "/staff/django_q/failure/%00/history/"]:
        assert root.get(path).status_code == 400, path


def test_a_nul_in_a_public_address_is_answered_in_the_visitors_language(
    img: Organization,
) -> None:
    response = Client().get(f"/o/{img.slug}/request/?q=%00", headers={"accept-language": "es"})

    assert response.status_code == 400
    assert response["Content-Language"] == "es"


def test_a_nul_in_an_api_query_is_a_problem_document(img: Organization) -> None:
    _row, key = api_key_create(organization=img, name="crm-sync", scope="read")

    response = Client().get(
        "/api/v1/requests/?organization=%00", headers={"authorization": f"Bearer {key}"}
    )

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"] == "urn:dsar:problem:malformed"


def test_a_nul_typed_in_the_public_form_is_the_forms_error_and_keeps_the_rest(
    img: Organization, submit: Any
) -> None:
    """Bodies are the forms' to judge: the requester sees which field, and loses nothing."""
    response = submit(img, name="Dana\x00Data", email="dana@example.org")

    assert response.status_code == 200
    assert b"dana@example.org" in response.content  # what was typed is still in the form
    assert b"Null characters are not allowed" in response.content


@pytest.mark.parametrize("user", ["abc", "99999999999999999999", "\x00"])
def test_an_autocomplete_field_posted_with_no_id_shows_the_forms_error(
    root: Client, img: Organization, user: str
) -> None:
    response = root.post(
        "/staff/organizations/membership/add/",
        {"user": user, "organization": str(img.pk), "role": Role.HANDLER},
    )

    assert response.status_code == 200
    assert b'class="errorlist' in response.content  # "Select a valid choice", or no NUL
    assert not Membership.objects.filter(organization=img).exists()
