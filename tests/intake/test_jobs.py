"""Closing requests never confirmed, pruning, and the hooks dsar.reminders calls."""

from __future__ import annotations

import datetime as dt
import os
import time

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from dsar.intake import files, housekeeping, verification
from dsar.intake.jobs import close_unverified, prune_intake
from dsar.intake.models import IntakeSubmission, ReleasedFile, StatusLink
from dsar.intake.services import intake_close_unverified, release_file
from dsar.requests.models import EventKind, IdentityStatus, PrivacyRequest, Status
from tests.conftest import deliver_outbox

from .conftest import NOW, PDF, link_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def run():
    """The manual tool; the sweep of dsar.reminders is the scheduled owner (tests below)."""
    return close_unverified


def test_it_closes_a_request_not_confirmed_in_thirty_days_and_tells_the_requester(img, submit, run):
    submit(img)
    mail.outbox.clear()

    assert run(NOW + dt.timedelta(days=30) - dt.timedelta(seconds=1)) == 0
    assert run(NOW + dt.timedelta(days=30)) == 1

    request = PrivacyRequest.objects.get()
    assert request.status == Status.CLOSED_UNVERIFIABLE
    assert request.identity_status == IdentityStatus.FAILED
    closing = request.events.get(to_status=Status.CLOSED_UNVERIFIABLE)
    assert closing.kind == EventKind.STATUS_CHANGED
    assert "not verified in time" in closing.summary
    assert request.events.last().summary == (
        "Told the requester the request was closed as unverified"
    )
    assert IntakeSubmission.objects.get().closed_unverified_at is not None
    (notice,) = mail.outbox
    assert notice.to == ["dana@example.org"]
    assert request.reference in notice.body
    assert "closed it without acting on it" in notice.body


def test_the_time_is_a_setting(img, submit, run, settings):
    settings.DSAR_UNVERIFIED_CLOSE_AFTER_DAYS = 7
    submit(img)

    assert run(NOW + dt.timedelta(days=7)) == 1


def test_it_runs_twice_without_closing_or_telling_twice(img, submit, run):
    submit(img)
    mail.outbox.clear()
    later = NOW + dt.timedelta(days=31)

    assert run(later) == 1
    assert run(later) == 0
    assert len(mail.outbox) == 1


def test_it_leaves_confirmed_requests_alone(
    img, submit, run, client, django_capture_on_commit_callbacks
):
    submit(img)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link_in(mail.outbox[-1], "confirm"))
    deliver_outbox()

    assert run(NOW + dt.timedelta(days=60)) == 0
    assert PrivacyRequest.objects.get().status == Status.IN_PROGRESS


def test_it_leaves_a_confirmed_request_whose_identity_staff_must_verify(
    seeds, submit, run, client, django_capture_on_commit_callbacks
):
    # A Californian's request to imgwg waits, once confirmed, for staff to verify the identity:
    # the address was confirmed, so this tool (about unconfirmed addresses) leaves it alone.
    submit(seeds["imgwg"], residence="US-CA")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link_in(mail.outbox[-1], "confirm"))
    deliver_outbox()
    assert PrivacyRequest.objects.get().status == Status.AWAITING_VERIFICATION

    assert run(NOW + dt.timedelta(days=60)) == 0
    assert PrivacyRequest.objects.get().status == Status.AWAITING_VERIFICATION


def test_the_reminders_are_in_the_requesters_language(
    img, client, django_capture_on_commit_callbacks
):
    from dsar.reminders.jobs import send_due_reminders

    from .conftest import form_data

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/o/img/request/", form_data(), HTTP_ACCEPT_LANGUAGE="es")
    deliver_outbox()
    mail.outbox.clear()
    with time_machine.travel(NOW + dt.timedelta(days=2), tick=False):
        send_due_reminders()
    with time_machine.travel(NOW + dt.timedelta(days=31), tick=False):
        send_due_reminders()

    nudge, closed = mail.outbox
    assert nudge.subject.startswith("Confirme su dirección de correo: su solicitud IMG-2026-")
    assert "El 2 de marzo de 2026 recibimos su solicitud" in nudge.body
    assert "a más tardar el 1 de abril de 2026, cerraremos la solicitud" in nudge.body
    assert "Su dirección de correo no se confirmó" in closed.body


def test_it_leaves_requests_staff_closed_otherwise(img, submit, run):
    from dsar.requests.services import request_withdraw

    submit(img)
    request_withdraw(request=PrivacyRequest.objects.get(), actor=None)

    assert run(NOW + dt.timedelta(days=60)) == 0
    assert PrivacyRequest.objects.get().status == Status.WITHDRAWN


def test_the_confirmation_link_dies_with_the_closure(img, submit, run, client):
    submit(img)
    link = link_in(mail.outbox[-1], "confirm")
    run(NOW + dt.timedelta(days=30))

    assert "This link no longer works" in client.post(link, follow=True).content.decode()


def test_the_command_runs_the_jobs(img, submit, capsys):
    submit(img)

    call_command("close_unverified")
    assert "closed 0 unconfirmed requests" in capsys.readouterr().out

    with time_machine.travel(NOW + dt.timedelta(days=31), tick=False):
        call_command("close_unverified")
    assert "closed 1 unconfirmed requests" in capsys.readouterr().out


# -- The reminder sweep is the one scheduled owner -------------------------------------------------


def test_the_reminder_sweep_nudges_then_closes_a_web_form_request_once(img, submit, client):
    """dsar.reminders nudges with a fresh confirmation link, then closes through intake's
    service; the manual command and a second sweep then find nothing left to do."""
    from dsar.reminders.jobs import send_due_reminders

    submit(img)
    mail.outbox.clear()
    with time_machine.travel(NOW + dt.timedelta(days=2), tick=False):
        assert send_due_reminders()["nudges"] == 1
        (nudge,) = mail.outbox
        assert "please confirm your email address" in nudge.body
        assert "On 2 March 2026 we received" in nudge.body
        assert (
            "Confirm my email address"
            in client.get(link_in(nudge, "confirm"), follow=True).content.decode()
        )

    with time_machine.travel(NOW + dt.timedelta(days=31), tick=False):
        assert send_due_reminders()["closed"] == 1
        assert send_due_reminders()["closed"] == 0
        assert close_unverified() == 0

    request = PrivacyRequest.objects.get()
    assert request.status == Status.CLOSED_UNVERIFIABLE
    assert request.events.filter(to_status=Status.CLOSED_UNVERIFIABLE).count() == 1
    assert IntakeSubmission.objects.get().closed_unverified_at is not None
    assert len(mail.outbox) == 2


def test_prune_removes_stale_kept_uploads_and_orphans_only(img, submit):
    first = submit(
        img,
        acting_for="agent",
        subject_name="Dana",
        email="",
        authorization=SimpleUploadedFile("a.pdf", PDF),
    )
    assert first.context["kept"] is not None
    submit(
        img, acting_for="agent", subject_name="Dana", authorization=SimpleUploadedFile("a.pdf", PDF)
    )
    kept_path = files.resolve_private(first.context["kept"].path)
    used_path = files.resolve_private(IntakeSubmission.objects.get().authorization_path)
    orphan = files.store([PDF], folder="intake/authorizations/1", content_type="application/pdf")
    old = time.time() - 2 * 86400
    for path in (kept_path, used_path, files.resolve_private(orphan.path)):
        os.utime(path, (old, old))

    result = prune_intake()

    assert result["files"] == 2
    assert not kept_path.exists()
    assert used_path.exists()
    assert not files.resolve_private(orphan.path).exists()


# -- Hooks of dsar.reminders -----------------------------------------------------------------------


def test_verification_url_is_a_working_confirmation_link(img, submit, client):
    submit(img)
    request = PrivacyRequest.objects.get()

    url = verification.verification_url(request)

    assert url.startswith("https://dsar.example.org/o/img/confirm/")
    path = url.removeprefix("https://dsar.example.org")
    assert "Confirm my email address" in client.get(path, follow=True).content.decode()


def test_verification_url_is_empty_for_other_requests(img, submit, client):
    from dsar.requests.services import request_log

    other = request_log(
        organization=img,
        right_kind="access",
        channel_kind="email",
        received_at=NOW,
        requester_name="Dana",
        requester_email="d@example.org",
    )

    assert verification.verification_url(other) == ""


def test_intake_close_unverified_closes_and_marks_the_submission(img, submit):
    submit(img)

    request = intake_close_unverified(request=PrivacyRequest.objects.get(), note="not verified")

    assert request.status == Status.CLOSED_UNVERIFIABLE
    assert IntakeSubmission.objects.get().closed_unverified_at is not None


def test_purge_deletes_the_files_and_what_was_typed(
    img, submit, client, django_capture_on_commit_callbacks
):
    submit(
        img,
        acting_for="agent",
        subject_name="Dana",
        right="rectification",
        wrong="x",
        correct="y",
        authorization=SimpleUploadedFile("a.pdf", PDF),
    )
    with django_capture_on_commit_callbacks(execute=True):
        status = client.post(link_in(mail.outbox[-1], "confirm"))["Location"]
    deliver_outbox()
    request = PrivacyRequest.objects.get()
    released = release_file(
        request=request,
        title="Answer",
        filename="a.pdf",
        content=PDF,
        content_type="application/pdf",
    )
    submission = IntakeSubmission.objects.get()
    paths = [
        files.resolve_private(submission.authorization_path),
        files.resolve_private(released.path),
    ]

    housekeeping.purge_request(request)

    assert not any(path.exists() for path in paths)
    submission.refresh_from_db()
    assert submission.details == {} and submission.authorization_path == ""
    assert submission.authorization_sha256  # the evidence of what was received stays
    assert ReleasedFile.objects.get().withdrawn_at is not None
    assert not StatusLink.objects.filter(revoked_at__isnull=True).exists()
    assert client.get(status.removeprefix("http://testserver")).status_code == 404


def test_delete_expired_prunes(img, submit):
    submit(img)

    assert housekeeping.delete_expired() == {"throttles": 0, "files": 0}
