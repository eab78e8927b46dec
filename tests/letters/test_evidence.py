"""The evidence pack's deadline arithmetic, recomputed from the request's own dates."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from dsar.letters.evidence import evidence_pack_pdf, recompute
from dsar.letters.services import letter_issue, letter_send
from dsar.requests.services import request_extend

from .conftest import TODAY
from .helpers import pdf_text, printed

pytestmark = pytest.mark.django_db


def test_a_ccpa_extension_is_recomputed_from_receipt(make_request: Any) -> None:
    request = make_request("imt", "access", jurisdiction="US-CA")
    request = request_extend(request=request, actor=None, reason="Backlog.", today=TODAY.date())

    arithmetic = recompute(request)

    assert arithmetic is not None
    assert (arithmetic.rule.value, arithmetic.start, arithmetic.extended) == (
        "ccpa",
        datetime.date(2026, 3, 3),
        True,
    )
    assert arithmetic.due == request.due_date == datetime.date(2026, 6, 1)
    assert "90" in arithmetic.explain or "calendar days" in arithmetic.explain


def test_without_a_legal_deadline_there_is_nothing_to_recompute(make_request: Any) -> None:
    request = make_request("imt", "rectification", jurisdiction="")

    assert recompute(request) is None
    text = pdf_text(evidence_pack_pdf(request))
    assert "the organization set an internal target" in text
    assert "No legal deadline" not in text
    assert "Internal target" in text


def test_the_pack_lists_deliveries_and_their_attempts(make_request: Any, olivia: Any) -> None:
    from dsar.letters import jobs

    request = make_request("img", "access")
    letter = letter_issue(request=request, kind="acknowledgement", actor=olivia)
    jobs.deliver(letter_send(letter=letter, actor=olivia).pk)

    text = pdf_text(evidence_pack_pdf(request))

    assert "email with the PDF attached: sent, 1 attempt" in text
    assert "Letter queued" in text or "queued for sending" in text


class TestOneTruthForTheClock:
    """The request page, the letters and the evidence pack give the same date for the same
    reason: all read ``clock.decide_for``."""

    def _ask_and_answer(self, request: Any, olivia: Any) -> tuple[Any, str]:
        from dsar.requests.services import request_ask_requester, request_requester_answered

        request = request_ask_requester(
            request=request,
            actor=olivia,
            waiting_for="clarification",
            note="Which of your two accounts?",
            today=datetime.date(2026, 3, 5),
        )
        letter = letter_issue(
            request=request,
            kind="verification",
            actor=olivia,
            parts={"asking_for": "clarification", "details": "Which of your two accounts?"},
        )
        request = request_requester_answered(
            request=request, actor=olivia, answered_on=datetime.date(2026, 3, 10)
        )
        return request, pdf_text(letter.read())

    def _request_page(self, client: Any, olivia: Any, request: Any) -> str:
        from django.urls import reverse

        client.force_login(olivia)
        response = client.get(reverse("admin:requests_privacyrequest_change", args=[request.pk]))
        assert response.status_code == 200
        return response.content.decode()

    def test_an_eu_clarification_changes_no_date_anywhere(
        self, make_request: Any, olivia: Any, client: Any
    ) -> None:
        from dsar.requests import clock

        request = make_request("img", "access", jurisdiction="FR")

        request, letter = self._ask_and_answer(request, olivia)

        assert request.due_date == datetime.date(2026, 4, 3)  # the EU GDPR month kept running
        assert "we must still answer your request by 3 April 2026" in letter
        assert "do not count" not in letter and "moves later" not in letter
        pack = pdf_text(evidence_pack_pdf(request))
        assert "Due: 2026-04-03 (agrees with the recorded deadline)" in pack
        assert clock.decide_for(request).deadline.explain() in " ".join(pack.split())
        assert "paused" not in pack.split("2. Identity verification")[0]
        assert 'datetime="2026-04-03"' in self._request_page(client, olivia, request)

    def test_a_uk_clarification_moves_the_date_everywhere(
        self, make_request: Any, olivia: Any, client: Any, seeds: Any
    ) -> None:
        from dsar.organizations.models import Role

        from .conftest import staff

        officer = staff("uma", seeds["imservicecenter"], Role.PRIVACY_OFFICER)
        request = make_request("imservicecenter", "access", jurisdiction="GB")
        before = request.due_date

        request, letter = self._ask_and_answer(request, officer)

        assert request.due_date > before  # the days from asking to the answer do not count
        assert "Under the UK GDPR, the days from the date of this letter" in letter
        pack = pdf_text(evidence_pack_pdf(request))
        assert f"Due: {request.due_date.isoformat()} (agrees with the recorded deadline)" in pack
        assert "paused 2026-03-05\u20132026-03-10" in pack  # an en dash between the days
        acknowledgement = letter_issue(request=request, kind="acknowledgement", actor=officer)
        assert printed(request.due_date) in pdf_text(acknowledgement.read())
        page = self._request_page(client, officer, request)
        assert f'datetime="{request.due_date.isoformat()}"' in page
