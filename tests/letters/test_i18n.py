"""Letters in the requester's language where a translation exists; English otherwise."""

from __future__ import annotations

from typing import Any

import pytest

from dsar.letters.kinds import LetterKind
from dsar.letters.render import letter_language, letter_template
from dsar.letters.services import letter_issue

from .helpers import pdf_text, printed

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "code, expected",
    [
        ("es", "es"),
        ("es-MX", "es"),
        ("ES_es", "es"),
        ("en-GB", "en"),
        ("it", "en"),
        ("fr-CA", "fr"),
        ("pt-BR", "pt-br"),
        ("", "en"),
    ],
)
def test_the_letter_language(code: str, expected: str) -> None:
    assert letter_language(code) == expected


def test_every_kind_has_an_english_and_a_spanish_template() -> None:
    for kind in LetterKind:
        assert letter_template(kind, "en").name == f"letters/en/{kind.value}.html"
        assert letter_template(kind, "es").name == f"letters/es/{kind.value}.html"


def test_a_spanish_requester_gets_a_whole_spanish_letter(make_request: Any) -> None:
    request = make_request("img", "access", language="es")

    letter = letter_issue(request=request, kind="acknowledgement", actor=None)

    assert (letter.language, letter.template) == ("es", "letters/es/acknowledgement.html")
    text = pdf_text(letter.read())
    assert "Hemos recibido su solicitud" in text
    assert "Estimado/a Dana Ortiz:" in text
    assert "Nuestra referencia" in text
    assert "Fecha límite de nuestra respuesta" in text
    assert printed(request.due_date, "es") == "3 de abril de 2026"
    assert "Según el RGPD, debemos responderle a más tardar el 3 de abril de 2026." in text
    assert "Recibimos su solicitud (acceso)" in text
    assert "Atentamente," in text
    for english in ("Dear", "Yours sincerely", "Our reference", "We will answer"):
        assert english not in text


def test_a_spanish_access_response_keeps_the_policy_wording(make_request: Any) -> None:
    request = make_request("img", "access", language="es")

    text = pdf_text(letter_issue(request=request, kind="access", actor=None).read())

    assert "Respuesta a su solicitud de acceso" in text
    assert "Identity Data" in text  # quoted from the (English) policy, as the letter says
    assert "Tiene derecho a presentar una reclamación ante una autoridad de control" in text
    assert "No tomamos decisiones sobre usted basadas únicamente" in text


def test_a_language_without_templates_falls_back_to_english(make_request: Any) -> None:
    request = make_request("img", "access", language="it")

    letter = letter_issue(request=request, kind="acknowledgement", actor=None)

    assert letter.language == "en"
    assert "We have received your request" in pdf_text(letter.read())
