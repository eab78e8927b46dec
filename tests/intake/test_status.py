"""The status page: reached only through its random link; released files through expiring links."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re

import pytest
import time_machine
from django.core import mail

from dsar.intake import files
from dsar.intake.models import ReleasedFile, StatusLink
from dsar.intake.services import release_file
from dsar.requests.models import EventKind, PrivacyRequest
from dsar.requests.services import request_deny
from tests.conftest import deliver_outbox

from .conftest import NOW, PDF, link_in, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def status_path(img, submit, client, django_capture_on_commit_callbacks):
    """The status page of a Californian's access request to IMG, confirmed at NOW."""
    submit(img, residence="US-CA")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link_in(mail.outbox[-1], "confirm"))
    deliver_outbox()
    return response["Location"].removeprefix("http://testserver")


def test_it_shows_the_status_and_the_deadline(status_path, client):
    page = client.get(status_path)

    html = page.content.decode()
    text = text_of(html)
    request = PrivacyRequest.objects.get()
    assert page.status_code == 200
    assert request.reference in html
    # The CCPA lets IMG act only on a verified request to know: staff check the identity.
    assert "Status We are checking who you are" in text
    assert "Email address confirmed on 2 March 2026" in text
    # IMG's one month, promised for a request through its form, is earlier than the CCPA's 45
    # days: it is said as a promise, not as law.
    assert (
        "When to expect an answer by 2 April 2026, as the privacy policy promises (one month)"
        in text
    )
    assert "no-store" in page["Cache-Control"]
    assert page["Referrer-Policy"] == "same-origin"
    assert "script-src 'self'" in page["Content-Security-Policy"]


def test_the_token_is_random_and_long(status_path):
    token = link_in(mail.outbox[-1], "status").rstrip("/").rsplit("/", 1)[1]
    # 32 random bytes in URL-safe base64: 256 bits.
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)


@pytest.mark.parametrize(
    "path",
    [
        lambda p, ref: p[:-2] + ("A" if p[-2] != "A" else "B") + "/",
        lambda p, ref: f"/o/img/status/{ref}/",
        lambda p, ref: f"/o/img/status/{ref.lower()}/",
        lambda p, ref: p.replace("/o/img/", "/o/imt/"),
        lambda p, ref: "/o/img/status/" + "x" * 500 + "/",
    ],
)
def test_nothing_else_opens_it(status_path, client, path, imt):
    reference = PrivacyRequest.objects.get().reference

    page = client.get(path(status_path, reference), follow=True)

    assert page.status_code in (200, 404)
    assert "We are checking who you are" not in page.content.decode()
    assert "2 April 2026" not in page.content.decode()
    assert "Email me a new link" in page.content.decode()


def test_a_revoked_link_opens_nothing(status_path, client):
    StatusLink.objects.update(revoked_at=NOW)

    assert client.get(status_path).status_code == 404


def test_a_refusal_shows_its_reasons(status_path, client):
    request_deny(
        request=PrivacyRequest.objects.get(), actor=None, reason="We hold no data about you."
    )

    html = client.get(status_path).content.decode()

    assert "Refused" in html
    assert "We hold no data about you." in html


@pytest.fixture
def released(status_path, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = release_file(
            request=PrivacyRequest.objects.get(),
            title="Our answer",
            filename="answer.pdf",
            content=PDF,
            content_type="application/pdf",
            link_for=lambda path: "https://dsar.example.org" + path,
        )
    deliver_outbox()
    return response


def _download_path(client, status_path):
    html = client.get(status_path).content.decode()
    found = re.search(r'href="(/o/img/download/[^"]+/)"', html)
    assert found, html
    return found.group(1).replace("&amp;", "&")


def test_a_released_file_is_listed_and_downloads(released, status_path, client):
    response = client.get(_download_path(client, status_path), follow=True)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert 'attachment; filename="answer.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_releasing_a_file_notes_it_and_emails_a_new_status_link(released, client):
    request = PrivacyRequest.objects.get()
    assert request.events.filter(kind=EventKind.NOTE, summary__contains="Our answer").exists()
    message = mail.outbox[-1]
    assert "Our answer" in message.body
    assert client.get(link_in(message, "status"), follow=True).status_code == 200
    assert StatusLink.objects.count() == 2


def test_the_file_is_stored_privately(released, settings):
    path = files.resolve_private(released.path)
    assert path.read_bytes() == PDF
    assert settings.PRIVATE_STORAGE_ROOT in path.parents
    assert path.stat().st_mode & 0o077 == 0


def test_a_download_link_expires(released, status_path, client, time_machine, settings):
    settings.DSAR_INTAKE_DOWNLOAD_MAX_AGE = 3600
    path = _download_path(client, status_path)
    time_machine.move_to(NOW + dt.timedelta(hours=1, seconds=1), tick=False)

    response = client.get(path, follow=True)

    assert response.status_code == 410
    assert "expired" in response.content.decode()


def test_a_forged_download_link_is_refused(released, status_path, client):
    path = _download_path(client, status_path)
    forged = path[:-3] + ("a" if path[-3] != "a" else "b") + path[-2:]

    assert client.get(forged, follow=True).status_code == 410


def test_a_download_link_dies_with_its_status_link(released, status_path, client):
    path = _download_path(client, status_path)
    StatusLink.objects.update(revoked_at=NOW)

    assert client.get(path, follow=True).status_code == 404


def test_a_withdrawn_file_is_not_served(released, status_path, client):
    path = _download_path(client, status_path)
    ReleasedFile.objects.update(withdrawn_at=NOW)

    assert client.get(path, follow=True).status_code == 404
    assert "Our answer" not in client.get(status_path).content.decode()


# -- Letters and data packages of dsar.letters -----------------------------------------------------


@pytest.fixture
def issued(status_path):
    """An access response issued by dsar.letters, and a data package built with it."""
    from dsar.letters.services import data_item_add, letter_issue, package_build

    request = PrivacyRequest.objects.get()
    data_item_add(
        request=request,
        actor=None,
        system="CRM",
        category="Contact Data",
        records=[{"email": "dana@example.org"}],
    )
    letter = letter_issue(request=request, kind="access", actor=None)
    package = package_build(request=request, cover_letter=letter, actor=None)
    return letter, package


def test_letters_and_packages_show_only_once_released(issued, status_path, client):
    from dsar.letters.services import letter_send, package_release

    letter, package = issued
    assert "Nothing yet" in client.get(status_path).content.decode()

    letter_send(letter=letter, actor=None, method="link")
    package_release(package=package, actor=None, send_email=False)

    html = client.get(status_path).content.decode()
    assert f"Letter {letter.reference}: access response" in html
    assert "Copy of your data" in html and "ZIP file" in html
    assert "available until 1 April 2026" in html  # the package link lasts 30 days
    spanish = client.get(status_path, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert f"Carta {letter.reference}: respuesta de acceso" in spanish
    assert "Copia de sus datos" in spanish


def test_a_released_letter_downloads_as_issued(issued, status_path, client):
    from pypdf import PdfReader

    from dsar.letters.services import letter_send

    letter, _package = issued
    letter_send(letter=letter, actor=None, method="link")
    path = _download_path(client, status_path)

    response = client.get(path, follow=True)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{letter.filename}"' in response["Content-Disposition"]
    assert hashlib.sha256(response.content).hexdigest() == letter.sha256
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert letter.request.reference in text
    StatusLink.objects.update(revoked_at=NOW)
    assert client.get(path, follow=True).status_code == 404


def test_a_released_package_downloads_through_its_own_link(issued, status_path, client):
    from dsar.letters.services import package_release

    _letter, package = issued
    package_release(package=package, actor=None, send_email=False)
    html = client.get(status_path).content.decode()
    found = re.search(r'href="(/letters/p/[^"]+/)"', html)
    assert found, html

    response = client.get(found.group(1).replace("&amp;", "&"))

    assert response.status_code == 200
    assert hashlib.sha256(response.content).hexdigest() == package.sha256
    time_machine_past = NOW + dt.timedelta(days=31)
    with time_machine.travel(time_machine_past, tick=False):
        assert "Copy of your data" not in client.get(status_path).content.decode()


def test_a_letter_of_another_request_is_not_served(issued, status_path, client, img, submit):
    """A download token names a letter and the status link it was made under: both must match."""
    from dsar.intake.tokens import make_download_token
    from dsar.letters.services import letter_send

    letter, _package = issued
    letter_send(letter=letter, actor=None, method="link")
    submit(img, email="eve@example.org")
    other = PrivacyRequest.objects.exclude(pk=letter.request_id).get()
    from dsar.intake.services import status_link

    other_url = status_link(other.intake, lambda p: p, now=NOW)
    other_hash = StatusLink.objects.get(submission__request=other).token_hash
    token = make_download_token("l", letter.pk, other_hash)

    assert client.get(other_url, follow=True).status_code == 200
    assert client.get(f"/o/img/download/{token}/", follow=True).status_code == 404
