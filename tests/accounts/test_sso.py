"""Staff single sign-on, end to end against a local OpenID Connect provider: the browser goes to
the provider and back, dsar fetches a real RS256 ID token from the provider's token endpoint,
checks it with the provider's published keys, and maps the groups claim to memberships."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.test import Client
from pytest_httpserver import HTTPServer

from dsar.accounts import oidc
from dsar.accounts.models import OidcIdentity
from dsar.organizations.models import Membership, Organization, Role
from tests.accounts.idp import CLIENT_ID, CLIENT_SECRET, Provider

pytestmark = pytest.mark.django_db

GROUP_MAP = (
    "privacy-img=img:privacy_officer,support=img:handler,support=imt:handler,"
    "/auditors/all=imt:auditor"
)


@pytest.fixture
def organizations(db: None) -> dict[str, Organization]:
    return {
        slug: Organization.objects.create(
            slug=slug, name=slug.upper(), reference_prefix=slug.upper()
        )
        for slug in ("img", "imt", "other")
    }


@pytest.fixture
def idp(httpserver: HTTPServer, settings, organizations) -> Iterator[Provider]:
    provider = Provider(httpserver)
    provider.install()
    settings.DSAR_OIDC_ISSUER = provider.issuer
    settings.DSAR_OIDC_CLIENT_ID = CLIENT_ID
    settings.DSAR_OIDC_CLIENT_SECRET = CLIENT_SECRET
    settings.DSAR_OIDC_GROUP_MAP = GROUP_MAP
    oidc.forget_discovery()
    yield provider
    oidc.forget_discovery()


def sign_in(client: Client, next_url: str = "/staff/") -> str:
    """The browser: dsar sends it to the provider, where the person signs in, and the provider
    sends it back with a code. Returns where dsar sends it at the end."""
    start = client.get("/sso/login/", {"next": next_url})
    assert start.status_code == 302
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=5)
    assert at_provider.status_code == 302, at_provider.text
    back = urlsplit(at_provider.headers["Location"])
    assert back.path == "/sso/callback/"
    done = client.get(back.path, parse_qs(back.query))
    assert done.status_code == 302
    return done["Location"]


def test_a_staff_member_signs_in_and_gets_the_role_the_groups_give(client, idp, organizations):
    idp.user = {
        "sub": "u-123",
        "email": "pat@example.org",
        "preferred_username": "pat",
        "given_name": "Pat",
        "groups": ["privacy-img", "unrelated"],
    }

    assert sign_in(client) == "/staff/"

    user = User.objects.get(username="pat")
    assert user.is_staff and not user.is_superuser and not user.has_usable_password()
    assert (user.email, user.first_name) == ("pat@example.org", "Pat")
    membership = Membership.objects.get(user=user)
    assert (membership.organization.slug, membership.role) == ("img", Role.PRIVACY_OFFICER)
    assert list(user.groups.values_list("name", flat=True)) == ["Privacy officer"]
    identity = OidcIdentity.objects.get(user=user)
    assert (identity.issuer, identity.subject) == (idp.issuer, "u-123")
    assert "Added by single sign-on" in LogEntry.objects.get(user=user).get_change_message()
    # Signed in: the staff workspace opens.
    assert client.get("/staff/").status_code == 200
    # The code went to the token endpoint with the client's secret and the PKCE verifier.
    (token_request,) = idp.token_requests
    assert token_request["grant_type"] == "authorization_code"
    assert token_request["code_verifier"]


def test_memberships_follow_the_groups_at_every_login(client, idp, organizations):
    idp.user = {"sub": "u-1", "email": "sam@example.org", "groups": ["privacy-img"]}
    sign_in(client)
    user = User.objects.get(oidc_identities__subject="u-1")
    # Staff gave this person a role in an organization the map does not name: it stays.
    Membership.objects.create(user=user, organization=organizations["other"], role=Role.AUDITOR)

    client.logout()
    idp.user = {"sub": "u-1", "email": "sam@example.org", "groups": ["support", "/auditors/all"]}
    sign_in(client)

    roles = dict(Membership.objects.filter(user=user).values_list("organization__slug", "role"))
    # img: privacy officer → handler; imt: handler beats auditor; other: untouched.
    assert roles == {"img": Role.HANDLER, "imt": Role.HANDLER, "other": Role.AUDITOR}
    assert User.objects.filter(oidc_identities__subject="u-1").count() == 1

    client.logout()
    idp.user = {"sub": "u-1", "email": "sam@example.org", "groups": ["/auditors/all"]}
    sign_in(client)
    roles = dict(Membership.objects.filter(user=user).values_list("organization__slug", "role"))
    assert roles == {"imt": Role.AUDITOR, "other": Role.AUDITOR}


def test_someone_no_group_gives_a_role_is_not_let_in(client, idp):
    idp.user = {"sub": "u-9", "email": "guest@example.org", "groups": ["marketing"]}

    assert sign_in(client) == "/staff/login/?sso=failed"

    assert not User.objects.exists()
    page = client.get("/staff/login/?sso=failed").content.decode()
    assert "gives you no role in dsar" in page


def test_a_token_issued_to_another_application_is_refused(client, idp):
    idp.user = {"sub": "u-2", "email": "a@example.org", "groups": ["support"]}
    idp.audience = "another-app"
    assert sign_in(client) == "/staff/login/?sso=failed"
    assert not User.objects.exists()


def test_a_token_not_signed_with_the_providers_key_is_refused(client, idp):
    idp.user = {"sub": "u-3", "email": "a@example.org", "groups": ["support"]}
    idp.forger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assert sign_in(client) == "/staff/login/?sso=failed"
    assert not User.objects.exists()


def test_a_local_account_with_the_same_email_is_never_taken_over(client, idp):
    root = User.objects.create_superuser("root", "boss@example.org", "local-password")
    idp.user = {
        "sub": "u-4",
        "email": "boss@example.org",
        "preferred_username": "root",
        "groups": ["support"],
    }

    sign_in(client)

    user = User.objects.get(oidc_identities__subject="u-4")
    assert user != root and user.username.startswith("sso-") and not user.is_superuser
    assert not OidcIdentity.objects.filter(user=root).exists()


def test_a_callback_replayed_or_with_a_foreign_state_signs_nobody_in(client, idp):
    idp.user = {"sub": "u-5", "email": "a@example.org", "groups": ["support"]}
    start = client.get("/sso/login/")
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=5)
    back = urlsplit(at_provider.headers["Location"])
    query = parse_qs(back.query)
    client.get(back.path, query)
    client.logout()

    again = client.get(back.path, query)  # the same code and state once more

    assert again.status_code in (302, 400)
    assert "_auth_user_id" not in client.session


def test_the_login_page_offers_both_ways_and_passwords_still_work(client, idp):
    page = client.get("/staff/login/?next=/staff/").content.decode()
    assert "Sign in with single sign-on" in page and 'href="/sso/login/?next=%2Fstaff%2F"' in page
    assert 'name="password"' in page
    User.objects.create_user("local", "local@example.org", "a-local-password", is_staff=True)
    response = client.post(
        "/staff/login/?next=/staff/", {"username": "local", "password": "a-local-password"}
    )
    assert response.status_code == 302 and response["Location"] == "/staff/"


def test_without_an_issuer_there_is_no_single_sign_on(client, settings):
    settings.DSAR_OIDC_ISSUER = ""
    assert "single sign-on" not in client.get("/staff/login/").content.decode()
    assert client.get("/sso/login/").status_code == 404
    assert client.get("/sso/callback/?code=x&state=y").status_code == 404


def test_a_provider_that_cannot_be_reached_leaves_the_password_login(client, settings, db):
    settings.DSAR_OIDC_ISSUER = "http://127.0.0.1:9"  # nothing listens there
    settings.DSAR_OIDC_CLIENT_ID = CLIENT_ID
    oidc.forget_discovery()
    response = client.get("/sso/login/")
    assert response["Location"] == "/staff/login/?sso=unavailable"
