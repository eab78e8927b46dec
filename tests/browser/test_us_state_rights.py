"""The US state rights on the public side, in a real browser: an opt-out sent and acted on at once,
with JavaScript and without; a browser's Global Privacy Control signal seen on the page and
stored as an opt-out; a Virginian's appeal of a refusal filed from the status page; a
Californian's request to know saying what it asks for. axe-core finds no WCAG 2.1 AA violation on
any of these pages (see tests/browser/test_intake.py for how axe is found and run)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from dsar.intake.models import GpcSignal
from dsar.requests.models import PrivacyRequest, Status
from dsar.requests.services import request_deny
from tests.browser.test_intake import (
    fill_form,
    find_axe,
    latest_link,
    load_seeds,
    run_axe,
    watch_csp,
)
from tests.conftest import deliver_outbox

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _setup(settings: Any, tmp_path: Path, live_server: Any) -> None:
    # Links in emails start with the public origin (dsar.core.links): here, the live server.
    settings.DSAR_SITE_URL = live_server.url
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    settings.DSAR_INTAKE_RATE_LIMITS_ENABLED = False


@pytest.fixture(scope="session")
def axe_path() -> Path:
    return find_axe()


@pytest.fixture
def csp_violations(page: Page) -> list[str]:
    return watch_csp(page)


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
def test_an_opt_out_is_acted_on_at_once(
    live_server, browser, axe_path, transactional_db, javascript
):
    load_seeds("img")
    context = browser.new_context(locale="en-GB", java_script_enabled=javascript)
    page = context.new_page()
    page.goto(f"{live_server.url}/o/img/request/")
    expect(page.get_by_role("heading", name="Rights the law gives you")).to_be_visible()
    page.locator("#id_right_opt_out_sale").check()
    page.locator("#id_name").fill("Dana Data")
    page.locator("#id_email").fill("dana@example.org")
    page.locator("#id_residence").select_option("US-CA")
    message = page.get_by_label("Anything else we should know?")
    if javascript:
        # An opt-out needs nothing more: the script puts the rest away.
        expect(message).to_be_hidden()
        assert run_axe(page, axe_path) == [], "form, opt-out chosen"
    else:
        expect(message).to_be_visible()
    page.get_by_role("button", name="Send request").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your request is being acted on")
    request = PrivacyRequest.objects.get()
    assert (request.right_kind, request.status) == ("opt_out_sale", Status.IN_PROGRESS)
    expect(page.locator(".reference")).to_have_text(request.reference)
    expect(page.locator("#opt-out-answer")).to_contain_text(
        "under the California Consumer Privacy Act"
    )
    # axe is a script: it runs where the page runs scripts (the pages are the same HTML).
    if javascript:
        assert run_axe(page, axe_path) == [], "sent page"
    deliver_outbox()
    (receipt,) = mail.outbox
    assert "/confirm/" not in receipt.body

    page.goto(latest_link("status"))
    expect(page.locator("#request-status")).to_have_text("Being worked on")
    if javascript:
        assert run_axe(page, axe_path) == [], "status page"
    context.close()


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_global_privacy_control_signal_is_seen_and_stored(
    live_server, browser, axe_path, transactional_db, lang
):
    load_seeds("img")
    context = browser.new_context(
        locale={"en": "en-GB", "es": "es-ES"}[lang], extra_http_headers={"Sec-GPC": "1"}
    )
    page = context.new_page()
    csp_violations = watch_csp(page)
    page.goto(f"{live_server.url}/o/img/request/")

    notice = {
        "en": "Your browser sent a Global Privacy Control signal: we treat it as a request to opt "
        "out of the sale and sharing of your personal information by Incident Management Group.",
        "es": "Su navegador ha enviado una señal Global Privacy Control: la tratamos como una "
        "solicitud de exclusión de la venta y cesión de sus datos personales por Incident "
        "Management Group.",
    }[lang]
    expect(page.locator("#gpc-notice")).to_contain_text(notice)
    assert run_axe(page, axe_path) == [], "form with the notice"
    assert GpcSignal.objects.count() == 1
    cookie = next(c for c in context.cookies() if c["name"] == "dsar_gpc")
    assert cookie["httpOnly"]

    fill_form(page, {"right": "access", "residence": "US-CO"}, "dana@example.org")
    page.locator("#request-form button[type=submit]").click()

    expect(page.locator("#gpc-request")).to_be_visible()
    opt_out = PrivacyRequest.objects.get(right_kind="opt_out_sale")
    assert opt_out.gpc and opt_out.status == Status.IN_PROGRESS
    assert opt_out.jurisdiction == "US-CO"
    # The Colorado Privacy Act's 45 days, as for every consumer right there.
    assert opt_out.due_date == opt_out.received_on + dt.timedelta(days=45)
    expect(page.locator("#gpc-request")).to_contain_text(opt_out.reference)
    assert PrivacyRequest.objects.get(right_kind="access").gpc is False
    assert run_axe(page, axe_path) == [], "sent page with the opt-out"
    # The browser is still one row, however many pages it opened.
    assert GpcSignal.objects.count() == 1
    assert csp_violations == []
    context.close()


def test_a_virginian_appeals_a_refusal_from_the_status_page(
    live_server, page, axe_path, transactional_db, csp_violations
):
    load_seeds("imgwg")
    page.goto(f"{live_server.url}/o/imgwg/request/")
    fill_form(page, {"right": "access", "residence": "US-VA"}, "dana@example.org")
    page.get_by_role("button", name="Send request").click()
    page.goto(latest_link("confirm"))
    page.get_by_role("button", name="Confirm my email address").click()
    expect(page.locator("#request-status")).to_be_visible()
    status_url = page.url
    original = PrivacyRequest.objects.get()
    request_deny(request=original, actor=None, reason="We hold no data about you.")

    page.reload()
    expect(page.locator("#request-status")).to_have_text("Refused")
    appeal = page.locator("#appeal")
    expect(appeal).to_contain_text(
        "The Virginia Consumer Data Protection Act gives you the right to appeal this refusal"
    )
    expect(page.locator("#appeal-deadline")).to_contain_text(
        "under the Virginia Consumer Data Protection Act"
    )
    expect(page.locator("#appeal-until")).to_contain_text("You can appeal until")
    assert run_axe(page, axe_path) == [], "status page with the appeal form"

    page.get_by_label("Why do you disagree with the refusal?").fill("You hold my account data.")
    page.get_by_role("button", name="Appeal this refusal").click()

    expect(page).to_have_url(status_url)
    filed = PrivacyRequest.objects.get(right_kind="appeal")
    assert filed.appeal_of == original
    # Va. Code §59.1-577(C): decided within 60 days of its receipt.
    assert filed.due_date == filed.received_on + dt.timedelta(days=60)
    expect(page.locator("#appeal-filed")).to_contain_text(filed.reference)
    expect(page.locator("#appeal-status")).to_have_text("Received")
    day = filed.due_date
    expect(page.locator("#appeal-answer")).to_have_text(
        f"by {day.day} {day:%B} {day.year} under the Virginia Consumer Data Protection Act"
    )
    assert run_axe(page, axe_path) == [], "status page with the appeal filed"

    page.goto(latest_link("status"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Your request {filed.reference}")
    expect(page.locator("#appeal-of")).to_have_text(original.reference)
    assert run_axe(page, axe_path) == [], "the appeal's own page"
    assert csp_violations == []


def test_a_californian_says_what_their_request_to_know_asks_for(
    live_server, page, axe_path, transactional_db
):
    load_seeds("img")
    page.goto(f"{live_server.url}/o/img/request/")
    scope = page.get_by_role("group", name="What do you want to know?")
    page.locator("#id_right_access").check()
    page.locator("#id_residence").select_option("FR")
    expect(scope).to_be_hidden()
    page.locator("#id_residence").select_option("US-CA")
    expect(scope).to_be_visible()
    assert run_axe(page, axe_path) == [], "form with the question"
    page.get_by_label(re.compile(r"^The categories of my personal information")).check()
    page.locator("#id_name").fill("Dana Data")
    page.locator("#id_email").fill("dana@example.org")
    page.get_by_role("button", name="Send request").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert PrivacyRequest.objects.get().access_scope == "categories"
