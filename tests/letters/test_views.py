"""The staff pages: preview, issue, download, send, evidence pack; tenancy and roles."""

from __future__ import annotations

import base64
import datetime
import hashlib
from typing import Any

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse

from dsar.letters.models import Letter, LetterDelivery
from dsar.letters.services import letter_issue
from dsar.requests.models import EventKind
from dsar.requests.services import request_extend

from .conftest import TODAY
from .helpers import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_(make_request: Any) -> Any:
    return make_request("img", "access")


def _preview(request: Any, kind: str = "acknowledgement") -> str:
    return reverse("letters:preview", args=[request.pk, kind])


class TestPreview:
    def test_staff_of_the_organization_see_the_letter_and_its_parts(
        self, client: Any, olivia: Any, request_: Any
    ) -> None:
        client.force_login(olivia)

        response = client.get(_preview(request_, "access"))

        assert response.status_code == 200
        body = response.content.decode()
        assert "Our answer to your request for access" in body
        assert 'name="automated_decisions"' in body
        assert 'name="supervisory_authority"' in body
        assert 'sandbox srcdoc="' in body

    def test_a_member_of_another_organization_gets_404(
        self, client: Any, charlie: Any, request_: Any
    ) -> None:
        client.force_login(charlie)

        assert client.get(_preview(request_)).status_code == 404
        assert client.post(_preview(request_), {"action": "issue"}).status_code == 404
        assert not Letter.objects.exists()

    def test_anonymous_and_non_staff_users_are_sent_to_sign_in(
        self, client: Any, request_: Any, img: Any
    ) -> None:
        assert client.get(_preview(request_)).status_code == 302
        user = get_user_model().objects.create_user("eve", password="a-long-test-password")
        client.force_login(user)
        response = client.get(_preview(request_))
        assert response.status_code == 302
        assert "/staff/login/" in response["Location"]

    def test_an_unknown_kind_is_404(self, client: Any, olivia: Any, request_: Any) -> None:
        client.force_login(olivia)

        assert client.get(_preview(request_, "love-letter")).status_code == 404

    def test_edits_show_in_the_preview_without_issuing(
        self, client: Any, olivia: Any, request_: Any
    ) -> None:
        client.force_login(olivia)

        response = client.post(
            _preview(request_), {"action": "preview", "note": "We are on it & will write soon."}
        )

        assert response.status_code == 200
        # Escaped in the letter (&amp;), and the letter escaped again into srcdoc.
        assert "We are on it &amp;amp; will write soon." in response.content.decode()
        assert not Letter.objects.exists()

    def test_issuing_archives_the_letter_with_the_edits(
        self, client: Any, olivia: Any, request_: Any
    ) -> None:
        client.force_login(olivia)

        response = client.post(
            _preview(request_, "refusal"),
            {"action": "issue", "grounds": "We hold no data about you.", "note": ""},
        )

        assert response.status_code == 302
        assert response["Location"] == reverse("letters:request_letters", args=[request_.pk])
        letter = Letter.objects.get()
        assert letter.issued_by == olivia
        assert letter.parts["grounds"] == "We hold no data about you."
        assert "We hold no data about you." in pdf_text(letter.read())

    def test_a_missing_required_part_is_shown_not_issued(
        self, client: Any, olivia: Any, request_: Any
    ) -> None:
        client.force_login(olivia)

        response = client.post(_preview(request_, "refusal"), {"action": "issue", "grounds": ""})

        assert response.status_code == 200
        assert "Fill in" in response.content.decode()
        assert not Letter.objects.exists()

    def test_an_auditor_reads_but_cannot_issue(
        self, client: Any, audrey: Any, request_: Any
    ) -> None:
        client.force_login(audrey)

        assert client.get(_preview(request_)).status_code == 200
        assert client.post(_preview(request_), {"action": "issue"}).status_code == 403
        assert not Letter.objects.exists()

    def test_a_correction_is_issued_from_the_preview(
        self, client: Any, olivia: Any, request_: Any
    ) -> None:
        first = letter_issue(request=request_, kind="acknowledgement", actor=olivia)
        client.force_login(olivia)

        response = client.post(
            _preview(request_) + f"?corrects={first.pk}", {"action": "issue", "corrects": first.pk}
        )

        assert response.status_code == 302
        correction = Letter.objects.get(number=2)
        assert correction.corrects == first

    @pytest.mark.parametrize("value", ["abc", "1.5", "-1", "9" * 40, "\u0661"])
    def test_a_letter_to_correct_that_is_no_id_is_a_400(
        self, client: Any, olivia: Any, request_: Any, value: str
    ) -> None:
        client.force_login(olivia)

        response = client.get(_preview(request_), {"corrects": value})
        posted = client.post(_preview(request_), {"action": "issue", "corrects": value})

        assert response.status_code == 400
        assert "The letter to correct must be given by its id." in response.content.decode()
        assert posted.status_code == 400
        assert not Letter.objects.exists()

    def test_a_letter_of_another_request_or_organization_cannot_be_corrected(
        self, client: Any, olivia: Any, charlie: Any, request_: Any, make_request: Any
    ) -> None:
        other = letter_issue(
            request=make_request("img", "access"), kind="acknowledgement", actor=olivia
        )
        elsewhere = letter_issue(
            request=make_request("imt", "access", jurisdiction="US-CA"),
            kind="acknowledgement",
            actor=charlie,
        )
        client.force_login(olivia)

        for letter in (other, elsewhere):
            response = client.get(_preview(request_), {"corrects": letter.pk})
            assert response.status_code == 404
            assert letter.reference not in response.content.decode()

    def test_an_extension_notice_after_the_original_deadline_is_refused(
        self, client: Any, olivia: Any, request_: Any
    ) -> None:
        request_extend(request=request_, actor=olivia, reason="Three systems.", today=TODAY.date())

        with time_machine.travel(
            datetime.datetime(2026, 4, 6, 12, tzinfo=datetime.UTC), tick=False
        ):
            client.force_login(olivia)  # sessions expire: sign in on the day
            response = client.post(_preview(request_, "extension"), {"action": "issue"})

        assert response.status_code == 200
        assert "an extension notice must be sent before it" in response.content.decode()
        assert not Letter.objects.exists()


class TestNoContactDetails:
    """An organization whose letterhead has neither a postal address nor an email address
    (imgwg and IMS Consulting in the seeds): staff are warned before a letter is issued."""

    @pytest.fixture
    def imgwg_request(self, make_request: Any) -> Any:
        return make_request("imgwg", "access", jurisdiction="FR")

    @pytest.fixture
    def olga(self, seeds: Any) -> Any:
        from dsar.organizations.models import Role

        from .conftest import staff

        return staff("olga", seeds["imgwg"], Role.PRIVACY_OFFICER)

    def test_the_preview_warns_and_links_to_the_organizations_contacts(
        self, client: Any, olga: Any, imgwg_request: Any
    ) -> None:
        client.force_login(olga)

        body = client.get(_preview(imgwg_request)).content.decode()

        assert "imgwg Communications has no postal address and no email address on record" in body
        change = reverse(
            "admin:organizations_organization_change", args=[imgwg_request.organization_id]
        )
        assert f'<a href="{change}">Complete the organization\'s contact details</a>' in body

    def test_a_letter_that_asks_for_a_reply_is_refused_from_the_preview(
        self, client: Any, olga: Any, imgwg_request: Any
    ) -> None:
        client.force_login(olga)

        response = client.post(
            _preview(imgwg_request, "verification"),
            {"action": "issue", "asking_for": "identity", "details": "A copy of your ID."},
        )

        assert response.status_code == 200
        assert "this letter asks the requester to reply" in response.content.decode()
        assert not Letter.objects.exists()

    def test_no_warning_where_the_letterhead_has_an_address(
        self, client: Any, olivia: Any, request_: Any
    ) -> None:
        client.force_login(olivia)

        body = client.get(_preview(request_)).content.decode()

        assert "no postal address and no email address" not in body


class TestDownload:
    def test_staff_download_the_archived_bytes_with_their_digest(
        self, client: Any, olivia: Any, audrey: Any, request_: Any
    ) -> None:
        letter = letter_issue(request=request_, kind="acknowledgement", actor=olivia)
        for user in (olivia, audrey):
            client.force_login(user)

            response = client.get(reverse("letters:download", args=[letter.pk]))

            assert response.status_code == 200
            assert response.content == letter.read()
            assert response["Content-Type"] == "application/pdf"
            digest = base64.b64encode(hashlib.sha256(response.content).digest()).decode()
            assert response["Repr-Digest"] == f"sha-256=:{digest}:"

    def test_a_member_of_another_organization_gets_404(
        self, client: Any, olivia: Any, charlie: Any, request_: Any
    ) -> None:
        letter = letter_issue(request=request_, kind="acknowledgement", actor=olivia)
        client.force_login(charlie)

        assert client.get(reverse("letters:download", args=[letter.pk])).status_code == 404
        assert (
            client.post(
                reverse("letters:send", args=[letter.pk]), {"method": "attachment"}
            ).status_code
            == 404
        )

    def test_a_tampered_file_is_not_served(self, client: Any, olivia: Any, request_: Any) -> None:
        import os
        from pathlib import Path

        letter = letter_issue(request=request_, kind="acknowledgement", actor=olivia)
        path = Path(letter.file.path)
        os.chmod(path, 0o640)
        path.write_bytes(b"%PDF-1.7 forged")
        client.force_login(olivia)
        client.raise_request_exception = False

        assert client.get(reverse("letters:download", args=[letter.pk])).status_code == 500


class TestSend:
    def test_staff_queue_a_delivery(self, client: Any, olivia: Any, request_: Any) -> None:
        letter = letter_issue(request=request_, kind="acknowledgement", actor=olivia)
        client.force_login(olivia)

        response = client.post(reverse("letters:send", args=[letter.pk]), {"method": "link"})

        assert response.status_code == 302
        delivery = LetterDelivery.objects.get()
        assert (delivery.letter, delivery.method, delivery.created_by) == (letter, "link", olivia)

    def test_an_auditor_cannot_send(
        self, client: Any, olivia: Any, audrey: Any, request_: Any
    ) -> None:
        letter = letter_issue(request=request_, kind="acknowledgement", actor=olivia)
        client.force_login(audrey)

        response = client.post(reverse("letters:send", args=[letter.pk]), {"method": "link"})

        assert response.status_code == 403
        assert not LetterDelivery.objects.exists()


class TestRequestLetters:
    def test_it_lists_letters_and_the_kinds_that_fit(
        self, client: Any, olivia: Any, charlie: Any, request_: Any
    ) -> None:
        letter = letter_issue(request=request_, kind="acknowledgement", actor=olivia)
        url = reverse("letters:request_letters", args=[request_.pk])
        client.force_login(olivia)

        body = client.get(url).content.decode()

        assert letter.sha256 in body
        assert _preview(request_, "access") in body
        assert _preview(request_, "erasure") not in body
        client.force_login(charlie)
        assert client.get(url).status_code == 404

    def test_staff_reach_it_from_the_request_page_and_back(
        self, client: Any, olivia: Any, request_: Any
    ) -> None:
        letters_url = reverse("letters:request_letters", args=[request_.pk])
        request_page = reverse("admin:requests_privacyrequest_change", args=[request_.pk])
        client.force_login(olivia)

        page = client.get(request_page)
        letters = client.get(letters_url)

        assert page.status_code == 200
        assert f'href="{letters_url}"' in page.content.decode()
        assert reverse("letters:evidence_pack", args=[request_.pk]) in page.content.decode()
        assert f'href="{request_page}"' in letters.content.decode()
        # Inside the admin's frame, and styled by a file: the CSP forbids inline styles.
        assert 'id="user-tools"' in letters.content.decode()
        assert "<style" not in letters.content.decode()


class TestEvidencePack:
    def test_it_holds_the_timeline_letters_and_deadline_arithmetic(
        self, client: Any, olivia: Any, request_: Any
    ) -> None:
        from dsar.requests.models import WaitingFor
        from dsar.requests.services import (
            request_ask_requester,
            request_requester_answered,
            request_start,
        )

        request_start(request=request_, actor=olivia)
        request_ask_requester(
            request=request_,
            actor=olivia,
            waiting_for=WaitingFor.IDENTITY,
            note="A copy of an ID document",
            today=TODAY.date(),
        )
        request_requester_answered(
            request=request_, actor=olivia, answered_on=datetime.date(2026, 3, 9)
        )
        request_.refresh_from_db()
        letters = [
            letter_issue(request=request_, kind="acknowledgement", actor=olivia),
            letter_issue(
                request=request_,
                kind="verification",
                actor=olivia,
                parts={"asking_for": "identity"},
            ),
        ]
        client.force_login(olivia)

        response = client.get(reverse("letters:evidence_pack", args=[request_.pk]))

        assert response.status_code == 200
        text = pdf_text(response.content)
        assert f"Request {request_.reference}" in text
        for letter in letters:
            assert letter.reference in text
            # The hash may wrap inside its table cell; compare without spaces.
            assert letter.sha256 in text.replace(" ", "")
        assert "1. Deadline arithmetic" in text
        assert request_.deadline_basis.split(";")[0] in text
        assert "received Mon 9 Mar 2026; one calendar month → 9 Apr 2026" in text
        assert "agrees with the recorded deadline" in text
        assert "2. Identity verification" in text
        assert "A copy of an ID document" in text
        assert "Timeline" in text and "Received by" in text
        exported = request_.events.filter(kind=EventKind.EXPORTED).get()
        assert exported.actor == olivia
        assert exported.data["letter"]["sha256"] == hashlib.sha256(response.content).hexdigest()

    def test_a_member_of_another_organization_gets_404(
        self, client: Any, charlie: Any, request_: Any
    ) -> None:
        client.force_login(charlie)

        assert client.get(reverse("letters:evidence_pack", args=[request_.pk])).status_code == 404
        assert not request_.events.filter(kind=EventKind.EXPORTED).exists()
