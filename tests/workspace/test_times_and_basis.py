"""What staff read about time and deadlines: times in the organization's time zone with the zone
named, dates that cannot be misread, what the date rests on (as the letters say it: a law named, the
policy's promise, or the organization's own date, never "no legal deadline"), and an extension
offered only where the law and the rule allow one."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from dsar.requests import clock, services
from dsar.requests.models import Flag
from tests.workspace.conftest import CHANGELIST, change_url

pytestmark = pytest.mark.django_db

IMG_TIME = "2 Mar 2026, 08:00 EST (America/New_York)"  # 13:00 UTC, an hour before NOW


def _text(markup: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup)))


def _section(page: str, marker: str) -> str:
    return page.split(marker, 1)[1].split("</section>", 1)[0]


# -- Times -----------------------------------------------------------------------------------------


def test_the_request_page_gives_times_in_the_organizations_zone_and_names_it(
    login, alice, log_request
):
    privacy_request = log_request()
    services.request_start(request=privacy_request, actor=alice)

    page = login(alice).get(change_url(privacy_request)).content.decode()

    header = page.split('class="muted request-received"', 1)[1].split("</p>", 1)[0]
    assert IMG_TIME in header
    assert 'datetime="2026-03-02T08:00:00-05:00"' in header
    facts = _text(_section(page, 'id="request-heading"'))
    assert f"Received {IMG_TIME}" in facts
    timeline = _section(page, 'id="timeline"')
    # Logged at NOW (14:00 UTC), work started at NOW: 09:00 in New York, said so.
    assert timeline.count("2 Mar 2026, 09:00 EST (America/New_York)") == 2


def test_the_list_gives_each_request_its_own_organizations_time(login, root, log_request, imt):
    log_request()
    log_request(organization=imt, jurisdiction="", requester_email="ina@example.com")

    response = login(root).get(CHANGELIST)

    cells = re.findall(r'<td class="field-received">(.*?)</td>', response.content.decode())
    shown = sorted(_text(cell).strip() for cell in cells)
    assert shown == [IMG_TIME, "2 Mar 2026, 13:00 UTC"]


def test_the_list_still_sorts_by_the_time_of_receipt(login, alice, log_request):
    older = log_request(received_at=dt.datetime(2026, 2, 27, 15, tzinfo=dt.UTC))
    newer = log_request(requester_email="bo@example.com")
    client = login(alice)
    column = 1 + list(client.get(CHANGELIST).context["cl"].list_display).index("received")

    ascending = client.get(f"{CHANGELIST}?o={column - 1}").context["cl"].result_list

    assert [r.reference for r in ascending] == [older.reference, newer.reference]


def test_deadline_dates_cannot_be_misread(login, alice, log_request):
    privacy_request = log_request()  # due 2 Apr 2026: never "04/02/2026"

    page = login(alice).get(change_url(privacy_request)).content.decode()
    listing = login(alice).get(CHANGELIST).content.decode()

    assert "(due 2 Apr 2026)" in page
    assert "02/04/2026" not in page and "04/02/2026" not in page
    assert "due 2 Apr 2026" in listing


# -- What the date rests on ------------------------------------------------------------------------


def test_a_date_set_by_law_names_the_law(login, alice, log_request):
    # A French resident's access request: the GDPR's month, the same as IMG's promise.
    privacy_request = log_request(jurisdiction="FR")

    page = login(alice).get(change_url(privacy_request)).content.decode()

    panel = _text(_section(page, 'id="deadline-heading"'))
    law = clock.decide_for(privacy_request).binding_law
    assert law is not None
    assert f"The date rests on The law: {law.law_name}" in panel
    assert "Legal deadline" in panel


def test_a_date_set_by_the_policys_promise_is_said_as_a_promise(login, alice, log_request):
    # A Californian's access request: IMG's "one month" comes before the CCPA's 45 days.
    privacy_request = log_request(jurisdiction="US-CA")
    assert clock.decide_for(privacy_request).basis_kind is clock.Basis.PROMISE

    page = login(alice).get(change_url(privacy_request)).content.decode()

    panel = _text(_section(page, 'id="deadline-heading"'))
    assert "The date rests on The policy's promise of “one month”" in panel
    assert "not a statutory deadline" in panel
    assert "Legal deadline" not in panel and "Promised deadline" in panel


def test_a_date_the_organization_sets_is_never_called_no_legal_deadline(
    login, alice, log_request, imt, root
):
    # iMT promises erasure "promptly", and where the requester lives is not known.
    privacy_request = log_request(organization=imt, right_kind="erasure", jurisdiction="")
    assert privacy_request.due_date is None and privacy_request.has_flag(Flag.NO_LEGAL_DEADLINE)
    client = login(root)

    page = client.get(change_url(privacy_request)).content.decode()
    listing = client.get(f"{CHANGELIST}?deadline=none").content.decode()

    panel = _text(_section(page, 'id="deadline-heading"'))
    assert "The date rests on The organization's own date" in panel
    assert "Set by the organization: internal target" in panel
    flags = _text(_section(page, 'id="flags-heading"'))
    assert "Date set by the organization: internal target" in flags
    for text in (panel, flags, _text(listing)):
        assert "no legal deadline" not in text.lower()
        assert "no statutory deadline known" not in text.lower()
    assert "Set by the organization" in listing


# -- Extension -------------------------------------------------------------------------------------


def _offered(client, privacy_request) -> set[str]:
    response = client.get(change_url(privacy_request))
    return {shown.action.name for shown in response.context["actions"]}


def test_an_extension_is_offered_where_the_rule_has_one(login, alice, log_request):
    privacy_request = services.request_start(request=log_request(jurisdiction="FR"), actor=None)

    assert "extend" in _offered(login(alice), privacy_request)


@pytest.mark.parametrize(
    ("fields", "why"),
    [
        # A marketing opt-out is acted on without extension (GDPR Art. 21(3); CAN-SPAM).
        ({"right_kind": "marketing_opt_out", "jurisdiction": "FR"}, "direct marketing"),
        # 1798.83 through the designated address, labelled: 30 days, no extension in the statute.
        (
            {
                "right_kind": "shine_the_light",
                "channel_kind": "postal_mail",
                "jurisdiction": "US-CA",
                "message": "Your California Privacy Rights: whom did you give my data to?",
            },
            "allows no extension",
        ),
    ],
)
def test_no_extension_is_offered_where_the_law_allows_none(login, alice, log_request, fields, why):
    privacy_request = services.request_start(request=log_request(**fields), actor=None)
    client = login(alice)

    offered = _offered(client, privacy_request)
    page = client.get(change_url(privacy_request)).content.decode()

    assert "extend" not in offered
    assert "set_target" in offered  # the other actions stay
    assert why in _text(_section(page, 'id="deadline-heading"'))


def test_an_extended_request_is_not_offered_a_second_extension(login, alice, log_request):
    privacy_request = services.request_start(request=log_request(jurisdiction="FR"), actor=None)
    privacy_request = services.request_extend(
        request=privacy_request, actor=alice, reason="Three systems to search."
    )

    assert "extend" not in _offered(login(alice), privacy_request)
