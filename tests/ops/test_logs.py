"""Request ids and JSON log lines: every line of a request carries its id, none personal data."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dsar.ops.logs import JsonFormatter, RequestIdFilter, current_request_id, safe_request_id
from dsar.requests.models import PrivacyRequest
from tests.conftest import deliver_outbox

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def json_lines(settings: Any) -> Iterator[io.StringIO]:
    """The root logger's console handler as LOG_FORMAT=json configures it, into a buffer."""
    settings.LOG_REQUESTS = True
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def lines_of(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line]


# -- Request ids -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "incoming", ["5f0c6d1e9b8a4c3d", "nginx-4bf92f3577b34da6", "a3ce929d0e0e4736.1"]
)
def test_a_safe_incoming_request_id_is_kept_and_echoed(client, db, incoming):
    response = client.get("/", HTTP_X_REQUEST_ID=incoming)

    assert response["X-Request-ID"] == incoming


@pytest.mark.parametrize(
    "incoming",
    [
        "",
        "two words",
        "ann@example.com",
        "x" * 129,
        'quote"d',
        "line\nbreak",
        "k=v",
        "-leading-dash",
    ],
)
def test_anything_else_gets_a_new_one(client, db, incoming):
    response = client.get("/", HTTP_X_REQUEST_ID=incoming)

    assert response["X-Request-ID"] != incoming
    assert safe_request_id(response["X-Request-ID"])
    assert len(response["X-Request-ID"]) == 32


def test_each_request_gets_its_own(client, db):
    assert client.get("/")["X-Request-ID"] != client.get("/")["X-Request-ID"]


def test_outside_a_request_the_id_is_a_dash():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)
    RequestIdFilter().filter(record)
    assert record.request_id == "-"
    assert current_request_id.get() == "-"


# -- JSON lines ------------------------------------------------------------------------------------


def test_a_json_line_has_fixed_keys_and_keeps_no_object_passed_as_extra():
    """django.request passes the HttpRequest (its POST data included) as ``extra``."""

    class Request:
        POST = {"name": "Dana Data"}

        def __str__(self) -> str:
            return "<WSGIRequest: POST name=Dana Data>"

    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Bad Request: %s", ("/o/img/",), None
    )
    record.request = Request()
    record.status_code = 400
    RequestIdFilter().filter(record)

    line = json.loads(JsonFormatter().format(record))

    assert set(line) == {"time", "level", "logger", "message", "request_id", "status_code"}
    assert line["message"] == "Bad Request: /o/img/"
    assert line["status_code"] == 400
    assert line["time"].endswith("+00:00")


def test_an_exception_is_one_line_with_its_traceback():
    try:
        raise ValueError("broken")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None, sys.exc_info())
    text = JsonFormatter().format(record)

    assert "\n" not in text
    assert "ValueError: broken" in json.loads(text)["exception"]


def test_a_form_post_logs_its_request_id_and_no_personal_data(
    client, seeds, json_lines, mailoutbox, django_capture_on_commit_callbacks
):
    form = {
        "right": "access",
        "name": "Dana Data",
        "email": "dana.data@example.org",
        "residence": "FR",
        "acting_for": "self",
        "message": "Please send me what you hold about Dana Data.",
        "website": "",
    }
    logging.getLogger("dsar.tests").info("before the request")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/o/img/request/", form, HTTP_X_REQUEST_ID="req-0123456789abcdef")
    deliver_outbox()  # the confirmation email too, as the task cluster sends it

    assert response.status_code == 302, response.content
    assert PrivacyRequest.objects.filter(requester_email="dana.data@example.org").exists()
    assert [message.to for message in mailoutbox] == [["dana.data@example.org"]]
    lines = lines_of(json_lines)
    mine = [line for line in lines if line["request_id"] == "req-0123456789abcdef"]
    access = [line for line in mine if line["logger"] == "dsar.access"]
    assert access, lines
    assert access[0]["method"] == "POST"
    assert access[0]["route"] == "/o/<slug:slug>/request/"
    assert access[0]["status"] == response.status_code
    assert lines[0]["request_id"] == "-"  # logged outside the request
    text = json_lines.getvalue()
    for personal in ("Dana", "dana.data", "example.org"):
        assert personal not in text


def test_tokens_in_urls_stay_out_of_the_log(client, seeds, json_lines):
    """A URL with a token (status page, download) answers 303 to one without it: the access
    line names the route, and Django's own "Not Found: <path>" (an unknown organization) shows
    the token's name, on the request's id."""
    response = client.get("/o/img/status/secret-token-abc123/")
    missing = client.get("/o/no-such-org/status/secret-token-abc123/")

    assert response.status_code == 303
    assert "secret-token-abc123" not in response["Location"]
    assert missing.status_code == 404
    assert "secret-token-abc123" not in json_lines.getvalue()
    lines = lines_of(json_lines)
    access = [line for line in lines if line["logger"] == "dsar.access"]
    assert access[0]["route"] == "/o/<slug:slug>/status/<str:token>/"
    django = [line for line in lines if line["logger"] == "django.request"]
    assert len(django) == 1  # the redirect is not an error
    assert django[0]["message"] == "Not Found: /o/no-such-org/status/<token>/"
    assert django[0]["request_id"] == missing["X-Request-ID"]


def test_requests_are_not_logged_unless_asked(client, db, json_lines, settings):
    settings.LOG_REQUESTS = False
    client.get("/")
    assert not [line for line in lines_of(json_lines) if line["logger"] == "dsar.access"]


# -- The settings ----------------------------------------------------------------------------------


def run_with(env: dict[str, str], code: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("LOG_", "DJANGO_"))},
        "DJANGO_SETTINGS_MODULE": "dsar.settings",
        "SECRET_KEY": "insecure-key-for-tests-only-never-deploy-this-value",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_log_format_json_configures_json_lines():
    done = run_with(
        {"LOG_FORMAT": "json"}, "import logging; logging.getLogger('dsar.x').info('hi')"
    )

    assert done.returncode == 0, done.stderr
    line = json.loads(done.stderr.strip().splitlines()[-1])
    assert line["message"] == "hi"
    assert line["logger"] == "dsar.x"
    assert line["request_id"] == "-"


def test_plain_is_the_default_and_requests_are_then_not_logged():
    code = "from django.conf import settings; print(settings.LOG_FORMAT, settings.LOG_REQUESTS)"
    done = run_with({}, code)

    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["plain", "False"]


def test_an_unknown_log_format_is_refused():
    done = run_with({"LOG_FORMAT": "xml"}, "pass")

    assert done.returncode != 0
    assert "LOG_FORMAT must be plain or json" in done.stderr
