"""The US state opt-outs on the public form: offered where the policy in force declares (or does
not deny) the practice and for the residences whose law gives them, said so on the page; sent
with nothing but a name, an email address and a residence; logged and acted on at once, without a
confirmation link or proof of identity (Cal. Code Regs. tit. 11 §7060(b)); a receipt emailed in
the requester's language."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core import mail

from dsar.intake.models import IntakeSubmission
from dsar.organizations.models import Organization
from dsar.policies.models import Declaration, PolicyVersion
from dsar.policies.services import policy_version_draft_from, policy_version_publish
from dsar.requests.models import EventKind, Flag, IdentityStatus, PrivacyRequest, Status
from tests.conftest import deliver_outbox

from .conftest import link_in, text_of

pytestmark = pytest.mark.django_db

# Every US state law in dsar.jurisdictions in force on 2 March 2026 gives an opt-out of sale;
# California too. Iowa gives only that one, Utah no opt-out of profiling; California none of
# profiling, but the limit on sensitive information.
SALE_STATES = (
    "California, Colorado, Connecticut, Delaware, Indiana, Iowa, Kentucky, Maryland, Minnesota, "
    "Montana, Nebraska, New Hampshire, New Jersey, Oregon, Rhode Island, Tennessee, Texas, Utah, "
    "Virginia"
)
ADS_STATES = SALE_STATES.replace("Iowa, ", "")
PROFILING_STATES = ADS_STATES.replace("California, ", "").replace("Utah, ", "")


def declare(organization: Organization, **declared: Any) -> None:
    """Put in force a new version of the organization's policy declaring ``declared``
    (``sells="no"``, ``shares_clause="..."``…), as a privacy officer would."""
    draft = policy_version_draft_from(
        version=PolicyVersion.objects.in_force_for(organization), actor=None
    )
    for name, value in declared.items():
        setattr(draft, name, value)
    draft.save()
    policy_version_publish(version=draft, actor=None)


def radios(html: str) -> list[str]:
    return re.findall(r'<input type="radio" name="right" value="([^"]+)"', html)


def offer_text(html: str, kind: str) -> str:
    start = html.index(f'<label for="id_right_{kind}">')
    end = html.index("</details>", start)
    return text_of(html[start:end])


# -- What the form offers ------------------------------------------------------------------------


def test_a_policy_silent_on_selling_sharing_and_profiling_offers_those_opt_outs(img, client):
    # IMG's own policy says it shares (Google's advertising) and uses sensitive information: a
    # version silent on all four is put in force first.
    silent = Declaration.NOT_STATED
    declare(img, sells=silent, shares=silent, profiles=silent, sensitive_beyond_permitted=silent)
    html = client.get("/o/img/request/").content.decode()

    promised = list(PolicyVersion.objects.in_force_for(img).rights.values_list("kind", flat=True))
    assert radios(html) == [
        *promised,
        "opt_out_sale",
        "opt_out_targeted_ads",
        "opt_out_profiling",
    ]
    text = text_of(html)
    assert "Rights the law gives you" in text
    sale = offer_text(html, "opt_out_sale")
    assert sale.startswith("Opt-out of sale or sharing of personal information")
    assert f"Who has it by law: {SALE_STATES} residents." in sale
    assert (
        "No proof of who you are and no confirmation link: Incident Management Group acts on it "
        "as soon as you send the form, and emails you a receipt." in sale
    )
    assert "The privacy policy does not say whether Incident Management Group sells" in sale
    assert f"Who has it by law: {ADS_STATES} residents." in offer_text(html, "opt_out_targeted_ads")
    assert f"Who has it by law: {PROFILING_STATES} residents." in offer_text(
        html, "opt_out_profiling"
    )
    # Only a policy that says it uses sensitive information beyond 7027(m) offers the limit.
    assert "limit_sensitive" not in radios(html)


def test_each_opt_out_says_by_when_it_is_acted_on_where_you_live(img, client):
    html = client.get("/o/img/request/").content.decode()
    summary = html[html.index('id="id_right_opt_out_sale_summary"') :]
    found = re.search(r'<ul class="expectations">(.*?)</ul>', summary, re.S)
    lines = [text_of(line) for line in re.findall(r"<li>(.*?)</li>", found.group(1), re.S)]

    # Received Monday 2 March 2026: California's 15 business days (§7026(f)) end on 23 March;
    # the other states' 45 days on 16 April, Iowa's 90 on 31 May; elsewhere IMG sets the date.
    assert lines == [
        "EU/EEA, United Kingdom, other US states, Canada, Brazil, elsewhere: Incident Management "
        "Group sets the date: by 16 March 2026",
        "California: by 23 March 2026 under the California Consumer Privacy Act",
        "US states with their own privacy law except Iowa: by 16 April 2026 under the privacy law "
        "of your state",
        "Iowa: by 31 May 2026 under the Iowa Consumer Data Protection Act",
    ]
    assert "To be acted on, by where you live:" in text_of(summary[: summary.index("</ul>")])


def test_a_policy_that_says_no_offers_no_opt_out(img, client):
    declare(
        img,
        sells=Declaration.NO,
        shares=Declaration.NO,
        profiles=Declaration.NO,
        sensitive_beyond_permitted=Declaration.NO,
    )

    html = client.get("/o/img/request/").content.decode()

    assert not {"opt_out_sale", "opt_out_targeted_ads", "opt_out_profiling"} & set(radios(html))
    assert "Rights the law gives you" not in html
    # What the policy promises stays as it was.
    assert radios(html) == list(
        PolicyVersion.objects.in_force_for(img).rights.values_list("kind", flat=True)
    )


def test_sharing_alone_brings_the_opt_out_of_sale_or_sharing_and_of_targeted_ads(img, client):
    declare(
        img,
        sells=Declaration.NO,
        shares=Declaration.YES,
        shares_clause="We share identifiers with advertising partners.",
        profiles=Declaration.NO,
        sensitive_beyond_permitted=Declaration.NO,
    )

    html = client.get("/o/img/request/").content.decode()

    assert radios(html)[-2:] == ["opt_out_sale", "opt_out_targeted_ads"]
    ads = offer_text(html, "opt_out_targeted_ads")
    assert (
        "The privacy policy says that Incident Management Group shares personal information for "
        "targeted advertising." in ads
    )
    assert "We share identifiers with advertising partners." in ads


def test_selling_alone_brings_no_opt_out_of_targeted_ads(img, client):
    declare(
        img,
        sells=Declaration.YES,
        shares=Declaration.NO,
        profiles=Declaration.NO,
        sensitive_beyond_permitted=Declaration.NO,
    )

    assert radios(client.get("/o/img/request/").content.decode())[-1:] == ["opt_out_sale"]


def test_the_limit_on_sensitive_information_is_offered_to_californians_when_declared(img, client):
    declare(img, sensitive_beyond_permitted=Declaration.YES)

    html = client.get("/o/img/request/").content.decode()

    assert "limit_sensitive" in radios(html)
    limit = offer_text(html, "limit_sensitive")
    assert "Who has it by law: California residents." in limit
    assert "Limit the use of sensitive personal information" in limit


def test_an_organization_out_of_reach_of_the_state_laws_offers_none(img, client):
    Organization.objects.filter(pk=img.pk).update(
        out_of_scope=["US"], out_of_scope_reason="Serves no one in the United States."
    )

    html = client.get("/o/img/request/").content.decode()

    assert not {"opt_out_sale", "opt_out_targeted_ads", "opt_out_profiling"} & set(radios(html))


def test_an_opt_out_not_offered_is_refused_on_post(img, client, submit):
    declare(
        img,
        sells=Declaration.NO,
        shares=Declaration.NO,
        profiles=Declaration.NO,
        sensitive_beyond_permitted=Declaration.NO,
    )

    response = submit(img, right="opt_out_sale", residence="US-CA")

    assert response.status_code == 200
    assert "Choose the right you want to use." in response.content.decode()
    assert not PrivacyRequest.objects.exists()


# -- Sending one: logged, started at once, a receipt ----------------------------------------------


def test_an_opt_out_is_logged_and_acted_on_at_once_without_a_confirmation(img, submit):
    response = submit(img, right="opt_out_sale", residence="US-CA")

    assert response.status_code == 302
    request = PrivacyRequest.objects.get()
    assert request.right_kind == "opt_out_sale"
    assert request.status == Status.IN_PROGRESS
    assert request.identity_status == IdentityStatus.NOT_REQUIRED
    assert request.waiting_for == ""
    assert request.due_date == dt.date(2026, 3, 23)  # 15 business days (§7026(f))
    assert request.right is None
    assert Flag.RIGHT_NOT_PROMISED in [flag["code"] for flag in request.flags]
    assert not request.gpc
    assert list(request.events.values_list("kind", flat=True)) == [
        EventKind.RECEIVED,
        EventKind.STATUS_CHANGED,
        EventKind.REQUESTER_EMAILED,
        EventKind.ACKNOWLEDGED,
    ]
    submission = IntakeSubmission.objects.get()
    assert not submission.confirmation_asked
    assert submission.verification_sent_at is None
    (receipt,) = mail.outbox
    assert receipt.subject == (
        f"We are acting on your request {request.reference} to Incident Management Group"
    )
    assert "/confirm/" not in receipt.body


def test_an_opt_out_needs_only_a_name_an_address_and_a_residence(img, client, submit):
    response = submit(
        img,
        right="opt_out_targeted_ads",
        residence="US-VA",
        acting_for="agent",
        subject_name="Sam Subject",
        message="Please stop.",
        wrong="ignored",
    )

    assert response.status_code == 302
    request = PrivacyRequest.objects.get()
    # An agent needs no authorization to opt someone out (§7026(j) lets it be asked later).
    assert request.is_agent and request.agent_name == "Dana Data"
    assert request.requester_name == "Sam Subject"
    assert request.message == ""
    assert IntakeSubmission.objects.get().details == {}
    assert IntakeSubmission.objects.get().authorization_path == ""
    # The Virginia Consumer Data Protection Act's 45 days.
    assert request.due_date == dt.date(2026, 4, 16)


def test_the_sent_page_says_it_is_being_acted_on_and_by_when(img, submit, client):
    response = submit(img, right="opt_out_sale", residence="US-CA")

    text = text_of(client.get(response["Location"]).content.decode())

    request = PrivacyRequest.objects.get()
    assert "Your request is being acted on" in text
    assert request.reference in text
    assert (
        "Incident Management Group is acting on your request (opt-out of sale or sharing of "
        "personal information) now: it needs no proof of who you are and no confirmation of "
        "your email address." in text
    )
    assert "To be done: by 23 March 2026 under the California Consumer Privacy Act." in text
    assert "Check your email" not in text
    assert "Send the link again" not in text


@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "en",
            [
                "We received your privacy request to Incident Management Group on 2 March 2026",
                "Incident Management Group is acting on it now: an opt-out needs no proof of who "
                "you are and no confirmation of your email address.",
                "When to expect an answer: by 23 March 2026 under the California Consumer "
                "Privacy Act.",
            ],
        ),
        (
            "es",
            [
                "Hemos recibido el 2 de marzo de 2026 su solicitud de privacidad a Incident "
                "Management Group",
                "Incident Management Group la está atendiendo ya: una solicitud de exclusión no "
                "requiere prueba de su identidad ni la confirmación de su dirección de correo.",
                "Cuándo esperar una respuesta: a más tardar el 23 de marzo de 2026, según la Ley "
                "de Privacidad del Consumidor de California.",
            ],
        ),
    ],
)
def test_the_receipt_says_it_is_acted_on_and_by_when_in_the_requesters_language(
    img, client, django_capture_on_commit_callbacks, language, words
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/o/img/request/",
            {
                "right": "opt_out_sale",
                "name": "Dana Data",
                "email": "dana@example.org",
                "residence": "US-CA",
                "acting_for": "self",
            },
            HTTP_ACCEPT_LANGUAGE=language,
        )
    deliver_outbox()

    (receipt,) = mail.outbox
    body = " ".join(receipt.body.split())
    for sentence in words:
        assert sentence in body
    html = " ".join(receipt.alternatives[0][0].split())
    assert f'<html lang="{language}">' in html


def test_the_receipt_links_to_the_status_page(img, submit, client):
    submit(img, right="opt_out_sale", residence="US-CA")

    text = text_of(client.get(link_in(mail.outbox[-1], "status"), follow=True).content.decode())

    assert "Status Being worked on" in text
    assert "When to expect an answer by 23 March 2026 under the California Consumer Privacy" in text
    assert "Email address confirmed" not in text


def test_a_new_link_for_an_opt_out_is_a_status_link(
    img, submit, client, django_capture_on_commit_callbacks
):
    submit(img, right="opt_out_sale", residence="US-CA")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/o/img/request/resend/", {"email": "dana@example.org"})
    deliver_outbox()

    (message,) = mail.outbox
    assert "/status/" in message.body and "/confirm/" not in message.body


def test_the_unconfirmed_sweep_leaves_an_opt_out_alone(img, submit, time_machine):
    from dsar.intake.jobs import close_unverified

    submit(img, right="opt_out_sale", residence="US-CA")
    time_machine.move_to(dt.datetime(2026, 6, 1, tzinfo=dt.UTC), tick=False)

    assert close_unverified() == 0
    assert PrivacyRequest.objects.get().status == Status.IN_PROGRESS


def test_the_form_says_an_opt_out_needs_nothing_more(img, client):
    text = text_of(client.get("/o/img/request/").content.decode())

    assert "An opt-out needs nothing more: if you ask for one, leave this part empty" in text
    assert "An opt-out needs no authorization" in text
