"""/metrics: off unless a token is set, the token required, and the figures equal the database's."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_q.models import Schedule
from prometheus_client.parser import text_string_to_metric_families

from dsar.letters.models import DeliveryMethod, DeliveryStatus, Letter, LetterDelivery
from dsar.ops.jobs import timed_job
from dsar.ops.models import Tally
from dsar.organizations.models import Organization
from dsar.reminders.models import Notification, NotificationKind, NotificationStatus
from dsar.requests import services
from dsar.requests.models import PrivacyRequest, Status

pytestmark = pytest.mark.django_db

TOKEN = "metrics-token-for-tests"


@pytest.fixture
def token(settings: Any) -> str:
    settings.METRICS_TOKEN = TOKEN
    return TOKEN


def scrape(client: Any) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of /metrics by (name, sorted labels), parsed as Prometheus parses it."""
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain; version=")
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def today_in(organization: Organization) -> dt.date:
    return timezone.localdate(timezone.now(), ZoneInfo(organization.time_zone))


def log(organization: Organization, *, due: dt.date | None, status: str = Status.IN_PROGRESS):
    """A request logged by the service, then given the deadline and status of the case."""
    request = services.request_log(
        organization=organization,
        right_kind="access",
        channel_kind="email",
        received_at=timezone.now() - dt.timedelta(hours=1),
        requester_name="Ann Example",
        requester_email="ann@example.com",
        jurisdiction="FR",
    )
    closed_at = timezone.now() if Status(status).is_closed else None
    PrivacyRequest.objects.filter(pk=request.pk).update(
        due_date=due, status=status, closed_at=closed_at, extended=False
    )
    return request


# -- Access ----------------------------------------------------------------------------------------


def test_metrics_do_not_exist_without_a_token(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer anything").status_code == 404


@pytest.mark.parametrize("authorization", [None, "Bearer wrong", f"Basic {TOKEN}", "Bearer"])
def test_metrics_want_the_token(client, token, authorization):
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}

    response = client.get("/metrics", **headers)

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert b"dsar_" not in response.content


def test_metrics_are_scraped_by_address_over_plain_http(client, token, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["privacy.example.org"]

    response = client.get(
        "/metrics", HTTP_HOST="10.0.0.5:8000", HTTP_AUTHORIZATION=f"Bearer {TOKEN}"
    )

    assert response.status_code == 200


# -- The figures -----------------------------------------------------------------------------------


def test_requests_by_organization_equal_the_database(client, token, seeds):
    img, imt = seeds["img"], seeds["imt"]
    today = today_in(img)
    log(img, due=today - dt.timedelta(days=3))  # overdue
    log(img, due=today - dt.timedelta(days=1), status=Status.WAITING_REQUESTER)  # overdue
    log(img, due=today)  # due today: due soon, not overdue
    log(img, due=today + dt.timedelta(days=7))  # the last day of "within 7 days"
    log(img, due=today + dt.timedelta(days=8))  # later
    log(img, due=None)  # no legal deadline
    log(img, due=today - dt.timedelta(days=9), status=Status.FULFILLED)  # closed: not counted
    log(imt, due=today_in(imt) + dt.timedelta(days=2))

    samples = scrape(client)

    def figure(name: str, organization: Organization) -> float:
        return samples[(name, (("organization", organization.slug),))]

    assert figure("dsar_requests_open", img) == 6
    assert figure("dsar_requests_overdue", img) == 2
    assert figure("dsar_requests_due_within_7_days", img) == 2
    assert figure("dsar_requests_open", imt) == 1
    assert figure("dsar_requests_overdue", imt) == 0
    assert figure("dsar_requests_due_within_7_days", imt) == 1
    # The same figures as the database's own queries (the dashboard's conditions).
    open_img = PrivacyRequest.objects.open().filter(organization=img)
    assert figure("dsar_requests_open", img) == open_img.count()
    assert figure("dsar_requests_overdue", img) == open_img.overdue(today).count()
    assert figure("dsar_requests_due_within_7_days", img) == open_img.due_within(today, 7).count()


def test_an_organization_without_requests_shows_zeros(client, token, seeds):
    samples = scrape(client)

    for name in ("dsar_requests_open", "dsar_requests_overdue", "dsar_requests_due_within_7_days"):
        assert samples[(name, (("organization", "imt"),))] == 0


def test_the_outboxes(client, token, seeds):
    staff = User.objects.create_user("olivia", is_staff=True)
    now = timezone.now()

    def email(status: str, attempts: int = 0, age: dt.timedelta = dt.timedelta(0)) -> None:
        Notification.objects.create(
            kind=NotificationKind.REMINDERS,
            user=staff,
            status=status,
            attempts=attempts,
            created_at=now - age,
            sent_at=now if status == NotificationStatus.SENT else None,
        )

    email(NotificationStatus.PENDING, age=dt.timedelta(minutes=30))
    email(NotificationStatus.PENDING)
    email(NotificationStatus.PENDING, attempts=2)
    email(NotificationStatus.FAILED, attempts=5)
    email(NotificationStatus.SENT, attempts=1)
    email(NotificationStatus.SKIPPED)
    letter = issue(log(seeds["img"], due=None), "acknowledgement")
    for status, attempts in [
        (DeliveryStatus.PENDING, 1),
        (DeliveryStatus.SENDING, 1),
        (DeliveryStatus.SENT, 1),
        (DeliveryStatus.FAILED, 5),
        (DeliveryStatus.FAILED, 5),
    ]:
        LetterDelivery.objects.create(
            letter=letter,
            method=DeliveryMethod.ATTACHMENT,
            to="ann@example.com",
            status=status,
            attempts=attempts,
            sent_at=now if status == DeliveryStatus.SENT else None,
        )

    samples = scrape(client)

    def outbox(box: str, state: str) -> float:
        return samples[("dsar_outbox_emails", (("outbox", box), ("state", state)))]

    assert outbox("reminders", "pending") == 2
    assert outbox("reminders", "retrying") == 1
    assert (outbox("letters", "pending"), outbox("letters", "retrying")) == (0, 1)
    assert samples[("dsar_outbox_failed_total", (("outbox", "reminders"),))] == 1
    assert samples[("dsar_outbox_failed_total", (("outbox", "letters"),))] == 2
    oldest = samples[("dsar_outbox_oldest_pending_seconds", (("outbox", "reminders"),))]
    assert 30 * 60 <= oldest < 40 * 60


def issue(request: PrivacyRequest, kind: str) -> Letter:
    """A letter row as issuing leaves it (the PDF itself is not what is counted)."""
    number = Letter.objects.filter(request=request).count() + 1
    return Letter.objects.create(
        request=request,
        number=number,
        kind=kind,
        language="en",
        template=f"letters/en/{kind}.html",
        template_version="0" * 64,
        file=f"letters/{request.reference}-L{number}.pdf",
        sha256="a" * 64,
        size=1000,
    )


def test_letters_issued_by_kind(client, token, seeds):
    request = log(seeds["img"], due=None)
    issue(request, "acknowledgement")
    issue(request, "acknowledgement")
    issue(request, "access")

    samples = scrape(client)

    assert samples[("dsar_letters_issued_total", (("kind", "acknowledgement"),))] == 2
    assert samples[("dsar_letters_issued_total", (("kind", "access"),))] == 1
    assert samples[("dsar_letters_issued_total", (("kind", "refusal"),))] == 0


def test_whole_table_counts_are_tallied_for_five_minutes_and_never_go_down(
    client, token, seeds, time_machine
):
    """Letters by kind scan every letter: counted again only when five minutes old, and a
    count never replaces a higher one (a slower scrape's older snapshot)."""
    time_machine.move_to(timezone.now(), tick=False)
    request = log(seeds["img"], due=None)
    issue(request, "acknowledgement")
    key = ("dsar_letters_issued_total", (("kind", "acknowledgement"),))
    assert scrape(client)[key] == 1

    issue(request, "acknowledgement")
    assert scrape(client)[key] == 1  # the tally of a minute ago
    time_machine.shift(dt.timedelta(minutes=6))
    assert scrape(client)[key] == 2

    Tally.objects.filter(name="letters_issued").update(values={"acknowledgement": 5})
    time_machine.shift(dt.timedelta(minutes=6))
    assert scrape(client)[key] == 5


def test_the_reminder_sweep_reports_its_runs(client, token, seeds):
    from dsar.reminders.jobs import send_due_reminders

    send_due_reminders()
    send_due_reminders()

    samples = scrape(client)
    job = (("job", "reminder_sweep"),)

    assert (
        samples[("dsar_job_runs_total", (("job", "reminder_sweep"), ("outcome", "success")))] == 2
    )
    assert (
        samples[("dsar_job_runs_total", (("job", "reminder_sweep"), ("outcome", "failure")))] == 0
    )
    last = samples[("dsar_job_last_duration_seconds", job)]
    assert 0 < last <= samples[("dsar_job_duration_seconds_total", job)]
    ended = samples[("dsar_job_last_success_timestamp_seconds", job)]
    assert abs(ended - timezone.now().timestamp()) < 60


def test_a_failed_run_is_counted_and_its_error_goes_on(client, token, db):
    @timed_job("flaky")
    def flaky() -> None:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        flaky()

    samples = scrape(client)

    assert samples[("dsar_job_runs_total", (("job", "flaky"), ("outcome", "failure")))] == 1
    assert samples[("dsar_job_runs_total", (("job", "flaky"), ("outcome", "success")))] == 0
    assert ("dsar_job_last_success_timestamp_seconds", (("job", "flaky"),)) not in samples


def test_a_job_runs_even_when_its_figures_cannot_be_written(monkeypatch, db, caplog):
    monkeypatch.setattr("dsar.ops.jobs.record_run", _raise)

    @timed_job("sturdy")
    def sturdy() -> int:
        return 7

    assert sturdy() == 7
    assert "could not record the run of job sturdy" in caplog.text


def _raise(*args: Any, **kwargs: Any) -> None:
    raise RuntimeError("database gone")


def test_the_schedule_lag_tells_whether_a_cluster_runs(client, token, db):
    Schedule.objects.update(next_run=timezone.now() + dt.timedelta(minutes=5))
    assert scrape(client)[("dsar_task_schedule_lag_seconds", ())] == 0

    Schedule.objects.filter(pk=Schedule.objects.order_by("pk")[0].pk).update(
        next_run=timezone.now() - dt.timedelta(minutes=20)
    )
    assert scrape(client)[("dsar_task_schedule_lag_seconds", ())] >= 20 * 60


def test_no_personal_data_in_the_figures(client, token, seeds):
    log(seeds["img"], due=None)

    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")

    assert b"Ann Example" not in response.content
    assert b"ann@example.com" not in response.content


def test_a_scrape_costs_a_fixed_number_of_queries(client, token, seeds):
    """As many queries for one request as for twenty (with the tallies fresh, as between two
    scrapes): organizations, requests, two outboxes, two tallies, jobs, schedules, and the
    transaction's own statements."""

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            scrape(client)
        return len(captured.captured_queries)

    log(seeds["img"], due=today_in(seeds["img"]))
    scrape(client)
    few = queries()
    for days in range(20):
        log(seeds["img"], due=today_in(seeds["img"]) + dt.timedelta(days=days))
    log(seeds["imt"], due=today_in(seeds["imt"]))

    assert queries() == few <= 12
