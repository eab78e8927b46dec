"""The PostgreSQL connector against a real second database standing in for a customer's shop:
an access request collects the person's rows into the data package, an erasure removes them
after staff saw the count, identity values are parameters, and a slow statement is cancelled."""

from __future__ import annotations

import csv
import io
import json
import logging
import zipfile
from typing import Any

import pytest

from dsar.fulfilment import runs
from dsar.fulfilment.models import ConnectorRun, RunKind, RunStatus, Task
from dsar.fulfilment.tasks import TaskError
from dsar.letters.services import letter_issue, package_build
from dsar.requests.models import EventKind

from .conftest import CUSTOMER_ENV, customer_query, verify

pytestmark = pytest.mark.django_db

ACCESS = (
    "SELECT c.email, c.name, c.since, o.item, o.total FROM customers c"
    " LEFT JOIN orders o ON o.customer_id = c.id"
    " WHERE lower(c.email) = lower(%(email)s) ORDER BY o.id"
)
ERASURE = "DELETE FROM customers WHERE lower(email) = lower(%(email)s)"


@pytest.fixture
def shop(make_system: Any, bob: Any, customer_db: str) -> Any:
    return make_system(
        "Shop database",
        owner=bob,
        connector="postgresql",
        dsn_env=CUSTOMER_ENV,
        access_query=ACCESS,
        erasure_statement=ERASURE,
        timeout_seconds=5,
    )


def _task(request: Any) -> Task:
    return Task.objects.select_related("system", "request").get(request=request)


def _run(task: Task, kind: RunKind, actor: Any, **extra: Any) -> ConnectorRun:
    run = runs.run_request(task=task, kind=kind, actor=actor, **extra)
    runs.perform(run.pk)  # what the django-q2 worker calls
    run.refresh_from_db()
    return run


def test_an_access_run_puts_the_persons_rows_in_the_data_package(
    shop: Any, log_request: Any, olivia: Any, bob: Any, caplog: Any
) -> None:
    request = verify(log_request("access"), olivia)
    caplog.set_level(logging.DEBUG)

    run = _run(_task(request), RunKind.ACCESS, bob)

    assert (run.status, run.rows) == (RunStatus.DONE, 2)
    letter = letter_issue(request=request, kind="access", actor=olivia)
    package = package_build(request=request, cover_letter=letter, actor=olivia)
    archive = zipfile.ZipFile(io.BytesIO(package.file.read()))
    root = request.reference
    records = json.loads(archive.read(f"{root}/data/shop-database/contact-data.json"))
    assert records == [
        {
            "email": "dana@example.org",
            "name": "Dana Ortiz",
            "since": "2021-04-01",
            "item": "Phone case",
            "total": "19.99",
        },
        {
            "email": "dana@example.org",
            "name": "Dana Ortiz",
            "since": "2021-04-01",
            "item": '=HYPERLINK("http://evil")',
            "total": "5.00",
        },
    ]
    table = list(
        csv.DictReader(
            io.StringIO(
                archive.read(f"{root}/data/shop-database/contact-data.csv").decode("utf-8-sig")
            )
        )
    )
    assert [row["item"] for row in table] == ["Phone case", '\'=HYPERLINK("http://evil")']
    assert all("Eve" not in json.dumps(r) for r in records)  # nobody else's rows
    ran = request.events.get(kind=EventKind.CONNECTOR_RAN)
    assert ran.summary == "Connector of Shop database found 2 rows"
    assert ran.data["rows"] == 2
    # Counts in the log and on the trail, never the rows or the identity.
    logged = caplog.text + json.dumps([e.data for e in request.events.all()])
    assert "Phone case" not in logged and "dana@example.org" not in caplog.text


def test_an_erasure_runs_only_after_its_count_is_confirmed(
    shop: Any, log_request: Any, olivia: Any, bob: Any, customer_db: str
) -> None:
    request = verify(log_request("erasure"), olivia)
    task = _task(request)
    with pytest.raises(TaskError, match="Count the rows first"):
        runs.run_request(task=task, kind=RunKind.ERASURE, actor=bob)

    count = _run(task, RunKind.ERASURE_COUNT, bob)

    assert (count.status, count.rows) == (RunStatus.DONE, 1)
    # The dry run changed nothing.
    assert customer_query(customer_db, "SELECT count(*) FROM customers")[0][0] == 3
    assert customer_query(customer_db, "SELECT count(*) FROM orders")[0][0] == 3

    erased = _run(task, RunKind.ERASURE, bob, confirms=count)

    assert (erased.status, erased.rows) == (RunStatus.DONE, 1)
    emails = [r[0] for r in customer_query(customer_db, "SELECT email FROM customers ORDER BY id")]
    assert emails == ["eve@example.org", "frank@example.org"]
    assert customer_query(customer_db, "SELECT count(*) FROM orders")[0][0] == 1  # Eve's
    summaries = list(
        request.events.filter(kind=EventKind.CONNECTOR_RAN).values_list("summary", flat=True)
    )
    assert summaries == [
        "Connector of Shop database: an erasure would touch 1 row",
        "Connector of Shop database erased 1 row",
    ]
    with pytest.raises(TaskError, match="already confirmed"):
        runs.run_request(task=task, kind=RunKind.ERASURE, actor=bob, confirms=count)


def test_an_identity_value_is_a_parameter_not_sql(
    shop: Any, log_request: Any, olivia: Any, bob: Any, customer_db: str
) -> None:
    hostile = "x' OR '1'='1'; DROP TABLE orders; --@example.org"
    request = verify(log_request("erasure", requester_email="dana@example.org"), olivia)
    request.requester_email = hostile
    request.save(update_fields=["requester_email"])
    task = _task(request)

    count = _run(task, RunKind.ERASURE_COUNT, bob)
    erased = _run(task, RunKind.ERASURE, bob, confirms=count)

    assert (count.rows, erased.rows) == (0, 0)
    assert customer_query(customer_db, "SELECT count(*) FROM customers")[0][0] == 3
    assert customer_query(customer_db, "SELECT count(*) FROM orders")[0][0] == 3


def test_a_slow_statement_is_cancelled_by_the_timeout(
    shop: Any, log_request: Any, olivia: Any, bob: Any
) -> None:
    shop.access_query = "SELECT pg_sleep(5), email FROM customers WHERE email = %(email)s"
    shop.timeout_seconds = 1
    shop.save()
    request = verify(log_request("access"), olivia)

    run = _run(_task(request), RunKind.ACCESS, bob)

    assert run.status == RunStatus.FAILED
    assert run.error == "the statement ran past its timeout and was cancelled"
    assert not request.data_items.exists()
    assert "failed" in request.events.get(kind=EventKind.CONNECTOR_RAN).summary


def test_an_access_query_cannot_change_data(
    shop: Any, log_request: Any, olivia: Any, bob: Any, customer_db: str
) -> None:
    shop.access_query = (
        "DELETE FROM orders WHERE customer_id IN"
        " (SELECT id FROM customers WHERE email = %(email)s) RETURNING *"
    )
    shop.save()
    request = verify(log_request("access"), olivia)

    run = _run(_task(request), RunKind.ACCESS, bob)

    assert run.status == RunStatus.FAILED
    assert "read-only" in run.error
    assert customer_query(customer_db, "SELECT count(*) FROM orders")[0][0] == 3


def test_a_missing_environment_variable_is_a_clear_failure(
    shop: Any, log_request: Any, olivia: Any, bob: Any, monkeypatch: Any
) -> None:
    monkeypatch.delenv(CUSTOMER_ENV)
    request = verify(log_request("access"), olivia)

    run = _run(_task(request), RunKind.ACCESS, bob)

    assert run.status == RunStatus.FAILED
    assert run.error == f"the environment variable {CUSTOMER_ENV} is not set"


def test_the_register_refuses_a_url_or_a_statement_that_names_nobody(make_system: Any) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="not the URL"):
        make_system("A", connector="postgresql", dsn_env="postgres://u:secret@db/x")
    with pytest.raises(ValidationError, match="reaches every row"):
        make_system(
            "B", connector="postgresql", dsn_env="B_DB", erasure_statement="DELETE FROM customers"
        )
    with pytest.raises(ValidationError, match="Unknown parameter"):
        make_system(
            "C", connector="postgresql", dsn_env="C_DB", access_query="SELECT 1 WHERE %(ssn)s = ''"
        )
