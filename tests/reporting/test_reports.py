"""Request metrics (CCPA §7102): figures worked out by hand on a small fixture, and the page."""

from __future__ import annotations

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine

from dsar.requests import services
from dsar.requests.models import PrivacyRequest, Status
from dsar.requests.reports import median, request_metrics

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")  # IMG's time zone


def ny(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=NEW_YORK)


def make(org, right, channel, received: dt.datetime, outcome: str | None = None, closed=None):
    """Log a request, then at ``closed`` (frozen clock) move it to ``outcome``."""
    request = services.request_log(
        organization=org,
        right_kind=right,
        channel_kind=channel,
        received_at=received,
        requester_name="Ana Ruiz",
    )
    if outcome is None:
        return request
    with time_machine.travel(closed, tick=False):
        if outcome == "withdrawn":
            return services.request_withdraw(request=request, actor=None)
        request = services.request_start(request=request, actor=None)
        if outcome == "fulfilled":
            return services.request_fulfil(request=request, actor=None)
        if outcome == "partial":
            return services.request_fulfil(request=request, actor=None, partial=True, reason="r")
        return services.request_deny(request=request, actor=None, reason="exempt")


@pytest.fixture
def img_requests(seeds):
    """IMG promises "one month" for every right it lists (complaint is not one of them), and
    no jurisdiction is given, so each listed right is due one month after receipt.

    ===  ===========  ===========  ==========  ===========  ============  =====  =======
    #    right        channel      received    outcome      closed (NY)   days   on time
    ===  ===========  ===========  ==========  ===========  ============  =====  =======
    1    access       email        03-02 23:30 fulfilled    03-12 23:00   10     yes
    2    access       email        03-03       partial      03-23         20     yes
    3    access       email        03-04       denied       04-13         40     no (due 04-06)
    4    access       postal_mail  03-05       fulfilled    03-10         5      yes
    5    erasure      email        03-06       fulfilled    03-13         7      yes
    6    erasure      email        03-09       withdrawn    03-10         -      -
    7    erasure      phone        03-10       (open)       -             -      -
    8    complaint    email        03-11       fulfilled    03-14         3      no deadline
    9    access       email        12-30       fulfilled    2027-01-05    6      yes
    ===  ===========  ===========  ==========  ===========  ============  =====  =======

    Row 1 is received late in the evening and closed late in the evening, New York time: in UTC
    both fall on the next day, so a report counting in UTC would still say 10 but put the
    receipt on 03-03; received_on (New York) is 03-02. Row 9 counts in 2026, the year received.
    Not counted in 2026: one IMG request of 2025 and one iMT request.
    """
    img, imt = seeds["img"], seeds["imt"]
    with time_machine.travel(ny(2027, 2, 1, 12, 0), tick=False):
        make(img, "access", "email", ny(2026, 3, 2, 23, 30), "fulfilled", ny(2026, 3, 12, 23))
        make(img, "access", "email", ny(2026, 3, 3, 10), "partial", ny(2026, 3, 23, 10))
        make(img, "access", "email", ny(2026, 3, 4, 10), "denied", ny(2026, 4, 13, 10))
        make(img, "access", "postal_mail", ny(2026, 3, 5, 10), "fulfilled", ny(2026, 3, 10, 10))
        make(img, "erasure", "email", ny(2026, 3, 6, 10), "fulfilled", ny(2026, 3, 13, 10))
        make(img, "erasure", "email", ny(2026, 3, 9, 10), "withdrawn", ny(2026, 3, 10, 10))
        make(img, "erasure", "phone", ny(2026, 3, 10, 10))
        make(img, "complaint", "email", ny(2026, 3, 11, 10), "fulfilled", ny(2026, 3, 14, 10))
        make(img, "access", "email", ny(2026, 12, 30, 10), "fulfilled", ny(2027, 1, 5, 10))
        make(img, "access", "email", ny(2025, 6, 2, 10), "fulfilled", ny(2025, 6, 9, 10))
        make(imt, "erasure", "email", ny(2026, 3, 2, 10), "fulfilled", ny(2026, 3, 4, 10))
    return img


def figures(row) -> tuple:
    return (
        row.key,
        row.received,
        row.complied,
        row.denied,
        row.closed_otherwise,
        row.open,
        row.median_days,
        None if row.mean_days is None else round(row.mean_days, 3),
        row.with_deadline,
        row.on_time,
    )


def test_the_fixture_deadlines_are_what_the_table_says(img_requests):
    # The on-time column relies on these; checked once here so the figures below can trust it.
    denied = PrivacyRequest.objects.get(status=Status.DENIED)
    assert denied.due_date == dt.date(2026, 4, 6)
    complaint = PrivacyRequest.objects.get(right_kind="complaint")
    assert complaint.due_date is None


class TestFigures:
    def test_per_right(self, img_requests):
        report = request_metrics(organization=img_requests, year=2026)

        # key, received, complied, denied, other, open, median, mean, with deadline, on time
        assert [figures(row) for row in report.by_right] == [
            # days 5, 6, 10, 20, 40
            ("access", 5, 4, 1, 0, 0, 10.0, 16.2, 5, 4),
            ("complaint", 1, 1, 0, 0, 0, 3.0, 3.0, 0, 0),
            ("erasure", 3, 1, 0, 1, 1, 7.0, 7.0, 1, 1),
        ]
        assert report.by_right[0].on_time_rate == 0.8
        assert report.by_right[1].on_time_rate is None

    def test_per_channel(self, img_requests):
        report = request_metrics(organization=img_requests, year=2026)

        assert [figures(row) for row in report.by_channel] == [
            # days 3, 6, 7, 10, 20, 40: median (7 + 10) / 2, mean 86 / 6
            ("email", 7, 5, 1, 1, 0, 8.5, 14.333, 5, 4),
            ("phone", 1, 0, 0, 0, 1, None, None, 0, 0),
            ("postal_mail", 1, 1, 0, 0, 0, 5.0, 5.0, 1, 1),
        ]

    def test_total(self, img_requests):
        report = request_metrics(organization=img_requests, year=2026)

        # days 3, 5, 6, 7, 10, 20, 40: median 7, mean 91 / 7
        assert figures(report.total) == ("total", 9, 6, 1, 1, 1, 7.0, 13.0, 6, 5)

    def test_a_request_counts_in_the_year_it_was_received(self, img_requests):
        report = request_metrics(organization=img_requests, year=2025)

        assert figures(report.total) == ("total", 1, 1, 0, 0, 0, 7.0, 7.0, 1, 1)
        assert request_metrics(organization=img_requests, year=2024).is_empty

    def test_it_uses_a_fixed_number_of_queries(self, img_requests, django_assert_num_queries):
        with django_assert_num_queries(2):
            request_metrics(organization=img_requests, year=2026)


@pytest.mark.parametrize(
    ("histogram", "expected"),
    [({}, None), ({4: 1}, 4), ({1: 1, 9: 1}, 5), ({1: 2, 2: 1}, 1), ({1: 1, 2: 1, 30: 2}, 16)],
)
def test_median_of_a_histogram(histogram, expected):
    assert median(histogram) == expected


class TestPage:
    URL = "/staff/reports/"

    def test_a_member_sees_the_figures_and_a_chart(self, client, olivia, img_requests):
        client.force_login(olivia)

        response = client.get(self.URL)

        assert response.status_code == 200
        html = response.content.decode()
        assert response.context["year"] == 2026  # the newest year with requests
        assert response.context["report"].total.received == 9
        assert "<svg" in html and "<rect" in html
        assert 'aria-labelledby="requests-by-right-title"' in html
        assert "access (CCPA: request to know)" in html
        assert "80% (4/5)" in html
        assert "<script" not in html.split('id="content-main"')[1]
        assert [o.slug for o in response.context["organizations"]] == ["img"]
        # The chart's colours come from a stylesheet of this site: the content security policy
        # refuses inline <style>, which left every bar black.
        assert "style-src 'self'" in response["Content-Security-Policy"]
        assert "<style" not in html and "requests/reports.css" in html

    def test_another_tenants_organization_is_not_found(self, client, olivia, charlie, seeds):
        client.force_login(charlie)
        assert client.get(self.URL, {"organization": "img"}).status_code == 404
        client.force_login(olivia)
        assert client.get(self.URL, {"organization": "imt"}).status_code == 404
        assert client.get(self.URL, {"organization": "acme"}).status_code == 404

    def test_a_superuser_sees_every_organization(self, client, root, seeds):
        client.force_login(root)

        response = client.get(self.URL, {"organization": "imt", "year": "2026"})

        assert response.status_code == 200
        assert len(response.context["organizations"]) == 5
        assert "No requests were received in 2026." in response.content.decode()

    def test_it_needs_a_staff_login(self, client, seeds):
        response = client.get(self.URL)

        assert response.status_code == 302
        assert response["Location"].startswith("/staff/login/")

    def test_a_member_of_no_organization_is_told_so(self, client, db):
        from django.contrib.auth.models import User

        client.force_login(User.objects.create_user("dora", is_staff=True))

        response = client.get(self.URL)

        assert response.status_code == 200
        assert "not a member of any organization" in response.content.decode()

    def test_a_bad_year_is_refused(self, client, olivia):
        client.force_login(olivia)
        assert client.get(self.URL, {"year": "last"}).status_code == 400

    def test_it_downloads_the_figures_as_csv(self, client, olivia, img_requests):
        client.force_login(olivia)

        response = client.get(self.URL, {"organization": "img", "year": "2026", "format": "csv"})

        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert 'filename="img-2026-request-metrics.csv"' in response["Content-Disposition"]
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
        assert [(r["breakdown"], r["key"]) for r in rows] == [
            ("right", "access"),
            ("right", "complaint"),
            ("right", "erasure"),
            ("channel", "email"),
            ("channel", "phone"),
            ("channel", "postal_mail"),
            ("total", "total"),
        ]
        assert rows[-1] == rows[-1] | {
            "organization": "img",
            "year": "2026",
            "received": "9",
            "complied_in_whole_or_in_part": "6",
            "denied": "1",
            "median_days_to_respond": "7.0",
            "mean_days_to_respond": "13.0",
            "on_time_rate": "0.833",
        }

    def test_the_page_query_count_does_not_grow_with_requests(
        self, client, olivia, img_requests, django_assert_max_num_queries
    ):
        client.force_login(olivia)
        # 13: the second factor's check of the user's devices is one query on every staff page.
        with django_assert_max_num_queries(13):
            client.get(self.URL)
