"""The language cookie of /i18n/setlang/ is sent like the session cookie: Secure outside DEBUG,
HttpOnly, SameSite=Lax."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def set_language(client, language: str = "es"):
    response = client.post("/i18n/setlang/", {"language": language, "next": "/"})
    assert response.status_code == 302
    return response.cookies["django_language"]


def test_the_language_cookie_is_httponly_and_samesite(client):
    cookie = set_language(client)

    assert cookie.value == "es"
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert "HttpOnly" in cookie.output()
    assert "SameSite=Lax" in cookie.output()


def test_the_language_cookie_is_secure_when_the_session_cookie_is(client, settings):
    settings.LANGUAGE_COOKIE_SECURE = True

    assert "Secure" in set_language(client).output()


@pytest.mark.parametrize(
    ("environment", "secure"),
    [({"DEBUG": "false"}, True), ({"DEBUG": "true"}, False)],
)
def test_secure_by_default_outside_debug(environment, secure):
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json, dsar.settings as s; print(json.dumps([s.LANGUAGE_COOKIE_SECURE, "
            "s.LANGUAGE_COOKIE_HTTPONLY, s.LANGUAGE_COOKIE_SAMESITE, s.SESSION_COOKIE_SECURE]))",
        ],
        capture_output=True,
        text=True,
        env={**environment, "SECRET_KEY": "x" * 50, "PATH": ""},
        cwd=ROOT,
        check=False,
    )

    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout) == [secure, True, "Lax", secure]
