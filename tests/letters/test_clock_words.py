"""What a letter says about the clock, the fee, the date and the addressee, as
``dsar.requests.clock`` decides them: verification and fee letters, the header's deadline row,
opt-outs, erasure under US law, dates in words and letters to an authorized agent."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest

from dsar.letters.context import LetterNotApplicable
from dsar.letters.services import letter_issue
from dsar.requests.models import PrivacyRequest

from .helpers import pdf_text, printed

pytestmark = pytest.mark.django_db
SEED_SLUGS = ("img", "imservicecenter", "imgwg")

FEE = {"reason": "You asked for the same copy three times this month.", "payment": "By card."}


def _issue(request: PrivacyRequest, kind: str, **parts: str) -> str:
    return pdf_text(letter_issue(request=request, kind=kind, actor=None, parts=parts).read())


def _identity(request: PrivacyRequest) -> str:
    return _issue(request, "verification", asking_for="identity", details="A copy of your ID.")


class TestVerification:
    def test_a_californians_identity_check_does_not_stop_the_ccpa_clock(
        self, make_request: Any
    ) -> None:
        request = make_request("imservicecenter", "access", jurisdiction="US-CA")

        text = _identity(request)

        due = printed(request.due_date)
        assert f"does not stop the clock: we must still answer your request by {due}." in text
        assert "If we cannot confirm your identity by then, we may have to decline" in text
        assert f"Deadline for our answer {due}" in text
        assert "GDPR" not in text and "starts again" not in text

    def test_an_eu_identity_check_restarts_the_month_and_the_header_says_so(
        self, make_request: Any
    ) -> None:
        request = make_request("imservicecenter", "access", jurisdiction="FR")

        text = _identity(request)

        assert (
            "Under the GDPR, the period for our answer starts again on the day we receive this "
            "information."
        ) in text
        assert "Deadline for our answer starts again when we receive your reply" in text
        assert printed(request.due_date) not in text  # no date the body says no longer holds

    def test_a_french_opt_out_at_img_keeps_can_spam_running(self, make_request: Any) -> None:
        """The GDPR month would start again; CAN-SPAM's 10 business days keep running."""
        request = make_request("img", "marketing_opt_out", jurisdiction="FR")
        assert request.due_date == datetime.date(2026, 3, 17)

        text = _identity(request)

        assert (
            "Under the GDPR, the period for our answer starts again on the day we receive this "
            "information. However, the deadline set by the CAN-SPAM Act keeps running: we must "
            "still act on your request by 17 March 2026."
        ) in text
        assert "Deadline for our answer 17 March 2026" in text

    def test_the_spanish_letter_says_both_clocks(self, make_request: Any) -> None:
        request = make_request("img", "marketing_opt_out", jurisdiction="FR", language="es")

        text = _identity(request)

        assert (
            "Según el RGPD, el plazo para nuestra respuesta vuelve a empezar el día en que "
            "recibamos esta información. Sin embargo, sigue corriendo el plazo que fija la Ley "
            "CAN-SPAM: debemos atender su solicitud a más tardar el 17 de marzo de 2026."
        ) in text

    def test_with_only_the_organizations_date_the_letter_says_so_neutrally(
        self, make_request: Any
    ) -> None:
        request = make_request("imservicecenter", "access", jurisdiction="OTHER", language="es")

        text = _identity(request)

        assert "Le responderemos poco después de recibir su respuesta" in text
        assert "a más tardar el 17 de marzo de 2026" in text
        assert "plazo legal" not in text

    def test_a_letter_asking_for_a_reply_needs_a_way_to_reply(self, make_request: Any) -> None:
        request = make_request("imgwg", "access", jurisdiction="FR")

        with pytest.raises(LetterNotApplicable, match="no postal address and no email address"):
            _identity(request)
        with pytest.raises(LetterNotApplicable, match="no postal address and no email address"):
            _issue(request, "fee", amount="25", **FEE)
        assert not request.letters.exists()
        # A letter that asks for nothing can still go out (by post, through staff).
        assert "We have received your request" in _issue(request, "acknowledgement")


class TestFee:
    @pytest.mark.parametrize(
        "language, amount, printed_as",
        [
            ("en", "25", "USD 25.00"),
            ("en", "25.00 USD", "USD 25.00"),
            ("es", "25", "25,00 USD"),
            ("en", "1250.5 EUR", "EUR 1,250.50"),
        ],
    )
    def test_the_fee_is_printed_with_its_currency(
        self, make_request: Any, language: str, amount: str, printed_as: str
    ) -> None:
        request = make_request("imservicecenter", "access", jurisdiction="US-CA", language=language)

        text = _issue(request, "fee", amount=amount, **FEE)

        assert printed_as in text

    def test_the_requests_fee_currency_comes_before_the_organizations(
        self, make_request: Any
    ) -> None:
        request = make_request("img", "access", jurisdiction="FR")
        PrivacyRequest.objects.filter(pk=request.pk).update(fee_currency="GBP")

        text = _issue(request, "fee", amount="30", **FEE)

        assert "GBP 30.00" in text
        assert "USD" not in text

    def test_an_amount_that_is_not_a_number_is_refused(self, make_request: Any) -> None:
        request = make_request("img", "access", jurisdiction="FR")

        with pytest.raises(LetterNotApplicable, match="Write the fee as an amount"):
            _issue(request, "fee", amount="twenty-five dollars", **FEE)

    def test_a_gdpr_fee_restarts_the_month(self, make_request: Any) -> None:
        request = make_request("imservicecenter", "access", jurisdiction="GB")

        text = _issue(request, "fee", amount="25", **FEE)

        assert (
            "Under the UK GDPR, the period for our answer starts again on the day we receive "
            "the fee."
        ) in text
        assert "You can also complain to Information Commissioner's Office (ICO)." in text
        assert re.findall(r"(?<!UK )GDPR", text) == []


def test_a_marketing_opt_out_takes_effect_by_the_unextended_date(make_request: Any) -> None:
    """An objection to direct marketing is never extended (clock.extension_allowed): even a
    request marked extended is said to take effect by the first period's date."""
    request = make_request("img", "marketing_opt_out", jurisdiction="FR")
    PrivacyRequest.objects.filter(pk=request.pk).update(
        extended=True, due_date=datetime.date(2026, 6, 3)
    )

    text = _issue(request, "opt_out")

    assert "This takes effect by 17 March 2026." in text
    assert "3 June 2026" not in text and "no later than" not in text
    assert "Deadline for our answer 17 March 2026" in text


@pytest.mark.parametrize(
    "residence, record",
    [
        ("US-CA", "for at least 24 months (Cal. Code Regs. tit. 11 §7022(e) and §7101(a))"),
        ("US-VA", "We keep a record of your request and of our answer."),
    ],
)
def test_an_erasure_under_us_law_says_how_and_that_a_record_is_kept(
    make_request: Any, residence: str, record: str
) -> None:
    request = make_request("imservicecenter", "erasure", jurisdiction=residence)

    text = _issue(request, "erasure")

    assert "How we deleted it" in text
    assert "We permanently and completely erased your personal information" in text
    assert record in text
    assert "to make sure your personal" in text


def test_a_gdpr_erasure_has_no_us_record_paragraph(make_request: Any) -> None:
    text = _issue(make_request("imservicecenter", "erasure", jurisdiction="FR"), "erasure")

    assert "How we deleted it" not in text and "§7022" not in text


def test_a_spanish_ccpa_erasure(make_request: Any) -> None:
    request = make_request("imservicecenter", "erasure", jurisdiction="US-CA", language="es")

    text = _issue(request, "erasure", method="Borramos su cuenta y sus pedidos.")

    assert "Cómo los hemos borrado Borramos su cuenta y sus pedidos." in text
    assert "durante al menos 24 meses (Cal. Code Regs. tit. 11 §7022(e) y §7101(a))" in text


class TestDates:
    def test_english_dates_are_written_in_words_day_first(self, make_request: Any) -> None:
        request = make_request(
            "imservicecenter",
            "access",
            jurisdiction="FR",
            received_at=datetime.datetime(2026, 3, 3, 14, 0, tzinfo=datetime.UTC),
        )

        text = _issue(request, "acknowledgement")

        assert "received 3 March 2026" in text and "Date 5 March 2026" in text
        assert "by 3 April 2026" in text
        assert not re.search(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b", text)
        assert not re.search(r"(January|February|March|April|May|June)\.? \d{1,2},", text)
        assert "Apr." not in text and "Mar." not in text

    def test_spanish_dates_are_written_in_spanish(self, make_request: Any) -> None:
        request = make_request("imservicecenter", "access", jurisdiction="FR", language="es")

        text = _issue(request, "acknowledgement")

        assert "recibida el 3 de marzo de 2026" in text
        assert "Fecha 5 de marzo de 2026" in text
        assert "a más tardar el 3 de abril de 2026" in text
        assert "March" not in text and not re.search(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b", text)


class TestAgent:
    AGENT = {"is_agent": True, "agent_name": "Pat Agent"}

    def test_a_letter_to_an_agent_is_addressed_to_the_agent(self, make_request: Any) -> None:
        request = make_request("img", "access", jurisdiction="US-CA", **self.AGENT)

        text = _issue(request, "acknowledgement")

        assert "Pat Agent on behalf of Dana Ortiz 742 Evergreen Terrace" in text  # addressee
        assert "Dear Pat Agent," in text and "Dear Dana Ortiz" not in text
        assert "We write to you as the authorized agent of Dana Ortiz" in text

    def test_a_spanish_letter_to_an_agent(self, make_request: Any) -> None:
        request = make_request("img", "access", jurisdiction="ES", language="es", **self.AGENT)

        text = _issue(request, "acknowledgement")

        assert "Pat Agent en nombre de Dana Ortiz" in text
        assert "Estimado/a Pat Agent:" in text
        assert "Le escribimos como agente autorizado de Dana Ortiz" in text

    def test_a_data_subject_writing_for_themselves_is_addressed_as_before(
        self, make_request: Any
    ) -> None:
        text = _issue(make_request("img", "access", jurisdiction="FR"), "acknowledgement")

        assert "Dear Dana Ortiz," in text and "on behalf of" not in text
