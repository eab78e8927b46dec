"""A letter quoting a clause written in Markdown prints it as text: bold as bold, a link as its
text and address, never the asterisks and brackets of the policy file."""

from __future__ import annotations

from typing import Any

import pytest

from dsar.letters.services import letter_issue
from dsar.policies.models import PolicyVersion
from dsar.policies.services import policy_version_draft_from, policy_version_publish
from dsar.requests.services import request_log

from .conftest import REQUESTER, TODAY
from .helpers import pdf_text

pytestmark = pytest.mark.django_db

CLAUSE = (
    "We **may charge a reasonable fee** if a request is *clearly unfounded*; see "
    "[our fees](https://img.example.org/fees) or write to "
    "[privacy@img.example.org](mailto:privacy@img.example.org), not "
    "[here](javascript:alert(1))."
)
PARTS = {
    "amount": "25.00 USD",
    "reason": "Your request repeats the one you made last week.",
    "payment": "By bank transfer to account 12345, quoting your reference.",
}


@pytest.mark.parametrize(
    "language, says",
    [("en", "Our privacy policy says:"), ("es", "Nuestra política de privacidad dice:")],
)
def test_a_fee_letter_prints_the_clause_without_its_markdown(
    img: Any, language: str, says: str
) -> None:
    draft = policy_version_draft_from(version=PolicyVersion.objects.in_force_for(img), actor=None)
    draft.rights.filter(kind="access").update(fee_clause=CLAUSE)
    policy_version_publish(version=draft, actor=None)
    request = request_log(
        organization=img,
        right_kind="access",
        channel_kind="email",
        received_at=TODAY,
        jurisdiction="FR",
        language=language,
        **REQUESTER,
    )
    letter = letter_issue(request=request, kind="fee", actor=None, parts=PARTS)

    text = pdf_text(letter.read())
    assert (
        f"{says} “We may charge a reasonable fee if a request is clearly unfounded; see our fees "
        "(https://img.example.org/fees) or write to privacy@img.example.org, not "
        "[here](javascript:alert(1)).”"
    ) in text
    assert "**" not in text and "*clearly" not in text
    assert "](mailto:" not in text and "](https:" not in text
