"""export_requests: the import's columns plus reference, status and deadline; round trip."""

from __future__ import annotations

import csv
import datetime as dt
import io
import stat
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from dsar.requests import services
from dsar.requests.csv_io import EXPORT_COLUMNS
from dsar.requests.models import PrivacyRequest

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 20, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def export(*args: str) -> str:
    out = io.StringIO()
    call_command("export_requests", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def log(organization, **kwargs) -> PrivacyRequest:
    values = {
        "right_kind": "access",
        "channel_kind": "email",
        "received_at": dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC),
        "requester_name": "Ana Ruiz",
        **kwargs,
    }
    return services.request_log(organization=organization, **values)


def test_it_writes_the_import_columns_plus_reference_status_and_deadline(seeds):
    request = log(
        seeds["img"],
        requester_email="ana@example.com",
        jurisdiction="US-CA",
        subject_line="My data",
        message="Hello",
        received_at=dt.datetime(2026, 1, 5, 15, 0, tzinfo=dt.UTC),
    )
    services.request_start(request=request, actor=None)

    rows = list(csv.reader(io.StringIO(export())))

    assert rows[0] == [
        "reference",
        "organization",
        "right",
        "channel",
        "received_at",
        "requester_name",
        "requester_email",
        "jurisdiction",
        "subject_line",
        "message",
        "status",
        "deadline",
    ]
    assert rows[1:] == [
        [
            "IMG-2026-00001",
            "img",
            "access",
            "email",
            # In the organization's zone (New York), with its offset: the same instant.
            "2026-01-05T10:00:00-05:00",
            "Ana Ruiz",
            "ana@example.com",
            "US-CA",
            "My data",
            "Hello",
            # A Californian's request to know waits for a verified identity (CCPA §7060).
            "awaiting_verification",
            "2026-02-05",
        ]
    ]


def test_the_deadline_is_empty_when_there_is_none(seeds):
    log(seeds["imservicecenter"], right_kind="complaint")

    (row,) = csv.DictReader(io.StringIO(export()))

    assert row["deadline"] == ""
    assert row["status"] == "received"


def test_it_exports_one_organization(seeds):
    log(seeds["img"])
    log(seeds["imt"], right_kind="erasure")

    rows = list(csv.DictReader(io.StringIO(export("--organization", "imt"))))

    assert [row["organization"] for row in rows] == ["imt"]
    with pytest.raises(CommandError, match="organization 'acme' does not exist"):
        export("--organization", "acme")


def test_the_output_file_is_readable_by_its_owner_only(seeds, tmp_path: Path):
    log(seeds["img"])
    err = io.StringIO()
    path = tmp_path / "out.csv"

    call_command("export_requests", "--output", str(path), stderr=err)

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "Exported 1 request to" in err.getvalue()
    assert path.read_bytes().startswith(",".join(EXPORT_COLUMNS).encode() + b"\r\n")


def test_a_cell_a_spreadsheet_would_run_is_escaped(seeds):
    log(seeds["img"], requester_name='=HYPERLINK("http://evil.example","x")', message="-1+1")

    (row,) = csv.DictReader(io.StringIO(export()))

    assert row["requester_name"] == '\'=HYPERLINK("http://evil.example","x")'
    assert row["message"] == "'-1+1"


def test_export_then_import_into_an_empty_database_gives_the_same_requests(seeds, tmp_path):
    """1. Log requests (odd cells included) inside a savepoint and export them.
    2. Roll the savepoint back: no request, event or reference counter is left.
    3. Import the file and export again: the two files are the same, byte for byte."""
    with transaction.atomic():
        log(
            seeds["img"],
            requester_name="Zoë Ølstad, Jr.",
            requester_email="zoe@example.com",
            jurisdiction="FR",
            subject_line='Quote "this", please',
            message="=SUM(A1)\nSecond line;\r\nthird line  \n",
            received_at=dt.datetime(2026, 3, 1, 4, 30, 15, 123456, tzinfo=dt.UTC),
        )
        log(seeds["img"], right_kind="shine_the_light", jurisdiction="US-CA", message="'quoted")
        log(seeds["imt"], right_kind="marketing_opt_out", requester_email="bo@example.com")
        log(seeds["imt"], right_kind="marketing_opt_out", requester_email="bo@example.com")
        log(seeds["imservicecenter"], right_kind="complaint", channel_kind="fax")
        first = export()
        flags = dict(PrivacyRequest.objects.values_list("reference", "flags"))
        transaction.set_rollback(True)
    assert not PrivacyRequest.objects.exists()
    path = tmp_path / "export.csv"
    path.write_text(first, encoding="utf-8")

    call_command("import_requests", str(path), stdout=io.StringIO())

    assert export() == first
    assert dict(PrivacyRequest.objects.values_list("reference", "flags")) == flags
    assert PrivacyRequest.objects.get(reference="IMG-2026-00001").message == (
        "=SUM(A1)\nSecond line;\r\nthird line  \n"
    )


def test_it_streams_rows_with_one_query_per_chunk(seeds, django_assert_max_num_queries):
    for i in range(30):
        log(seeds["img"], requester_name=f"Person {i}")

    with django_assert_max_num_queries(2):
        lines = export().splitlines()

    assert len(lines) == 31
