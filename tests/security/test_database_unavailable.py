"""The database going away in the middle of a request: 503 with Retry-After, the public form's
input given back to send again, and the next request served on a new connection.

The tests on PostgreSQL kill the request's own backend with ``pg_terminate_backend``, from another
connection, just before one of the request's queries; the others raise the error from the view.
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection
from django.test import Client

from dsar.intake import selectors
from dsar.requests.models import PrivacyRequest
from tests.intake.conftest import NOW, PDF, form_data, load_seeds

TYPED = {
    "name": "Dana <Data>",
    "email": "dana@example.org",
    "message": "My customer number is 4711 & I want a copy.",
    "residence": "FR",
    "right": "access",
}


def typed_values_are_back(response, language: str = "en") -> str:
    page = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    assert {"en": "Nothing you typed is lost", "es": "No se ha perdido nada"}[language] in page
    assert 'value="Dana &lt;Data&gt;"' in page
    assert 'value="dana@example.org"' in page
    assert ">My customer number is 4711 &amp; I want a copy.</textarea>" in page
    assert {"en": "France", "es": "Francia"}[language] in page
    assert '<input type="hidden" name="residence" value="FR">' in page
    assert '<input type="hidden" name="right" value="access">' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert '<form method="post" enctype="multipart/form-data"' in page
    return page


def posted_again(page: str) -> dict[str, str]:
    """What the 503 page's "try again" button posts (one value per name is enough here)."""
    fields = dict(
        re.findall(r'<input type="(?:hidden|text|email)" name="([^"]+)"[^>]*?value="([^"]*)"', page)
    )
    fields.update(re.findall(r'<textarea name="([^"]+)"[^>]*>([^<]*)</textarea>', page))
    return {name: html.unescape(value) for name, value in fields.items()}


# -- Raised from the view (any database) -----------------------------------------------------------


def _no_query(execute, sql, params, many, context):
    raise AssertionError(f"the 503 page queried the database: {sql}")


@pytest.mark.django_db
def test_a_lost_connection_in_the_view_gives_503_with_the_form_filled_in(img, monkeypatch):
    def gone(*args, **kwargs):
        connection.execute_wrappers.append(_no_query)  # from here on, the database is gone
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(selectors, "form_policy", gone)

    try:
        response = Client().post("/o/img/request/", form_data(**TYPED))
    finally:
        if _no_query in connection.execute_wrappers:
            connection.execute_wrappers.remove(_no_query)

    page = typed_values_are_back(response)
    assert "server closed" not in page


@pytest.mark.django_db
def test_in_spanish_and_the_upload_is_said_to_be_lost(img, monkeypatch):
    def gone(*args, **kwargs):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(selectors, "form_policy", gone)
    client = Client()
    client.cookies["django_language"] = "es"
    upload = SimpleUploadedFile("authorization.pdf", PDF, content_type="application/pdf")

    response = client.post(
        "/o/img/request/",
        {
            **form_data(**TYPED),
            "acting_for": "agent",
            "subject_name": "Sam",
            "authorization": upload,
        },
    )

    page = typed_values_are_back(response, "es")
    assert '<html lang="es">' in page
    assert "El archivo que adjuntó no se pudo conservar" in page
    assert '<input type="file" name="authorization"' in page
    assert 'value="Sam"' in page


@pytest.mark.django_db
def test_any_other_page_gets_the_plain_503(img, monkeypatch):
    def gone(*args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr("dsar.intake.views._organization", gone)

    response = Client().get("/o/img/request/resend/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Nothing was lost. Try again in a minute." in page
    assert "could not connect" not in page
    assert 'class="request-form"' not in page  # no form to send again; only the language switcher


# -- A backend killed on PostgreSQL ----------------------------------------------------------------


@pytest.fixture
def committed(_seeded, transactional_db, time_machine):
    """IMG's policy, committed. The package's seeds live in a transaction that is never
    committed: it ends first (every other test of the package has run by now)."""
    if connection.vendor != "postgresql":
        pytest.skip("kills a PostgreSQL backend (CI runs PostgreSQL)")
    _seeded.close()
    load_seeds("img")
    time_machine.move_to(NOW, tick=False)


def _terminate(pid: int) -> None:
    """Kill backend ``pid`` from a connection of its own, and wait until it is gone."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    with psycopg.connect(**params, autocommit=True) as other:
        assert other.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone() == (True,)
        for _ in range(100):
            row = other.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone()
            if row is None:
                return
            time.sleep(0.05)
    raise AssertionError(f"backend {pid} still there")


@contextmanager
def killed_before(matches: Callable[[str], bool]) -> Iterator[list[int]]:
    """Terminate this thread's backend just before the first query ``matches`` accepts."""
    killed: list[int] = []

    def wrapper(execute, sql, params, many, context):
        if not killed and matches(sql):
            pid = context["connection"].connection.info.backend_pid
            _terminate(pid)
            killed.append(pid)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield killed


def _first_query(sql: str) -> bool:
    """Reading the organization: autocommit, no transaction open."""
    return True


def _in_the_transaction(sql: str) -> bool:
    """The first query of the transaction that stores the request."""
    return connection.in_atomic_block


@pytest.mark.parametrize("where", [_first_query, _in_the_transaction], ids=["first", "atomic"])
def test_a_killed_backend_gives_503_keeps_the_input_and_the_next_request_works(committed, where):
    client = Client()
    client.get("/o/img/request/")

    with killed_before(where) as killed:
        response = client.post("/o/img/request/", form_data(**TYPED))

    assert killed, "the backend was not killed"
    page = typed_values_are_back(response)
    assert "administrator command" not in page
    assert not PrivacyRequest.objects.exists()  # nothing half-stored; a new connection answers
    assert connection.connection.info.backend_pid != killed[0]

    assert client.get("/o/img/request/").status_code == 200
    again = client.post("/o/img/request/", posted_again(page))
    assert again.status_code == 302, again.content.decode()[:2000]
    stored = PrivacyRequest.objects.get()
    assert stored.requester_name == "Dana <Data>"
    assert stored.requester_email == "dana@example.org"


def test_raised_outside_a_view_the_500_handler_answers_503(rf):
    from dsar.core import errors

    request = rf.get("/o/img/request/")
    try:
        raise OperationalError("the database system is shutting down")
    except OperationalError:
        response = errors.server_error(request)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "shutting down" not in response.content.decode()
