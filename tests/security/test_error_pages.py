"""The 400, 403, 404 and 500 pages: the public pages' look, the visitor's language, no detail."""

from __future__ import annotations

import pytest
from django.test import Client

from dsar.core import errors

from .urls import SECRET

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.security.urls")]

HEADINGS = {
    400: {"en": "The request could not be read", "es": "No se pudo leer la solicitud"},
    403: {"en": "You cannot open this page", "es": "No puede abrir esta página"},
    404: {"en": "Page not found", "es": "Página no encontrada"},
    500: {"en": "Something went wrong", "es": "Algo ha fallado"},
}


def visitor(language: str, **extra) -> Client:
    client = Client(raise_request_exception=False, **extra)
    if language == "es":
        client.cookies["django_language"] = "es"
    return client


def assert_error_page(response, status: int, language: str) -> str:
    assert response.status_code == status
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert HEADINGS[status][language] in html
    other = "en" if language == "es" else "es"
    assert HEADINGS[status][other] not in html
    assert "/static/intake/intake.css" in html  # the public pages' look
    # Nothing of what went wrong: no exception text, no path, no traceback, no setting.
    for detail in (SECRET, "secret-detail", "/etc/", "Traceback", "Request Method", "settings"):
        assert detail not in html, detail
    assert response["Content-Language"] == language
    return html


@pytest.mark.parametrize("language", ["en", "es"])
def test_400(language):
    response = visitor(language).get("/test-errors/400/")

    assert_error_page(response, 400, language)


@pytest.mark.parametrize("language", ["en", "es"])
def test_400_of_a_host_not_allowed(language):
    response = visitor(language).get("/", HTTP_HOST="not-allowed.example")

    html = assert_error_page(response, 400, language)
    assert "not-allowed.example" not in html


@pytest.mark.parametrize("language", ["en", "es"])
def test_403(language):
    response = visitor(language).get("/test-errors/403/")

    assert_error_page(response, 403, language)


@pytest.mark.parametrize("language", ["en", "es"])
def test_403_of_a_refused_form_says_to_reload_it(img, language):
    client = visitor(language, enforce_csrf_checks=True)

    response = client.post("/o/img/request/", {"name": "Dana Data"})

    html = assert_error_page(response, 403, language)
    assert {"en": "reload the page", "es": "vuelva a cargar la página"}[language] in html
    assert "CSRF" not in html


@pytest.mark.parametrize("language", ["en", "es"])
def test_404(language):
    response = visitor(language).get("/o/no-such-organization/secret-detail/")

    assert_error_page(response, 404, language)


@pytest.mark.parametrize("language", ["en", "es"])
def test_404_from_accept_language(language):
    client = Client(HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9" if language == "es" else "en-GB")

    response = client.get("/secret-detail/nothing-here")

    assert_error_page(response, 404, language)


@pytest.mark.parametrize("language", ["en", "es"])
def test_404_in_the_staff_area(admin_client, language):
    if language == "es":
        admin_client.cookies["django_language"] = "es"

    response = admin_client.get("/staff/secret-detail/")

    assert_error_page(response, 404, language)


@pytest.mark.parametrize("language", ["en", "es"])
def test_500(language):
    response = visitor(language).get("/test-errors/500/")

    html = assert_error_page(response, 500, language)
    assert "RuntimeError" not in html


def test_dsar_urls_name_the_handlers():
    from dsar import urls

    assert urls.handler400 == "dsar.core.errors.bad_request"
    assert urls.handler403 == "dsar.core.errors.permission_denied"
    assert urls.handler404 == "dsar.core.errors.page_not_found"
    assert urls.handler500 == "dsar.core.errors.server_error"
    assert errors.server_error  # importable
