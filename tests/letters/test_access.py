"""The access answer a requester is owed by the law of their residence: the GDPR's Art. 15 (EU
or UK), the CCPA's request to know (§7024), another state's law, or a neutral letter citing no
statute. Staff see, before issuing, what the policy leaves open."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from dsar.letters.services import letter_issue

from .helpers import pdf_text

pytestmark = pytest.mark.django_db
SEED_SLUGS = ("img", "imservicecenter")


def _access(make_request: Any, slug: str, residence: str, **kwargs: Any) -> str:
    parts = kwargs.pop("parts", None)
    request = make_request(slug, "access", jurisdiction=residence, **kwargs)
    return pdf_text(letter_issue(request=request, kind="access", actor=None, parts=parts).read())


def test_a_gdpr_access_letter_gives_what_article_15_requires(make_request: Any) -> None:
    text = _access(make_request, "img", "FR")

    assert "the information the law requires (GDPR Art. 15)" in text
    for heading in (
        "Why we process your data",
        "The categories of personal data concerned",
        "To whom we disclose it",
        "Transfers to countries outside the European Economic Area",
        "How long we keep it",
        "Where it comes from",
        "Automated decision-making",
        "Your other rights",
        "Your right to complain",
    ):
        assert heading in text
    # Transfers (Art. 15(2)): the policy file has no field for them; the letter quotes the
    # policy's own words, which staff complete.
    assert (
        "Our privacy policy says: “Personal information may be accessed by us or transferred"
        in (text)
    )
    assert "Where we did not collect personal data from you, it comes from:" in text
    assert "Most of it you gave us yourself" not in text
    assert "You have the right to ask us to correct inaccurate personal data" in text
    assert "CNIL" in text


def test_a_uk_access_letter_cites_the_uk_gdpr_only(make_request: Any) -> None:
    text = _access(make_request, "imservicecenter", "GB")

    assert "(UK GDPR Art. 15)" in text
    assert "Transfers to countries outside the United Kingdom" in text
    assert re.findall(r"(?<!UK )GDPR", text) == []
    assert "Information Commissioner's Office" in text


def test_a_californian_gets_an_individual_answer_under_the_ccpa(make_request: Any) -> None:
    text = _access(make_request, "img", "US-CA")

    assert "Our answer to your request to know what personal information we collected" in text
    assert "You asked us, under the California Consumer Privacy Act" in text
    assert "This answer is about you." in text
    assert "from 3 March 2025 to 3 March 2026, the day we received your request" in text
    assert "You may ask us to go back further, to 1 January 2022" in text
    for heading in (
        "The specific pieces of personal information we hold about you",
        "Categories of personal information we collected about you",
        "Categories of sources we collected it from",
        "Why we collected it: our business or commercial purposes",
        "Categories of third parties we disclosed it to",
    ):
        assert heading in text
    assert "Identity Data" in text  # a category the policy states
    for absent in ("GDPR", "Art. 15", "Automated decision-making", "Transfers", "How long"):
        assert absent not in text
    assert "California Privacy Protection Agency" in text


def test_a_californian_who_asked_for_more_gets_everything_since_2022(make_request: Any) -> None:
    text = _access(make_request, "img", "US-CA", parts={"period": "since_2022"})

    assert "from 1 January 2022 to 3 March 2026" in text
    assert "as you asked us to go back further than the 12 months before it" in text


def test_a_virginian_gets_the_same_shape_under_virginias_law(make_request: Any) -> None:
    text = _access(make_request, "imservicecenter", "US-VA")

    assert "You asked us, under the Virginia Consumer Data Protection Act, to confirm" in text
    assert "Categories of personal information we collected about you" in text
    assert "The Virginia Consumer Data Protection Act may also give you other rights" in text
    for absent in ("GDPR", "California", "§7024", "Art. 15"):
        assert absent not in text


def test_someone_from_elsewhere_gets_a_letter_that_cites_no_statute(make_request: Any) -> None:
    text = _access(make_request, "img", "OTHER")

    assert "This letter gives you a copy of it and explains how we use it" in text
    assert "Why we process your data" in text and "How long we keep it" in text
    for absent in ("GDPR", "Art. ", "§", "California", "Act", "supervisory authority", "1798"):
        assert absent not in text
    assert "Marketing opt-out" in text  # the policy's other rights, California's left out


def test_a_spanish_ccpa_access_letter(make_request: Any) -> None:
    text = _access(make_request, "img", "US-CA", language="es")

    assert "al amparo de la Ley de Privacidad del Consumidor de California (CCPA)" in text
    assert "desde el 3 de marzo de 2025 hasta el 3 de marzo de 2026" in text
    assert "Categorías de fuentes de las que la obtuvimos" in text
    assert "RGPD" not in text and "artículo 15" not in text


def test_a_spanish_gdpr_access_letter_lists_transfers(make_request: Any) -> None:
    text = _access(make_request, "img", "ES", language="es")

    assert "(artículo 15 del RGPD)" in text
    assert "Transferencias a países fuera del Espacio Económico Europeo" in text
    assert "Nuestra política de privacidad dice: “Personal information may be accessed" in text
    assert "Agencia Española de Protección de Datos" in text
    assert "La mayoría nos los facilitó usted" not in text


def test_staff_edit_a_list_to_make_it_the_requesters(make_request: Any) -> None:
    text = _access(
        make_request,
        "img",
        "US-CA",
        parts={"categories": "Contact Data\nTransaction Data", "recipients": ""},
    )

    assert "Contact Data Transaction Data" in text
    assert "Identity Data" not in text
    # An emptied list the policy states reads "None." (nobody, for this requester).
    assert "Categories of third parties we disclosed it to None." in text


class TestOpenItems:
    """The preview lists what the policy leaves open, so staff fill it in before issuing."""

    def _preview(self, client: Any, user: Any, request: Any, data: dict[str, str] | None = None):
        client.force_login(user)
        url = reverse("letters:preview", args=[request.pk, "access"])
        response = client.post(url, {"action": "preview", **data}) if data else client.get(url)
        assert response.status_code == 200
        return response.content.decode()

    def test_a_policy_without_retention_periods_is_flagged(
        self, client: Any, make_request: Any, seeds: Any
    ) -> None:
        from dsar.organizations.models import Role

        from .conftest import staff

        officer = staff("olga", seeds["imservicecenter"], Role.PRIVACY_OFFICER)
        request = make_request("imservicecenter", "access", jurisdiction="FR")

        body = self._preview(client, officer, request)

        assert "Before issuing: what the policy leaves open" in body
        assert "The policy does not state retention periods: fill it in under" in body
        assert "does not record transfers to countries outside the EEA/UK" in body

    def test_an_item_filled_in_is_no_longer_open(self, client: Any, olivia: Any, make_request: Any):
        request = make_request("img", "access", jurisdiction="FR")
        body = self._preview(client, olivia, request)
        assert "the policy file does not record the safeguards" in body.lower()

        body = self._preview(
            client,
            olivia,
            request,
            {
                "enclosure": "Attached.",
                "automated_decisions": "None.",
                "transfers": "To the United States, under the EU Standard Contractual Clauses.",
                **{name: "x" for name in ("categories", "purposes", "recipients", "sources")},
                "retention": "Two years.",
            },
        )

        assert "Before issuing" not in body

    def test_a_californian_s_preview_asks_for_an_individual_answer(
        self, client: Any, olivia: Any, make_request: Any
    ) -> None:
        request = make_request("img", "access", jurisdiction="US-CA")

        body = self._preview(client, olivia, request)

        assert "The answer must be about this requester" in body
        assert 'name="period"' in body
        assert 'name="transfers"' not in body and 'name="automated_decisions"' not in body
        assert "The complaint paragraph names: California Privacy Protection Agency" in body
