"""The CCPA §7102 table of its five request types, the browsers' GPC signals, and the appeals per
state: figures worked out by hand on a small fixture, the page and the CSV downloads."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from dsar.intake.models import GpcSignal
from dsar.organizations.models import Organization
from dsar.requests import reports, services, verification
from dsar.requests.models import PrivacyRequest, Status, VerificationMethod
from dsar.requests.reports import Scope, appeal_metrics, ccpa_7102

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")  # IMG's time zone
URL = "/staff/reports/"


def ny(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=NEW_YORK)


def _answerable(request: PrivacyRequest) -> PrivacyRequest:
    """Start it and reach the verification level the law asks (§7062), as staff would."""
    request = services.request_start(request=request, actor=None)
    level = verification.required_level(request)
    if level is not None:
        points = request.organization.data_points[: level.data_points]
        request = services.request_match_data_points(request=request, actor=None, points=points)
        if level.declaration:
            request = services.request_record_declaration(
                request=request, actor=None, signed_on=request.received_on
            )
    if request.status == Status.AWAITING_VERIFICATION:
        request = services.request_verify_identity(
            request=request, actor=None, how="matched", method=VerificationMethod.DATA_POINTS
        )
    return request


def make(
    org: Organization,
    right: str,
    where: str,
    received: dt.datetime,
    outcome: str | None = None,
    closed: dt.datetime | None = None,
    **fields: Any,
) -> PrivacyRequest:
    """Log a request, then at ``closed`` (frozen clock) move it to ``outcome``."""
    with time_machine.travel(received, tick=False):
        request = services.request_log(
            organization=org,
            right_kind=right,
            channel_kind=fields.pop("channel_kind", "web_form"),
            received_at=received,
            requester_name="Ana Ruiz",
            requester_email=fields.pop("email", "ana@example.com"),
            jurisdiction=where,
            **fields,
        )
    return decide(request, outcome, closed)


def decide(request: PrivacyRequest, outcome: str | None, closed: dt.datetime | None):
    if outcome is None:
        return request
    with time_machine.travel(closed, tick=False):
        if outcome == "denied":
            return services.request_deny(request=request, actor=None, reason="Exempt.")
        request = _answerable(request)
        if outcome == "withdrawn":
            return services.request_withdraw(request=request, actor=None)
        if outcome == "partial":
            return services.request_fulfil(request=request, actor=None, partial=True, reason="r")
        return services.request_fulfil(request=request, actor=None)


def appeal(refused: PrivacyRequest, received: dt.datetime, outcome=None, closed=None):
    with time_machine.travel(received, tick=False):
        made = services.request_appeal(request=refused, received_at=received, message="Again.")
    return decide(made, outcome, closed)


@pytest.fixture
def img_2026(seeds):
    """IMG's requests of 2026, in New York time (days = from receipt to closure):

    ==  ====================  =====  ===========  =========  ====  ====
    #   right                 where  outcome      days       GPC   §7102 type
    ==  ====================  =====  ===========  =========  ====  ====
    1   erasure               CA     fulfilled    10               delete
    2   erasure               CA     denied       20               delete
    3   rectification         CA     partial      5                correct
    4   access (categories)   CA     fulfilled    15               know
    5   portability           CA     fulfilled    2                know
    6   opt_out_sale          CA     fulfilled    1          yes   opt-out
    7   opt_out_targeted_ads  CA     fulfilled    3                opt-out
    8   opt_out_sale          CA     (open)       -          yes   opt-out
    9   limit_sensitive       CA     denied       1                limit
    10  marketing_opt_out     CA     fulfilled    1                none
    11  opt_out_profiling     CA     fulfilled    1                none (not a CCPA right)
    12  erasure               VA     fulfilled    4                delete, all requesters only
    13  opt_out_sale          FR     fulfilled    1          yes   opt-out, all requesters only
    14  erasure               CA     (2025)                        another year
    ==  ====================  =====  ===========  =========  ====  ====

    Appeals (US state laws), each of a refused request of VA or CO:

    ==  =====  ==========  =====================  ======
    #   state  appealed    outcome                days
    ==  =====  ==========  =====================  ======
    A   VA     04-01       granted (fulfilled)    20
    B   VA     04-02       (open)                 -
    C   CO     04-03       denied                 10
    ==  =====  ==========  =====================  ======
    """
    img = seeds["img"]
    img.data_points = ["email address", "postal address", "telephone number"]
    img.save(update_fields=["data_points"])
    with time_machine.travel(ny(2027, 2, 1, 12), tick=False):
        make(img, "erasure", "US-CA", ny(2026, 3, 2, 10), "fulfilled", ny(2026, 3, 12, 10))
        make(img, "erasure", "US-CA", ny(2026, 3, 3, 10), "denied", ny(2026, 3, 23, 10))
        make(img, "rectification", "US-CA", ny(2026, 3, 4, 10), "partial", ny(2026, 3, 9, 10))
        make(
            img,
            "access",
            "US-CA",
            ny(2026, 3, 5, 10),
            "fulfilled",
            ny(2026, 3, 20, 10),
            access_scope="categories",
        )
        make(img, "portability", "US-CA", ny(2026, 3, 6, 10), "fulfilled", ny(2026, 3, 8, 10))
        make(
            img, "opt_out_sale", "US-CA", ny(2026, 3, 9, 10), "fulfilled", ny(2026, 3, 10, 10),
            gpc=True, email="gpc1@example.com",
        )  # fmt: skip
        make(
            img, "opt_out_targeted_ads", "US-CA", ny(2026, 3, 10, 10), "fulfilled",
            ny(2026, 3, 13, 10),
        )  # fmt: skip
        make(img, "opt_out_sale", "US-CA", ny(2026, 3, 11, 10), gpc=True, email="g2@example.com")
        make(img, "limit_sensitive", "US-CA", ny(2026, 3, 11, 10), "denied", ny(2026, 3, 12, 10))
        make(
            img, "marketing_opt_out", "US-CA", ny(2026, 3, 12, 10), "fulfilled",
            ny(2026, 3, 13, 10), channel_kind="email",
        )  # fmt: skip
        make(img, "opt_out_profiling", "US-CA", ny(2026, 3, 12, 10), "fulfilled", ny(2026, 3, 13))
        make(img, "erasure", "US-VA", ny(2026, 3, 13, 10), "fulfilled", ny(2026, 3, 17, 10))
        make(
            img, "opt_out_sale", "FR", ny(2026, 3, 16, 10), "fulfilled", ny(2026, 3, 17, 10),
            gpc=True, email="g3@example.com",
        )  # fmt: skip
        make(img, "erasure", "US-CA", ny(2025, 6, 2, 10), "fulfilled", ny(2025, 6, 9, 10))

        refused = {
            key: make(img, "access", where, ny(2026, 3, 20, 10), "denied", ny(2026, 3, 25, 10))
            for key, where in (("A", "US-VA"), ("B", "US-VA"), ("C", "US-CO"))
        }
        appeal(refused["A"], ny(2026, 4, 1, 10), "fulfilled", ny(2026, 4, 21, 10))
        appeal(refused["B"], ny(2026, 4, 2, 10))
        appeal(refused["C"], ny(2026, 4, 3, 10), "denied", ny(2026, 4, 13, 10))
    return img


def row(report, key: str) -> tuple:
    found = next(r for r in report.rows if r.key == key)
    return (
        found.received,
        found.complied,
        found.denied,
        found.closed_otherwise,
        found.open,
        found.median_days,
        found.mean_days,
        found.gpc,
    )


class TestCcpa7102:
    def test_the_five_types_for_californians(self, img_2026):
        report = ccpa_7102(organization=img_2026, year=2026)

        assert [r.key for r in report.rows] == ["delete", "correct", "know", "opt_out", "limit"]
        # received, complied, denied, otherwise, open, median, mean, GPC
        assert row(report, "delete") == (2, 1, 1, 0, 0, 15.0, 15.0, None)
        assert row(report, "correct") == (1, 1, 0, 0, 0, 5.0, 5.0, None)
        assert row(report, "know") == (2, 2, 0, 0, 0, 8.5, 8.5, None)
        # Targeted advertising counts as sharing; two of the three opt-outs came with GPC.
        assert row(report, "opt_out") == (3, 2, 0, 0, 1, 2.0, 2.0, 2)
        assert row(report, "limit") == (1, 0, 1, 0, 0, 1.0, 1.0, None)

    def test_every_requester_adds_the_other_residences(self, img_2026):
        report = ccpa_7102(organization=img_2026, year=2026, scope=Scope.ALL)

        # The Virginian's erasure (4 days) is a request to delete; the three refused requests
        # to know of the appeals (5 days each) are requests to know.
        assert row(report, "delete") == (3, 2, 1, 0, 0, 10.0, 34 / 3, None)
        assert row(report, "know") == (5, 2, 3, 0, 0, 5.0, 32 / 5, None)
        assert row(report, "opt_out") == (4, 3, 0, 0, 1, 1.0, 5 / 3, 3)

    def test_a_request_counts_in_the_year_it_was_received(self, img_2026):
        report = ccpa_7102(organization=img_2026, year=2025)

        assert row(report, "delete") == (1, 1, 0, 0, 0, 7.0, 7.0, None)
        assert ccpa_7102(organization=img_2026, year=2024).is_empty

    def test_it_uses_a_fixed_number_of_queries(self, img_2026, django_assert_num_queries):
        with django_assert_num_queries(3):  # counts, days, the browsers GPC signals
            ccpa_7102(organization=img_2026, year=2026)

    def test_browsers_that_sent_gpc_are_counted_apart(self, img_2026, seeds):
        def signal(org, browser: str, first: dt.datetime) -> None:
            GpcSignal.objects.create(
                organization=org, browser_hash=browser * 64, first_seen_at=first, last_seen_at=first
            )

        signal(img_2026, "a", ny(2026, 1, 1, 0, 30))
        signal(img_2026, "b", ny(2026, 12, 31, 23, 30))
        signal(img_2026, "c", ny(2025, 12, 31, 23, 30))  # 2026 in UTC, 2025 in New York
        signal(seeds["imt"], "d", ny(2026, 5, 1))  # another organization's

        assert ccpa_7102(organization=img_2026, year=2026).browser_gpc_signals == 2

    def test_without_the_public_sides_record_the_hook_says_none(self, img_2026, monkeypatch):
        monkeypatch.setattr(reports, "GPC_SIGNAL_MODEL", ("intake", "NoSuchModel"))

        assert ccpa_7102(organization=img_2026, year=2026).browser_gpc_signals is None


class TestAppeals:
    def test_per_state(self, img_2026):
        report = appeal_metrics(organization=img_2026, year=2026)

        figures = [
            (r.key, r.received, r.granted, r.granted_in_part, r.denied, r.open, r.median_days)
            for r in report.by_state
        ]
        assert figures == [("US-CO", 1, 0, 0, 1, 0, 10.0), ("US-VA", 2, 1, 0, 0, 1, 20.0)]
        assert report.by_state[1].label == "Virginia (Va. Code §59.1-577(C))"
        total = report.total
        assert (total.received, total.granted, total.denied, total.open) == (3, 1, 1, 1)
        assert (total.median_days, total.mean_days) == (15.0, 15.0)

    def test_another_year_has_none(self, img_2026):
        assert appeal_metrics(organization=img_2026, year=2025).is_empty

    def test_it_uses_a_fixed_number_of_queries(self, img_2026, django_assert_num_queries):
        with django_assert_num_queries(2):
            appeal_metrics(organization=img_2026, year=2026)


class TestPage:
    def test_the_page_shows_the_7102_table_its_chart_and_the_appeals(
        self, client, olivia, img_2026
    ):
        client.force_login(olivia)

        response = client.get(URL, {"organization": "img", "year": "2026"})

        assert response.status_code == 200
        html = response.content.decode()
        assert "CCPA §7102: the five request types" in html
        assert 'aria-labelledby="ccpa-7102-request-types-title"' in html
        for label in (
            "Requests to delete",
            "Requests to correct",
            "Requests to know",
            "Requests to opt-out of sale/sharing",
            "Requests to limit",
        ):
            assert label in html
        assert "Requests from California residents" in html
        assert "Appeals of refusals, by state" in html
        assert "Virginia (Va. Code §59.1-577(C))" in html
        assert "No other state law dsar applies" in html
        assert "<script" not in html.split('id="content-main"')[1]

    def test_the_page_says_how_many_browsers_sent_gpc(self, client, olivia, img_2026):
        GpcSignal.objects.create(
            organization=img_2026,
            browser_hash="e" * 64,
            first_seen_at=ny(2026, 2, 1),
            last_seen_at=ny(2026, 2, 1),
        )
        client.force_login(olivia)

        html = client.get(URL, {"organization": "img", "year": "2026"}).content.decode()

        assert "Besides the requests above, 1 browser first sent the Global Privacy Control" in html

    def test_the_7102_table_as_csv(self, client, olivia, img_2026):
        client.force_login(olivia)

        response = client.get(
            URL, {"organization": "img", "year": "2026", "table": "ccpa", "format": "csv"}
        )

        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert 'filename="img-2026-ccpa-7102-california.csv"' in response["Content-Disposition"]
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
        assert [r["request_type"] for r in rows] == [
            "delete",
            "correct",
            "know",
            "opt_out",
            "limit",
            "gpc_signal",
        ]
        opt_out = rows[3]
        assert opt_out == opt_out | {
            "counted": "california",
            "received": "3",
            "complied_in_whole_or_in_part": "2",
            "denied": "0",
            "median_days_to_respond": "2.0",
            "sent_with_global_privacy_control": "2",
        }
        assert rows[-1]["received"] == "0"

    def test_the_appeals_as_csv(self, client, olivia, img_2026):
        client.force_login(olivia)

        response = client.get(
            URL, {"organization": "img", "year": "2026", "table": "appeals", "format": "csv"}
        )

        assert 'filename="img-2026-appeals.csv"' in response["Content-Disposition"]
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
        assert [(r["jurisdiction"], r["received"], r["granted"], r["denied"]) for r in rows] == [
            ("US-CO", "1", "0", "1"),
            ("US-VA", "2", "1", "0"),
            ("total", "3", "1", "1"),
        ]
        assert rows[-1]["median_days_to_decide"] == "15.0"

    def test_every_requester_as_scope(self, client, olivia, img_2026):
        client.force_login(olivia)

        response = client.get(URL, {"organization": "img", "year": "2026", "scope": "all"})

        assert response.context["ccpa"].scope == "all"
        assert "Requests from every requester" in response.content.decode()

    @pytest.mark.parametrize("query", [{"scope": "mars"}, {"table": "everything"}])
    def test_an_unknown_scope_or_table_is_refused(self, client, olivia, seeds, query):
        client.force_login(olivia)
        assert client.get(URL, query).status_code == 400

    def test_another_tenants_tables_are_not_found(self, client, charlie, img_2026):
        client.force_login(charlie)
        for table in ("ccpa", "appeals"):
            query = {"organization": "img", "table": table, "format": "csv"}
            assert client.get(URL, query).status_code == 404

    def test_the_page_query_count_stays_small(
        self, client, olivia, img_2026, django_assert_max_num_queries
    ):
        client.force_login(olivia)
        # 13: the second factor's check of the user's devices is one query on every staff page.
        with django_assert_max_num_queries(13):
            client.get(URL)
