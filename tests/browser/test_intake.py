"""The public form in a real browser: a request to each seed organization, sent, confirmed through
the emailed link, seen on the status page and in the staff list; axe-core finds no WCAG 2.1 AA
violation on the form, its error state, or the status page. The residence is chosen from a
<select> by keyboard, with JavaScript and without, in English and Spanish; the status page says
the date and what it rests on.

axe-core comes from npm: ``npm ci --prefix tests/intake/node`` (CI), or set AXE_CORE_PATH to an
``axe.min.js``. The fixture installs it itself when npm is there and the file is not.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import Page, expect

from dsar.intake.services import release_file
from dsar.requests.models import PrivacyRequest, Status
from tests.conftest import deliver_outbox

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "dsar" / "policies" / "seeds"
NODE = ROOT / "tests" / "intake" / "node"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# A right each seed organization promises, what that right needs on the form, and where the
# request stands once the email address is confirmed: staff check the identity first where the
# policy (imservicecenter) or the law (Texas, for a deletion) requires a verified request.
CASES: dict[str, dict[str, Any]] = {
    "imservicecenter": {
        "right": "rectification",
        "wrong": "My street",
        "correct": "Main St",
        "confirmed": ("We are checking who you are", "awaiting identity verification"),
    },
    "imgwg": {"right": "shine_the_light", "residence": "US-CA"},
    "imt": {
        "right": "erasure",
        "residence": "US-TX",
        "confirmed": ("We are checking who you are", "awaiting identity verification"),
    },
    "ims-consulting": {"right": "access", "residence": "GB"},
    "img": {"right": "portability", "format": "json", "recipient": "me"},
}
WORKED_ON = ("Being worked on", "in progress")


@pytest.fixture(scope="session")
def axe_path() -> Path:
    return find_axe()


def find_axe() -> Path:
    """axe-core's script: AXE_CORE_PATH, or the npm package (installed here if npm is)."""
    configured = os.environ.get("AXE_CORE_PATH")
    path = Path(configured) if configured else NODE / "node_modules" / "axe-core" / "axe.min.js"
    if not path.exists() and not configured and shutil.which("npm"):
        subprocess.run(
            ["npm", "ci", "--prefix", str(NODE), "--no-audit", "--no-fund"],
            check=False,
            capture_output=True,
            timeout=300,
        )
    if not path.exists():
        message = f"axe-core not found at {path}: npm ci --prefix {NODE.relative_to(ROOT)}"
        if os.environ.get("DSAR_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(autouse=True)
def _setup(settings: Any, tmp_path: Path, live_server: Any) -> None:
    # Links in emails start with the public origin (dsar.core.links): here, the live server.
    settings.DSAR_SITE_URL = live_server.url
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    settings.DSAR_INTAKE_RATE_LIMITS_ENABLED = False


def load_seeds(*slugs: str) -> None:
    """Only the policies a test uses: each test starts from an empty database."""
    call_command("load_policy", *(SEEDS / f"{slug}.yaml" for slug in slugs), stdout=io.StringIO())


@pytest.fixture
def img(transactional_db: None) -> None:
    load_seeds("img")


@pytest.fixture
def csp_violations(page: Page) -> Iterator[list[str]]:
    """Console errors of the page that report a content security policy violation."""
    yield watch_csp(page)


def watch_csp(page: Page) -> list[str]:
    """The list the page's content security policy violations are added to, as they happen."""
    found: list[str] = []
    page.on(
        "console",
        lambda message: (
            found.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    return found


def run_axe(page: Page, axe_path: Path) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 A/AA violations on the page.

    axe is served as if from the site itself (a routed same-origin URL), so the page's content
    security policy stays on: an inline script tag would be refused, as it should be.
    """
    origin = re.match(r"https?://[^/]+", page.url).group(0)
    url = f"{origin}/__axe-core.js"
    page.route(url, lambda route: route.fulfill(path=axe_path, content_type="text/javascript"))
    page.add_script_tag(url=url)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]],
        }
        for v in result["violations"]
    ]


def fill_form(page: Page, case: dict[str, Any], email: str) -> None:
    """Fill the form by field names, whatever the page's language."""
    page.locator(f"#id_right_{case['right']}").check()
    page.locator("#id_name").fill("Dana Data")
    page.locator("#id_email").fill(email)
    page.locator("#id_residence").select_option(case.get("residence", "FR"))
    if "wrong" in case:
        page.locator("#id_wrong").fill(case["wrong"])
        page.locator("#id_correct").fill(case["correct"])
    if "format" in case:
        page.locator(f"input[name=portability_format][value={case['format']}]").check()
        page.locator(f"input[name=portability_recipient][value={case['recipient']}]").check()


def latest_link(kind: str) -> str:
    deliver_outbox()  # what the task cluster does with the emails the pages queued
    found = re.search(rf"(https?://\S+/o/\S+/{kind}/\S+/)", mail.outbox[-1].body)
    assert found, mail.outbox[-1].body
    return found.group(1)


def staff_row(page: Page, base: str, reference: str) -> Any:
    """The request's row in the staff list, seen by a superuser (signed in through a session
    cookie: the admin's login form is not what these tests are about)."""
    user = get_user_model().objects.filter(username="root").first()
    if user is None:
        user = get_user_model().objects.create_superuser("root", "root@example.org", "pw-unused")
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}]
    )
    page.goto(base + "/staff/requests/privacyrequest/")
    return page.get_by_role("row").filter(has_text=reference)


@pytest.mark.parametrize("slug", sorted(CASES))
def test_a_request_is_sent_confirmed_and_followed(
    live_server, page, transactional_db, axe_path, csp_violations, slug
):
    """Form, sent page, confirmation and status page, each checked by axe with the content
    security policy on; the staff list shows the request unconfirmed, then in progress."""
    load_seeds(slug)
    case = CASES[slug]
    page.goto(f"{live_server.url}/o/{slug}/request/")
    assert run_axe(page, axe_path) == [], "form"
    fill_form(page, case, f"dana+{slug}@example.org")
    page.get_by_role("button", name="Send request").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    request = PrivacyRequest.objects.get(organization__slug=slug)
    expect(page.locator(".reference")).to_have_text(request.reference)
    assert run_axe(page, axe_path) == [], "sent page"
    assert request.channel_kind == "web_form"
    assert request.right_kind == case["right"]
    deliver_outbox()
    (message,) = mail.outbox
    assert message.to == [f"dana+{slug}@example.org"]
    confirm = latest_link("confirm")
    expect(staff_row(page, live_server.url, request.reference)).to_contain_text(
        "waiting for the requester"
    )

    page.goto(confirm)
    assert run_axe(page, axe_path) == [], "confirm page"
    page.get_by_role("button", name="Confirm my email address").click()

    status, staff_status = case.get("confirmed", WORKED_ON)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Your request {request.reference}")
    expect(page.locator("#request-status")).to_have_text(status)
    assert run_axe(page, axe_path) == [], "status page"
    assert "/my-request/" in page.url and request.reference not in page.url
    # The emailed status link's token never reaches the address bar (dsar.intake.grants).
    assert latest_link("status").rstrip("/").rsplit("/", 1)[1] not in page.url

    expect(staff_row(page, live_server.url, request.reference)).to_contain_text(staff_status)
    assert csp_violations == []


def test_the_form_works_without_javascript(live_server, browser, img):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/o/img/request/")
    # Without the script every right's fields are on the page.
    expect(page.get_by_label("What information about you is wrong?")).to_be_visible()
    fill_form(page, {"right": "access"}, "dana@example.org")
    page.get_by_role("button", name="Send request").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    context.close()


def test_the_form_can_be_used_with_the_keyboard_alone(live_server, page, transactional_db):
    load_seeds("imt")
    page.goto(f"{live_server.url}/o/imt/request/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Enter")
    # Tab to the first right, choose it with the space bar, then fill the rest by keyboard.
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "right":
            break
    page.keyboard.press("Space")
    expect(page.locator("input[name=right]").first).to_be_checked()
    page.get_by_label("Your full name").focus()
    page.keyboard.type("Dana Data")
    page.keyboard.press("Tab")
    page.keyboard.type("dana@example.org")
    page.keyboard.press("Tab")
    expect(page.locator("#id_residence")).to_be_focused()
    page.keyboard.type("Cali")
    expect(page.locator("#id_residence")).to_have_value("US-CA")
    page.get_by_role("button", name="Send request").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert PrivacyRequest.objects.get().jurisdiction == "US-CA"


def test_errors_are_summarised_linked_keep_what_was_typed_and_pass_axe(
    live_server, page, img, axe_path, csp_violations
):
    page.goto(f"{live_server.url}/o/img/request/")
    page.locator("#id_right_rectification").check()
    page.get_by_role("radio", name="For someone else, as their authorized agent").check()
    page.get_by_label("Your full name").fill("Zoë <b>Data</b>")
    page.get_by_label("Your email address").fill("not an address")
    page.get_by_role("button", name="Send request").click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert run_axe(page, axe_path) == [], "error state"
    summary.get_by_role("link", name="Enter an email address like name@example.com.").click()
    expect(page.get_by_label("Your email address")).to_be_focused()
    expect(page.get_by_label("Your full name")).to_have_value("Zoë <b>Data</b>")
    expect(page.get_by_label("Your email address")).to_have_value("not an address")
    expect(page.locator("#id_right_rectification")).to_be_checked()
    # The fields of the chosen right show; the others are tidied away by the script.
    expect(page.get_by_label("What information about you is wrong?")).to_be_visible()
    expect(page.get_by_label("Describe the content you want removed")).to_be_hidden()
    assert csp_violations == []


def test_the_browser_language_is_used_and_can_be_switched(live_server, browser, img):
    context = browser.new_context(locale="es-ES")
    page = context.new_page()
    page.goto(f"{live_server.url}/o/img/request/")
    expect(page.get_by_role("button", name="Enviar solicitud")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "es")

    page.get_by_label("Idioma").select_option("en")
    page.get_by_role("button", name="Cambiar idioma").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Make a privacy request to Incident Management Group"
    )
    expect(page.locator("html")).to_have_attribute("lang", "en")
    context.close()


def test_the_spanish_pages_have_no_accessibility_violations(live_server, browser, axe_path, img):
    """The English pages are checked in the test of each seed organization."""
    context = browser.new_context(locale="es-ES")
    page = context.new_page()
    page.goto(f"{live_server.url}/o/img/request/")
    assert run_axe(page, axe_path) == [], "form"
    fill_form(page, {"right": "access"}, "dana@example.org")
    page.locator("button[type=submit].button:not(.button--secondary)").click()
    assert run_axe(page, axe_path) == [], "sent page"

    confirm = latest_link("confirm")
    page.goto(confirm)
    assert run_axe(page, axe_path) == [], "confirm page"
    page.locator("form:not(.language) button").click()
    expect(page.locator("#request-status")).to_be_visible()
    assert run_axe(page, axe_path) == [], "status page"
    release_file(
        request=PrivacyRequest.objects.get(),
        title="Respuesta",
        filename="respuesta.pdf",
        content=b"%PDF-1.7\n%%EOF\n",
        content_type="application/pdf",
        notify=False,
    )
    page.reload()
    expect(page.get_by_role("link", name="Respuesta")).to_be_visible()
    assert run_axe(page, axe_path) == [], "status page with a file"

    page.goto(confirm)
    expect(page.get_by_role("heading", level=1)).to_have_text("Este enlace ya no funciona")
    assert run_axe(page, axe_path) == [], "used link page"
    context.close()


# -- Where the requester lives, by keyboard; the status page's date and what it rests on ----------

WORDS = {
    "en": {"locale": "en-GB", "send": "Send request", "sent": "Check your email"},
    "es": {"locale": "es-ES", "send": "Enviar solicitud", "sent": "Revise su correo"},
}
MESES = [
    "enero", "febrero", "marzo", "abril", "mayo", "junio",
    "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
]  # fmt: skip


def long_date(day: dt.date, lang: str) -> str:
    if lang == "es":
        return f"{day.day} de {MESES[day.month - 1]} de {day.year}"
    return f"{day.day} {day:%B} {day.year}"


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_virginian_fills_the_form_by_keyboard(
    live_server, browser, axe_path, transactional_db, javascript, lang
):
    """Tab to a right and choose it with the space bar; type the name and the address; Tab to
    the residence and type "Virginia" (the select's own type-ahead); send with Enter."""
    load_seeds("imgwg")
    context = browser.new_context(locale=WORDS[lang]["locale"], java_script_enabled=javascript)
    page = context.new_page()
    page.goto(f"{live_server.url}/o/imgwg/request/")
    correction = page.locator("#id_wrong")
    if javascript:
        assert run_axe(page, axe_path) == [], "form"
        expect(correction).to_be_hidden()  # the script shows only the chosen right's fields
    else:
        expect(correction).to_be_visible()
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.locator("input[name=right]:focus").count():
            break
    page.keyboard.press("Space")
    expect(page.locator("#id_right_access")).to_be_checked()
    page.locator("#id_name").focus()
    page.keyboard.type("Dana Data")
    page.keyboard.press("Tab")
    page.keyboard.type("dana@example.org")
    page.keyboard.press("Tab")
    expect(page.locator("#id_residence")).to_be_focused()
    page.keyboard.type("Virginia")
    expect(page.locator("#id_residence")).to_have_value("US-VA")
    page.get_by_role("button", name=WORDS[lang]["send"]).focus()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text(WORDS[lang]["sent"])
    request = PrivacyRequest.objects.get()
    assert request.jurisdiction == "US-VA"
    assert request.due_date == request.received_on + dt.timedelta(days=45)
    law = {
        "en": "under the Virginia Consumer Data Protection Act",
        "es": "según la ley «Virginia Consumer Data Protection Act»",
    }[lang]
    expect(page.locator("main")).to_contain_text(f"{long_date(request.due_date, lang)}")
    expect(page.locator("main")).to_contain_text(law)
    if javascript:
        assert run_axe(page, axe_path) == [], "sent page"
    context.close()


@pytest.mark.parametrize(
    ("residence", "lang", "answer"),
    [
        ("US-VA", "en", "by {due} under the Virginia Consumer Data Protection Act"),
        ("FR", "en", "by {due} under the GDPR"),
        (
            "US-VA",
            "es",
            "a más tardar el {due}, según la ley «Virginia Consumer Data Protection Act»",
        ),
        ("FR", "es", "a más tardar el {due}, según el RGPD"),
    ],
)
def test_the_status_page_says_the_date_and_what_it_rests_on(
    live_server, browser, axe_path, transactional_db, residence, lang, answer
):
    from dsar import deadlines
    from dsar.deadlines import Rule

    load_seeds("imgwg")
    context = browser.new_context(locale=WORDS[lang]["locale"])
    page = context.new_page()
    page.goto(f"{live_server.url}/o/imgwg/request/")
    fill_form(page, {"right": "access", "residence": residence}, "dana@example.org")
    page.get_by_role("button", name=WORDS[lang]["send"]).click()
    page.goto(latest_link("confirm"))
    page.locator("form:not(.language) button").click()

    request = PrivacyRequest.objects.get()
    organization = request.organization
    if residence == "US-VA":
        expected = request.received_on + dt.timedelta(days=45)
    else:
        calendar = organization.holiday_calendar or None
        expected = deadlines.compute(Rule.GDPR, request.received_on, calendar=calendar).due
    assert request.due_date == expected
    # imgwg's policy requires a verified identity for access: staff check it.
    assert request.status == Status.AWAITING_VERIFICATION
    status = {"en": "We are checking who you are", "es": "Estamos comprobando su identidad"}
    expect(page.locator("#request-status")).to_have_text(status[lang])
    expect(page.locator("#request-answer")).to_have_text(
        answer.format(due=long_date(expected, lang))
    )
    assert run_axe(page, axe_path) == [], "status page"
    context.close()
