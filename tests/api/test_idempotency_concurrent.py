"""Two posts with the same Idempotency-Key at the same moment create one request (PostgreSQL).

Two threads post through their own connections. The first to insert the key's row holds it
until its transaction commits (its creation is slowed on purpose, so the second post arrives
meanwhile); the second waits on the row's unique index, then replays the first answer.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client

from dsar.api.models import IdempotencyKey
from dsar.requests import services
from dsar.requests.models import PrivacyRequest
from tests.api.conftest import make_key

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks"),
]

BODY = (
    '{"right_kind": "access", "requester_name": "Ann Example", '
    '"requester_email": "ann@example.com", "jurisdiction": "FR"}'
)


def test_two_concurrent_posts_make_one_request(img: Any, monkeypatch: Any) -> None:
    from tests.workspace.conftest import ensure_role_groups

    ensure_role_groups()
    key = make_key(img, "write", "crm-sync")
    real_log = services.request_log
    entered = threading.Event()

    def slow_log(**kwargs: Any) -> Any:
        entered.set()
        time.sleep(0.5)  # the other post arrives while this transaction is open
        return real_log(**kwargs)

    monkeypatch.setattr(services, "request_log", slow_log)
    answers: list[Any] = [None, None]

    def post(n: int) -> None:
        try:
            if n == 1:
                entered.wait(5)
            answers[n] = Client().post(
                "/api/v1/requests/",
                BODY,
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {key}",
                HTTP_IDEMPOTENCY_KEY="race-1",
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(n,)) for n in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    first, second = answers
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true"
    assert PrivacyRequest.objects.count() == 1
    assert IdempotencyKey.objects.get().request.reference == first.json()["reference"]
