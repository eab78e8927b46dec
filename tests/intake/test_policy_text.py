"""The public form quotes each clause of the policy with its Markdown rendered: a requester reads
"support@imservicecenter.com" as a link, never "[support@…](mailto:…)" or "**"."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from dsar.policies.models import PolicyVersion
from dsar.policies.services import policy_version_draft_from, policy_version_publish

pytestmark = pytest.mark.django_db


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.skipping += tag in {"script", "style"}

    def handle_endtag(self, tag: str) -> None:
        self.skipping -= tag in {"script", "style"}

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def page_text(html: str) -> str:
    """What a reader of the page sees: its text, whitespace runs collapsed."""
    parser = _Text()
    parser.feed(html)
    return " ".join("".join(parser.parts).split())


def test_the_complaint_clause_shows_its_address_as_a_link(seeds, client):
    html = client.get("/o/imservicecenter/request/").content.decode()

    text = page_text(html)
    assert "please notify us at: support@imservicecenter.com or by certified mail" in text
    assert "](mailto:" not in text and "[support@" not in text and "**" not in text
    assert (
        'notify us at: <a href="mailto:support@imservicecenter.com">'
        "support@imservicecenter.com</a> or by certified mail"
    ) in html


def test_bold_shows_as_bold_and_nothing_in_a_clause_becomes_markup(seeds, client):
    organization = seeds["imservicecenter"]
    draft = policy_version_draft_from(
        version=PolicyVersion.objects.in_force_for(organization), actor=None
    )
    draft.rights.filter(kind="access").update(
        clause="You may **ask for a copy** at [our page](https://example.org/privacy), "
        "not [there](javascript:alert(1)). <script>alert(2)</script>",
        fee_clause="It is *free*.",
    )
    policy_version_publish(version=draft, actor=None)

    html = client.get("/o/imservicecenter/request/").content.decode()

    text = page_text(html)
    assert "You may ask for a copy at our page, not [there](javascript:alert(1))." in text
    assert "<script>alert(2)</script> It is free." not in text
    assert "**" not in text and "*free*" not in text
    assert "<strong>ask for a copy</strong>" in html and "<em>free</em>" in html
    assert '<a href="https://example.org/privacy">our page</a>' in html
    assert "javascript:" not in html.replace("[there](javascript:alert(1))", "")
    assert "<script>alert(2)" not in html and "&lt;script&gt;alert(2)&lt;/script&gt;" in html
