"""The public form in a real browser: a clause written in Markdown reads as text with a link,
not as brackets and parentheses."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEEDS = Path(__file__).resolve().parents[2] / "dsar" / "policies" / "seeds"


def test_the_complaint_clause_reads_as_text_with_a_mail_link(live_server, page):
    call_command("load_policy", str(SEEDS / "imservicecenter.yaml"), stdout=io.StringIO())
    page.goto(f"{live_server.url}/o/imservicecenter/request/")

    policy = page.locator("div.right", has=page.locator("#id_right_complaint")).locator(
        "details.policy"
    )
    policy.locator("summary").click()

    clause = policy.locator("blockquote").first
    expect(clause).to_contain_text(
        "please notify us at: support@imservicecenter.com or by certified mail"
    )
    assert "](" not in clause.inner_text() and "[support@" not in clause.inner_text()
    link = clause.get_by_role("link", name="support@imservicecenter.com")
    expect(link).to_have_attribute("href", "mailto:support@imservicecenter.com")
