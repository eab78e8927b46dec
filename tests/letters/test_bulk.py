"""Bulk issue through the task queue: a task per chunk of requests, idempotent per batch."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django_q.conf import Conf
from django_q.models import OrmQ

from dsar.letters import jobs
from dsar.letters.models import Letter
from dsar.letters.services import letters_issue_bulk
from dsar.requests.services import request_extend

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def test_bulk_issue_queues_a_task_per_chunk(
    make_request: Any, olivia: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.DSAR_LETTER_BULK_CHUNK = 2
    requests = [
        make_request("img", "access", requester_email=f"p{i}@example.org") for i in range(3)
    ]

    with django_capture_on_commit_callbacks(execute=True):
        batch = letters_issue_bulk(requests=requests, kind="acknowledgement", actor=olivia)

    # Chunks of two: two tasks for three requests.
    assert OrmQ.objects.count() == 2
    assert not Letter.objects.exists()
    # What a worker does with a task, twice over (a retried task must not double a letter).
    ids = [request.pk for request in requests]
    first = jobs.issue_letters(ids, "acknowledgement", olivia.pk, str(batch))
    again = jobs.issue_letters(ids, "acknowledgement", olivia.pk, str(batch))
    assert first == again
    assert first["failed"] == {}
    assert Letter.objects.filter(batch=batch).count() == 3
    assert set(Letter.objects.values_list("issued_by__username", flat=True)) == {"olivia"}


def test_the_cluster_code_runs_bulk_tasks(
    make_request: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    monkeypatch.setattr(Conf, "SYNC", True)
    requests = [
        make_request("img", "access", requester_email=f"q{i}@example.org") for i in range(2)
    ]

    with django_capture_on_commit_callbacks(execute=True):
        batch = letters_issue_bulk(requests=requests, kind="acknowledgement", actor=None)

    assert Letter.objects.filter(batch=batch, kind="acknowledgement").count() == 2


def test_a_letter_that_cannot_be_issued_does_not_stop_the_others(
    make_request: Any, olivia: Any
) -> None:
    # An extension notice needs an extension: the first request has one, the second not.
    extended = make_request("img", "access", requester_email="ok@example.org")
    request_extend(request=extended, actor=olivia, reason="Three systems.", today=TODAY.date())
    not_extended = make_request("img", "access", requester_email="no@example.org")

    result = jobs.issue_letters(
        [extended.pk, not_extended.pk], "extension", olivia.pk, str(uuid.uuid4())
    )

    assert len(result["issued"]) == 1
    assert result["failed"] == {not_extended.pk: "LetterNotApplicable"}
    assert extended.letters.count() == 1
