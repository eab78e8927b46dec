"""The demo mailbox (``dsar.outbox.mailbox``): the emails the demo sent, read in the browser by
staff, with their links working; absent (404) from any installation that is not a demo."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from dsar.outbox import mailbox

from .conftest import NOW

pytestmark = pytest.mark.django_db

MAILBOX = "/staff/mailbox/"


@pytest.fixture
def demo(settings, tmp_path):
    """The demo's settings: DEBUG, the mailbox on, its email backend keeping files."""
    settings.DEBUG = True
    settings.DSAR_DEMO_MAILBOX = True
    settings.DSAR_DEMO_MAILBOX_DIR = tmp_path / "mailbox"
    settings.EMAIL_BACKEND = "dsar.outbox.mailbox.MailboxBackend"
    return settings


def links(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)"', html)


def test_a_request_filed_on_the_form_brings_its_confirmation_to_the_mailbox(
    demo, img, submit, client, admin_client
):
    submit(img, email="dana@example.org")

    listing = admin_client.get(MAILBOX)
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "dana@example.org" in html
    [opened] = [href for href in links(html) if href.startswith(MAILBOX) and href != MAILBOX]

    page = admin_client.get(opened)
    assert page.status_code == 200
    body = page.content.decode()
    # The link is a link (in the text and in the HTML), not words to copy out of a terminal.
    confirms = [href for href in links(body) if "/confirm/" in href]
    assert len(confirms) == 2
    confirm = confirms[0]
    assert confirms[1] == confirm
    assert "<script" not in body.split('class="mailbox-html"')[1].split("</div>")[0]
    assert confirm.startswith("https://dsar.example.org/o/img/")

    followed = client.get(confirm.removeprefix("https://dsar.example.org"), follow=True)
    assert followed.status_code == 200
    assert "Confirm my email address" in followed.content.decode()


def test_the_newest_email_comes_first(demo, img, submit, admin_client, time_machine):
    submit(img, email="first@example.org")
    time_machine.move_to(NOW + dt.timedelta(minutes=1), tick=False)
    submit(img, email="second@example.org")

    html = admin_client.get(MAILBOX).content.decode()

    assert html.index("second@example.org") < html.index("first@example.org")
    assert [kept.to for kept in mailbox.newest()][:2] == ["second@example.org", "first@example.org"]


def test_staff_only(demo, client, django_user_model):
    client.force_login(django_user_model.objects.create_user("someone"))

    response = client.get(MAILBOX)

    assert response.status_code == 302
    assert "/staff/login/" in response["Location"]


@pytest.mark.parametrize(("debug", "on"), [(True, False), (False, True), (False, False)])
def test_no_mailbox_outside_the_demo(settings, tmp_path, admin_client, debug, on):
    settings.DEBUG = debug
    settings.DSAR_DEMO_MAILBOX = on
    settings.DSAR_DEMO_MAILBOX_DIR = tmp_path

    assert admin_client.get(MAILBOX).status_code == 404


def test_a_name_that_is_not_a_kept_email_finds_nothing(demo, admin_client):
    assert admin_client.get(f"{MAILBOX}..%2F..%2Fsettings/").status_code == 404
    assert admin_client.get(f"{MAILBOX}{'1' * 19}-{'a' * 16}/").status_code == 404


def test_the_html_body_is_shown_without_its_scripts_and_with_its_links():
    kept = mailbox.KeptEmail(
        name="x",
        to="a@example.org",
        subject="s",
        sent_at=None,
        text="",
        html='<p onclick="steal()">Hi <script>steal()</script><a href="https://e.example/x">go</a>'
        '<img src="https://tracker.example/p.gif"></p>',
        attachments=[],
    )

    assert "script" not in kept.safe_html and "onclick" not in kept.safe_html
    assert "tracker" not in kept.safe_html
    assert 'href="https://e.example/x"' in kept.safe_html
