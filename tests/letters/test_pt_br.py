"""Letters for a Brazilian requester: whole letters in Brazilian Portuguese, read back from the PDF.

A request made on the public pages in Brazilian Portuguese records ``get_language()``, "pt-br":
its letters must come from templates/letters/pt-br/, name the law of the request (the GDPR for
an EU resident, the LGPD and the ANPD for a Brazilian one) and print dates as Brazilians write
them ("1º de abril de 2026").
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from dsar.letters.kinds import LetterKind
from dsar.letters.packages import readme_text
from dsar.letters.render import letter_language, letter_template
from dsar.letters.services import letter_issue

from .helpers import pdf_text, printed

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "code, expected",
    [
        ("pt-br", "pt-br"),
        ("pt-BR", "pt-br"),
        ("pt_BR", "pt-br"),
        ("pt", "pt-br"),  # the only Portuguese there is, as Django picks a page's language
        ("pt-PT", "pt-br"),
        ("es-MX", "es"),
        ("it", "en"),
    ],
)
def test_a_brazilian_code_reaches_the_brazilian_letters(code: str, expected: str) -> None:
    assert letter_language(code) == expected


def test_every_kind_has_a_brazilian_template() -> None:
    for kind in LetterKind:
        assert letter_template(kind, "pt-br").name == f"letters/pt-br/{kind.value}.html"


def test_dates_are_written_the_brazilian_way() -> None:
    assert printed(datetime.date(2026, 4, 3), "pt-br") == "3 de abril de 2026"
    assert printed(datetime.date(2026, 4, 1), "pt-br") == "1º de abril de 2026"
    assert printed(datetime.date(2026, 4, 1), "es") == "1 de abril de 2026"


def test_a_brazilian_requester_gets_a_whole_portuguese_letter(make_request: Any) -> None:
    request = make_request("img", "access", language="pt-br")

    letter = letter_issue(request=request, kind="acknowledgement", actor=None)

    assert (letter.language, letter.template) == ("pt-br", "letters/pt-br/acknowledgement.html")
    text = pdf_text(letter.read())
    assert "Recebemos sua solicitação" in text
    assert "Prezado(a) Dana Ortiz," in text
    assert "Nossa referência" in text
    assert "Prazo para nossa resposta 3 de abril de 2026" in text
    assert (
        "Segundo o Regulamento Geral sobre a Proteção de Dados (RGPD/GDPR), devemos responder "
        "até 3 de abril de 2026." in text
    )
    assert "Recebemos sua solicitação (acesso) em 3 de março de 2026, por e-mail." in text
    assert "Atenciosamente," in text
    for other in ("Dear", "Yours sincerely", "Our reference", "Estimado", "Atentamente"):
        assert other not in text


def test_a_portuguese_access_response_keeps_the_policy_wording(make_request: Any) -> None:
    request = make_request("img", "access", language="pt-br")

    text = pdf_text(letter_issue(request=request, kind="access", actor=None).read())

    assert "Resposta à sua solicitação de acesso aos seus dados pessoais" in text
    assert "Identity Data" in text  # quoted from the (English) policy, as the letter says
    assert "as citações da política mantêm sua redação original em inglês" in text
    assert "Uma cópia dos seus dados pessoais encontra-se em um arquivo ZIP" in text
    assert "o(a) senhor(a) tem o direito de apresentar reclamação a uma autoridade de" in text
    assert "A CNIL solicita que as reclamações sejam redigidas em francês." in text


def test_a_brazilian_resident_is_sent_to_the_anpd(make_request: Any) -> None:
    request = make_request("img", "access", jurisdiction="BR", language="pt-br")
    grounds = {"grounds": "Não mantemos dados pessoais a seu respeito."}

    text = pdf_text(letter_issue(request=request, kind="refusal", actor=None, parts=grounds).read())

    assert "Não podemos atender à sua solicitação" in text
    assert "Lei Geral de Proteção de Dados Pessoais (LGPD" in text
    assert "Autoridade Nacional de Proteção de Dados (ANPD)" in text
    assert "protocolada pela internet, com uma conta gov.br" in text
    assert "GDPR" not in text


def test_a_virginian_refusal_names_the_state_law_and_its_appeal(make_request: Any) -> None:
    request = make_request("img", "access", jurisdiction="US-VA", language="pt-br")
    grounds = {"grounds": "Não mantemos dados pessoais a seu respeito."}

    text = pdf_text(letter_issue(request=request, kind="refusal", actor=None, parts=grounds).read())

    assert "Seu direito de recorrer" in text
    assert "Segundo a lei “Virginia Consumer Data Protection Act”, o(a) senhor(a) pode" in text
    assert "é aplicada pelo Procurador-Geral (Attorney General) do seu estado" in text


def test_the_package_readme_is_in_portuguese() -> None:
    text = readme_text(language="pt-br", reference="IMG-1", organization="IMG", days=30)

    assert text.startswith("Seus dados pessoais: solicitação IMG-1 dirigida a IMG")
    assert "O link de download deste pacote funciona por 30 dias." in text
