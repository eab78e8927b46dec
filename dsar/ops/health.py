"""Readiness: can this web process serve, and can what it hands on be carried out?

``readiness()`` runs each check and says, per check, ``ok`` or ``fail``; ``/readyz`` answers 503
when a required one failed. The checks say *what* failed, never why in the answer: an error's text
can name hosts, users or paths, so it goes to the log (WARNING, logger ``dsar.ops.health``), and
the answer carries no secret and no personal data.

- ``database``: ``SELECT 1`` on the default database.
- ``broker``: django-q2's broker, read from ``settings.Q_CLUSTER`` at each call: Redis (``PING``,
  with short time-outs so that an unreachable server fails the check instead of hanging the
  probe) or the ORM broker's table (one indexed read).
- ``storage``: a probe file written, read back and deleted in the private storage of letters and
  uploads (``probe_storage(private_storage())``).
- ``cluster`` (reported, not required): whether a task cluster has run the schedules lately. The
  cluster's scheduler moves every due schedule's ``next_run`` into the future about every 30
  seconds; a schedule that stays overdue for minutes means no cluster is running. It does not
  fail readiness: taking the web servers out of the load balancer would not bring the cluster
  back, and the requesters' form would go down with it. Alert on the metric
  ``dsar_task_schedule_lag_seconds`` instead (docs/deploy.md).
"""

from __future__ import annotations

import datetime
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import connections
from django.db.models import Min
from django.utils import timezone

logger = logging.getLogger(__name__)

OK, FAIL = "ok", "fail"
#: Seconds to wait on the broker before its check fails.
BROKER_TIMEOUT = 2.0
#: A schedule overdue by more than this means no cluster is running its scheduler.
CLUSTER_STALE_AFTER = datetime.timedelta(minutes=5)
#: Where the storage probe writes (and at once deletes) its file, inside the private storage.
PROBE_FOLDER = "health"


class ProbeError(Exception):
    """A check that ran without an exception but found something wrong."""


# -- Each check --------------------------------------------------------------------------------


def check_database() -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise ProbeError("SELECT 1 did not answer 1")


def check_broker() -> None:
    """The broker django-q2 is configured with, as the settings say now (tests change them)."""
    conf: dict[str, Any] = dict(getattr(settings, "Q_CLUSTER", {}))
    if conf.get("redis"):
        _ping_redis(conf["redis"])
    elif conf.get("orm"):
        from django_q.models import OrmQ

        # The queue's table can be read (an empty queue is fine).
        list(OrmQ.objects.using(conf["orm"]).values_list("pk")[:1])
    else:
        from django_q.brokers import get_broker

        if not get_broker().ping():
            raise ProbeError("broker did not answer its ping")


def _ping_redis(target: str | dict[str, Any]) -> None:
    import redis

    timeouts = {"socket_connect_timeout": BROKER_TIMEOUT, "socket_timeout": BROKER_TIMEOUT}
    if isinstance(target, str):
        client = redis.Redis.from_url(target, **timeouts)
    else:
        client = redis.Redis(**{**target, **timeouts})
    try:
        if not client.ping():
            raise ProbeError("Redis did not answer its PING")
    finally:
        client.close()


def private_storage() -> Storage:
    """The storage that holds letters, data packages and uploads: the one
    ``dsar.letters.storage.private_storage()`` gives the app, that is the folder
    ``PRIVATE_STORAGE_ROOT`` or, where settings name one, ``STORAGES["private"]`` (an object
    store). The one place to change if the private files ever move elsewhere."""
    from dsar.letters.storage import private_storage as letters_storage

    return letters_storage()


def probe_storage(storage: Storage) -> None:
    """Write a small file with a random name, read it back, delete it. Raises on any failure.

    Written the way dsar writes its private files (``save_once``) where the storage has it; an
    object store pays three requests per probe."""
    payload = secrets.token_bytes(16)
    name = f"{PROBE_FOLDER}/{secrets.token_hex(8)}.probe"
    save_once = getattr(storage, "save_once", None)
    if save_once is not None:
        name = save_once(name, payload)
    else:
        name = storage.save(name, ContentFile(payload))
    try:
        with storage.open(name, "rb") as handle:
            if handle.read() != payload:
                raise ProbeError("the probe file read back differs from what was written")
    finally:
        storage.delete(name)


def check_storage() -> None:
    probe_storage(private_storage())


def schedule_lag(now: datetime.datetime | None = None) -> datetime.timedelta | None:
    """How long the most overdue repeating schedule has been due (zero when none is); None when
    there are no schedules to tell by."""
    from django_q.models import Schedule

    oldest = Schedule.objects.exclude(repeats=0).aggregate(oldest=Min("next_run"))["oldest"]
    if oldest is None:
        return None
    return max((now or timezone.now()) - oldest, datetime.timedelta(0))


def check_cluster() -> str:
    lag = schedule_lag()
    if lag is None:
        return "unknown"
    return "stale" if lag > CLUSTER_STALE_AFTER else OK


# -- All of them -------------------------------------------------------------------------------


@dataclass
class Readiness:
    checks: dict[str, str] = field(default_factory=dict)
    failed: list[str] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return not self.failed

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": "ok" if self.ready else "unavailable",
            "checks": self.checks,
            "failed": self.failed,
        }


#: Name → check. A check fails by raising; its name is then listed in ``failed``.
REQUIRED: dict[str, Callable[[], None]] = {
    "database": check_database,
    "broker": check_broker,
    "storage": check_storage,
}


def readiness() -> Readiness:
    result = Readiness()
    for name, check in REQUIRED.items():
        started = time.perf_counter()
        try:
            check()
        except Exception as error:
            result.checks[name] = FAIL
            result.failed.append(name)
            # The error's text is for the operator (it may name a host or a path), not the answer.
            logger.warning(
                "readiness: %s failed after %.0f ms: %s: %s",
                name,
                (time.perf_counter() - started) * 1000,
                type(error).__name__,
                error,
            )
        else:
            result.checks[name] = OK
    if "database" in result.failed:
        result.checks["cluster"] = "unknown"
    else:
        try:
            result.checks["cluster"] = check_cluster()
        except Exception as error:
            result.checks["cluster"] = "unknown"
            logger.warning("readiness: cluster check failed: %s: %s", type(error).__name__, error)
    return result
