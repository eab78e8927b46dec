"""Links of emails are followed once: the token is swapped for the browser's session and the
browser sent on, without a Referer, to a URL that does not carry it; status links expire and
a new one can be had by email (issue 18)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import Client

from dsar.intake.models import StatusLink
from dsar.intake.services import release_file
from dsar.requests.models import PrivacyRequest
from dsar.requests.services import request_deny
from tests.conftest import deliver_outbox

from .conftest import NOW, PDF, link_in, text_of

pytestmark = pytest.mark.django_db


def _token(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[1]


def assert_exchanged(response, token: str) -> str:
    """A URL with a token answers 303, sends no Referer on, and leads to a URL without it."""
    assert response.status_code == 303
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    assert token not in response["Location"]
    assert response.content == b""
    return response["Location"]


@pytest.fixture
def status_email(img, submit, client, django_capture_on_commit_callbacks):
    """The "confirmed" email of a French requester's access request to IMG, with its link."""
    submit(img)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link_in(mail.outbox[-1], "confirm"))
    deliver_outbox()
    return mail.outbox[-1]


def test_the_status_link_is_exchanged_for_the_session(status_email, client):
    link = link_in(status_email, "status")
    token = _token(link)
    browser = Client()

    landing = assert_exchanged(browser.get(link), token)
    page = browser.get(landing)

    assert landing.startswith("/o/img/my-request/")
    assert page.status_code == 200
    assert PrivacyRequest.objects.get().reference in page.content.decode()
    assert token not in page.content.decode()
    # The key in the URL is no secret: another browser, without the session, sees nothing.
    stranger = Client().get(landing)
    assert stranger.status_code == 404
    assert PrivacyRequest.objects.get().reference not in stranger.content.decode()


def test_one_browser_holds_several_requests(
    img, submit, client, django_capture_on_commit_callbacks
):
    links = []
    for email in ("dana@example.org", "eve@example.org"):
        submit(img, email=email)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(link_in(mail.outbox[-1], "confirm"))
        deliver_outbox()
        links.append(link_in(mail.outbox[-1], "status"))
    browser = Client()
    landings = [browser.get(link)["Location"] for link in links]

    first, second = (browser.get(landing).content.decode() for landing in landings)

    one, two = PrivacyRequest.objects.order_by("pk")
    assert one.reference in first and two.reference not in first
    assert two.reference in second and one.reference not in second


def test_the_confirmation_link_lands_on_a_page_without_its_token(
    img, submit, django_capture_on_commit_callbacks
):
    browser = Client()
    submit(img, client_=browser)
    link = link_in(mail.outbox[-1], "confirm")
    token = _token(link)

    landing = assert_exchanged(browser.get(link), token)
    page = browser.get(landing)
    assert landing.startswith("/o/img/confirming/")
    assert "Confirm my email address" in page.content.decode()
    assert token not in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = browser.post(landing)
    deliver_outbox()

    assert confirmed.status_code == 303
    assert confirmed["Location"].startswith("/o/img/my-request/")
    status_token = _token(link_in(mail.outbox[-1], "status"))
    assert status_token not in confirmed["Location"]
    assert browser.get(confirmed["Location"]).status_code == 200
    # One-time: the page of the used link now says it no longer works.
    assert "This link no longer works" in browser.get(landing).content.decode()


def test_a_bad_confirmation_link_lands_on_a_page_without_it(img, submit):
    submit(img)
    link = link_in(mail.outbox[-1], "confirm")
    forged = link[:-3] + ("a" if link[-3] != "a" else "b") + link[-2:]

    landing = assert_exchanged(Client().get(forged), _token(forged))

    assert "This link no longer works" in Client().get(landing).content.decode()


def test_a_download_link_is_exchanged_too(status_email, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        release_file(
            request=PrivacyRequest.objects.get(),
            title="Our answer",
            filename="answer.pdf",
            content=PDF,
            content_type="application/pdf",
        )
    deliver_outbox()
    browser = Client()
    page = browser.get(browser.get(link_in(status_email, "status"))["Location"])
    download = re.search(r'href="(/o/img/download/[^"]+/)"', page.content.decode()).group(1)

    landing = assert_exchanged(browser.get(download), _token(download))
    response = browser.get(landing)

    assert landing.startswith("/o/img/my-files/")
    assert b"".join(response.streaming_content) == PDF
    assert Client().get(landing).status_code == 410  # not without the session


# -- Expiry and renewal ----------------------------------------------------------------------------


def test_a_status_link_expires_after_the_configured_days(status_email, time_machine, settings):
    settings.DSAR_STATUS_LINK_DAYS = 30
    link = link_in(status_email, "status")
    browser = Client()
    landing = browser.get(link)["Location"]
    assert browser.get(landing).status_code == 200

    time_machine.move_to(NOW + dt.timedelta(days=30, seconds=1), tick=False)

    # The page already open stops showing the request, and so does the link itself.
    assert browser.get(landing).status_code == 404
    renew = assert_exchanged(browser.get(link), _token(link))
    page = browser.get(renew)
    text = text_of(page.content.decode())
    assert "This status link has expired" in text
    assert "A status link works for 30 days after we send it" in text
    assert PrivacyRequest.objects.get().reference not in text


def _expire(status_email, time_machine) -> Client:
    browser = Client()
    time_machine.move_to(NOW + dt.timedelta(days=31), tick=False)
    browser.get(link_in(status_email, "status"))
    return browser


def test_an_expired_link_is_renewed_by_email(
    status_email, time_machine, django_capture_on_commit_callbacks
):
    browser = _expire(status_email, time_machine)
    sent = len(mail.outbox)

    with django_capture_on_commit_callbacks(execute=True):
        page = browser.post("/o/img/my-request/", {"email": "Dana@Example.org"})
    deliver_outbox()

    assert page.status_code == 200
    assert len(mail.outbox) == sent + 1
    message = mail.outbox[-1]
    assert message.to == ["dana@example.org"]
    landing = browser.get(link_in(message, "status"))["Location"]
    assert PrivacyRequest.objects.get().reference in browser.get(landing).content.decode()
    assert StatusLink.objects.count() == 2


def test_a_closed_request_gets_a_new_link_too(
    status_email, time_machine, django_capture_on_commit_callbacks
):
    """Its page still shows the outcome, and the way to appeal a refusal."""
    request_deny(request=PrivacyRequest.objects.get(), actor=None, reason="No data held.")
    browser = _expire(status_email, time_machine)

    with django_capture_on_commit_callbacks(execute=True):
        browser.post("/o/img/my-request/", {"email": "dana@example.org"})
    deliver_outbox()

    landing = browser.get(link_in(mail.outbox[-1], "status"))["Location"]
    assert "No data held." in browser.get(landing).content.decode()


def test_renewal_says_the_same_for_an_unknown_address(
    status_email, time_machine, django_capture_on_commit_callbacks
):
    browser = _expire(status_email, time_machine)
    request_deny(request=PrivacyRequest.objects.get(), actor=None, reason="No data held.")
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        known = browser.post("/o/img/my-request/", {"email": "dana@example.org"})
    deliver_outbox()
    with django_capture_on_commit_callbacks(execute=True):
        unknown = Client().post("/o/img/my-request/", {"email": "mallory@example.org"})
    deliver_outbox()
    with django_capture_on_commit_callbacks(execute=True):
        # Someone else's browser that never held the link: a closed request gets nothing.
        other = Client().post("/o/img/my-request/", {"email": "dana@example.org"})
    deliver_outbox()

    assert known.status_code == unknown.status_code == other.status_code == 200
    assert text_of(known.content.decode()) == text_of(unknown.content.decode())
    assert text_of(known.content.decode()) == text_of(other.content.decode())
    assert [m.to for m in mail.outbox[sent:]] == [["dana@example.org"]]


def test_renewal_refuses_a_bad_address_with_an_error(status_email, time_machine):
    browser = _expire(status_email, time_machine)

    page = browser.post("/o/img/my-request/", {"email": "not an address"})

    assert page.status_code == 200
    assert "Error:" in page.content.decode()
    assert 'value="not an address"' in page.content.decode()


def test_no_token_reaches_a_log_line(
    img, submit, client, caplog, settings, time_machine, django_capture_on_commit_callbacks
):
    """Every link followed, the page seen, a file downloaded, an expired link renewed: dsar's
    own log lines (the access lines with them) never hold a token."""
    settings.LOG_REQUESTS = True
    caplog.set_level("DEBUG")
    submit(img)
    confirm = link_in(mail.outbox[-1], "confirm")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(client.get(confirm)["Location"])
        release_file(
            request=PrivacyRequest.objects.get(),
            title="Our answer",
            filename="answer.pdf",
            content=PDF,
            content_type="application/pdf",
        )
    deliver_outbox()
    status = link_in(mail.outbox[-1], "status")
    page = client.get(status, follow=True).content.decode()
    download = re.search(r'href="(/o/img/download/[^"]+/)"', page).group(1)
    client.get(download, follow=True)
    time_machine.move_to(NOW + dt.timedelta(days=31), tick=False)
    client.get(status, follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/o/img/my-request/", {"email": "dana@example.org"})
    deliver_outbox()

    assert "dsar.access" in caplog.text
    for token in (_token(confirm), _token(status), _token(download)):
        assert token not in caplog.text


def test_the_expired_link_page_speaks_spanish(status_email, time_machine):
    browser = _expire(status_email, time_machine)

    text = text_of(browser.get("/o/img/my-request/", HTTP_ACCEPT_LANGUAGE="es").content.decode())

    assert "Este enlace de seguimiento ha caducado" in text
    assert "funciona durante 30 días desde que se lo enviamos" in text
    assert "Enviarme un nuevo enlace" in text
