"""The CSV export: the columns of export_requests, recorded in the admin's log, nothing personal in
the file name or the URL, and nothing of another tenant."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.admin.models import LogEntry

from dsar.requests import csv_io, workspace
from dsar.requests.models import EventKind
from tests.workspace.conftest import CHANGELIST

pytestmark = pytest.mark.django_db


def _export(client, requests, **extra):
    data = {"action": "export_csv", "_selected_action": [r.pk for r in requests], "index": 0}
    data.update(extra)
    return client.post(CHANGELIST, data)


def _rows(response) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def two(log_request):
    return [
        log_request(requester_name="Ann Example", requester_email="ann@example.com"),
        log_request(
            requester_name='=HYPERLINK("http://evil")',
            requester_email="bob@example.com",
            right_kind="erasure",
            subject_line="Delete me",
        ),
    ]


def test_the_export_has_the_columns_and_values_of_export_requests(login, alice, two):
    response = _export(login(alice), two)

    rows = _rows(response)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert list(rows[0]) == list(csv_io.EXPORT_COLUMNS)
    assert {
        "organization",
        "right",
        "channel",
        "received_at",
        "subject_line",
        "requester_name",
        "requester_email",
        "jurisdiction",
        "reference",
        "status",
        "deadline",
    } <= set(rows[0])
    first = rows[0]
    assert first["reference"] == two[0].reference
    assert first["organization"] == "img"
    assert first["right"] == "access"
    assert first["channel"] == "email"
    assert first["received_at"] == "2026-03-02T08:00:00-05:00"  # IMG's local time of receipt
    assert first["requester_email"] == "ann@example.com"
    assert first["status"] == "received"
    assert first["deadline"] == two[0].due_date.isoformat()
    assert rows[1]["subject_line"] == "Delete me"


def test_cells_a_spreadsheet_would_run_are_neutralised(login, alice, two):
    rows = _rows(_export(login(alice), two))

    assert rows[1]["requester_name"] == '\'=HYPERLINK("http://evil")'


def test_the_file_name_and_url_carry_no_personal_data(login, alice, two):
    response = _export(login(alice), two)

    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="requests-')
    for personal in ("ann", "Ann", "example", two[0].reference):
        assert personal not in disposition
    assert response.request["PATH_INFO"] == CHANGELIST
    assert not response.request["QUERY_STRING"]
    assert "no-store" in response["Cache-Control"]


def test_the_export_is_recorded_in_the_admins_log(login, alice, two):
    _export(login(alice), two)

    entry = LogEntry.objects.get()
    assert entry.user == alice
    assert entry.object_repr == "CSV export of 2 requests"
    assert two[0].reference in entry.change_message and two[1].reference in entry.change_message
    assert "Ann" not in entry.change_message  # references only, no personal data


def test_the_export_is_on_each_exported_requests_own_timeline(login, alice, two, log_request):
    left_out = log_request(requester_email="other@example.com")

    _export(login(alice), two)

    for privacy_request in two:
        event = privacy_request.events.get(kind=EventKind.EXPORTED)
        assert (event.actor, event.summary) == (alice, "Exported: CSV export")
    assert not left_out.events.filter(kind=EventKind.EXPORTED).exists()


def test_select_all_across_pages_exports_every_visible_request(
    login, charlie, two, log_request, imt
):
    mine = log_request(organization=imt, right_kind="erasure", jurisdiction="")

    rows = _rows(_export(login(charlie), [mine], select_across="1"))

    assert [row["reference"] for row in rows] == [mine.reference]


def test_an_export_beyond_the_limit_is_refused(login, alice, two, monkeypatch):
    monkeypatch.setattr(workspace, "EXPORT_LIMIT", 1)

    response = _export(login(alice), two)

    assert response.status_code == 302
    assert not LogEntry.objects.exists()
