"""Liveness (/healthz) and readiness (/readyz): what each checks and how it answers."""

from __future__ import annotations

import datetime as dt
import errno
import os
import socket
from typing import Any

import pytest
from django.utils import timezone
from django_q.models import Schedule

from dsar.ops import health

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    """A local TCP port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


def use_redis(settings: Any, url: str) -> None:
    settings.REDIS_URL = url
    settings.Q_CLUSTER = {
        **{k: v for k, v in settings.Q_CLUSTER.items() if k != "orm"},
        "redis": url,
    }


# -- /healthz ----------------------------------------------------------------------------------


def test_healthz_is_liveness_and_asks_the_database_nothing(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_probes_are_answered_by_address_over_plain_http(client, settings):
    """A load balancer calls gunicorn as http://10.0.0.5:8000: neither the https redirect nor
    the host check may stand in the way of the probes, while they still guard every page."""
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["privacy.example.org"]

    assert client.get("/healthz", HTTP_HOST="10.0.0.5:8000").status_code == 200
    assert client.get("/readyz", HTTP_HOST="10.0.0.5:8000").status_code == 200
    assert client.get("/", HTTP_HOST="10.0.0.5:8000").status_code == 400
    assert client.get("/", HTTP_HOST="privacy.example.org").status_code == 301


def test_probes_refuse_to_change_anything(client):
    assert client.post("/readyz").status_code == 405
    assert client.post("/healthz").status_code == 405


# -- /readyz -----------------------------------------------------------------------------------


def test_ready_when_the_database_the_broker_and_the_storage_work(client, _private_storage):
    response = client.get("/readyz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["failed"] == []
    assert {k: body["checks"][k] for k in ("database", "broker", "storage")} == {
        "database": "ok",
        "broker": "ok",
        "storage": "ok",
    }
    assert body["checks"]["cluster"] in {"ok", "stale", "unknown"}
    assert "no-cache" in response["Cache-Control"]
    # The probe cleans up after itself.
    assert list((_private_storage / health.PROBE_FOLDER).iterdir()) == []


def test_not_ready_when_redis_is_unreachable_and_the_answer_names_the_broker(client, settings):
    use_redis(settings, f"redis://127.0.0.1:{closed_port()}/0")

    response = client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["failed"] == ["broker"]
    assert body["checks"]["broker"] == "fail"
    assert body["checks"]["database"] == "ok"


@pytest.mark.skipif(not redis_reachable(), reason="no Redis on 127.0.0.1:6379")
def test_ready_with_a_redis_broker_that_answers(client, settings):
    use_redis(settings, "redis://127.0.0.1:6379/0")

    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json()["checks"]["broker"] == "ok"


def test_not_ready_when_the_private_storage_is_read_only(client, _private_storage, monkeypatch):
    """A read-only folder. Root (CI) writes to any folder whatever its mode, so there the file
    system's own answer, EROFS, is given for the probe's folder."""
    folder = _private_storage / health.PROBE_FOLDER
    folder.mkdir(parents=True)
    if os.geteuid() == 0:
        real_open = os.open

        def read_only_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
            if str(path).startswith(str(folder)) and flags & (os.O_WRONLY | os.O_RDWR):
                raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
            return real_open(path, flags, *args, **kwargs)

        monkeypatch.setattr(os, "open", read_only_open)
    else:
        folder.chmod(0o555)
        _private_storage.chmod(0o555)
    try:
        response = client.get("/readyz")
    finally:
        _private_storage.chmod(0o755)
        folder.chmod(0o755)

    assert response.status_code == 503
    assert response.json()["failed"] == ["storage"]


def test_not_ready_when_the_private_storage_cannot_be_made(client, settings, tmp_path):
    """The root of the private storage is under a file: no user, root included, can write."""
    (tmp_path / "a-file").write_text("not a folder")
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "a-file" / "private"

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["failed"] == ["storage"]


def test_the_answer_keeps_the_error_to_the_log(client, monkeypatch, caplog):
    """An error's text can name hosts and paths: the log has it, the answer only the check."""

    def broken() -> None:
        raise OSError("cannot reach db.internal.example:5432 as dsar_owner")

    monkeypatch.setitem(health.REQUIRED, "database", broken)

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["failed"] == ["database"]
    assert b"db.internal" not in response.content
    assert response.json()["checks"]["cluster"] == "unknown"
    assert "db.internal.example" in caplog.text


def test_the_storage_probe_works_on_any_django_storage(tmp_path):
    """``probe_storage`` takes a Storage, so STORAGES["private"] (S3, say) can be probed later."""
    from django.core.files.storage import FileSystemStorage

    health.probe_storage(FileSystemStorage(location=tmp_path))

    assert list((tmp_path / health.PROBE_FOLDER).iterdir()) == []


# -- The task cluster, reported -------------------------------------------------------------------


def test_the_cluster_is_seen_while_its_schedules_keep_moving(client):
    Schedule.objects.update(next_run=timezone.now() + dt.timedelta(minutes=10))
    assert client.get("/readyz").json()["checks"]["cluster"] == "ok"


def test_a_cluster_that_stopped_is_reported_but_does_not_fail_readiness(client):
    Schedule.objects.filter(pk=Schedule.objects.order_by("pk").values("pk")[:1]).update(
        next_run=timezone.now() - dt.timedelta(hours=1)
    )

    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json()["checks"]["cluster"] == "stale"
    assert health.schedule_lag() >= dt.timedelta(minutes=59)


def test_without_schedules_the_cluster_is_unknown(client):
    Schedule.objects.all().delete()
    assert client.get("/readyz").json()["checks"]["cluster"] == "unknown"


def test_the_database_check_runs_a_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        health.check_database()
