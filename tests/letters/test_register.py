"""The 1798.83 letter says what was disclosed in the preceding year only from a register a
privacy officer confirmed complete; staff confirm it from the letter's preview, on the record."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from dsar.letters.context import LetterNotApplicable
from dsar.letters.services import letter_issue
from dsar.organizations.models import DisclosureRegisterConfirmation, MarketingDisclosure, Role
from dsar.requests.models import EventKind

from .conftest import staff
from .helpers import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_(make_request: Any) -> Any:
    """A Californian's 1798.83 request to IMG, received in 2026: it covers 2025."""
    return make_request("img", "shine_the_light", jurisdiction="US-CA")


def _row(organization: Any, year: int = 2025) -> MarketingDisclosure:
    return MarketingDisclosure.objects.create(
        organization=organization,
        year=year,
        third_party_name="Acme Lists LLC",
        third_party_address="1 Market Street\nSan Francisco, CA 94105",
        categories="name\nemail address",
    )


def _confirm(organization: Any, user: Any, year: int = 2025) -> DisclosureRegisterConfirmation:
    return DisclosureRegisterConfirmation.objects.create(
        organization=organization, year=year, confirmed_by=user
    )


def test_an_unconfirmed_empty_register_cannot_say_nothing_was_disclosed(request_: Any) -> None:
    with pytest.raises(LetterNotApplicable, match=r"Confirm that the 1798\.83 register of 2025"):
        letter_issue(request=request_, kind="shine_the_light", actor=None)
    assert not request_.letters.exists()


def test_an_unconfirmed_register_with_rows_is_refused_too(request_: Any, img: Any) -> None:
    _row(img)

    with pytest.raises(LetterNotApplicable, match="register of 2025 is complete"):
        letter_issue(request=request_, kind="shine_the_light", actor=None)


def test_another_years_confirmation_does_not_count(request_: Any, img: Any, olivia: Any) -> None:
    _confirm(img, olivia, year=2024)

    with pytest.raises(LetterNotApplicable, match="2025"):
        letter_issue(request=request_, kind="shine_the_light", actor=None)


def test_a_confirmed_empty_register_says_nothing_was_disclosed(
    request_: Any, img: Any, olivia: Any
) -> None:
    _confirm(img, olivia)

    text = pdf_text(letter_issue(request=request_, kind="shine_the_light", actor=None).read())

    assert (
        "In 2025 we did not disclose personal information to any third party for that third "
        "party's direct marketing purposes."
    ) in text


def test_a_confirmed_register_with_rows_lists_them(request_: Any, img: Any, olivia: Any) -> None:
    _row(img)
    _confirm(img, olivia)

    text = pdf_text(letter_issue(request=request_, kind="shine_the_light", actor=None).read())

    assert "Acme Lists LLC" in text and "name, email address" in text
    assert "we did not disclose" not in text


class TestConfirmingFromThePreview:
    def _preview(self, client: Any, request_: Any) -> str:
        response = client.get(reverse("letters:preview", args=[request_.pk, "shine_the_light"]))
        assert response.status_code == 200
        return response.content.decode()

    def test_a_privacy_officer_confirms_and_the_timeline_records_it(
        self, client: Any, olivia: Any, img: Any, request_: Any
    ) -> None:
        _row(img)
        client.force_login(olivia)
        body = self._preview(client, request_)
        assert "The 1798.83 register of 2025 is not confirmed" in body
        assert "It holds 1 entry for 2025." in body
        assert "Confirm the register of 2025 is complete" in body

        response = client.post(
            reverse("letters:register_confirm", args=[request_.pk]), {"note": "Checked with sales."}
        )

        assert response.status_code == 302
        confirmation = DisclosureRegisterConfirmation.objects.get(organization=img, year=2025)
        assert (confirmation.confirmed_by, confirmation.note) == (olivia, "Checked with sales.")
        event = request_.events.get(kind=EventKind.NOTE)
        assert event.actor == olivia
        assert event.summary == "The 1798.83 register of 2025 was confirmed complete (1 entry)"
        assert "Checked with sales." not in str(event.data)  # the note stays on the row
        assert "is not confirmed" not in self._preview(client, request_)
        assert letter_issue(request=request_, kind="shine_the_light", actor=olivia)

    def test_a_nul_character_in_the_note_is_dropped_not_a_database_error(
        self, client: Any, olivia: Any, img: Any, request_: Any
    ) -> None:
        client.force_login(olivia)

        response = client.post(
            reverse("letters:register_confirm", args=[request_.pk]),
            {"note": "Checked\x00 with sales."},
        )

        assert response.status_code == 302
        confirmation = DisclosureRegisterConfirmation.objects.get(organization=img, year=2025)
        assert confirmation.note == "Checked with sales."

    def test_confirming_twice_keeps_the_first_confirmation(
        self, client: Any, olivia: Any, img: Any, request_: Any
    ) -> None:
        first = _confirm(img, olivia)
        client.force_login(olivia)

        client.post(reverse("letters:register_confirm", args=[request_.pk]))

        assert list(DisclosureRegisterConfirmation.objects.filter(organization=img)) == [first]
        assert not request_.events.filter(kind=EventKind.NOTE).exists()

    @pytest.mark.parametrize("role", [Role.HANDLER, Role.AUDITOR])
    def test_only_a_privacy_officer_can_confirm(
        self, client: Any, img: Any, request_: Any, role: Role
    ) -> None:
        user = staff(f"user-{role}", img, role)
        client.force_login(user)
        if role == Role.HANDLER:
            body = self._preview(client, request_)
            assert "Ask a privacy officer of the organization to confirm it." in body
            assert "Confirm the register of 2025 is complete" not in body

        response = client.post(reverse("letters:register_confirm", args=[request_.pk]))

        assert response.status_code == 403
        assert not DisclosureRegisterConfirmation.objects.exists()

    def test_a_member_of_another_organization_gets_404(
        self, client: Any, charlie: Any, request_: Any
    ) -> None:
        client.force_login(charlie)

        response = client.post(reverse("letters:register_confirm", args=[request_.pk]))

        assert response.status_code == 404
        assert not DisclosureRegisterConfirmation.objects.exists()
