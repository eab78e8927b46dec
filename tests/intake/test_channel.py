"""The public form as a channel. Switched on (``Organization.web_form_enabled``), it is a channel
the organization offers: a request through it is not flagged "channel not offered", and the
policy's promise covers it. It designates nothing the policy does not: a 1798.83 request through
it is "received otherwise" unless the policy designates a web form. Switched off, the page says so
and a post records nothing. Whatever the requester's language, the trail is the staff's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import translation

from dsar.organizations.models import Organization
from dsar.policies.models import Channel, ChannelKind, PolicyVersion
from dsar.policies.services import policy_version_draft_from, policy_version_publish
from dsar.requests import clock
from dsar.requests.models import EventKind, Flag, PrivacyRequest
from dsar.requests.services import request_log
from tests.conftest import deliver_outbox

from .conftest import NOW, SLUGS, form_data, text_of

pytestmark = pytest.mark.django_db


def codes(request: PrivacyRequest) -> set[str]:
    return {flag["code"] for flag in request.flags}


@pytest.mark.parametrize("slug", SLUGS)
def test_a_form_request_is_not_flagged_as_sent_through_a_channel_not_offered(seeds, submit, slug):
    # No seed policy names a web form: the organizations offer dsar's form themselves.
    right = (
        PolicyVersion.objects.in_force_for(seeds[slug]).rights.order_by("position", "id").first()
    )
    assert not Channel.objects.filter(
        version__organization=seeds[slug], kind=ChannelKind.WEB_FORM
    ).exists()

    submit(seeds[slug], right=right.kind, residence="FR")

    request = PrivacyRequest.objects.get()
    assert Flag.CHANNEL_NOT_OFFERED not in codes(request)
    assert not request.off_channel


def test_the_promise_covers_a_form_request(img, submit):
    # A Virginian at IMG: one month as promised (2 April), earlier than the state law's 45 days.
    submit(img, residence="US-VA")

    request = PrivacyRequest.objects.get()
    assert request.due_date == dt.date(2026, 4, 2)
    assert 'the policy promises "one month"' in request.deadline_basis
    assert "does not cover" not in request.deadline_basis


def test_with_the_form_switched_off_a_web_form_request_is_flagged(img):
    Organization.objects.filter(pk=img.pk).update(web_form_enabled=False)
    img.refresh_from_db()

    request = request_log(
        organization=img,
        right_kind="access",
        channel_kind="web_form",
        received_at=NOW,
        requester_name="Dana Data",
        jurisdiction="US-VA",
    )

    assert Flag.CHANNEL_NOT_OFFERED in codes(request)
    # Outside the promise: the Virginia law's 45 days decide.
    assert request.due_date == dt.date(2026, 4, 16)


@pytest.mark.parametrize(
    ("lang", "heading", "words"),
    [
        ("en", "This form is switched off", "does not take privacy requests through this form"),
        ("es", "Este formulario está desactivado", "no recibe ahora solicitudes de privacidad"),
    ],
)
def test_a_switched_off_form_says_so_and_records_nothing(
    img, client, django_capture_on_commit_callbacks, lang, heading, words
):
    Organization.objects.filter(pk=img.pk).update(web_form_enabled=False)

    page = client.get("/o/img/request/", HTTP_ACCEPT_LANGUAGE=lang)
    with django_capture_on_commit_callbacks(execute=True):
        posted = client.post("/o/img/request/", form_data(), HTTP_ACCEPT_LANGUAGE=lang)
    deliver_outbox()

    for response in (page, posted):
        text = text_of(response.content.decode())
        assert response.status_code == 200
        assert heading in text and words in text
        assert "FTSupport@imgsecurity.com" in text  # the policy's other ways to ask
        assert '<form method="post" enctype="multipart/form-data"' not in response.content.decode()
    assert not PrivacyRequest.objects.exists()
    assert mail.outbox == []


def test_a_californians_1798_83_request_through_the_form_is_received_otherwise(seeds, submit):
    submit(seeds["imgwg"], right="shine_the_light", residence="US-CA")

    request = PrivacyRequest.objects.get()
    assert not request.designated
    assert codes(request) == set()
    assert request.deadline_rule == "shine_the_light_undesignated"
    assert request.due_date == dt.date(2026, 7, 30)  # 150 days


def test_at_img_the_promise_is_earlier_than_the_150_days(img, submit):
    submit(img, right="shine_the_light", residence="US-CA")

    request = PrivacyRequest.objects.get()
    assert not request.designated
    assert request.due_date == dt.date(2026, 4, 2)


def test_a_web_form_the_policy_designates_gives_30_days(seeds, submit, client):
    organization = seeds["imgwg"]
    draft = policy_version_draft_from(
        version=PolicyVersion.objects.in_force_for(organization), actor=None
    )
    form = Channel.objects.create(
        version=draft, key="web_form", kind=ChannelKind.WEB_FORM, address="https://imgwg.test/"
    )
    right = draft.rights.get(kind="shine_the_light")
    right.channels.add(form)
    form.designated_for.add(right)
    policy_version_publish(version=draft, actor=None)

    submit(organization, right="shine_the_light", residence="US-CA")

    request = PrivacyRequest.objects.get()
    assert request.designated
    assert request.due_date == dt.date(2026, 4, 1)  # 30 days
    html = client.get("/o/imgwg/request/").content.decode()
    assert "California: by 1 April 2026 under section 1798.83 of the California Civil Code" in (
        text_of(html)
    )


def test_the_trail_of_a_spanish_request_is_in_the_staffs_language(
    seeds, client, django_capture_on_commit_callbacks
):
    # The Spanish catalogue translates these words: written in the requester's language, the
    # trail would read "Recibida por formulario web…".
    with translation.override("es"):
        assert translation.gettext("web form") == "formulario web"
        assert translation.gettext("the clock keeps running") != "the clock keeps running"
    for _ in range(2):  # the second is a possible duplicate of the first
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                "/o/imt/request/",
                form_data(right="erasure", residence="OTHER"),
                HTTP_ACCEPT_LANGUAGE="es",
            )
        deliver_outbox()

    first, second = PrivacyRequest.objects.order_by("pk")
    assert first.language == second.language == "es"
    summaries = dict(second.events.values_list("kind", "summary"))
    assert list(summaries) == [
        EventKind.RECEIVED,
        EventKind.ASKED_REQUESTER,
        EventKind.REQUESTER_EMAILED,
        EventKind.ACKNOWLEDGED,
    ]
    assert summaries[EventKind.REQUESTER_EMAILED] == (
        "The intake_confirm email was sent to the requester"
    )
    assert summaries[EventKind.RECEIVED].startswith("Received by web form; ")
    assert summaries[EventKind.ASKED_REQUESTER].startswith(
        "Asked the requester for confirmation of their email address: "
    )
    assert summaries[EventKind.ACKNOWLEDGED] == (
        "Receipt acknowledged: the acknowledgement email sent on receipt through the web form"
    )
    spanish = ("Recibida", "formulario web", "Se pidió", "Acuse de recibo", "solicitante")
    for summary in summaries.values():
        assert not any(words in summary for words in spanish), summary
    asked = second.events.get(kind=EventKind.ASKED_REQUESTER)
    assert asked.data["note"] == "Follow the link emailed to the address given on the web form."
    messages = {flag["code"]: flag["message"] for flag in second.flags}
    assert messages[Flag.DUPLICATE] == f"{first.reference} from the same requester is still open."
    # The organization sets the date: the flag carries the decision's reason, for staff.
    assert messages[Flag.NO_LEGAL_DEADLINE] == clock.decide_for(second).reason
