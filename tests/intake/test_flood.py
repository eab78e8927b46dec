"""A flood of concurrent posts against a live server: every accepted submission is stored.

PostgreSQL only: the reference counter's row lock is what makes concurrent intake safe, and an
in-memory SQLite database shared by the live server's threads cannot take concurrent writes.
"""

from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from dsar.intake.models import IntakeSubmission
from dsar.requests.models import PrivacyRequest

from .conftest import NOW, form_data, load_seeds

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def committed(_seeded, transactional_db, time_machine):
    """IMG's policy, committed where the live server's threads see it. The package's seeds live
    in a transaction that is never committed: it ends first (every other test has run by now)."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writes need PostgreSQL (CI runs it)")
    _seeded.close()
    load_seeds("img")
    time_machine.move_to(NOW, tick=False)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def _session(base: str) -> tuple[urllib.request.OpenerDirector, str]:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    html = opener.open(base + "/o/img/request/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    return opener, token


def test_concurrent_posts_lose_nothing(committed, live_server, settings):
    settings.DSAR_INTAKE_RATE_LIMITS_ENABLED = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    sessions = [_session(live_server.url) for _ in range(8)]

    def post(n: int) -> int:
        opener, token = sessions[n % len(sessions)]
        data = {**form_data(email=f"flood{n}@example.org"), "csrfmiddlewaretoken": token}
        request = urllib.request.Request(  # noqa: S310 - the live server's http URL
            live_server.url + "/o/img/request/",
            data=urllib.parse.urlencode(data).encode(),
            headers={"Referer": live_server.url + "/o/img/request/"},
        )
        try:
            return opener.open(request, timeout=60).status
        except urllib.error.HTTPError as error:
            return error.code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(post, range(120)))

    accepted = statuses.count(302)
    assert accepted == 120, statuses
    assert PrivacyRequest.objects.count() == accepted
    assert IntakeSubmission.objects.count() == accepted
    references = sorted(PrivacyRequest.objects.values_list("reference", flat=True))
    assert references == [f"IMG-2026-{n:05d}" for n in range(1, 121)]
