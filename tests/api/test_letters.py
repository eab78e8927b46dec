"""Letters and data packages through the API: issued, listed, sent and downloaded, each on the
trail with the key's label."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from dsar.letters.models import Letter, LetterDelivery

pytestmark = pytest.mark.django_db


def test_issue_list_send_and_download_a_letter(api: Any, img_key: str, log_request, private_root):
    r = log_request()
    issued = api(
        "POST",
        f"/api/v1/requests/{r.reference}/letters/",
        img_key,
        {"kind": "acknowledgement", "parts": {"note": "Thank you."}},
    )
    assert issued.status_code == 201, issued.content
    letter = Letter.objects.get(pk=issued.json()["id"])
    assert letter.parts["note"] == "Thank you." and letter.issued_by is None
    listed = api("GET", f"/api/v1/requests/{r.reference}/letters/", img_key).json()
    assert [x["reference"] for x in listed] == [letter.reference]
    pdf = api("GET", issued.json()["pdf"], img_key)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert hashlib.sha256(pdf.content).hexdigest() == letter.sha256
    sent = api("POST", f"/api/v1/letters/{letter.pk}/send/", img_key, {"method": "link"})
    assert sent.status_code == 202, sent.content
    assert LetterDelivery.objects.get().method == "link"
    trail = {(e.kind, e.actor_label) for e in r.events.all()}
    assert {("letter_issued", "api:crm-sync"), ("letter_queued", "api:crm-sync")} <= trail


def test_a_letter_that_does_not_fit_is_refused(api: Any, img_key: str, log_request, private_root):
    r = log_request(right_kind="access")
    refused = api("POST", f"/api/v1/requests/{r.reference}/letters/", img_key, {"kind": "erasure"})
    assert refused.status_code == 409
    assert refused.json()["type"] == "urn:dsar:problem:refused"


def test_packages_are_listed_and_downloaded(api: Any, img_key: str, img_world: dict[str, Any]):
    request, package = img_world["request"], img_world["package"]
    listed = api("GET", f"/api/v1/requests/{request.reference}/data-packages/", img_key).json()
    assert [p["id"] for p in listed] == [package.pk]
    got = api("GET", listed[0]["zip"], img_key)
    assert got.status_code == 200 and got["Content-Type"] == "application/zip"
    assert hashlib.sha256(got.content).hexdigest() == package.sha256


def test_the_report_is_the_staff_report(api: Any, img_reader: str, log_request, img: Any):
    from dsar.requests.reports import request_metrics

    log_request()
    body = api("GET", "/api/v1/organizations/img/reports/2026/", img_reader).json()
    report = request_metrics(organization=img, year=2026)
    assert body["total"]["received"] == report.total.received == 1
    assert [row["key"] for row in body["by_right"]] == [f.key for f in report.by_right]
    years = api("GET", "/api/v1/organizations/img/reports/", img_reader).json()
    assert years == {"organization": "img", "years": [2026]}


def test_a_policy_version_with_its_rights_and_channels(api: Any, img_reader: str, img: Any):
    versions = api("GET", "/api/v1/policy-versions/", img_reader).json()
    assert [v["organization"] for v in versions] == ["img"]
    detail = api("GET", f"/api/v1/policy-versions/{versions[0]['id']}/", img_reader).json()
    kinds = {right["kind"] for right in detail["rights"]}
    assert "access" in kinds and detail["channels"]
    assert all(set(c) >= {"key", "kind", "address"} for c in detail["channels"])
