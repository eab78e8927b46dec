"""The evidence pack's deadline arithmetic, recomputed from the request's own dates."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from dsar.letters.evidence import evidence_pack_pdf, recompute
from dsar.letters.services import letter_issue, letter_send
from dsar.requests.services import request_extend

from .conftest import TODAY
from .helpers import pdf_text

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


def test_the_pack_lists_deliveries_and_their_attempts(make_request: Any, alice: Any) -> None:
    from dsar.letters import jobs

    request = make_request("img", "access")
    letter = letter_issue(request=request, kind="acknowledgement", actor=alice)
    jobs.deliver(letter_send(letter=letter, actor=alice).pk)

    text = pdf_text(evidence_pack_pdf(request))

    assert "email with the PDF attached: sent, 1 attempt" in text
    assert "Letter queued" in text or "queued for sending" in text
