"""A Californian's request to know says what it asks for: the categories of their personal
information, or the specific pieces, which need a reasonably high degree of certainty about who
asks (Cal. Code Regs. tit. 11 §7062): three matched pieces of information and a signed
declaration. The form explains it; the choice is stored on the request (``access_scope``)."""

from __future__ import annotations

import re

import pytest

from dsar.organizations.models import Organization
from dsar.requests.models import AccessScope, PrivacyRequest

from .conftest import text_of

pytestmark = pytest.mark.django_db


def scope_group(html: str) -> str:
    start = html.index('data-right="access" data-residence="US-CA"')
    return html[start : html.index("</fieldset>", start)]


def test_the_form_asks_a_californian_what_they_want_to_know(img, client):
    html = client.get("/o/img/request/").content.decode()

    group = scope_group(html)
    text = text_of(group)
    assert "If you ask for access and live in California" in text
    assert "What do you want to know?" in text
    assert re.findall(r'<input type="radio" name="access_scope" value="([^"]+)"', group) == [
        "categories",
        "specific",
    ]
    assert "The categories of my personal information" in text
    assert "The specific pieces of my personal information: a copy" in text
    assert (
        "California law asks for more proof of who you are before the specific pieces are "
        "released: the organization matches three pieces of information you give with what it "
        "holds, and asks you to sign a declaration under penalty of perjury." in text
    )
    assert 'for="id_access_scope_0"' in group and 'for="id_access_scope_1"' in group


@pytest.mark.parametrize("scope", [AccessScope.CATEGORIES, AccessScope.SPECIFIC])
def test_the_choice_is_stored_on_the_request(img, submit, scope):
    submit(img, residence="US-CA", access_scope=scope)

    assert PrivacyRequest.objects.get().access_scope == scope


def test_without_a_choice_it_is_left_to_the_protective_default(img, submit):
    # Taken as asking for the specific pieces (docs/legal-decisions.md, "Verification levels").
    assert submit(img, residence="US-CA").status_code == 302

    assert PrivacyRequest.objects.get().access_scope == ""


@pytest.mark.parametrize(
    ("fields"),
    [
        {"residence": "US-VA"},  # not California's rule
        {"residence": "FR"},
        {"right": "erasure", "residence": "US-CA"},  # not a request to know
    ],
)
def test_nobody_else_is_asked(img, submit, fields):
    submit(img, access_scope=AccessScope.CATEGORIES, **fields)

    assert PrivacyRequest.objects.get().access_scope == ""


def test_a_spanish_page_asks_in_spanish(img, client):
    text = text_of(
        scope_group(client.get("/o/img/request/", HTTP_ACCEPT_LANGUAGE="es").content.decode())
    )

    assert "Si pide acceso y vive en California" in text
    assert "¿Qué quiere conocer?" in text
    assert "declaración bajo pena de perjurio" in text


def test_an_organization_out_of_the_ccpas_reach_does_not_ask(img, client):
    Organization.objects.filter(pk=img.pk).update(
        out_of_scope=["US-CA"], out_of_scope_reason="Below the CCPA's thresholds."
    )

    assert 'name="access_scope"' not in client.get("/o/img/request/").content.decode()
