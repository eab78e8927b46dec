"""What was checked (issue 15): the answer to a Californian's request to know, delete or correct
says how the identity was verified, as staff recorded it: the data points matched, by name, the
declaration signed under penalty of perjury (Cal. Code Regs. tit. 11 §7062), and for an
authorized agent how its authority was shown (§7063). Read back from the issued PDFs."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from dsar.letters.context import open_items
from dsar.letters.kinds import LetterKind
from dsar.letters.services import letter_issue
from dsar.requests import services
from dsar.requests.models import PrivacyRequest

from .helpers import pdf_text, printed

pytestmark = pytest.mark.django_db
SEED_SLUGS = ("imservicecenter",)

POINTS = ["email address", "postal address", "date of the last order"]
SIGNED = datetime.date(2026, 3, 4)


def _request(make_request: Any, right: str, residence: str = "US-CA", **details: Any) -> Any:
    request = make_request("imservicecenter", right, jurisdiction=residence, **details)
    organization = request.organization
    organization.data_points = [*POINTS, "telephone number"]
    organization.save(update_fields=["data_points"])
    return request


def _matched(request: PrivacyRequest, points: list[str] = POINTS) -> PrivacyRequest:
    return services.request_match_data_points(request=request, actor=None, points=points)


def _issue(request: PrivacyRequest, kind: str, **parts: str) -> str:
    return pdf_text(letter_issue(request=request, kind=kind, actor=None, parts=parts).read())


def test_a_californian_s_answer_to_know_names_the_data_points_and_the_declaration(
    make_request: Any,
) -> None:
    request = _matched(_request(make_request, "access"))
    request = services.request_record_declaration(request=request, actor=None, signed_on=SIGNED)

    text = _issue(request, "access")

    assert "How we verified your identity" in text
    # A request to know specific pieces: three data points and a declaration (§7062(c)).
    assert (
        "Before answering, we made sure that this request is yours, as the California "
        "regulations require (Cal. Code Regs. tit. 11 §7062(c))." in text
    )
    assert (
        "We matched 3 pieces of information given to us with the information we already hold "
        "about you: email address, postal address, date of the last order." in text
    )
    assert (
        f"We received your declaration, signed under penalty of perjury, dated {printed(SIGNED)}."
        in text
    )


def test_a_deletion_verified_to_two_data_points_needs_no_declaration(make_request: Any) -> None:
    request = _matched(_request(make_request, "erasure"), POINTS[:2])

    text = _issue(request, "erasure", actions="We erased your account.")

    assert "(Cal. Code Regs. tit. 11 §7062(d))" in text
    assert "We matched 2 pieces of information" in text
    assert "email address, postal address." in text
    assert "This request did not need a declaration signed under penalty of perjury." in text


def test_the_verification_method_is_said_too(make_request: Any) -> None:
    request = _request(make_request, "rectification")
    request = services.request_verify_identity(
        request=request, actor=None, how="Passport seen by video call.", method="document"
    )

    text = _issue(request, "rectification", actions="We corrected your address.")

    assert "We saw an identity document." in text
    # What staff wrote for themselves stays on the timeline.
    assert "Passport seen by video call." not in text


def test_an_agent_s_authority_and_the_consumer_s_confirmation(make_request: Any) -> None:
    request = _request(make_request, "access", is_agent=True, agent_name="Pat Agent")
    request = _matched(request, POINTS[:2])
    request = services.request_check_agent(
        request=request, actor=None, authority="permission", how="Signed form, checked."
    )
    request = services.request_consumer_confirmed_agent(
        request=request, actor=None, confirmed_on=SIGNED, how="Phoned the consumer."
    )

    text = _issue(request, "access")

    assert "How we verified the identity of Dana Ortiz" in text
    assert "about Dana Ortiz: email address, postal address." in text
    assert (
        "You showed us the signed permission Dana Ortiz gave you to make this request, and Dana "
        f"Ortiz confirmed directly with us on {printed(SIGNED)} that they gave it "
        "(Cal. Code Regs. tit. 11 §7063(a))." in text
    )


def test_a_power_of_attorney(make_request: Any) -> None:
    request = _request(make_request, "erasure", is_agent=True, agent_name="Pat Agent")
    request = services.request_check_agent(
        request=request, actor=None, authority="power_of_attorney", how="Notarised copy."
    )

    text = _issue(request, "erasure", actions="We erased your account.")

    assert (
        "You showed us a power of attorney under California Probate Code sections 4121 to 4130 "
        "that authorizes you to act for Dana Ortiz (Cal. Code Regs. tit. 11 §7063(b))." in text
    )


def test_in_spanish(make_request: Any) -> None:
    request = _matched(_request(make_request, "access", language="es"))
    request = services.request_record_declaration(request=request, actor=None, signed_on=SIGNED)

    text = _issue(request, "access")

    assert "Cómo verificamos su identidad" in text
    assert "como exige la normativa de California (Cal. Code Regs. tit. 11 §7062(c))" in text
    assert "Cotejamos 3 datos que se nos facilitaron con la información que ya teníamos" in text
    assert f"de fecha {printed(SIGNED, 'es')}" in text


@pytest.mark.parametrize("residence", ["US-VA", "FR", "OTHER"])
def test_only_a_californian_s_answer_says_it(make_request: Any, residence: str) -> None:
    request = _matched(_request(make_request, "access", residence))

    text = _issue(request, "access")

    assert "How we verified" not in text and "§7062" not in text


def test_staff_are_told_when_nothing_is_recorded(make_request: Any) -> None:
    request = _request(make_request, "access")

    text = _issue(request, "access")

    assert "How we verified" not in text  # nothing is claimed that was not recorded
    items = open_items(LetterKind.ACCESS, request, {})
    assert any("nothing is recorded about how the identity was verified" in i for i in items)
    request = _matched(request)
    items = open_items(LetterKind.ACCESS, request, {})
    assert any("declaration signed under penalty of perjury" in i for i in items)
