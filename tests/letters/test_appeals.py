"""Appeals in letters (issue 15): a refusal explains the appeal the requester's state gives, and
the decision on an appeal says what changes or, when denied, how to reach the Attorney General.

Read back from the issued PDFs. The states' figures are those of ``dsar.jurisdictions`` (Virginia
60 days, Colorado 45 + 60, Texas not read: dsar's 45 days, said as the organization's own).
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from dsar.intake.models import IntakeSubmission
from dsar.letters.context import LetterNotApplicable, open_items
from dsar.letters.kinds import LetterKind
from dsar.letters.services import letter_issue
from dsar.requests import services
from dsar.requests.models import PrivacyRequest

from .conftest import TODAY
from .helpers import pdf_text, printed

pytestmark = pytest.mark.django_db
SEED_SLUGS = ("imservicecenter", "img")

REASON = "We hold no personal data about you in any system."
GROUNDS = {"grounds": REASON}
EMAIL = "support@imservicecenter.com"
# A refusal recorded on the tests' day (5 March 2026) can be appealed for 90 days.
UNTIL = datetime.date(2026, 6, 3)


def _denied(make_request: Any, residence: str, **details: Any) -> PrivacyRequest:
    request = make_request("imservicecenter", "access", jurisdiction=residence, **details)
    return services.request_deny(request=request, actor=None, reason=REASON)


def _verified(request: PrivacyRequest) -> PrivacyRequest:
    """Two data points matched: the "authenticated" request the state laws ask for before an
    answer (dsar asks for two, docs/legal-decisions.md)."""
    organization = request.organization
    organization.data_points = ["email address", "postal address"]
    organization.save(update_fields=["data_points"])
    request = services.request_match_data_points(
        request=request, actor=None, points=["email address", "postal address"]
    )
    return services.request_verify_identity(
        request=request, actor=None, how="Email and postal address match.", method="data_points"
    )


def _refusal(request: PrivacyRequest, **parts: str) -> str:
    letter = letter_issue(request=request, kind="refusal", actor=None, parts=GROUNDS | parts)
    return pdf_text(letter.read())


# -- 1. The refusal explains the appeal ------------------------------------------------------------


def test_a_virginians_refusal_explains_the_appeal(make_request: Any) -> None:
    request = _denied(make_request, "US-VA")

    text = _refusal(request)

    assert "Your right to appeal" in text
    assert (
        "Under the Virginia Consumer Data Protection Act you can appeal our decision "
        "(Va. Code §59.1-577(C))." in text
    )
    # How: no status page (the request was logged by staff), so by writing to us.
    assert f"To appeal, write to us at {EMAIL}, quoting {request.reference}" in text
    assert "status page" not in text
    # Until when: DSAR_APPEAL_WINDOW_DAYS after the refusal was recorded.
    assert f"You can appeal until {printed(UNTIL)}." in text
    # How long we have: the statute's 60 days, said as the law's.
    assert "The law gives us 60 days from receiving your appeal to decide on it." in text
    assert "If we deny your appeal, we will also tell you how to contact the Attorney General" in (
        text
    )
    # The complaint paragraph still names the Attorney General, and no longer says "appeal".
    assert "Office of the Attorney General of Virginia" in text
    assert "we will look at your concerns again" not in text


def test_a_request_from_the_public_form_is_appealed_from_its_status_page(
    make_request: Any,
) -> None:
    request = _denied(make_request, "US-VA")
    IntakeSubmission.objects.create(request=request)

    text = _refusal(request)

    assert (
        f"You can appeal from the status page of your request, or by writing to us at {EMAIL}"
        in text
    )


def test_colorado_allows_sixty_more_days_and_texas_is_said_as_our_own_period(
    make_request: Any,
) -> None:
    colorado = _refusal(_denied(make_request, "US-CO"))
    texas = _refusal(_denied(make_request, "US-TX"))

    assert "Under the Colorado Privacy Act you can appeal our decision" in colorado
    assert (
        "The law gives us 45 days from receiving your appeal to decide on it; it allows us 60 "
        "more days where that is reasonably necessary" in colorado
    )
    # Texas's period was not read (docs/us-state-laws.md): dsar's 45 days, never "the law".
    assert "Under the Texas Data Privacy and Security Act you can appeal our decision" in texas
    assert "We will decide on your appeal within 45 days of receiving it" in texas
    assert "The law gives us" not in texas


def test_a_refusal_issued_before_it_is_recorded_counts_the_days_from_the_letter(
    make_request: Any,
) -> None:
    request = make_request("imservicecenter", "access", jurisdiction="US-VA")

    text = _refusal(request)

    assert "Please appeal within 90 days of the date of this letter." in text
    # Staff are reminded to record the refusal, so that the appeal can be made.
    items = open_items(LetterKind.REFUSAL, request, GROUNDS)
    assert any("record the refusal" in item for item in items)


def test_the_spanish_refusal_explains_the_appeal(make_request: Any) -> None:
    request = _denied(make_request, "US-VA", language="es")

    text = _refusal(request)

    assert "Su derecho a recurrir" in text
    assert (
        "Según la ley «Virginia Consumer Data Protection Act», puede recurrir nuestra decisión "
        "(Va. Code §59.1-577(C))." in text
    )
    assert f"Para recurrir, escríbanos a {EMAIL}, indicando la referencia {request.reference}" in (
        text
    )
    assert f"Puede recurrir hasta el {printed(UNTIL, 'es')}." in text
    assert "La ley nos da 60 días desde que recibamos su recurso para resolverlo." in text
    assert "cómo ponerse en contacto con el Fiscal General" in text


@pytest.mark.parametrize("residence", ["US-CA", "US-UT", "FR", "OTHER"])
def test_no_statutory_appeal_where_the_law_gives_none(make_request: Any, residence: str) -> None:
    # California's CCPA and Utah's law give no appeal; nor does the GDPR or the neutral letter.
    text = _refusal(_denied(make_request, residence))

    assert "appeal" not in text.lower()
    assert "recurr" not in text.lower()


def test_a_partial_answer_explains_the_appeal_too(make_request: Any) -> None:
    request = _verified(make_request("imservicecenter", "rectification", jurisdiction="US-CT"))
    request = services.request_fulfil(
        request=request, actor=None, partial=True, reason="Your order history cannot change."
    )

    text = pdf_text(
        letter_issue(
            request=request, kind="rectification", actor=None, parts={"actions": "Fixed."}
        ).read()
    )

    assert "Your order history cannot change." in text
    assert "Under the Connecticut Data Privacy Act you can appeal our decision" in text


def test_a_fulfilled_answer_offers_no_appeal(make_request: Any) -> None:
    request = _verified(make_request("imservicecenter", "rectification", jurisdiction="US-VA"))
    request = services.request_fulfil(request=request, actor=None)

    text = pdf_text(
        letter_issue(
            request=request, kind="rectification", actor=None, parts={"actions": "Fixed."}
        ).read()
    )

    assert "appeal" not in text.lower()


# -- 2. The decision on an appeal ------------------------------------------------------------------


def _appeal(make_request: Any, residence: str, **details: Any) -> PrivacyRequest:
    """An appeal of a refusal, logged and under review."""
    refused = _denied(make_request, residence, **details)
    appeal = services.request_appeal(
        request=refused, received_at=TODAY, message="You do hold my data: I am a member."
    )
    return services.request_start(request=appeal, actor=None)


def _decision(appeal: PrivacyRequest, **parts: str) -> str:
    letter = letter_issue(request=appeal, kind="appeal_decision", actor=None, parts=parts or None)
    return pdf_text(letter.read())


@pytest.mark.parametrize(
    ("residence", "law", "citation", "attorney_general", "page"),
    [
        (
            "US-VA",
            "the Virginia Consumer Data Protection Act",
            "Va. Code §59.1-577(C)",
            "Office of the Attorney General of Virginia, Consumer Protection Section",
            "https://www.oag.state.va.us/consumer-protection/index.php/file-a-complaint",
        ),
        (
            "US-CO",
            "the Colorado Privacy Act",
            "Colo. Rev. Stat. §6-1-1306(3)",
            "Colorado Attorney General (Colorado Department of Law)",
            "https://coag.gov/file-complaint/",
        ),
    ],
    ids=["Virginia", "Colorado"],
)
def test_a_denied_appeal_names_the_attorney_general_of_the_state(
    make_request: Any, residence: str, law: str, citation: str, attorney_general: str, page: str
) -> None:
    appeal = _appeal(make_request, residence)
    appeal = services.request_deny(
        request=appeal, actor=None, reason="Your membership ended in 2019; we deleted it then."
    )
    refused = appeal.appeal_of

    text = _decision(appeal)

    assert "Your appeal: our decision stands" in text
    assert (
        f"We have reviewed your appeal {appeal.reference}, received on {printed(TODAY.date())}, "
        f"of our decision on your request {refused.reference}" in text
    )
    assert f"under {law} ({citation})" in text
    assert "We have decided not to change our decision." in text
    assert "Your membership ended in 2019; we deleted it then." in text  # outcome_reason
    assert "How to contact the Attorney General" in text
    assert "you can contact the Attorney General of your state and submit a complaint" in text
    assert attorney_general in text and page in text
    assert "What we will now do" not in text


def test_a_granted_appeal_says_what_we_will_now_do(make_request: Any) -> None:
    appeal = _appeal(make_request, "US-VA")
    appeal = services.request_fulfil(request=appeal, actor=None)

    text = _decision(appeal)

    assert "Your appeal: we have changed our decision" in text
    assert "We have decided in your favour." in text
    assert "What we will now do" in text
    assert f"We will now act on your request {appeal.appeal_of.reference} as you asked" in text
    assert "Attorney General" not in text


def test_a_partly_granted_appeal_says_both_and_names_the_attorney_general(
    make_request: Any,
) -> None:
    appeal = _appeal(make_request, "US-CO")
    appeal = services.request_fulfil(
        request=appeal, actor=None, partial=True, reason="Your payment records are kept by law."
    )

    text = _decision(appeal, actions="We will send you your profile data.")

    assert "we have changed part of our decision" in text
    assert "We will send you your profile data." in text
    assert "What we have not changed, and why" in text
    assert "Your payment records are kept by law." in text
    assert "Colorado Attorney General" in text


def test_the_spanish_decision_on_a_denied_appeal(make_request: Any) -> None:
    appeal = _appeal(make_request, "US-VA", language="es")
    appeal = services.request_deny(request=appeal, actor=None, reason="Su cuenta ya no existe.")

    text = _decision(appeal)

    assert "Su recurso: mantenemos nuestra decisión" in text
    assert f"contra nuestra decisión sobre su solicitud {appeal.appeal_of.reference}" in text
    assert "Su cuenta ya no existe." in text
    assert "Cómo ponerse en contacto con el Fiscal General" in text
    assert "Office of the Attorney General of Virginia" in text


def test_an_undecided_appeal_has_no_decision_letter_and_no_refusal(make_request: Any) -> None:
    appeal = _appeal(make_request, "US-VA")

    with pytest.raises(LetterNotApplicable, match="Decide the appeal first"):
        letter_issue(request=appeal, kind="appeal_decision", actor=None)
    # An appeal is refused by the decision (which names the Attorney General), never by a
    # refusal letter; and the decision fits nothing but an appeal.
    assert not LetterKind.REFUSAL.fits("appeal")
    assert LetterKind.APPEAL_DECISION.fits("appeal")
    assert not LetterKind.APPEAL_DECISION.fits("access")


def test_staff_preview_the_decision_with_the_attorney_general_named(
    client: Any, make_request: Any, seeds: Any
) -> None:
    from django.urls import reverse

    from dsar.organizations.models import Role

    from .conftest import staff

    officer = staff("olga", seeds["imservicecenter"], Role.PRIVACY_OFFICER)
    appeal = _appeal(make_request, "US-VA")
    appeal = services.request_deny(request=appeal, actor=None, reason="Nothing is held.")
    client.force_login(officer)

    response = client.get(reverse("letters:preview", args=[appeal.pk, "appeal_decision"]))

    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="reasons"' in body and 'name="actions"' not in body
    assert "Nothing is held." in body
    assert "The complaint paragraph names: Office of the Attorney General of Virginia" in body
