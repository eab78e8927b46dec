"""Every letter states what is right for the requester's own law (issue 14).

For each seed organization and each residence (France, the United Kingdom, California,
Virginia, Texas, elsewhere), the refusal names where to complain and the acknowledgement says
what the date rests on: read back from the issued PDF, in English and in Spanish.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest

from dsar.letters.services import letter_issue

from .conftest import SLUGS
from .helpers import pdf_text, printed

pytestmark = pytest.mark.django_db
SEED_SLUGS = tuple(SLUGS)

RESIDENCES = ["FR", "GB", "US-CA", "US-VA", "US-TX", "OTHER"]
GROUNDS = {"grounds": "We hold no personal data about you in any system."}
# What a letter to someone from elsewhere must not contain: any statute or authority.
STATUTE_MARKERS = (
    "GDPR",
    "Art. ",
    "§",
    "CCPA",
    "Privacy Act",
    "Protection Act",
    "Security Act",
    "Attorney General",
    "supervisory authority",
    "Commissioner",
)


def plain_gdpr(text: str) -> list[str]:
    """Every "GDPR" that is not the UK GDPR's."""
    return re.findall(r"(?<!UK )GDPR", text)


def _refusal(make_request: Any, slug: str, residence: str, **details: Any) -> str:
    request = make_request(slug, "access", jurisdiction=residence, **details)
    return pdf_text(letter_issue(request=request, kind="refusal", actor=None, parts=GROUNDS).read())


@pytest.mark.parametrize("residence", RESIDENCES)
@pytest.mark.parametrize("slug", SLUGS)
def test_the_refusal_names_where_the_requester_can_complain(
    make_request: Any, slug: str, residence: str
) -> None:
    text = _refusal(make_request, slug, residence)

    assert "We hold no personal data about you in any system." in text
    if residence == "FR":
        assert "GDPR Art. 77" in text and "GDPR Art. 79" in text
        assert "Commission nationale de l'informatique et des libertés, CNIL" in text
        assert (
            "3 Place de Fontenoy" in text and "https://www.cnil.fr/fr/adresser-une-plainte" in text
        )
        assert "California" not in text
    elif residence == "GB":
        assert "UK GDPR Art. 77" in text and "Information Commissioner's Office (ICO)" in text
        assert "Wycliffe House" in text
        assert plain_gdpr(text) == []
        assert "CNIL" not in text
    elif residence == "US-CA":
        assert "California Privacy Protection Agency (CPPA)" in text
        assert "Office of the Attorney General" in text
        assert "https://privacy.ca.gov/submit-a-complaint" in text
        assert "Art. 77" not in text and "GDPR" not in text
        assert "supervisory authority" not in text
    elif residence == "US-VA":
        assert "The Virginia Consumer Data Protection Act is enforced by" in text
        assert "Office of the Attorney General of Virginia" in text
        assert "GDPR" not in text and "California" not in text
    elif residence == "US-TX":
        assert "The Texas Data Privacy and Security Act is enforced by" in text
        assert "Office of the Texas Attorney General" in text
        assert "GDPR" not in text and "California" not in text
    else:
        assert "you may be able to complain to a data protection or consumer protection" in text
        for marker in STATUTE_MARKERS:
            assert marker not in text, f"{marker!r} in a letter to someone from elsewhere"


def _law_phrase(slug: str, residence: str) -> tuple[str, str]:
    """(what the acknowledgement says the date rests on, the law's later date if any)."""
    laws = {
        "FR": "the GDPR",
        "GB": "the UK GDPR",
        "US-CA": "the California Consumer Privacy Act",
        "US-VA": "the Virginia Consumer Data Protection Act",
        "US-TX": "the Texas Data Privacy and Security Act",
    }
    if residence == "OTHER":
        return ("promise", "") if slug == "img" else ("organization", "")
    if slug == "img" and residence.startswith("US-"):
        # IMG promises one month: earlier than the 45 days of a US state law.
        return "promise", laws[residence]
    return "law", laws[residence]


@pytest.mark.parametrize("residence", RESIDENCES)
@pytest.mark.parametrize("slug", SLUGS)
def test_the_acknowledgement_says_what_the_date_rests_on(
    make_request: Any, slug: str, residence: str
) -> None:
    request = make_request(slug, "access", jurisdiction=residence)

    text = pdf_text(letter_issue(request=request, kind="acknowledgement", actor=None).read())

    basis, law = _law_phrase(slug, residence)
    if basis == "law":
        assert f"Under {law} we must answer by {printed(request.due_date)}." in text
        assert "promises" not in text
    elif basis == "promise":
        day = printed(request.due_date)
        assert f"Our privacy policy promises an answer within one month: by {day}." in text
        if law:
            limit = printed(datetime.date(2026, 4, 17))
            assert f"The latest date {law} allows is {limit}." in text
            assert "we must answer" not in text
        else:
            assert "latest date" not in text and "Under " not in text
    else:
        assert request.due_date is None
        assert f"We will answer by {printed(request.internal_target)}." in text
        assert "must" not in text and "promises" not in text
    # dsar never says that no law applies.
    assert "Neither the law" not in text and "no law" not in text.lower()
    # A Californian is told how the request is processed and verified (§7021(a)).
    if residence == "US-CA":
        assert "How we will handle your request" in text
        assert "we match what you tell us" in text
        assert "does not extend the 45 days" in text and "§7021(b)" in text
    elif residence in ("US-VA", "US-TX"):
        assert "How we will handle your request" in text and "§7021" not in text
    else:
        assert "How we will handle your request" not in text
    if residence != "FR":
        assert plain_gdpr(text) == []


@pytest.mark.parametrize(
    "residence, expected, absent",
    [
        (
            "ES",
            [
                "(artículo 77 del RGPD)",
                "(artículo 79 del RGPD)",
                "Agencia Española de Protección de Datos (AEPD)",
                "C/ Jorge Juan, 6",
                "Las reclamaciones se presentan en la sede electrónica de la AEPD",
            ],
            ["California", "Complaints are lodged"],
        ),
        (
            "FR",
            [
                "Commission nationale de l'informatique et des libertés (CNIL)",
                "La CNIL pide que las reclamaciones se redacten en francés.",
            ],
            ["The CNIL asks"],
        ),
        (
            "GB",
            ["artículo 77 del UK GDPR", "Information Commissioner's Office (ICO)"],
            ["del RGPD"],
        ),
        (
            "US-CA",
            [
                "La Ley de Privacidad del Consumidor de California (CCPA) la hacen cumplir",
                "California Privacy Protection Agency (CPPA)",
                "Office of the Attorney General",
            ],
            ["RGPD", "artículo 77"],
        ),
        (
            "US-VA",
            [
                "La ley «Virginia Consumer Data Protection Act» la hace cumplir el Fiscal General",
                "Office of the Attorney General of Virginia",
                # Virginia gives an appeal (Va. Code §59.1-577(C)): the refusal explains it.
                "Según la ley «Virginia Consumer Data Protection Act», puede recurrir nuestra "
                "decisión (Va. Code §59.1-577(C)).",
            ],
            ["RGPD"],
        ),
        (
            "OTHER",
            ["es posible que pueda presentar una reclamación"],
            ["RGPD", "artículo", "§", "CCPA", "Fiscal General", "autoridad de control"],
        ),
    ],
)
def test_a_spanish_refusal_names_the_same_route_in_spanish(
    make_request: Any, residence: str, expected: list[str], absent: list[str]
) -> None:
    text = _refusal(make_request, "img", residence, language="es")

    assert "Cómo reclamar" in text
    for phrase in expected:
        assert phrase in text
    for phrase in absent:
        assert phrase not in text


def test_a_coarse_eu_residence_gets_the_general_article_77_wording(make_request: Any) -> None:
    """ "EU" does not say which country: the right to complain, naming no authority."""
    text = _refusal(make_request, "imservicecenter", "EU")

    assert "GDPR Art. 77" in text
    assert "The supervisory authority where you live is" not in text
    assert "CNIL" not in text


def test_a_part_replaces_the_authority_named_from_the_data(make_request: Any) -> None:
    request = make_request("imservicecenter", "access", jurisdiction="DE")
    authority = "Berliner Beauftragte für Datenschutz\nAlt-Moabit 59-61, 10555 Berlin"

    letter = letter_issue(
        request=request,
        kind="refusal",
        actor=None,
        parts={**GROUNDS, "supervisory_authority": authority},
    )

    text = pdf_text(letter.read())
    assert "Berliner Beauftragte für Datenschutz Alt-Moabit 59-61, 10555 Berlin" in text
    assert "Graurheindorfer Straße" not in text  # the BfDI, named from the data otherwise


@pytest.mark.parametrize(
    "residence, expected",
    [
        ("FR", "Según el RGPD, debemos responderle a más tardar el 3 de abril de 2026."),
        (
            "US-CA",
            "Nuestra política de privacidad promete una respuesta en un plazo de «one month»: a "
            "más tardar el 3 de abril de 2026. La fecha más tardía que permite la Ley de "
            "Privacidad del Consumidor de California (CCPA) es el 17 de abril de 2026.",
        ),
        (
            "OTHER",
            "Nuestra política de privacidad promete una respuesta en un plazo de «one month»: a "
            "más tardar el 3 de abril de 2026.",
        ),
    ],
)
def test_a_spanish_acknowledgement_says_what_the_date_rests_on(
    make_request: Any, residence: str, expected: str
) -> None:
    request = make_request("img", "access", jurisdiction=residence, language="es")

    text = pdf_text(letter_issue(request=request, kind="acknowledgement", actor=None).read())

    assert expected in text
    assert "Ni la ley" not in text
    assert ("Cómo tramitaremos su solicitud" in text) is (residence == "US-CA")


def test_a_spanish_acknowledgement_with_only_the_organizations_date(make_request: Any) -> None:
    request = make_request("imt", "access", jurisdiction="OTHER", language="es")

    text = pdf_text(letter_issue(request=request, kind="acknowledgement", actor=None).read())

    assert "Le responderemos a más tardar el 17 de marzo de 2026." in text
    assert "Le responderemos a más tardar el 17 de marzo de 2026 Hemos recibido" in text  # header
    assert "Fecha prevista" not in text and "plazo legal" not in text
