"""import_requests: every row checked first, all or nothing, each problem with its line."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from dsar.organizations.models import Organization
from dsar.requests import services
from dsar.requests.models import PrivacyRequest, ReferenceCounter, RequestEvent, Status

pytestmark = pytest.mark.django_db

HEADER = (
    "organization,right,channel,received_at,requester_name,requester_email,jurisdiction,"
    "subject_line,message\n"
)
NOW = dt.datetime(2026, 3, 20, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def write(tmp_path: Path, text: str, *, bom: bool = False, name: str = "requests.csv") -> Path:
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def run(path: Path, *args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_requests", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def fail(path: Path) -> str:
    """Run an import that must fail; return what it reported."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_requests", str(path), stdout=out, stderr=err)
    return err.getvalue() + str(raised.value)


def stored() -> tuple[int, int, int]:
    return (
        PrivacyRequest.objects.count(),
        RequestEvent.objects.count(),
        ReferenceCounter.objects.count(),
    )


class TestHappyPath:
    def test_it_logs_each_row_and_prints_reference_status_and_deadline(self, seeds, tmp_path):
        path = write(
            tmp_path,
            HEADER + "img,access,email,2026-01-05T10:00:00-05:00,Zoë Ølstad,zoe@example.com,US-CA,"
            "Data request,Please send my data.\n"
            + "img,erasure,email,2026-03-02T09:30,Ana Ruiz,ana@example.com,fr,Delete,\n"
            + "imservicecenter,complaint,email,2026-03-02,Bo Li,,,"
            'Privacy Policy,"line one\nline two"\n',
            bom=True,
        )

        out, _err = run(path)

        first, second, third = PrivacyRequest.objects.order_by("id")
        # IMG promises "one month" (the GDPR rule) and the CCPA gives 45 days: the earlier binds.
        assert first.due_date == dt.date(2026, 2, 5)
        assert f"line 2: {first.reference} received due 2026-02-05\n" in out
        assert first.reference == "IMG-2026-00001"
        assert f"line 3: {second.reference} received due {second.due_date.isoformat()}" in out
        # No offset: the organization's zone is assumed, and the output says so.
        assert "(received_at read in America/New_York)" in out.splitlines()[1]
        assert second.received_at == dt.datetime(2026, 3, 2, 14, 30, tzinfo=dt.UTC)
        assert second.jurisdiction == "FR"
        # A date alone is midnight in the organization's zone.
        assert third.received_at == dt.datetime(2026, 3, 2, 5, 0, tzinfo=dt.UTC)
        assert third.due_date is None
        # Neither a law nor the promise sets a date: the organization's own, said so.
        assert (
            f"line 4: {third.reference} received date set by the organization: internal target"
            in out
        )
        assert third.message == "line one\nline two"
        assert "Imported 3 requests, logged as received." in out
        assert {r.status for r in (first, second, third)} == {Status.RECEIVED}
        assert set(RequestEvent.objects.values_list("actor_label", flat=True)) == {"import"}
        assert first.requester_name == "Zoë Ølstad"

    def test_it_reads_a_file_without_bom_and_ignores_export_only_columns(self, seeds, tmp_path):
        path = write(
            tmp_path,
            "reference,organization,right,channel,received_at,requester_name,requester_email,"
            "jurisdiction,subject_line,message,status,deadline\n"
            "IMG-2020-00042,img,access,email,2026-03-02T10:00:00+00:00,Ana Ruiz,,GB,,,"
            "fulfilled,2020-01-01\n",
        )

        out, _err = run(path)

        request = PrivacyRequest.objects.get()
        assert request.reference == "IMG-2026-00001"
        assert request.status == Status.RECEIVED
        assert request.due_date != dt.date(2020, 1, 1)
        assert "Imported 1 request," in out

    def test_a_dry_run_stores_nothing(self, seeds, tmp_path):
        path = write(tmp_path, HEADER + "img,access,email,2026-03-02,Ana Ruiz,,,,\n")

        out, _err = run(path, "--dry-run")

        assert "line 2: IMG-2026-00001 received due" in out
        assert "Dry run: 1 request checked, nothing stored." in out
        assert stored() == (0, 0, 0)


class TestBadRows:
    def test_it_reports_every_bad_row_with_its_line_and_stores_nothing(self, seeds, tmp_path):
        services.request_log(
            organization=seeds["imt"],
            right_kind="erasure",
            channel_kind="email",
            received_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
            requester_name="Already There",
        )
        before = stored()
        rows = [
            "img,access,email,2026-03-02T10:00:00Z,Good Row,,,,",  # 2: fine
            "img,access,email,2026-13-01,Ana,,,,",  # 3
            "acme,access,email,2026-03-02,Ana,,,,",  # 4
            "img,acess,email,2026-03-02,Ana,,,,",  # 5
            "img,access,pigeon,2026-03-02,Ana,,,,",  # 6
            "img,access,email,2026-03-02,Ana,,XX,,",  # 7
            "img,access,email,2026-03-02,,,,,",  # 8
            "img,access,email,2026-03-02,Ana,not-an-address,,,",  # 9
            "img,access,email,2026-04-02,Ana,,,,",  # 10: after NOW
            "img,access,email,2024-12-31,Ana,,,,",  # 11: before the policy was in force
            "img,access,email,2026-03-02,Ana",  # 12: cells missing
            "img,access,email,2026-03-02,Ana,,," + "x" * 501 + ",",  # 13
            "",  # 14: a blank line is skipped, and still counted
            "ims,access,email,not a date,Ana,,,,",  # 15: two problems, both reported
        ]
        path = write(tmp_path, HEADER + "\n".join(rows) + "\n")

        report = fail(path)

        expected = [
            "line 3: received_at '2026-13-01' is not an ISO 8601 date-time",
            "line 4: organization 'acme' does not exist",
            "line 5: right 'acess' is not a right kind; did you mean 'access'?",
            "line 6: channel 'pigeon' is not a channel kind",
            "line 7: jurisdiction: unknown residence 'XX': use a US state (US-CA, US-VA, US-DC), "
            "an EU/EEA country (FR, DE, IE, …), GB, CA, BR or OTHER.",
            "line 8: requester_name is blank",
            "line 9: requester_email 'not-an-address' is not an email address",
            "line 10: received_at '2026-04-02' is in the future",
            "line 11: organization 'img' had no policy in force on 2024-12-31T00:00:00-05:00 "
            "(its first policy version is in force from 2025-01-01T00:00:00+00:00)",
            "line 12: 5 cells, but the header names 9",
            "line 13: subject_line is 501 characters long; at most 500",
            "line 15: organization 'ims' does not exist; did you mean 'imt'?",
            "line 15: received_at 'not a date' is not an ISO 8601 date-time",
            "Nothing was imported: 13 problems.",
        ]
        for message in expected:
            assert message in report
        assert "line 2:" not in report
        assert "line 14:" not in report
        assert stored() == before

    def test_a_nul_character_is_reported_with_its_line_and_column_and_stores_nothing(
        self, seeds, tmp_path
    ):
        # PostgreSQL refuses text holding NUL (a DataError at the write, or at the lookup of
        # the organization): the check reports it first, naming the line and the column.
        before = stored()
        rows = [
            "img,access,email,2026-03-02T10:00:00Z,Good Row,,,,",  # 2: fine
            "img,access,email,2026-03-02,Ana,,,,Hello\x00there",  # 3
            "img\x00,access,email,2026-03-02,Ana\x00,,,,",  # 4: two cells
        ]
        path = write(tmp_path, HEADER + "\n".join(rows) + "\n")

        report = fail(path)

        for message in (
            "line 3: message contains a NUL character (\\x00); remove it",
            "line 4: organization contains a NUL character",
            "line 4: requester_name contains a NUL character",
            "Nothing was imported: 3 problems.",
        ):
            assert message in report
        assert "line 2:" not in report
        assert stored() == before

    def test_a_row_the_database_refuses_rolls_back_the_rows_before_it(self, seeds, tmp_path):
        # Every row passes the checks, but the third collides with an existing reference (a
        # counter lost by hand): the first two, already logged, must be rolled back too.
        services.request_log(
            organization=seeds["imt"],
            right_kind="erasure",
            channel_kind="email",
            received_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
            requester_name="Already There",
        )
        ReferenceCounter.objects.filter(organization=seeds["imt"]).delete()
        before = stored()
        path = write(
            tmp_path,
            HEADER
            + "img,access,email,2026-03-02,Ana Ruiz,,,,\n"
            + "img,erasure,email,2026-03-02,Ana Ruiz,,,,\n"
            + "imt,erasure,email,2026-03-02,Bo Li,,,,\n",
        )

        report = fail(path)

        assert "line 4: the database refused it" in report
        assert "line 2:" not in report
        assert "Nothing was imported: 1 problem." in report
        assert stored() == before

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            (
                "organization,right,channel,received_at,requester_name,requester_email,"
                "jurisdiction,subject_line,colour\nimg,access,email,2026-03-02,Ana,,,,red\n",
                "line 1: unknown column 'colour'",
            ),
            (
                "organization,right,channel,received_at,requester_name\n"
                "img,access,email,2026-03-02,Ana\n",
                "line 1: missing columns 'requester_email', 'jurisdiction', 'subject_line'",
            ),
            (
                "organization;right;channel;received_at;requester_name;requester_email;"
                "jurisdiction;subject_line\nimg;access;email;2026-03-02;Ana;;;\n",
                "semicolons or tabs: save it comma-separated",
            ),
            (HEADER.replace("message", "subject_line"), "column 'subject_line' appears twice"),
            ("", "line 1: the file is empty"),
            (HEADER, "the file has a header but no requests"),
        ],
    )
    def test_it_names_unknown_and_missing_columns(self, seeds, tmp_path, text, message):
        report = fail(write(tmp_path, text))

        assert message in report
        assert stored() == (0, 0, 0)

    def test_it_refuses_a_file_that_is_not_utf8(self, seeds, tmp_path):
        path = tmp_path / "latin1.csv"
        path.write_bytes((HEADER + "img,access,email,2026-03-02,Zoë,,,,\n").encode("latin-1"))

        report = fail(path)

        assert "line 2: not UTF-8 text (byte 0xeb)" in report
        assert stored() == (0, 0, 0)

    def test_it_reports_an_unreadable_file(self, seeds, tmp_path):
        assert "No such file" in fail(tmp_path / "missing.csv")


def test_organizations_are_looked_up_once_not_per_row(
    seeds, tmp_path, django_assert_max_num_queries
):
    from dsar.requests.csv_io import read_rows

    text = HEADER + "".join(f"img,access,email,2026-03-02,Person {i},,,,\n" for i in range(200))
    with django_assert_max_num_queries(2):
        rows = read_rows(io.StringIO(text))
    assert len(rows) == 200
    assert {row.organization for row in rows} == {Organization.objects.get(slug="img")}


class TestResidences:
    """The jurisdiction column takes the residences the public form and staff intake offer."""

    def test_a_blank_residence_is_not_known(self, seeds, tmp_path):
        run(write(tmp_path, HEADER + "img,access,email,2026-03-02,Ana Ruiz,,,,\n"))

        assert PrivacyRequest.objects.get().jurisdiction == ""

    @pytest.mark.parametrize("code", ["us-dc", "IS", "OTHER"])
    def test_every_offered_residence_imports(self, seeds, tmp_path, code):
        run(write(tmp_path, HEADER + f"img,access,email,2026-03-02,Ana Ruiz,,{code},,\n"))

        assert PrivacyRequest.objects.get().jurisdiction == code.upper()

    @pytest.mark.parametrize(
        ("code", "hint"),
        [
            ("US", "Give the state (US-VA) or the country (FR)."),
            ("EU", "Give the state (US-VA) or the country (FR)."),
            ("JP", "Japan is not in the list: write OTHER (elsewhere)."),
        ],
    )
    def test_a_residence_outside_the_list_is_reported_with_its_line(
        self, seeds, tmp_path, code, hint
    ):
        path = write(
            tmp_path,
            HEADER
            + "img,access,email,2026-03-02,Ana Ruiz,,FR,,\n"
            + f"img,access,email,2026-03-02,Bo Li,,{code},,\n",
        )

        report = fail(path)

        assert f"line 3: jurisdiction: unknown residence '{code}'" in report
        assert hint in report
        assert "line 2:" not in report
        assert stored() == (0, 0, 0)
