"""French, German and Brazilian Portuguese end to end: a browser set to the language files a
request, and the requester reads the pages, the confirmation email and a letter in it.

What the pages and emails must say is read from the catalogues (gettext under the language), so
that a string added in English with no translation fails here as it would fail the requester.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from dsar.letters.services import letter_issue
from dsar.requests.models import PrivacyRequest
from tests.conftest import deliver_outbox
from tests.letters.helpers import pdf_text, printed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ORGANIZATION = "Incident Management Group"
# Per language: the browser's locale, where the requester lives, and what the acknowledgement
# letter (templates/letters/<language>/, written for the country, not in the catalogue) says:
# the local name of the law where IMG's policy answers under it (not Brazil's LGPD: the policy
# promises its own date there).
LANGUAGES: dict[str, dict[str, Any]] = {
    "fr": {
        "locale": "fr-FR",
        "residence": "FR",
        "letter": ["Madame, Monsieur,", "Nous vous prions d'agréer", "RGPD"],
    },
    "de": {
        "locale": "de-DE",
        "residence": "DE",
        "letter": ["Eingangsbestätigung zu Ihrem Antrag", "Mit freundlichen Grüßen", "DSGVO"],
    },
    "pt-br": {
        "locale": "pt-BR",
        "residence": "BR",
        "letter": ["Prezado(a) Dana Data,", "Atenciosamente,", "Prazo para nossa resposta"],
    },
}
ENGLISH = ("Dear", "Yours sincerely", "We have received your request", "Our reference")


@pytest.fixture(autouse=True)
def _setup(settings: Any, tmp_path: Path, live_server: Any) -> None:
    settings.DSAR_SITE_URL = live_server.url  # the links in the emails
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    settings.DSAR_INTAKE_RATE_LIMITS_ENABLED = False


def said(language: str, msgid: str, **values: str) -> str:
    """What the catalogue of ``language`` makes of ``msgid``."""
    with translation.override(language):
        text = gettext(msgid)
    assert text != msgid, f"{msgid!r} is not translated in {language}"
    return text % values if values else text


def spaced(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_a_request_filed_in_the_language_is_answered_in_it(live_server, browser, alice, language):
    words = LANGUAGES[language]
    context = browser.new_context(locale=words["locale"])  # sends Accept-Language
    page = context.new_page()
    page.set_default_timeout(10_000)

    page.goto(f"{live_server.url}/o/img/request/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        said(language, "Make a privacy request to %(name)s", name=ORGANIZATION)
    )
    page.locator("#id_right_portability").check()
    page.locator("#id_name").fill("Dana Data")
    page.locator("#id_email").fill("dana@example.org")
    page.locator("#id_residence").select_option(words["residence"])
    page.locator("input[name=portability_format][value=json]").check()
    page.locator("input[name=portability_recipient][value=me]").check()
    page.get_by_role("button", name=said(language, "Send request")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(said(language, "Check your email"))

    request = PrivacyRequest.objects.get(organization__slug="img")
    assert request.language == language
    deliver_outbox()
    (message,) = mail.outbox
    # The subject's header folds a no-break space (French "Group :") into a space.
    assert spaced(message.subject) == spaced(
        said(
            language,
            "We received your request %(ref)s to %(name)s: please confirm your email address",
            ref=request.reference,
            name=ORGANIZATION,
        )
    )
    assert said(language, "How your request will be processed") in message.body
    confirm = re.search(r"(https?://\S+/o/\S+/confirm/\S+/)", message.body)
    assert confirm, message.body

    page.goto(confirm.group(1))
    page.get_by_role("button", name=said(language, "Confirm my email address")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        said(language, "Your request %(ref)s", ref=request.reference)
    )
    context.close()

    # The acknowledgement, issued as staff issue it from the request's page.
    letter = letter_issue(request=request, kind="acknowledgement", actor=alice)
    assert letter.language == language
    text = pdf_text(letter.read())
    for phrase in words["letter"]:
        assert phrase in text, text
    assert printed(request.received_on, language) in text
    with translation.override(language):
        assert str(request.get_right_kind_display()) in text
    for english in ENGLISH:
        assert english not in text


def test_the_switcher_changes_the_page_language(live_server, browser, alice):
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/o/img/request/")

    page.get_by_label(said("fr", "Language")).select_option(label="Deutsch")
    page.get_by_role("button", name=said("fr", "Change language")).click()

    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        said("de", "Make a privacy request to %(name)s", name=ORGANIZATION)
    )
    page.get_by_label(said("de", "Language")).select_option(label="Português (Brasil)")
    page.get_by_role("button", name=said("de", "Change language")).click()

    expect(page.locator("html")).to_have_attribute("lang", "pt-br")
    expect(page.get_by_role("button", name=said("pt-br", "Send request"))).to_be_visible()
    context.close()
