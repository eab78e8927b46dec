"""Links in emails start with DSAR_SITE_URL, never with the Host header of the request that caused
them: a stranger who posts the form for someone else's address with ``Host: evil.example`` (a
permissive proxy or ALLOWED_HOSTS) must not get a link to their own site into that mailbox."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import RequestFactory

from dsar.core import links
from dsar.letters import tokens
from tests.conftest import deliver_outbox

pytestmark = pytest.mark.django_db

SITE = "https://dsar.example.org"  # DSAR_SITE_URL (tests/intake/conftest.py)
EVIL = "evil.example"


@pytest.fixture
def evil_host(settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, EVIL]
    return {"HTTP_HOST": EVIL}


def urls_in(message: mail.EmailMessage) -> list[str]:
    return re.findall(r"https?://[^\s\"'<>]+", message.body)


def only_on_the_site(message: mail.EmailMessage) -> list[str]:
    found = urls_in(message)
    assert found, message.body
    assert EVIL not in message.body
    assert all(url.startswith(f"{SITE}/") for url in found), found
    return found


def test_the_confirmation_link_of_a_form_posted_with_another_host(img, submit, client, evil_host):
    client.defaults.update(evil_host)
    response = submit(img, client_=client)

    assert response.status_code == 302
    (message,) = mail.outbox
    assert any("/o/img/confirm/" in url for url in only_on_the_site(message))


def test_the_status_link_after_confirming_with_another_host(
    img, submit, client, evil_host, django_capture_on_commit_callbacks
):
    submit(img)
    confirm = re.search(rf"{SITE}(/o/img/confirm/\S+/)", mail.outbox[-1].body).group(1)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(confirm, **evil_host)
    deliver_outbox()

    (message,) = mail.outbox
    assert any("/o/img/status/" in url for url in only_on_the_site(message))
    # The page itself: a path, on whatever host the browser is on.
    assert response.status_code == 303
    assert response["Location"].startswith("/o/img/my-request/")


def test_the_links_sent_again_with_another_host(
    img, submit, client, evil_host, django_capture_on_commit_callbacks
):
    submit(img)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/o/img/request/resend/", {"email": "dana@example.org"}, **evil_host)
    deliver_outbox()

    assert response.status_code == 200
    (message,) = mail.outbox
    assert any("/o/img/confirm/" in url for url in only_on_the_site(message))


def test_without_a_site_url_a_link_is_built_from_the_request_only_under_debug(settings):
    request = RequestFactory().get("/", HTTP_HOST="localhost:8000")
    settings.DSAR_SITE_URL = ""

    settings.DEBUG = True
    assert links.site_url("/o/img/status/t/", request) == "http://localhost:8000/o/img/status/t/"

    settings.DEBUG = False
    assert links.site_url("/o/img/status/t/", request) == "/o/img/status/t/"


def test_letter_and_package_links_are_on_the_site_url(settings):
    settings.DSAR_SITE_URL = "https://privacy.example.org/"

    assert tokens.absolute("/letters/l/x/") == "https://privacy.example.org/letters/l/x/"
