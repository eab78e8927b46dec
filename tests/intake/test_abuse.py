"""Abuse: honeypot, rate limits, CSRF, hostile input shown back escaped, and a flood of posts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from dsar.intake import throttle
from dsar.intake.models import IntakeSubmission, Throttle
from dsar.lib.rate_limits import parse_limits
from dsar.requests.models import PrivacyRequest
from tests.conftest import deliver_outbox

from .conftest import NOW, form_data, link_in

pytestmark = pytest.mark.django_db


def test_a_filled_in_honeypot_logs_nothing_and_says_thank_you(img, submit, client):
    response = submit(img, website="http://spam.example")

    assert response.status_code == 302
    assert not PrivacyRequest.objects.exists()
    assert mail.outbox == []
    assert "Thank you" in client.get(response["Location"]).content.decode()


def test_the_honeypot_is_hidden_from_people_and_assistive_technology(img, client):
    html = client.get("/o/img/request/").content.decode()

    assert '<div class="hp" aria-hidden="true">' in html
    assert 'name="website" id="id_website" value="" tabindex="-1" autocomplete="off"' in html


def test_a_post_without_the_csrf_token_is_refused(img):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/o/img/request/", form_data())

    assert response.status_code == 403
    assert not PrivacyRequest.objects.exists()


def test_a_post_with_the_csrf_token_is_accepted(img):
    client = Client(enforce_csrf_checks=True)
    client.get("/o/img/request/")
    token = client.cookies["csrftoken"].value

    response = client.post("/o/img/request/", {**form_data(), "csrfmiddlewaretoken": token})

    assert response.status_code == 302


def test_one_network_may_send_ten_requests_an_hour(img, submit, settings):
    settings.DSAR_INTAKE_RATE_LIMITS = {"submit_ip": (10, 3600), "submit_email": (100, 3600)}
    for n in range(10):
        assert submit(img, email=f"p{n}@example.org").status_code == 302

    refused = submit(img, email="p10@example.org", name="Eleventh Person")

    assert refused.status_code == 429
    html = refused.content.decode()
    assert "too many requests" in html
    assert 'value="Eleventh Person"' in html  # nothing typed is lost
    assert PrivacyRequest.objects.count() == 10


def test_an_operator_sets_a_limit_in_the_environment(img, submit, settings):
    """DSAR_INTAKE_RATE_LIMITS as the README shows it: the named scope changes, the rest keep
    their defaults."""
    settings.DSAR_INTAKE_RATE_LIMITS = parse_limits("submit_ip=2/3600, resend_email=1/60")
    assert throttle.limit_for("resend_ip") == throttle.DEFAULT_LIMITS["resend_ip"]
    assert submit(img).status_code == 302
    assert submit(img, email="b@example.org").status_code == 302
    assert submit(img, email="c@example.org").status_code == 429


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("submit=10/3600", "'submit' is not one of"),
        ("submit_ip=ten/3600", "submit_ip=HITS/SECONDS"),
        ("submit_ip=10", "submit_ip=HITS/SECONDS"),
        ("submit_ip=0/3600", "at least 1 hit"),
    ],
)
def test_a_limit_that_cannot_be_read_stops_the_start_with_a_reason(text, says):
    with pytest.raises(ImproperlyConfigured, match=re.escape(says)):
        parse_limits(text)


def test_the_window_passes(img, submit, settings, time_machine):
    settings.DSAR_INTAKE_RATE_LIMITS = {"submit_ip": (1, 3600)}
    assert submit(img).status_code == 302
    assert submit(img, email="b@example.org").status_code == 429

    time_machine.move_to(NOW + dt.timedelta(hours=1), tick=False)

    assert submit(img, email="b@example.org").status_code == 302


def test_networks_are_counted_apart(img, submit, client, settings):
    settings.DSAR_INTAKE_RATE_LIMITS = {"submit_ip": (1, 3600)}
    other = Client(REMOTE_ADDR="203.0.113.9")

    assert submit(img).status_code == 302
    assert submit(img, client_=other, email="b@example.org").status_code == 302
    assert submit(img, email="c@example.org").status_code == 429


def test_an_ipv6_subscriber_is_one_network(img, submit, settings):
    settings.DSAR_INTAKE_RATE_LIMITS = {"submit_ip": (1, 3600)}
    first = Client(REMOTE_ADDR="2001:db8:1:2::1")
    second = Client(REMOTE_ADDR="2001:db8:1:2:ffff::9")

    assert submit(img, client_=first).status_code == 302
    assert submit(img, client_=second, email="b@example.org").status_code == 429


def test_behind_a_proxy_the_client_address_comes_from_its_header(img, submit, settings):
    settings.DSAR_INTAKE_RATE_LIMITS = {"submit_ip": (1, 3600)}
    settings.DSAR_INTAKE_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    settings.DSAR_TRUSTED_PROXIES = ["10.0.0.0/8"]  # read from the proxy only (tests/security)
    a = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_REAL_IP="198.51.100.1")
    b = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_REAL_IP="198.51.100.2")

    assert submit(img, client_=a).status_code == 302
    assert submit(img, client_=b, email="b@example.org").status_code == 302


def test_one_address_may_send_five_requests_a_day(img, settings):
    settings.DSAR_INTAKE_RATE_LIMITS = {"submit_ip": (100, 3600), "submit_email": (5, 86400)}
    for n in range(5):
        response = Client(REMOTE_ADDR=f"192.0.2.{n}").post(
            "/o/img/request/", form_data(email="Dana@Example.org")
        )
        assert response.status_code == 302

    refused = Client(REMOTE_ADDR="192.0.2.99").post(
        "/o/img/request/", form_data(email="dana@example.org")
    )

    assert refused.status_code == 429
    assert PrivacyRequest.objects.count() == 5


def test_the_counters_hold_no_address(img, submit):
    submit(img)

    keys = " ".join(Throttle.objects.values_list("key", flat=True))
    assert "dana" not in keys
    assert "127.0.0.1" not in keys


def test_rate_limits_can_be_turned_off(img, submit, settings):
    settings.DSAR_INTAKE_RATE_LIMITS_ENABLED = False
    settings.DSAR_INTAKE_RATE_LIMITS = {"submit_ip": (0, 3600), "submit_email": (0, 3600)}

    assert submit(img).status_code == 302
    assert not Throttle.objects.exists()


def test_old_counters_are_pruned(img, submit):
    submit(img)

    assert throttle.prune(NOW + dt.timedelta(days=2)) == 2
    assert not Throttle.objects.exists()


def test_resending_the_link_is_rate_limited(
    img, submit, client, django_capture_on_commit_callbacks
):
    submit(img)
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/o/img/request/resend/", {"email": "dana@example.org"})
        deliver_outbox()
        assert response.status_code == 200

    refused = client.post("/o/img/request/resend/", {"email": "dana@example.org"})

    assert refused.status_code == 429
    assert len(mail.outbox) == 4  # the first link and three more
    assert IntakeSubmission.objects.get().verification_sends == 4


def test_resend_from_the_sent_page_needs_no_typing(
    img, submit, client, django_capture_on_commit_callbacks
):
    submit(img)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/o/img/request/resend/", {"from_sent_page": "1"})
    deliver_outbox()

    assert len(mail.outbox) == 2
    assert link_in(mail.outbox[1], "confirm")


def test_resend_does_not_tell_whether_an_address_is_known(img, submit, client):
    submit(img)
    known = client.post("/o/img/request/resend/", {"email": "dana@example.org"})
    unknown = Client().post("/o/img/request/resend/", {"email": "nobody@example.org"})

    assert known.status_code == unknown.status_code == 200
    assert [t.name for t in known.templates] == [t.name for t in unknown.templates]
    assert "If that address has an open request" in unknown.content.decode()


HOSTILE = {
    "html": '<script>alert("x")</script><img src=x onerror=alert(1)>',
    "sql": "Robert'); DROP TABLE requests_privacyrequest;--",
    # Right-to-left override, zero-width joiners, an emoji family, a ligature, a wide Arabic
    # ligature, stacked combining accents, and mathematical Fraktur letters.
    "unicode": (
        "Zoë \u202egnp.exe\u202c \u200b\u200d 👩‍👩‍👧 Ǆ ﷽ a\u0301\u0301\u0301 "
        "\U0001d518\U0001d52b\U0001d526\U0001d520\U0001d52c\U0001d521\U0001d522"
    ),
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_text_is_stored_as_typed_and_shown_escaped(img, submit, client, kind):
    text = HOSTILE[kind]
    response = submit(img, name=text[:200], right="rectification", wrong=text, correct=text)

    assert response.status_code == 302
    request = PrivacyRequest.objects.get()
    assert request.requester_name == text[:200]
    assert text in IntakeSubmission.objects.get().details["wrong"]
    # Shown back on an error page, escaped.
    page = submit(img, name=text[:200], email="", right="rectification", wrong=text, correct=text)
    html = page.content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    if kind == "html":
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    else:
        from django.utils.html import escape

        assert escape(text) in html


def test_hostile_text_is_escaped_in_the_emails(img, submit):
    submit(img, name='<b onmouseover="x">Dana</b>')

    html = mail.outbox[0].alternatives[0][0]
    assert "<b onmouseover" not in html


def test_a_nul_character_is_refused_not_stored(img, submit):
    response = submit(img, name="Dana\x00Data")

    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert not PrivacyRequest.objects.exists()


def test_very_long_text_is_refused_and_kept_for_correction(img, submit):
    long_text = "ä" * 5001
    response = submit(img, message=long_text, name="x" * 201)

    form = response.context["form"]
    assert set(form.errors) == {"message", "name"}
    assert form["message"].value() == long_text
    assert long_text in response.content.decode()
    assert not PrivacyRequest.objects.exists()


def test_text_at_the_limits_is_accepted(img, submit):
    response = submit(img, message="ä" * 5000, name="x" * 200)

    assert response.status_code == 302
    assert PrivacyRequest.objects.get().requester_name == "x" * 200


def test_a_flood_of_posts_loses_none_that_was_accepted(img, submit, settings):
    """60 posts in a row, some invalid: every one answered 302 is a stored request. (The
    concurrent flood against a live server is test_flood.py, on PostgreSQL.)"""
    settings.DSAR_INTAKE_RATE_LIMITS_ENABLED = False
    accepted = 0
    for n in range(60):
        fields = {"email": f"flood{n}@example.org", "residence": ["FR", "US-CA", "GB"][n % 3]}
        if n % 10 == 9:
            fields["email"] = "not-an-address"
        response = submit(img, **fields)
        assert response.status_code in (200, 302)
        accepted += response.status_code == 302

    assert accepted == 54
    assert PrivacyRequest.objects.count() == accepted
    assert IntakeSubmission.objects.count() == accepted
    references = set(PrivacyRequest.objects.values_list("reference", flat=True))
    assert references == {f"IMG-2026-{n:05d}" for n in range(1, accepted + 1)}
    assert len(mail.outbox) == accepted
