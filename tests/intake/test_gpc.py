"""Global Privacy Control: ``Sec-GPC: 1`` (exactly "1"; anything else is ignored, as the
specification requires) is honoured as an opt-out of sale and sharing. The browser is recorded
once per organization, known only by the hash of a random id in its own cookie; a form posted
with it logs an opt-out of sale and sharing for the person who sent it, handled at once; the page
says the signal was received; /.well-known/gpc.json says dsar honours it."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core import mail
from django.test import Client

from dsar.intake import gpc
from dsar.intake.models import GpcSignal, IntakeSubmission
from dsar.requests.models import EventKind, PrivacyRequest, Status, WaitingFor
from tests.conftest import deliver_outbox

from .conftest import NOW, form_data, text_of

pytestmark = pytest.mark.django_db

NOTICE = {
    "en": (
        "Your browser sent a Global Privacy Control signal: we treat it as a request to opt out "
        "of the sale and sharing of your personal information by Incident Management Group."
    ),
    "es": (
        "Su navegador ha enviado una señal Global Privacy Control: la tratamos como una solicitud "
        "de exclusión de la venta y cesión de sus datos personales por Incident Management Group."
    ),
}


# -- The browser ----------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_form_says_the_signal_was_received(img, client, language):
    html = client.get(
        "/o/img/request/", HTTP_SEC_GPC="1", HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()

    assert NOTICE[language] in text_of(html)


def test_the_browser_is_recorded_once_per_organization(img, imt, client, time_machine):
    first = client.get("/o/img/request/", HTTP_SEC_GPC="1")

    cookie = first.cookies[gpc.COOKIE]
    assert cookie["httponly"] and cookie["path"] == "/o/" and cookie["samesite"] == "Lax"
    (signal,) = GpcSignal.objects.all()
    assert signal.organization == img
    assert signal.first_seen_at == signal.last_seen_at == NOW
    # Only a hash of the browser's id is stored, and nothing else about the browser.
    assert cookie.value not in signal.browser_hash
    assert len(signal.browser_hash) == 64
    assert {f.name for f in GpcSignal._meta.fields} == {
        "id",
        "organization",
        "browser_hash",
        "first_seen_at",
        "last_seen_at",
    }

    later = NOW + dt.timedelta(days=3)
    time_machine.move_to(later, tick=False)
    client.get("/o/img/request/", HTTP_SEC_GPC="1")
    client.get("/o/img/request/resend/", HTTP_SEC_GPC="1")

    signal = GpcSignal.objects.get()
    assert (signal.first_seen_at, signal.last_seen_at) == (NOW, later)
    # The same browser at another organization is another row, not linkable to the first.
    client.get("/o/imt/request/", HTTP_SEC_GPC="1")
    rows = {row.organization_id: row.browser_hash for row in GpcSignal.objects.all()}
    assert set(rows) == {img.pk, imt.pk}
    assert rows[img.pk] != rows[imt.pk]


def test_two_browsers_are_two_rows(img):
    Client().get("/o/img/request/", HTTP_SEC_GPC="1")
    Client().get("/o/img/request/", HTTP_SEC_GPC="1")

    assert GpcSignal.objects.count() == 2


@pytest.mark.parametrize("value", [None, "0", "true", "yes", " 1", "1, 1", "11"])
def test_anything_but_exactly_1_is_ignored(img, client, value):
    headers = {} if value is None else {"HTTP_SEC_GPC": value}

    page = client.get("/o/img/request/", **headers)
    client.post("/o/img/request/", form_data(), **headers)

    assert "Global Privacy Control" not in text_of(page.content.decode())
    assert gpc.COOKIE not in page.cookies
    assert not GpcSignal.objects.exists()
    assert list(PrivacyRequest.objects.values_list("right_kind", "gpc")) == [("access", False)]


def test_the_footer_names_the_cookie_only_when_it_is_set(img, client):
    without = text_of(client.get("/o/img/request/").content.decode())
    with_signal = text_of(client.get("/o/img/request/", HTTP_SEC_GPC="1").content.decode())

    sentence = "one more cookie lets us record that signal once"
    assert sentence not in without
    assert sentence in with_signal


def test_the_pages_vary_with_the_signal(img, client):
    assert "Sec-GPC" in client.get("/o/img/request/")["Vary"]


# -- The person who sends the form ---------------------------------------------------------------


def post(client, django_capture_on_commit_callbacks, value="1", **fields):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/o/img/request/", form_data(**fields), HTTP_SEC_GPC=value)
    deliver_outbox()
    return response


def test_a_form_sent_with_the_signal_also_logs_an_opt_out_of_sale(
    img, client, django_capture_on_commit_callbacks
):
    response = post(client, django_capture_on_commit_callbacks, residence="US-CA")

    assert response.status_code == 302
    access, opt_out = PrivacyRequest.objects.order_by("id")
    assert (access.right_kind, access.gpc, access.status, access.waiting_for) == (
        "access",
        False,
        Status.WAITING_REQUESTER,
        WaitingFor.EMAIL,
    )
    assert (opt_out.right_kind, opt_out.gpc, opt_out.status) == (
        "opt_out_sale",
        True,
        Status.IN_PROGRESS,
    )
    assert (opt_out.requester_name, opt_out.requester_email, opt_out.jurisdiction) == (
        "Dana Data",
        "dana@example.org",
        "US-CA",
    )
    # The CCPA's 15 business days for an opt-out (§7026(f)).
    assert opt_out.due_date == dt.date(2026, 3, 23)
    note = opt_out.events.get(kind=EventKind.NOTE)
    assert "Global Privacy Control signal (Sec-GPC: 1)" in note.summary
    assert "requires honouring it" in note.summary  # California: §7025
    assert not IntakeSubmission.objects.get(request=opt_out).confirmation_asked
    subjects = sorted(message.subject for message in mail.outbox)
    assert subjects == sorted(
        [
            f"We received your request {access.reference} to Incident Management Group: please "
            "confirm your email address",
            f"We are acting on your request {opt_out.reference} to Incident Management Group",
        ]
    )
    receipt = next(m for m in mail.outbox if opt_out.reference in m.subject)
    assert "Your browser's Global Privacy Control signal asked for it." in receipt.body
    assert GpcSignal.objects.count() == 1


def test_the_sent_page_shows_the_opt_out_the_signal_added(
    img, client, django_capture_on_commit_callbacks
):
    response = post(client, django_capture_on_commit_callbacks, residence="US-CA")

    text = text_of(client.get(response["Location"], HTTP_SEC_GPC="1").content.decode())

    access, opt_out = PrivacyRequest.objects.order_by("id")
    assert "Check your email" in text
    assert access.reference in text
    assert (
        "Your browser sent a Global Privacy Control signal with the form, so we also logged "
        f"request {opt_out.reference}: an opt-out of the sale and sharing of your personal "
        "information by Incident Management Group." in text
    )
    assert "To be done: by 23 March 2026 under the California Consumer Privacy Act." in text


def test_where_no_law_gives_a_date_the_organization_sets_it(
    img, client, django_capture_on_commit_callbacks
):
    post(client, django_capture_on_commit_callbacks, residence="FR")

    opt_out = PrivacyRequest.objects.get(right_kind="opt_out_sale")
    assert opt_out.gpc and opt_out.status == Status.IN_PROGRESS
    assert opt_out.due_date is None
    assert opt_out.internal_target == dt.date(2026, 3, 16)
    assert "requires honouring it" not in opt_out.events.get(kind=EventKind.NOTE).summary


def test_choosing_the_opt_out_of_sale_marks_it_as_sent_with_the_signal(
    img, client, django_capture_on_commit_callbacks
):
    post(client, django_capture_on_commit_callbacks, right="opt_out_sale", residence="US-VA")

    (request,) = PrivacyRequest.objects.all()
    assert (request.right_kind, request.gpc, request.status) == (
        "opt_out_sale",
        True,
        Status.IN_PROGRESS,
    )
    assert request.due_date == dt.date(2026, 4, 16)  # Virginia's 45 days
    assert len(mail.outbox) == 1


def test_another_opt_out_gets_the_opt_out_of_sale_beside_it(
    img, client, django_capture_on_commit_callbacks
):
    post(client, django_capture_on_commit_callbacks, right="opt_out_profiling", residence="US-CO")

    assert sorted(PrivacyRequest.objects.values_list("right_kind", "gpc", "status")) == [
        ("opt_out_profiling", False, Status.IN_PROGRESS),
        ("opt_out_sale", True, Status.IN_PROGRESS),
    ]


def test_an_agents_signal_is_the_agents_own_opt_out(
    img, client, django_capture_on_commit_callbacks
):
    post(
        client,
        django_capture_on_commit_callbacks,
        right="opt_out_sale",
        residence="US-CA",
        acting_for="agent",
        subject_name="Sam Subject",
    )

    for_subject = PrivacyRequest.objects.get(is_agent=True)
    own = PrivacyRequest.objects.get(is_agent=False)
    assert (for_subject.requester_name, for_subject.gpc) == ("Sam Subject", False)
    # The agent's residence is not asked (the one given is the subject's).
    assert (own.requester_name, own.right_kind, own.gpc, own.jurisdiction) == (
        "Dana Data",
        "opt_out_sale",
        True,
        "",
    )


def test_an_invalid_form_logs_nothing_for_the_person(
    img, client, django_capture_on_commit_callbacks
):
    response = post(client, django_capture_on_commit_callbacks, email="not an address")

    assert response.status_code == 200
    assert not PrivacyRequest.objects.exists()
    assert GpcSignal.objects.count() == 1
    assert NOTICE["en"] in text_of(response.content.decode())


@pytest.mark.parametrize("value", ["0", "true"])
def test_a_post_with_another_value_logs_only_the_right_chosen(
    img, client, django_capture_on_commit_callbacks, value
):
    post(client, django_capture_on_commit_callbacks, value=value, residence="US-CA")

    assert list(PrivacyRequest.objects.values_list("right_kind", "gpc")) == [("access", False)]


# -- The support resource -------------------------------------------------------------------------


def test_the_well_known_resource_says_gpc_is_honoured(db, client):
    response = client.get("/.well-known/gpc.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"gpc": True, "lastUpdate": "2026-12-06"}
    assert dt.date.fromisoformat(json.loads(response.content)["lastUpdate"]) == gpc.LAST_UPDATE
    assert client.post("/.well-known/gpc.json").status_code == 405
