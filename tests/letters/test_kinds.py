"""Every kind of letter, for every seed organization, read back from the archived PDF.

Each case issues the letter through ``letter_issue`` (the path staff use), then reads the stored
PDF with pypdf and looks for what the letter must say: both references, the deadline, the
organization's and the requester's addresses, and the right-specific content.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from dsar.letters.context import LetterNotApplicable
from dsar.letters.kinds import LetterKind
from dsar.letters.services import letter_issue
from dsar.organizations.models import (
    DisclosureRegisterConfirmation,
    MarketingDisclosure,
    Organization,
)
from dsar.policies.models import PolicyVersion, RightKind
from dsar.requests.models import PrivacyRequest
from dsar.requests.services import (
    request_appeal,
    request_deny,
    request_extend,
    request_fulfil,
    request_start,
)

from .conftest import SLUGS, TODAY
from .helpers import pdf_text, printed

pytestmark = pytest.mark.django_db

GENERAL = {"acknowledgement", "verification", "extension", "refusal", "fee"}
# Seed organizations whose letterhead has neither a postal address nor an email address: a
# letter that asks for a reply cannot be issued for them.
NO_CONTACT = {"imgwg", "ims-consulting"}

# Free-text parts staff write where the letter has no default.
PARTS: dict[LetterKind, dict[str, str]] = {
    LetterKind.VERIFICATION: {"asking_for": "identity"},
    LetterKind.EXTENSION: {},
    LetterKind.REFUSAL: {"grounds": "We hold no personal data about you in any system."},
    LetterKind.FEE: {
        "amount": "25.00 USD",
        "payment": "By bank transfer to account 12345, quoting your reference.",
    },
    LetterKind.MINOR_REMOVAL: {"content": "The photo you posted on the forum on 1 March 2026."},
}
EXTENSION_REASON = "We must search the records of three separate systems."


def _right_for(kind: LetterKind, organization: Organization) -> str:
    """A right the letter answers: one the organization promises if it has one."""
    if kind.value in GENERAL:
        return RightKind.ACCESS
    fitting = [right for right in RightKind if kind.fits(right)]
    promised = set(
        PolicyVersion.objects.in_force_for(organization).rights.values_list("kind", flat=True)
    )
    return next((right for right in fitting if right in promised), fitting[0])


def _prepare(kind: LetterKind, request: PrivacyRequest) -> None:
    """Bring the request to where the letter is issued."""
    if kind is LetterKind.EXTENSION:
        request_extend(request=request, actor=None, reason=EXTENSION_REASON, today=TODAY.date())
    if kind is LetterKind.ERASURE and request.organization.slug == "img":
        # IMG's policy keeps email records and website backups: a partial erasure names them.
        request_start(request=request, actor=None)
        exemptions = list(
            request.right.exemptions.filter(name__in=["email records", "website backup files"])
        )
        assert len(exemptions) == 2
        request_fulfil(
            request=request,
            actor=None,
            partial=True,
            reason="Your emails to us and our website backups are kept.",
            exemptions=exemptions,
        )
    if kind is LetterKind.SHINE_THE_LIGHT:
        # The register of 2025 is confirmed complete (with or without rows).
        DisclosureRegisterConfirmation.objects.create(
            organization=request.organization, year=2025, confirmed_by=_officer()
        )
    if kind is LetterKind.SHINE_THE_LIGHT and request.organization.slug == "img":
        MarketingDisclosure.objects.create(
            organization=request.organization,
            year=2025,
            third_party_name="Acme Lists LLC",
            third_party_address="1 Market Street\nSan Francisco, CA 94105",
            categories="name\npostal address\nemail address",
        )
        # Another year's disclosure: not in a letter about 2025.
        MarketingDisclosure.objects.create(
            organization=request.organization,
            year=2024,
            third_party_name="Old Partner Inc.",
            third_party_address="9 Elm Street, Austin, TX",
            categories="name",
        )


def _decided_appeal(make_request: Any, slug: str) -> PrivacyRequest:
    """A Virginian's access request, refused, appealed and the appeal denied."""
    refused = request_deny(
        request=make_request(slug, "access", jurisdiction="US-VA"), actor=None, reason="No data."
    )
    appeal = request_appeal(request=refused, received_at=TODAY, message="Please look again.")
    appeal = request_start(request=appeal, actor=None)
    return request_deny(request=appeal, actor=None, reason="We still hold no data about you.")


def _officer() -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get_or_create(username="officer", defaults={"is_staff": True})[
        0
    ]


def _expected(kind: LetterKind, request: PrivacyRequest) -> list[str]:
    """What the letter must say beyond the references, deadline and addresses."""
    version = request.policy_version
    eu = request.jurisdiction == "FR"
    # Where to complain: the CNIL for a French resident, the CPPA for a Californian.
    complaint = (
        ["supervisory authority", "GDPR Art. 77", "CNIL"]
        if eu
        else ["California Privacy Protection Agency", "Attorney General"]
    )
    if kind is LetterKind.ACKNOWLEDGEMENT:
        return ["We have received your request", "please quote it"]
    if kind is LetterKind.VERIFICATION:
        effect = (
            "Under the GDPR, the period for our answer starts again on the day we receive this "
            "information"
            if eu
            else "does not stop the clock"
        )
        return ["We need to confirm your identity", "What this means for the deadline", effect]
    if kind is LetterKind.EXTENSION:
        return ["We need more time", EXTENSION_REASON, "Original deadline", "New deadline"]
    if kind is LetterKind.ACCESS:
        expected = ["Your other rights", *complaint]
        expected.append(
            "GDPR Art. 15" if eu else "Categories of personal information we collected about you"
        )
        for related in (version.purposes, version.data_categories, version.recipients):
            first = related.first()
            if first is not None:
                expected.append(first.name)
        retention = version.retention.first()
        if retention is not None and eu:  # the CCPA's answer to know has no retention section
            expected.append(retention.statement)
        source = version.sources.first()
        if source is not None:
            expected.append(source.name)
        return expected
    if kind is LetterKind.RECTIFICATION:
        return ["We have corrected your personal data"]
    if kind is LetterKind.ERASURE:
        if request.organization.slug == "img":
            return [
                "We have erased",
                "Email records; Website backup files",
                "part of our email records or stored in website backup files",
                "supervisory authority",
            ]
        return ["We have erased", "How we deleted it", "at least 24 months", "§7022(e)"]
    if kind is LetterKind.RESTRICTION:
        return ["We have restricted the processing"]
    if kind is LetterKind.PORTABILITY:
        return ["machine-readable format", "manifest.json", "JSON"]
    if kind is LetterKind.REFUSAL:
        return [PARTS[kind]["grounds"], "How to complain", *complaint]
    if kind is LetterKind.FEE:
        effect = "starts again on the day we receive the fee" if eu else "does not stop the clock"
        return ["USD 25.00", "How to pay", "account 12345", effect]
    if kind is LetterKind.SHINE_THE_LIGHT:
        if request.organization.slug == "img":
            return [
                "Acme Lists LLC",
                "1 Market Street San Francisco, CA 94105",
                "name, postal address, email address",
                "preceding calendar year, 2025",
            ]
        return ["In 2025 we did not disclose personal information to any third party"]
    if kind is LetterKind.OPT_OUT:
        return ["You will no longer receive our marketing", "We have removed your contact details"]
    if kind is LetterKind.APPEAL_DECISION:
        return [
            "Your appeal: our decision stands",
            request.appeal_of.reference,
            "We still hold no data about you.",
            "Office of the Attorney General of Virginia",
        ]
    if kind is LetterKind.MINOR_REMOVAL:
        return [
            "22581",
            PARTS[kind]["content"],
            "does not ensure complete or comprehensive removal",
        ]
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", list(LetterKind), ids=lambda k: k.value)
@pytest.mark.parametrize("slug", SLUGS)
def test_every_kind_prints_what_it_must(
    slug: str, kind: LetterKind, seeds: Any, make_request: Any
) -> None:
    organization = seeds[slug]
    if kind is LetterKind.APPEAL_DECISION:
        # Neither the GDPR nor the CCPA gives an appeal: a Virginian's refusal, appealed and
        # decided (tests/letters/test_appeals.py covers the rest).
        request = _decided_appeal(make_request, slug)
    else:
        # IMG serves the EU (GDPR); the others are held to California law (CCPA and the rest).
        request = make_request(
            slug, _right_for(kind, organization), jurisdiction="FR" if slug == "img" else "US-CA"
        )
        _prepare(kind, request)
    request.refresh_from_db()

    if kind.value in ("verification", "fee") and slug in NO_CONTACT:
        with pytest.raises(LetterNotApplicable, match="no postal address and no email address"):
            letter_issue(request=request, kind=kind, actor=None, parts=PARTS.get(kind))
        return
    letter = letter_issue(request=request, kind=kind, actor=None, parts=PARTS.get(kind))

    text = pdf_text(letter.read())
    assert f"{request.reference}/L1" in text
    assert f"Dear {request.requester_name}," in text
    deadline = request.due_date or request.internal_target
    assert deadline is not None
    restarts = kind.value in ("verification", "fee") and request.jurisdiction == "FR"
    if restarts:  # the GDPR month starts again: no fixed date in the header
        assert "Deadline for our answer starts again when we receive your reply" in text
    else:
        assert printed(deadline) in text
    if request.jurisdiction != "FR":
        assert "GDPR" not in text and "Art. 77" not in text
    assert "742 Evergreen Terrace Springfield, OR 97403" in text
    for address in organization.addresses.all():
        assert " ".join(address.address.split()) in text
    if not organization.addresses.exists():
        assert (organization.legal_name or organization.name) in text
    for phrase in _expected(kind, request):
        assert phrase in text, f"{phrase!r} missing from the {kind.value} letter of {slug}"
    assert "Old Partner Inc." not in text


def test_an_extension_notice_states_both_deadlines(make_request: Any) -> None:
    request = make_request("img", "access")
    original = request.due_date
    request = request_extend(
        request=request, actor=None, reason="Many systems.", today=TODAY.date()
    )

    text = pdf_text(letter_issue(request=request, kind="extension", actor=None).read())

    assert f"Original deadline: {printed(original)}" in text
    assert f"New deadline: {printed(request.due_date)}" in text
    assert request.due_date == datetime.date(2026, 6, 3)


def test_without_a_legal_deadline_the_letter_gives_the_internal_target(make_request: Any) -> None:
    request = make_request("imt", "rectification", jurisdiction="")
    assert request.due_date is None

    text = pdf_text(letter_issue(request=request, kind="acknowledgement", actor=None).read())

    day = printed(request.internal_target)
    assert f"We will answer by {day} We have received" in text  # the header row
    assert f"We will answer by {day}." in text
    # The organization's own date, said neutrally: never "our target", never "no law applies".
    assert "target" not in text
    assert "Neither the law" not in text and "no legal deadline" not in text.lower()


def _clarification(request: PrivacyRequest) -> str:
    letter = letter_issue(
        request=request,
        kind="verification",
        actor=None,
        parts={"asking_for": "clarification", "details": "Which of your two accounts?"},
    )
    return pdf_text(letter.read())


def test_a_clarification_does_not_pause_the_eu_gdpr_month(make_request: Any) -> None:
    request = make_request("img", "access", jurisdiction="FR")

    text = _clarification(request)

    assert "We need more information about your request" in text
    assert "Which of your two accounts?" in text
    assert "do not count" not in text and "moves" not in text
    assert (
        f"does not stop the clock: we must still answer your request by {printed(request.due_date)}"
        in text
    )
    assert f"Deadline for our answer {printed(request.due_date)}" in text


def test_a_clarification_pauses_the_uk_gdpr_month(make_request: Any) -> None:
    request = make_request("imservicecenter", "access", jurisdiction="GB")

    text = _clarification(request)

    assert (
        "Under the UK GDPR, the days from the date of this letter until we receive your answer "
        f"do not count towards our deadline: the deadline of {printed(request.due_date)} moves "
        "later by that many days."
    ) in text
    assert "later by the days until we receive your reply" in text  # the header says so too


def test_a_uk_clarification_at_img_keeps_the_policys_promise_running(make_request: Any) -> None:
    """IMG promises one month, a promise that no clarification stops: the UK GDPR's pause and
    the promise's date are both said (PARTLY)."""
    request = make_request("img", "access", jurisdiction="GB")

    text = _clarification(request)

    assert "Under the UK GDPR, the days from the date of this letter" in text
    assert (
        "However, the period our privacy policy promises keeps running: we will still answer "
        f"your request by {printed(request.due_date)}."
    ) in text


def test_a_letter_that_does_not_answer_the_right_is_refused(make_request: Any) -> None:
    from dsar.letters.context import LetterNotApplicable

    request = make_request("img", "access")

    with pytest.raises(LetterNotApplicable, match="does not answer a request"):
        letter_issue(request=request, kind="erasure", actor=None)


def test_a_required_part_left_blank_is_refused(make_request: Any) -> None:
    from dsar.letters.context import LetterNotApplicable

    request = make_request("img", "access")

    with pytest.raises(LetterNotApplicable, match="Grounds for the refusal"):
        letter_issue(request=request, kind="refusal", actor=None, parts={"grounds": "  "})
    assert not request.letters.exists()
