"""Every staff page, as a superuser with the demo's data sees it, meets WCAG 2.1 AA as axe-core
measures it, and reflows at 320 CSS pixels (WCAG 1.4.10): only a wide table may scroll, inside its
own box. After an action on the request page, focus comes back to the actions and the
confirmation is announced.

The walk starts from the staff home and follows every staff link once per page type (the path with
its ids replaced, its query dropped), so a new admin page is checked as soon as a link reaches it.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import deque
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from dsar.fulfilment.demo import seed_register, seed_tasks
from dsar.letters.services import letter_issue
from dsar.organizations.models import Membership, Organization, Role
from dsar.requests.demo import HISTORY_DAYS, SEED_ORGANIZATIONS, seed_demo_requests
from dsar.requests.models import PrivacyRequest, Status
from tests.browser.test_intake import find_axe, run_axe
from tests.workspace.conftest import ensure_role_groups

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEEDS = Path(django_settings.BASE_DIR) / "dsar" / "policies" / "seeds"
# Staff pages live under these prefixes; the letters' requester links (/letters/r/, /letters/p/)
# are public and have their own tests.
STAFF = ("/staff/", "/letters/requests/")
# Links that end the session, or answer with a file rather than a page.
SKIP = re.compile(
    r"/logout/|/letters/r/|/letters/p/|\.(pdf|csv|zip|json)$|/pdf/$|/zip/$|/export/|/download"
)
PAGE_TYPES = ("text/html",)
NARROW = 320
WIDE = {"width": 1280, "height": 900}
ID = re.compile(r"/(\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?=/|$)")


@pytest.fixture
def axe_path() -> Path:
    return find_axe()


@pytest.fixture
def demo(settings: Any, tmp_path: Path, live_server: Any) -> Any:
    """What ``demo_setup`` makes, smaller: the five seed organizations, a few requests of each in
    every status, a conversation and a held message, the register and its tasks, a letter; and
    the demo login, a superuser who is also a privacy officer of every organization."""
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DSAR_SITE_URL = live_server.url
    ensure_role_groups()
    call_command(
        "load_policy",
        *[SEEDS / f"{slug}.yaml" for slug in SEED_ORGANIZATIONS],
        in_force_from=timezone.localdate() - dt.timedelta(days=HISTORY_DAYS + 1),
        stdout=io.StringIO(),
    )
    user = get_user_model().objects.create_superuser("demo", "demo@example.org", None)
    for organization in Organization.objects.filter(slug__in=SEED_ORGANIZATIONS):
        Membership.objects.create(user=user, organization=organization, role=Role.PRIVACY_OFFICER)
    user.groups.add(Group.objects.get(name=Role.PRIVACY_OFFICER.group_name))
    seed_demo_requests(actor=user, per_organization=8)
    call_command("seed_demo_messages", actor="demo", stdout=io.StringIO())
    seed_register(user)
    seed_tasks(user)
    acknowledged = (
        PrivacyRequest.objects.filter(organization__slug="img", status=Status.IN_PROGRESS)
        .order_by("pk")
        .first()
    )
    assert acknowledged is not None
    letter_issue(request=acknowledged, kind="acknowledgement", actor=user)
    return user


def sign_in_as(page: Page, base: str, user: Any) -> None:
    """A session cookie: the login form has tests of its own."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}]
    )


def page_type(path: str) -> str:
    """The path with its ids replaced: one change form stands for all of its model's."""
    return ID.sub("/{id}", path)


def staff_links(page: Page, origin: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    found = []
    for href in hrefs:
        url = urldefrag(href)[0]
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != origin:
            continue
        if parts.path.startswith(STAFF) and not SKIP.search(parts.path):
            found.append(parts.path)
    return found


# The outermost elements that reach past the window's right edge: what to fix when a page does
# not reflow.
WIDEST = """limit => {
  const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
    + [...e.classList].map(c => '.' + c).join('');
  const past = e => e.getBoundingClientRect().right > limit;
  const all = [...document.body.querySelectorAll('*')];
  const out = all.filter(e => past(e) && !past(e.parentElement));
  // Or text that runs out of a box which itself fits (a long word).
  const spilling = all.filter(e => e.scrollWidth > e.clientWidth + 1
    && getComputedStyle(e).overflowX === 'visible' && e.children.length === 0);
  const shown = out.length ? out : spilling;
  return shown.slice(0, 3).map(e => name(e.parentElement) + ' > ' + name(e));
}"""


def reflow_overflow(page: Page) -> str:
    """How far the page is wider than a 320 px window, and what sticks out ("" when it
    reflows)."""
    page.set_viewport_size({"width": NARROW, "height": 800})
    try:
        width = page.evaluate("document.documentElement.scrollWidth")
        if width <= NARROW + 1:
            return ""
        return f"+{width - NARROW} px: {', '.join(page.evaluate(WIDEST, NARROW + 1))}"
    finally:
        page.set_viewport_size(WIDE)


def walk(page: Page, origin: str, axe_path: Path) -> tuple[dict[str, Any], dict[str, str]]:
    """Breadth first from the staff home: axe's violations and the overflow at 320 px, per page
    type."""
    violations: dict[str, Any] = {}
    overflow: dict[str, str] = {}
    seen = {page_type("/staff/")}
    queue = deque(["/staff/"])
    while queue:
        path = queue.popleft()
        try:
            response = page.goto(origin + path)
        except PlaywrightError as error:  # a download, not a page
            if "Download is starting" in str(error):
                continue
            raise
        assert response is not None
        if not response.headers.get("content-type", "").startswith(PAGE_TYPES):
            continue
        final = urlsplit(page.url).path
        if not final.startswith(STAFF):
            continue
        assert response.status == 200, f"{path}: {response.status}"
        found = run_axe(page, axe_path)
        if found:
            violations[page_type(path)] = found
        if extra := reflow_overflow(page):
            overflow[page_type(path)] = extra
        for link in staff_links(page, origin):
            kind = page_type(link)
            if kind not in seen:
                seen.add(kind)
                queue.append(link)
    print(f"{len(seen)} staff page types walked")
    return violations, overflow


def describe(violations: dict[str, Any]) -> str:
    return "\n".join(
        f"{kind} → {v['id']} → {', '.join(' '.join(t) for t in v['nodes'][:5])}"
        for kind, found in sorted(violations.items())
        for v in found
    )


def test_every_staff_page_meets_wcag_21_aa_and_reflows(live_server, page, demo, axe_path):
    page.set_viewport_size(WIDE)
    sign_in_as(page, live_server.url, demo)
    violations, overflow = walk(page, live_server.url, axe_path)
    problems = describe(violations).splitlines() + [
        f"{kind} → wider than {NARROW} px {extra}" for kind, extra in sorted(overflow.items())
    ]
    assert not problems, "\n".join(problems)


def test_after_an_action_focus_is_on_the_actions_and_the_confirmation_announced(
    live_server, page, demo
):
    request = (
        PrivacyRequest.objects.filter(organization__slug="img", status=Status.IN_PROGRESS)
        .order_by("pk")
        .first()
    )
    sign_in_as(page, live_server.url, demo)
    page.goto(f"{live_server.url}/staff/requests/privacyrequest/{request.pk}/change/")
    assign = page.locator("details.action-assign")
    assign.locator("summary").click()
    assign.get_by_label("Assign to").select_option(label="demo")
    assign.get_by_role("button", name="Assign").click()

    expect(page.get_by_role("status")).to_contain_text(f"Assign: done for {request.reference}.")
    focused = page.evaluate("document.activeElement.id")
    assert focused == "actions", page.evaluate("document.activeElement.outerHTML.slice(0, 200)")
    # The next action is one tab stop away, not seventy-five.
    page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('#actions details.action')")
