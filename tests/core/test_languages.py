"""The browser's language picks the page's, and the switcher names each language in itself."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("accept_language", "language"),
    [("fr-FR,fr;q=0.9", "fr"), ("de-DE,de;q=0.9", "de"), ("pt-BR,pt;q=0.9", "pt-br")],
)
def test_the_browser_language_picks_the_page_language(client, accept_language, language):
    response = client.get("/", headers={"accept-language": accept_language})

    assert response["Content-Language"] == language


def test_the_switcher_of_an_error_page_names_each_language_in_itself(client):
    response = client.get("/no-such-page/", headers={"accept-language": "de"})

    html = response.content.decode()
    assert response.status_code == 404
    assert '<label for="language-select">Sprache</label>' in html
    for code, name in [
        ("en", "English"),
        ("es", "Español"),
        ("fr", "Français"),
        ("de", "Deutsch"),
        ("pt-br", "Português (Brasil)"),
    ]:
        assert f'<option value="{code}" lang="{code}"' in html
        assert f">{name}</option>" in html


def test_the_switcher_of_an_error_page_works_with_the_csrf_check_on():
    """The error pages render without a request context: the token is passed to them by hand."""
    client = Client(enforce_csrf_checks=True)
    page = client.get("/no-such-page/", headers={"accept-language": "fr"}).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, page

    response = client.post(
        "/i18n/setlang/",
        {"language": "pt-br", "csrfmiddlewaretoken": token.group(1)},
        headers={"referer": "http://testserver/no-such-page/"},
    )

    assert response.status_code == 302
    assert response["Location"] == "http://testserver/no-such-page/"
    assert client.cookies["django_language"].value == "pt-br"
    again = client.get("/no-such-page/")
    assert again["Content-Language"] == "pt-br"
